import type { TenantLedger, TenantOutcome } from "../consent/every-tenant.ts";
import type { HonourSummary } from "../consent/honour.ts";
import type { LedgerEntry, RecordSummary } from "../consent/ledger.ts";
import type { ConsentReport, ReportEntry } from "../consent/report.ts";
import type { Channel, Revocation, Scope } from "../consent/revocation.ts";
import { InputError } from "../core/input-error.ts";
import type { Store } from "../core/store/index.ts";
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
  scope?: Scope;
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
  scope?: Scope;
}

export interface ConsentImportResult extends Omit<RecordSummary, "addedIds"> {
  rows: number;
  cxone?: HonourSummary;
  /** The CXone DNC group could not be written: the entries wait `pending` (see ConsentRevokeResult). */
  cxoneDelayed?: string;
  /** Rows of scope `all` present: every tenant of the seller, with what it recorded of them. */
  tenants?: TenantOutcome[];
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
}

const DAY_MS = 86_400_000;

const isoOf = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

export function consentGroup(runtime: ClientRuntime): ConsentGroup {
  const checkScope = (scope: Scope | undefined, signal?: AbortSignal) =>
    checkCampaignScope(runtime, scope, signal);
  const honour = (signal?: AbortSignal) => honourInTenant(runtime, signal);
  /** A group id is configured on a platform without DNC groups: refused before anything is recorded. */
  const refuseGroupWithoutPlatform = () => refuseGroupWithout(runtime);
  return {
    revoke: (params, options) =>
      inCall(options, async () => {
        const signal = requestSignal(options);
        if (typeof params !== "object" || params === null)
          throw new InputError({
            field: "params",
            rule: "must be an object ({ phone?, account?, at?, channel?, scope?, source? })",
          });
        const { revocationOf } = await import("../consent/revocation.ts");
        const nowMs = Date.now();
        const { revocation, problems } = revocationOf(
          { ...params, at: isoOf(params.at) },
          { nowMs, defaults: { channel: "call", scope: "tenant", at: new Date(nowMs).toISOString() } },
        );
        if (!revocation) throw new InputError(problems);
        refuseGroupWithoutPlatform();
        await checkAccount(runtime, revocation);
        await checkScope(revocation.scope, signal);
        const ledgers =
          revocation.scope === "all"
            ? await ledgersOfSeller(runtime, signal)
            : [ledgerOf(runtime, {}, signal)];
        const { recordInEveryTenant } = await import("../consent/every-tenant.ts");
        const outcomes = await recordInEveryTenant(ledgers, () => [revocation], signal, {
          actor: runtime.actor,
          source: "revoke",
        });
        const own = outcomes[0] as TenantOutcome;
        return {
          added: own.added === 1,
          entry: await reportOne(await runtime.store(), revocation, nowMs),
          ...(own.cxone ? { cxone: own.cxone } : {}),
          ...(own.cxoneDelayed ? { cxoneDelayed: own.cxoneDelayed } : {}),
          ...(revocation.scope === "all" ? { tenants: outcomes } : {}),
        };
      }),
    import: (params, options) =>
      inCall(options, async () => {
        const signal = requestSignal(options);
        // The store is the call's from its start: a close() while the file is read stops the
        // import between batches (the signal), not with "closed" from a store asked for too late.
        const storeReady = runtime.store();
        storeReady.catch(() => undefined);
        if (typeof params?.file !== "string" || params.file === "")
          throw new InputError({ field: "file", rule: "is required: a .csv or .ndjson file of revocations" });
        const { checkRevocationFile, revocationsOf } = await import("../consent/import-file.ts");
        const nowMs = Date.now();
        const read = { nowMs, ...(params.scope ? { defaultScope: params.scope } : {}) };
        const { accountProblem } = await import("../consent/accounts.ts");
        const accountsOf = (await storeReady).db;
        const { rows, scopeAll } = await checkRevocationFile(
          params.file,
          { ...read, checkAccount: (account, phone) => accountProblem(accountsOf, account, phone) },
          signal,
        );
        refuseGroupWithoutPlatform();
        await storeReady;
        // One commit (one fsync) per 5,000 rows: a killed import keeps what it committed.
        const batches = { batchSize: 5000, batchAudit: { source: `file:${params.file}` } };
        // This tenant's store is the one opened at the call's start (see storeReady).
        const ledgers =
          scopeAll > 0
            ? await ledgersOfSeller(runtime, signal, batches, storeReady)
            : [ledgerOf(runtime, batches, signal, storeReady)];
        const { recordInEveryTenant } = await import("../consent/every-tenant.ts");
        // This tenant records every row; the seller's others, the rows of scope `all`.
        const outcomes = await recordInEveryTenant(
          ledgers,
          (ledger) =>
            ledger === ledgers[0]
              ? revocationsOf(params.file, read, signal)
              : onlyAll(revocationsOf(params.file, read, signal)),
          signal,
          { actor: runtime.actor, source: `import ${params.file}` },
        );
        const mine = outcomes[0] as TenantOutcome;
        return {
          rows,
          added: mine.added,
          known: mine.known,
          ...(mine.cxone ? { cxone: mine.cxone } : {}),
          ...(mine.cxoneDelayed ? { cxoneDelayed: mine.cxoneDelayed } : {}),
          ...(scopeAll > 0 ? { tenants: outcomes } : {}),
        };
      }),
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
  const [{ ledgerEntries }, { reportEntryOf, summarize }, { callsAfter }, { numbersOfAccounts }] =
    await Promise.all([
      import("../consent/ledger.ts"),
      import("../consent/report.ts"),
      import("../consent/report-calls.ts"),
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
  const { byPhone, checked } = await callsAfter(runtime.port, store, new Set(entries.flatMap(phonesOf)), {
    fromMs,
    toMs: nowMs,
    campaigns: params?.campaigns,
    scoped: entries.flatMap((e) => (e.scope.startsWith("campaign:") ? [e.scope.slice(9)] : [])),
    ...(signal ? { signal } : {}),
  });
  const lacking = await lackingInSiblings(runtime, entries, signal);
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
  runtime: ClientRuntime,
  entries: readonly LedgerEntry[],
  signal: AbortSignal | undefined,
): Promise<Map<string, string[]>> {
  const ids = entries.filter((e) => e.scope === "all").map((e) => e.id);
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

/** An account must be one cxo has read, and agree with a phone named with it (issue 77, bad input). */
async function checkAccount(runtime: ClientRuntime, revocation: Revocation): Promise<void> {
  if (revocation.account === undefined) return;
  const { accountProblem } = await import("../consent/accounts.ts");
  const problem = await accountProblem((await runtime.store()).db, revocation.account, revocation.phone);
  if (problem) throw new InputError({ field: "account", rule: problem });
}

/** Scope `campaign:C` must name a campaign the tenant has: asked of the platform (a read). */
async function checkCampaignScope(
  runtime: ClientRuntime,
  scope: Scope | undefined,
  signal?: AbortSignal,
): Promise<void> {
  if (!scope?.startsWith("campaign:")) return;
  const id = scope.slice("campaign:".length);
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

async function* onlyAll(revocations: AsyncIterable<Revocation>): AsyncGenerator<Revocation> {
  for await (const r of revocations) if (r.scope === "all") yield r;
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
  if (runtime.tenant !== undefined && !runtime.consentPeers) return [ledgerOf(runtime, {}, signal)];
  return ledgersOfSeller(runtime, signal);
}

/** One tenant's ledger, as the fan-out (consent/every-tenant.ts) asks it. */
function ledgerOf(
  runtime: ClientRuntime,
  batches: { batchSize?: number; batchAudit?: { source: string } },
  signal: AbortSignal | undefined,
  store?: Promise<Store>,
): TenantLedger {
  return {
    tenant: runtime.tenant,
    record: async (revocations, journal) => {
      refuseGroupWithout(runtime);
      const { recordRevocations } = await import("../consent/ledger.ts");
      return recordRevocations(await (store ?? runtime.store()), revocations, {
        actor: runtime.actor,
        cxoneGroupId: runtime.consent.cxoneDncGroup,
        ...batches,
        ...journal,
        signal,
      });
    },
    store: () => store ?? runtime.store(),
    honour: runtime.consent.cxoneDncGroup === undefined ? undefined : () => honourInTenant(runtime, signal),
  };
}

/**
 * Scope `all` (issue 78 §1): this tenant's ledger and those of every configured tenant sharing its
 * seller. A client of one unnamed tenant is the only one configured; a named tenant's client
 * knows the others only through `consentPeers` (`createTenants`, the CLI): without them `all` is
 * refused, nothing recorded.
 */
async function ledgersOfSeller(
  runtime: ClientRuntime,
  signal: AbortSignal | undefined,
  batches: { batchSize?: number; batchAudit?: { source: string } } = {},
  store?: Promise<Store>,
): Promise<TenantLedger[]> {
  const own = ledgerOf(runtime, batches, signal, store);
  if (runtime.tenant === undefined) return [own];
  if (!runtime.consentPeers)
    throw new InputError({
      field: "scope",
      rule: `all reaches every tenant that shares this one's seller, and this client knows only tenant ${runtime.tenant}: revoke through createTenants(…) (its clients know each other) or cxo consent, which read the configured tenants`,
    });
  const { runtimeOf } = await import("./internals.ts");
  const peers = await runtime.consentPeers();
  return [own, ...peers.map((peer) => ledgerOf(runtimeOf(peer), batches, signal))];
}

async function reportOne(store: Awaited<ReturnType<ClientRuntime["store"]>>, r: Revocation, nowMs: number) {
  const [{ ledgerEntriesById }, { reportEntryOf }, { revocationId }] = await Promise.all([
    import("../consent/ledger.ts"),
    import("../consent/report.ts"),
    import("../consent/revocation.ts"),
  ]);
  const [entry] = await ledgerEntriesById(store, [revocationId(r)]);
  return reportEntryOf(entry as LedgerEntry, nowMs, []);
}

function timeParam(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  const text = isoOf(value);
  if (typeof text !== "string" || !/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) || Number.isNaN(Date.parse(text)))
    throw new InputError({ field, rule: "must be ISO 8601 with an offset, or a Date" });
  return Date.parse(text);
}
