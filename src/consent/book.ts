import { clockNowMs } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import type { InstantInput } from "../core/instant-input.ts";
import type { Store } from "../core/store/index.ts";
import type { TenantLedger } from "./every-tenant.ts";
import type { HonourSummary } from "./honour.ts";
import type { Channel } from "./revocation.ts";
import type { Scope, ScopeText } from "./scope.ts";
export interface ConsentRevokeParams {
  /** E.164 (`+1NXXNXXXXXX`); optional when `account` is given. */
  phone?: string;
  /**
   * The debtor's account: every number cxo reads for it (lists, plans, history, touches),
   * now and later, is refused. An account cxo has not read yet is recorded all the same, and a
   * `phone` cxo knows for other accounts too: the answer's `accountNotices` says so.
   */
  account?: string;
  /** When the person said it: ISO 8601 with an offset, or a Date. Default: now. */
  at?: InstantInput;
  /** agent | call | sms | email | web | mail. Default `call`. */
  channel?: Channel;
  /** `tenant` (default), `campaign:<id>` or `all`. */
  scope?: ScopeText;
  /** Where it came from (a system, a file, a call id). */
  source?: string;
}

export interface ConsentImportParams {
  /** A .csv (comma or semicolon) or .ndjson file: phone and/or account, at, channel, scope?, source?. */
  file: string;
  /** Scope of rows that name none (default `tenant`). */
  scope?: ScopeText;
  /**
   * Rows committed together (one transaction, one fsync), 1–100,000; default 5,000. A killed
   * import keeps what it committed and the next honour or import finishes the rest.
   */
  batchRows?: number;
}

/**
 * Recording a revocation needs only the business unit's store: a consumer's "stop" must be
 * recordable wherever cxo runs, with or without a CXone connection (cxo refuses the number from
 * the moment it is recorded). What needs CXone — checking that a campaign scope names a campaign
 * the tenant has, and writing the tenant's CXone DNC group — is done when a connection is
 * configured; without one the entries wait `pending` (or `none` until a group is named) and the
 * next `consent honour` or `cxo serve` with a connection sends them, like any other.
 *
 * `consent.revoke`, `consent.import` and `consent.decide` of a client record through here with the
 * client's book (compliance/revocation-intake.ts, which answers each entry with its
 * deadline); `cxo consent revoke|import` on a data dir with no connection, with a book of stores alone.
 */
export interface ConsentBook {
  /** The business unit (undefined: the only one configured). */
  tenant: string | undefined;
  actor: string | null;
  /** `consent.cxoneDncGroup`: where its entries go once CXone can be told. */
  cxoneDncGroup: string | undefined;
  store(): Promise<Store>;
  /** CXone, when a connection is configured (undefined: recorded here, CXone pending). */
  cxone?: {
    /** A group named on a platform without DNC groups: refused before anything is recorded. */
    refuseGroup(): void;
    /** Scope `campaign:C` names a campaign the tenant has (a read). */
    checkScope(scope: Scope, signal?: AbortSignal): Promise<void>;
    /** Sends the pending entries to the tenant's group (undefined: it names none). */
    honour(signal?: AbortSignal): Promise<HonourSummary | undefined>;
  };
  /**
   * The seller's other tenants, for scope `all` (an unnamed tenant: none, it is the only one).
   * Undefined for a named tenant that knows no others: `all` is refused, nothing recorded.
   */
  peers?: () => Promise<ConsentBook[]>;
}

/** Said where CXone could not be told because no connection is configured. */
export const NO_CONNECTION =
  "no CXone connection is configured: recorded here, pending for CXone, sent by cxo consent honour (or cxo serve) once a connection (and consent.cxoneDncGroup) is configured";

/** One tenant's ledger, as the fan-out (consent/every-tenant.ts) asks it. */
export function ledgerOfBook(
  book: ConsentBook,
  batches: { batchSize?: number; batchAudit?: { source: string } },
  signal: AbortSignal | undefined,
  store?: Promise<Store>,
): TenantLedger {
  const cxone = book.cxone;
  return {
    tenant: book.tenant,
    record: async (revocations, journal) => {
      cxone?.refuseGroup();
      const { recordRevocations } = await import("./ledger.ts");
      return recordRevocations(await (store ?? book.store()), revocations, {
        actor: book.actor,
        cxoneGroupId: book.cxoneDncGroup,
        ...batches,
        ...journal,
        signal,
      });
    },
    store: () => store ?? book.store(),
    // Without a connection the answer says CXone is pending (the fan-out's `cxoneDelayed`).
    honour: !cxone
      ? () => Promise.reject(new Error(NO_CONNECTION))
      : book.cxoneDncGroup === undefined
        ? undefined
        : () => cxone.honour(signal),
  };
}

/**
 * Scope `all`: this tenant's ledger and those of every configured tenant sharing its seller. A
 * named tenant that knows no others refuses it, nothing recorded.
 */
export async function sellerLedgers(
  book: ConsentBook,
  signal: AbortSignal | undefined,
  batches: { batchSize?: number; batchAudit?: { source: string } } = {},
  store?: Promise<Store>,
): Promise<TenantLedger[]> {
  const own = ledgerOfBook(book, batches, signal, store);
  if (!book.peers)
    throw new InputError({
      field: "scope",
      rule: `all reaches every tenant that shares this one's seller, and this client knows only tenant ${book.tenant}: revoke through createTenants(…) (its clients know each other) or cxo consent, which read the configured tenants`,
    });
  const peers = await book.peers();
  return [own, ...peers.map((peer) => ledgerOfBook(peer, batches, signal))];
}

/** `consent.grant` (and the CLI without a connection): a grant of consent recorded, audited (issue 92 §2). */
export async function grantIn(
  book: ConsentBook,
  params: import("./grants.ts").GrantInput,
): Promise<import("./grants.ts").Grant> {
  if (typeof params !== "object" || params === null)
    throw new InputError({ field: "params", rule: "must be an object ({ phone, purpose, written, … })" });
  const { grantOf, recordGrant } = await import("./grants.ts");
  const grant = grantOf(params, clockNowMs());
  await recordGrant(await book.store(), grant);
  return grant;
}
