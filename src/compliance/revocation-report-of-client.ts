import type { ConsentBook } from "../consent/book.ts";
import { reachableLedgers } from "../consent/client-book.ts";
import type { LedgerEntry } from "../consent/ledger.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import { type InstantInput, instantInputMs } from "../core/instant-input.ts";
import { idOf } from "../core/params.ts";
import type { Store } from "../core/store/index.ts";
import type { ClientContext } from "../platform/client-context.ts";
import type { CxonePort } from "../platform/port.ts";
import type { ConsentReport } from "./revocation-report.ts";
import type { KeptCallsReader, PushedList } from "./revocation-report-calls.ts";
export interface ConsentReportParams {
  /** Default: 90 days ago. ISO 8601 with an offset, or a Date. */
  from?: InstantInput;
  /** Default: now. */
  to?: InstantInput;
  /** Campaigns whose calls after each revocation are looked for (default: those the data dir knows and the scopes name). */
  campaigns?: string[];
}

const DAY_MS = 86_400_000;

/**
 * `consent.report`: the ledger's entries in the window, each with the calls made after it (issue
 * 77 §4). `pushedLists` reads every list cxo pushed (core/store/pushed-lists.ts, from the store),
 * handed in by the caller: compliance does not read strategy/.
 */
export async function consentReportOf(
  client: ClientContext,
  book: ConsentBook,
  params: ConsentReportParams | undefined,
  pushedLists: () => Promise<readonly PushedList[]>,
  signal: AbortSignal | undefined,
): Promise<ConsentReport> {
  // No connection: the ledger alone, CXone's calls said not read (`checked.listing: "none"`).
  if (client.missingConnection) return offlineConsentReport(book, params, signal);
  const report = await reportFromLedger(
    { store: await client.store(), port: client.port, kept: keptCallsOf(client, signal) },
    book,
    params,
    pushedLists,
    signal,
  );
  // Calls CXone has yet to make to revoked numbers (every revocation, not only this window's).
  const { scheduledCallbacksOf } = await import("./revoked-callbacks-of-client.ts");
  const callbacks = await scheduledCallbacksOf(client, params?.campaigns, signal);
  return callbacks ? { ...report, scheduledCallbacks: callbacks } : report;
}

/**
 * The report of a data dir with no CXone connection (`cxo consent report` offline):
 * the local ledger, each entry's deadline and honouring, the touches imported after it and the
 * scope-`all` entries a sibling lacks — CXone's calls, pushed lists' dials and scheduled callbacks
 * are not read, and `checked.listing` is `none` to say so.
 */
export async function offlineConsentReport(
  book: ConsentBook,
  params: ConsentReportParams | undefined,
  signal: AbortSignal | undefined,
): Promise<ConsentReport> {
  return reportFromLedger(
    { store: await book.store(), port: undefined },
    book,
    params,
    async () => [],
    signal,
  );
}

/**
 * The calls kept from the business unit's one incremental read of CXone's completed contacts
 * (production), brought up to date first: a report over the last 32 days (the board's findings,
 * the autopilot's day report) reads them instead of paging every campaign's listing of the window
 * again — the board's findings every 15 minutes paged 30 days of the warehouse. A window that
 * starts before the first read's reach is left to the listings.
 */
function keptCallsOf(client: ClientContext, signal: AbortSignal | undefined): KeptCallsReader {
  return async (phones, window, campaigns) => {
    if (client.port.support.unsupported("outcomes.changedCalls") !== undefined) return undefined;
    const [{ FIRST_READ_MS }, { syncCompletedCalls }, { completedCallsIn }] = await Promise.all([
      import("../consent/cxone-dispositions.ts"),
      import("../consent/fresh-dispositions.ts"),
      import("../consent/completed-calls.ts"),
    ]);
    if (window.fromMs < clockNowMs() - FIRST_READ_MS) return undefined;
    await syncCompletedCalls(client, { coverFromMs: window.fromMs, signal });
    const calls = await completedCallsIn((await client.store()).db, campaigns ?? "every", window, phones);
    return calls.map((c) => ({
      phone: c.phone,
      callId: c.contactId,
      campaignId: c.skillId,
      at: new Date(c.startMs).toISOString(),
    }));
  };
}

async function reportFromLedger(
  source: { store: Store; port: CxonePort | undefined; kept?: KeptCallsReader },
  book: ConsentBook,
  params: ConsentReportParams | undefined,
  pushedLists: () => Promise<readonly PushedList[]>,
  signal: AbortSignal | undefined,
): Promise<ConsentReport> {
  const nowMs = clockNowMs();
  const fromMs = timeParam(params?.from, "from", nowMs - 90 * DAY_MS);
  const toMs = timeParam(params?.to, "to", nowMs);
  if (toMs <= fromMs) throw new InputError({ field: "to", rule: "must be after from" });
  const { store } = source;
  const [{ ledgerEntries }, { reportEntryOf, summarize }, { callsAfter }, { numbersOfAccounts }] =
    await Promise.all([
      import("../consent/ledger.ts"),
      import("./revocation-report.ts"),
      import("./revocation-report-calls.ts"),
      import("../consent/accounts.ts"),
    ]);
  if (params?.campaigns !== undefined && !Array.isArray(params.campaigns))
    throw new InputError({ field: "campaigns", rule: "must be an array of campaign ids" });
  for (const id of params?.campaigns ?? []) idOf(id, "campaigns");
  const entries = await ledgerEntries(store, fromMs, toMs);
  // An account's revocation is breached by a call to any of its numbers (issue 77 §2).
  const accountNumbers = await numbersOfAccounts(
    store.db,
    entries.flatMap((e) => (e.account === undefined ? [] : [e.account])),
  );
  const phonesOf = (e: LedgerEntry) => [
    ...(e.phone === "" ? [] : [e.phone]),
    ...(e.account === undefined ? [] : (accountNumbers.get(e.account) ?? [])),
  ];
  const { byPhone, checked } = await callsAfter(source.port, store, new Set(entries.flatMap(phonesOf)), {
    fromMs,
    toMs: nowMs,
    campaigns: params?.campaigns,
    scoped: entries.flatMap((e) => (e.scope.kind === "campaign" ? [e.scope.campaignId] : [])),
    pushedLists: await pushedLists(),
    kept: source.kept,
    ...(signal ? { signal } : {}),
  });
  const lacking = await lackingInSiblings(book, entries, signal);
  return summarize(
    entries.map((e) => ({
      ...reportEntryOf(
        e,
        nowMs,
        phonesOf(e).flatMap((p) => byPhone.get(p) ?? []),
      ),
      ...(lacking.has(e.id) ? { missingIn: lacking.get(e.id) } : {}),
    })),
    { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() },
    checked,
  );
}

/**
 * The report's scope-`all` entries that a tenant of the seller does not hold (a fan-out not
 * finished yet), by entry id; empty where this client knows no other tenant.
 */
async function lackingInSiblings(
  book: ConsentBook,
  entries: readonly LedgerEntry[],
  signal: AbortSignal | undefined,
): Promise<Map<string, string[]>> {
  const ids = entries.filter((e) => e.scope.kind === "all").map((e) => e.id);
  // A named tenant's book knows its siblings only when the client was told of them.
  if (ids.length === 0 || book.tenant === undefined || !book.peers) return new Map();
  const siblings = (await reachableLedgers(book, signal)).slice(1);
  const { siblingsLacking } = await import("../consent/fan-out.ts");
  return siblingsLacking(
    ids,
    await Promise.all(
      siblings.flatMap((l) => (l.store ? [l.store().then((store) => ({ tenant: l.tenant, store }))] : [])),
    ),
  );
}

/** `from`/`to`: text by the one rule or a valid Date (core/instant-input.ts), else `fallback`. */
function timeParam(value: unknown, field: string, fallback: number): number {
  return instantInputMs(value, field) ?? fallback;
}
