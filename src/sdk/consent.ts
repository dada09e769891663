import type { ConsentReport, ReportEntry } from "../campaigns/compliance/revocation-report.ts";
import type { CallbackSweep } from "../campaigns/compliance/revoked-callbacks.ts";
import type { TenantLedger, TenantOutcome } from "../consent/every-tenant.ts";
import type { HonourSummary } from "../consent/honour.ts";
import type { LedgerEntry, RecordSummary } from "../consent/ledger.ts";
import type { Channel } from "../consent/revocation.ts";
import type { Scope, ScopeText } from "../consent/scope.ts";
import { InputError } from "../core/input-error.ts";
import {
  type ConsentBook,
  decideIn,
  grantIn,
  importIn,
  ledgerOfBook,
  revokeIn,
  sellerLedgers,
} from "./consent-book.ts";
import { type ConsentCoverage, consentCoverage, honourInTenant } from "./consent-coverage.ts";
import { type ClientRuntime, idOf, inCall, type RequestOptions, requestSignal } from "./runtime.ts";

/**
 * The consent ledger (issue 62 §1), SDK group `consent`: record revocations whatever channel they
 * came by, honour them (cxo refuses the number at once; on the production platform they are also
 * added to the tenant's CXone DNC group, `consent.cxoneDncGroup`), and report on them.
 */
export interface ConsentRevokeParams {
  /** E.164 (`+1NXXNXXXXXX`); optional when `account` is given. */
  phone?: string;
  /**
   * The debtor's account (issue 77 §2): every number cxo reads for it (lists, plans, history),
   * now and later, is refused. Must be an account cxo has read; a `phone` given with it must not
   * be another account's number.
   */
  account?: string;
  /** When the person said it: ISO 8601 with an offset, or a Date. Default: now. */
  at?: string | Date;
  /** agent | call | sms | email | web | mail. Default `call`. */
  channel?: Channel;
  /** `tenant` (default), `campaign:<id>` or `all`. */
  scope?: ScopeText;
  /** Where it came from (a system, a file, a call id). */
  source?: string;
}

export interface ConsentRevokeResult {
  /** False when the ledger already held this revocation (nothing new written). */
  added: boolean;
  entry: ReportEntry;
  /** What was sent to the CXone DNC group by this call (absent where the tenant has none). */
  cxone?: HonourSummary;
  /**
   * The CXone DNC group could not be written (an outage): the entry waits `pending` and is sent
   * by `cxo serve` or `consent.honour()`; cxo refuses the number meanwhile (issue 78 §1).
   */
  cxoneDelayed?: string;
  /**
   * Scope `all`: every tenant that shares the seller, this one first, each holding the revocation
   * (a tenant that could not record it makes the call reject with ConsentNotRecordedEverywhereError).
   */
  tenants?: TenantOutcome[];
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

export interface ConsentImportResult extends Omit<RecordSummary, "addedIds"> {
  rows: number;
  cxone?: HonourSummary;
  /** The CXone DNC group could not be written: the entries wait `pending` (see ConsentRevokeResult). */
  cxoneDelayed?: string;
  /** Rows of scope `all` present: every tenant of the seller, with what it recorded of them. */
  tenants?: TenantOutcome[];
  /**
   * Rows with a `message` (issue 92 §3): recorded as revocations by their words, queued for a
   * person's review (`consent.review`), or neither. Absent when no row has a message.
   */
  messages?: { recorded: number; review: number; other: number };
}

export interface ConsentReportParams {
  /** Default: 90 days ago. ISO 8601 with an offset, or a Date. */
  from?: string | Date;
  /** Default: now. */
  to?: string | Date;
  /** Campaigns whose calls after each revocation are looked for (default: those the data dir knows and the scopes name). */
  campaigns?: string[];
}

export interface ConsentGroup {
  revoke(params: ConsentRevokeParams, options?: RequestOptions): Promise<ConsentRevokeResult>;
  import(params: ConsentImportParams, options?: RequestOptions): Promise<ConsentImportResult>;
  report(params?: ConsentReportParams, options?: RequestOptions): Promise<ConsentReport>;
  /** Sends ledger entries still pending to the tenant's CXone DNC group (the service does this on a schedule). */
  honour(options?: RequestOptions): Promise<HonourSummary | undefined>;
  /**
   * Whether every revocation can reach CXone's dialer (issue 77 §1), asked of CXone: the consent
   * group must scrub every skill cxo pushed lists to, and each campaign-scoped skill's own group
   * must scrub it. `gaps` empty: covered.
   */
  coverage(options?: RequestOptions): Promise<ConsentCoverage>;
  /**
   * Deletes every pending CXone scheduled callback to a number that revoked consent within the
   * callback's skill (each deletion journaled and audited); a deletion CXone refuses stays in
   * `failed` and is tried again by the next call (and by `cxo serve`). Undefined on a platform
   * without scheduled callbacks.
   */
  cancelCallbacks(options?: RequestOptions): Promise<CallbackSweep | undefined>;
  /**
   * Messages whose words a person has to read (issue 92 §3: a negation, a question, a keyword in
   * other words, another language), oldest first, each overdue once past the deadline a
   * revocation received then would have; `all` includes those decided.
   */
  review(params?: { all?: boolean }, options?: RequestOptions): Promise<ReviewView[]>;
  /**
   * A person's decision on a message in review: `revocation` records it (at the message's
   * instant, channel and scope) and honours it like any other; `not-revocation` closes it. Both audited.
   */
  decide(
    params: { id: string; as: "revocation" | "not-revocation" },
    options?: RequestOptions,
  ): Promise<{ item: ReviewItem; revocation?: ConsentRevokeResult }>;
  /**
   * Records a grant of consent (issue 92 §2): `phone` and/or `account`, `purpose` (one or more of
   * telemarketing, informational, collections), `written` (boolean), `aiDisclosed`, `at`, `source`.
   * A check of a prerecorded or AI call reads the newest grant for its purpose. Bad input is an
   * InputError naming the field, nothing recorded.
   */
  grant(params: ConsentGrantParams, options?: RequestOptions): Promise<Grant>;
}

export interface ConsentGrantParams {
  phone?: string;
  account?: string;
  purpose: Purpose | Purpose[];
  written: boolean;
  aiDisclosed?: boolean;
  /** ISO 8601 with an offset (default now). */
  at?: string;
  source?: string;
}

const DAY_MS = 86_400_000;
type ReviewItem = import("../consent/review-queue.ts").ReviewItem;
type Grant = import("../consent/grants.ts").Grant;
type Purpose = import("../consent/grants.ts").Purpose;
type ReviewView = import("../consent/review-queue.ts").ReviewView;

const isoOf = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

export function consentGroup(runtime: ClientRuntime): ConsentGroup {
  const honour = (signal?: AbortSignal) => honourInTenant(runtime, signal);
  return {
    revoke: (params, options) =>
      inCall(options, () => revokeIn(bookOf(runtime), params, requestSignal(options))),
    import: (params, options) =>
      inCall(options, () => importIn(bookOf(runtime), params, requestSignal(options))),
    report: (params, options) => inCall(options, () => reportOf(runtime, params, requestSignal(options))),
    honour: (options) =>
      inCall(options, async () => {
        const signal = requestSignal(options);
        // A scope-`all` revocation a killed run left half recorded is finished first (local work).
        const { finishFanOuts } = await import("../consent/fan-out.ts");
        const fanOuts = await finishFanOuts(await reachableLedgers(runtime, signal), runtime.actor, signal);
        // What agents said in CXone since the last read is honoured too (issue 77 §3).
        const { freshDispositions } = await import("./fresh-dispositions.ts");
        await freshDispositions(runtime, signal);
        const summary = await honour(signal);
        if (fanOuts.finished === 0 && fanOuts.waiting.length === 0) return summary;
        return {
          ...(summary ?? { sent: 0, alreadyInGroup: 0, entries: 0, noGroup: true as const }),
          fanOuts,
        };
      }),
    coverage: (options) => inCall(options, () => consentCoverage(runtime, [], requestSignal(options))),
    cancelCallbacks: (options) =>
      inCall(options, async () => {
        const { sweepRevokedCallbacks } = await import("./revoked-callbacks.ts");
        return sweepRevokedCallbacks(runtime, requestSignal(options));
      }),
    review: (params, options) =>
      inCall(options, async () => {
        requestSignal(options);
        const { reviewItems } = await import("../consent/review-queue.ts");
        return reviewItems(await runtime.store(), Date.now(), params?.all === true);
      }),
    grant: (params, options) =>
      inCall(options, async () => {
        requestSignal(options);
        return grantIn(bookOf(runtime), params);
      }),
    decide: (params, options) =>
      inCall(options, () => decideIn(bookOf(runtime), params, requestSignal(options))),
  };
}

/** `consent.report`: the ledger's entries in the window, each with the calls made after it (issue 77 §4). */
async function reportOf(
  runtime: ClientRuntime,
  params: ConsentReportParams | undefined,
  signal: AbortSignal | undefined,
): Promise<ConsentReport> {
  const nowMs = Date.now();
  const fromMs = timeParam(params?.from, "from", nowMs - 90 * DAY_MS);
  const toMs = timeParam(params?.to, "to", nowMs);
  if (toMs <= fromMs) throw new InputError({ field: "to", rule: "must be after from" });
  const store = await runtime.store();
  const [
    { ledgerEntries },
    { reportEntryOf, summarize },
    { callsAfter },
    { numbersOfAccounts },
    { pushedLists },
  ] = await Promise.all([
    import("../consent/ledger.ts"),
    import("../campaigns/compliance/revocation-report.ts"),
    import("../campaigns/compliance/revocation-report-calls.ts"),
    import("../consent/accounts.ts"),
    import("../strategy/push-operations.ts"),
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
  const { byPhone, checked } = await callsAfter(runtime.port, store, new Set(entries.flatMap(phonesOf)), {
    fromMs,
    toMs: nowMs,
    campaigns: params?.campaigns,
    scoped: entries.flatMap((e) => (e.scope.kind === "campaign" ? [e.scope.campaignId] : [])),
    pushedLists: await pushedLists(store),
    ...(signal ? { signal } : {}),
  });
  const lacking = await lackingInSiblings(runtime, entries, signal);
  const report = summarize(
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
  // Calls CXone has yet to make to revoked numbers (every revocation, not only this window's).
  const { scheduledCallbacksOf } = await import("./revoked-callbacks.ts");
  const callbacks = await scheduledCallbacksOf(runtime, params?.campaigns, signal);
  return callbacks ? { ...report, scheduledCallbacks: callbacks } : report;
}

/**
 * The report's scope-`all` entries that a tenant of the seller does not hold (a fan-out not
 * finished yet), by entry id; empty where this client knows no other tenant.
 */
async function lackingInSiblings(
  runtime: ClientRuntime,
  entries: readonly LedgerEntry[],
  signal: AbortSignal | undefined,
): Promise<Map<string, string[]>> {
  const ids = entries.filter((e) => e.scope.kind === "all").map((e) => e.id);
  if (ids.length === 0 || runtime.tenant === undefined || !runtime.consentPeers) return new Map();
  const siblings = (await reachableLedgers(runtime, signal)).slice(1);
  const { siblingsLacking } = await import("../consent/fan-out.ts");
  return siblingsLacking(
    ids,
    await Promise.all(
      siblings.flatMap((l) => (l.store ? [l.store().then((store) => ({ tenant: l.tenant, store }))] : [])),
    ),
  );
}

/** Scope `campaign:C` must name a campaign the tenant has: asked of the platform (a read). */
async function checkCampaignScope(
  runtime: ClientRuntime,
  scope: Scope | undefined,
  signal?: AbortSignal,
): Promise<void> {
  if (scope?.kind !== "campaign") return;
  const id = scope.campaignId;
  runtime.port.support.checkId?.("campaign", id, "scope");
  const { NotFoundError } = await import("../core/http/errors.ts");
  try {
    await runtime.port.campaigns.get(id, signal);
  } catch (error) {
    if (error instanceof NotFoundError)
      throw new InputError({
        field: "scope",
        rule: `names campaign ${id}, which this tenant does not have`,
      });
    throw error;
  }
}

/** A group id configured on a platform without DNC groups: refused before anything is recorded. */
function refuseGroupWithout(runtime: ClientRuntime): void {
  if (runtime.consent.cxoneDncGroup === undefined) return;
  const refusal = runtime.port.support.unsupported("dncGroups");
  if (refusal) throw refusal;
}

/** This tenant's ledger and, where this client knows them, those of its seller's other tenants. */
async function reachableLedgers(
  runtime: ClientRuntime,
  signal: AbortSignal | undefined,
): Promise<TenantLedger[]> {
  const book = bookOf(runtime);
  return book.peers ? sellerLedgers(book, signal) : [ledgerOfBook(book, {}, signal)];
}

/**
 * The client's book (consent-book.ts): its store and settings, CXone through its port, and for
 * scope `all` the seller's other tenants — an unnamed tenant is the only one; a named tenant's
 * client knows the others only through `consentPeers` (`createTenants`, the CLI).
 */
function bookOf(runtime: ClientRuntime): ConsentBook {
  const consentPeers = runtime.consentPeers;
  return {
    tenant: runtime.tenant,
    actor: runtime.actor,
    cxoneDncGroup: runtime.consent.cxoneDncGroup,
    store: () => runtime.store(),
    cxone: {
      refuseGroup: () => refuseGroupWithout(runtime),
      checkScope: (scope, signal) => checkCampaignScope(runtime, scope, signal),
      honour: (signal) => honourInTenant(runtime, signal),
    },
    ...(runtime.tenant === undefined || consentPeers
      ? {
          peers: async () => {
            if (!consentPeers) return [];
            const { runtimeOf } = await import("./internals.ts");
            return (await consentPeers()).map((peer) => bookOf(runtimeOf(peer)));
          },
        }
      : {}),
  };
}

function timeParam(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  const text = isoOf(value);
  if (typeof text !== "string" || !/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) || Number.isNaN(Date.parse(text)))
    throw new InputError({ field, rule: "must be ISO 8601 with an offset, or a Date" });
  return Date.parse(text);
}
