import { CxoError } from "../core/cxo-error.ts";
import { printable } from "../core/printable.ts";

/**
 * CXone answered 404 to adding records to the DNC group a revocation goes to (the tenant's
 * `consent.cxoneDncGroup`, named when it was recorded): the group does not exist in the business
 * unit. Not a delay — no retry makes it exist, so it is not reported as
 * "DELAYED". The revocation is recorded in the ledger (cxo refuses the number) and stays pending for
 * CXone until the setting names a group the business unit has and `consent honour` (or `cxo
 * serve`) sends it. The CLI exits 1.
 */
export class DncGroupMissingError extends CxoError {
  override readonly name = "DncGroupMissingError";
  readonly code = "dnc_group_missing" as const;
  /** The group CXone does not have. */
  readonly groupId: string;
  /** The business unit whose group it is (undefined: the only one configured). */
  readonly tenant: string | undefined;

  /** The groups the business unit has (up to 20), when they could be read. */
  readonly known: Array<{ groupId: string; name: string }> | undefined;

  constructor(options: {
    groupId: string;
    tenant?: string | undefined;
    known?: Array<{ groupId: string; name: string }> | undefined;
    cause?: unknown;
  }) {
    const whose = options.tenant === undefined ? "" : ` of tenant ${printable(options.tenant)}`;
    const known = options.known?.slice(0, 20);
    const theirs =
      known === undefined
        ? ""
        : ` (its groups: ${known.map((g) => `${printable(g.groupId)} "${printable(g.name)}"`).join(", ") || "none"})`;
    super(
      `CXone has no DNC group ${printable(options.groupId)} (consent.cxoneDncGroup${whose}): it answered 404 to adding numbers to it. Its revocations are recorded here (cxo refuses their numbers) and stay pending for CXone, whose dialer is not told until consent.cxoneDncGroup names a group this business unit has${theirs}; then run cxo consent honour`,
      { status: 404, ...(options.cause === undefined ? {} : { cause: options.cause }) },
    );
    this.groupId = options.groupId;
    this.tenant = options.tenant;
    this.known = known;
  }
}
