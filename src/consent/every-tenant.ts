import { sellerPeers } from "../core/config/seller.ts";
import { CxoError } from "../core/cxo-error.ts";
import { scrubSecrets } from "../core/logging/secrets.ts";
import type { Store } from "../core/store/index.ts";
import { DncGroupMissingError } from "./dnc-group-missing-error.ts";
import { endFanOut, type FanOutRow, finishFanOuts, journalFanOut, newFanOut } from "./fan-out.ts";
import type { HonourSummary } from "./honour.ts";
import type { RecordOptions, RecordSummary } from "./ledger.ts";
import { type Revocation, revocationId } from "./revocation.ts";

/**
 * Issue 78 §1: scope `all` is every configured tenant that shares the seller, and this module is
 * the one place that fans a revocation out to them (`cxo consent revoke|import`, the SDK, the
 * signed consent webhook all come here). In two passes, so that one tenant's trouble never skips
 * another:
 * 1. the local refusal: the revocations recorded in every tenant's ledger (its own store), each
 *    tenant tried whatever happened to the one before; from then on cxo refuses the number there;
 * 2. the CXone DNC group of each tenant that has one: a failure (a 503) leaves the entries
 *    `pending` in that tenant's ledger (journaled: `cxo serve`'s watcher or `cxo consent honour`
 *    sends them), and the answer says the group write was delayed — never the local refusal; a
 *    group CXone does not have (404) is no delay: the call fails (DncGroupMissingError, exit 1)
 *    once every tenant has done its part, the entries pending.
 * The answer names every tenant and whether it holds the revocation; a tenant whose ledger could
 * not record it makes the whole call fail (ConsentNotRecordedEverywhereError, exit 1), after the
 * others have recorded it. The fan-out is journaled in the first tenant's store with its own copy
 * of the scope-`all` revocations, before any other tenant's batch (fan-out.ts): a run killed
 * between two tenants is finished by the next honour run, fan-out or service start.
 */
export interface TenantLedger {
  /** The business unit (undefined: the only one configured). */
  tenant: string | undefined;
  /**
   * Records revocations in this tenant's ledger (the local refusal); `journal` as recordRevocations
   * takes it (a fan-out's row written with them, in one transaction).
   */
  record(
    revocations: AsyncIterable<Revocation> | Iterable<Revocation>,
    journal?: Pick<RecordOptions, "withRevocations" | "batchSize">,
  ): Promise<RecordSummary>;
  /** The tenant's store: where a fan-out it starts is journaled (absent: not journaled). */
  store?: (() => Promise<Store>) | undefined;
  /** Sends this tenant's pending entries to its CXone DNC group; absent (or undefined) where it has none. */
  honour?: (() => Promise<HonourSummary | undefined>) | undefined;
}

export interface TenantOutcome {
  tenant: string | undefined;
  /** The tenant's ledger holds the revocation(s): cxo refuses the number(s) there. */
  holds: boolean;
  /** Entries new to this tenant's ledger, and those it held already. */
  added: number;
  known: number;
  /** Why the ledger could not record them (`holds` false). */
  error?: string;
  /** What this call sent to the tenant's CXone DNC group. */
  cxone?: HonourSummary;
  /** The CXone DNC group write failed: the entries wait `pending` (the local refusal holds). */
  cxoneDelayed?: string;
}

/** Thrown when a tenant of the seller could not record the revocation; the others hold it. */
export class ConsentNotRecordedEverywhereError extends CxoError {
  override readonly name = "ConsentNotRecordedEverywhereError";
  readonly code = "consent_not_recorded_everywhere" as const;
  /** Every tenant of the seller, with whether it holds the revocation. */
  readonly tenants: TenantOutcome[];

  constructor(tenants: TenantOutcome[]) {
    const missing = tenants.filter((t) => !t.holds);
    const holding = tenants.filter((t) => t.holds);
    super(
      `scope all: ${missing.map((t) => `${t.tenant ?? "this tenant"} (${t.error ?? "not recorded"})`).join(", ")} could not record the revocation; ${
        holding.length > 0
          ? `${holding.map((t) => t.tenant ?? "this tenant").join(", ")} hold${holding.length === 1 ? "s" : ""} it`
          : "no tenant holds it"
      }. Run the same command again: what is recorded is not recorded twice`,
    );
    this.tenants = tenants;
  }
}

/**
 * Records in every tenant (pass 1), then honours in each CXone group (pass 2). `revocationsFor`
 * gives each tenant's revocations (an import reads its file again for each). Rejects with
 * ConsentNotRecordedEverywhereError when a tenant's ledger failed, or with the signal's reason.
 */
export async function recordInEveryTenant(
  ledgers: readonly TenantLedger[],
  revocationsFor: (ledger: TenantLedger) => AsyncIterable<Revocation> | Iterable<Revocation>,
  signal?: AbortSignal,
  journal: { actor: string | null; source: string } = { actor: null, source: "revoke" },
): Promise<TenantOutcome[]> {
  const outcomes: TenantOutcome[] = [];
  const own = ledgers[0];
  const fanOut =
    ledgers.length > 1 && own?.store
      ? newFanOut(
          ledgers.slice(1).map((l) => l.tenant ?? "(unnamed)"),
          journal.source,
        )
      : undefined;
  // What an earlier run left half done is finished first (its tenants are these).
  if (fanOut) await finishFanOuts(ledgers, journal.actor, signal);
  for (const ledger of ledgers) {
    // Between tenants, as a ledger stops between batches (a batch begun is committed).
    if (outcomes.length > 0) signal?.throwIfAborted();
    try {
      const { added, known } =
        ledger === own && fanOut
          ? await recordJournaled(ledger, () => revocationsFor(ledger), fanOut)
          : await ledger.record(revocationsFor(ledger));
      outcomes.push({ tenant: ledger.tenant, holds: true, added, known });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // The first tenant's bad input is everyone's (nothing was recorded anywhere yet); a closed
      // client stops the call as it stops any other. One tenant alone (every scope but `all`, or
      // a seller of one) has no others to go on with: its own failure is the answer, in its own
      // words (a full disk says so, not "scope all: …": issue 88 L14).
      if (ledgers.length === 1 || (outcomes.length === 0 && isInputError(error)) || isClosed(error))
        throw error;
      outcomes.push({ tenant: ledger.tenant, holds: false, added: 0, known: 0, error: messageOf(error) });
    }
  }
  // A group CXone does not have is no delay: the call fails once every tenant has done its part.
  let missingGroup: DncGroupMissingError | undefined;
  for (const [i, ledger] of ledgers.entries()) {
    const outcome = outcomes[i] as TenantOutcome;
    if (!outcome.holds || !ledger.honour) continue;
    try {
      const cxone = await ledger.honour();
      if (cxone) outcome.cxone = cxone;
      // A number CXone refused is not in its group: said as a delay, never as honoured there.
      const refused = cxone?.refused ?? [];
      if (refused.length > 0)
        outcome.cxoneDelayed = messageOf(
          `CXone refused ${refused.map((r) => `${r.phone} (${r.reason})`).join(", ")}`,
        );
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof DncGroupMissingError)
        missingGroup ??=
          ledgers.length > 1 && ledger.tenant !== undefined
            ? new DncGroupMissingError({
                groupId: error.groupId,
                known: error.known,
                tenant: ledger.tenant,
                cause: error.cause,
              })
            : error;
      outcome.cxoneDelayed = messageOf(error);
    }
  }
  if (outcomes.some((o) => !o.holds)) throw new ConsentNotRecordedEverywhereError(outcomes);
  if (fanOut && own?.store) await endFanOut(await own.store(), fanOut, journal.actor, "recorded");
  if (missingGroup) throw missingGroup;
  return outcomes;
}

/**
 * The first tenant's share: its scope-`all` revocations and the fan-out's journal row in one
 * transaction (the row never exists without them, nor they without it), then its other rows;
 * `revocations` is asked twice (an import reads its file again), so neither share is held whole
 * beyond the scope-`all` rows that one transaction takes.
 */
async function recordJournaled(
  ledger: TenantLedger,
  revocations: () => AsyncIterable<Revocation> | Iterable<Revocation>,
  fanOut: FanOutRow,
): Promise<{ added: number; known: number }> {
  const ids = fanOut.entries;
  const all = async function* () {
    for await (const r of ofScopeAll(revocations(), true)) {
      ids.push(revocationId(r));
      yield r;
    }
  };
  const first = await ledger.record(all(), {
    withRevocations: journalFanOut(fanOut),
    batchSize: Number.POSITIVE_INFINITY,
  });
  const second = await ledger.record(ofScopeAll(revocations(), false));
  return { added: first.added + second.added, known: first.known + second.known };
}

async function* ofScopeAll(
  revocations: AsyncIterable<Revocation> | Iterable<Revocation>,
  all: boolean,
): AsyncGenerator<Revocation> {
  for await (const r of revocations) if ((r.scope.kind === "all") === all) yield r;
}

/** The configured tenants a scope-`all` revocation at `own` reaches: those with its seller, `own` first. */
export function tenantsOfSeller(
  own: string,
  configured: ReadonlyArray<{ name: string; seller: string | undefined }>,
): string[] {
  const names = configured.map((t) => t.name);
  return [
    own,
    ...sellerPeers(own, names, (name) => ({ name, consent: configured.find((t) => t.name === name) })),
  ];
}

const isInputError = (error: unknown) => (error as { code?: unknown } | null)?.code === "invalid_input";
const isClosed = (error: unknown) => (error as { code?: unknown } | null)?.code === "client_closed";

function messageOf(error: unknown): string {
  return scrubSecrets(error instanceof Error ? error.message : String(error)).slice(0, 300);
}
