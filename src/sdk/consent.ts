import type { HonourSummary } from "../consent/honour.ts";
import type { LedgerEntry, RecordSummary } from "../consent/ledger.ts";
import type { CallAfter, ConsentReport, ReportEntry } from "../consent/report.ts";
import type { Channel, Revocation, Scope } from "../consent/revocation.ts";
import { InputError } from "../core/input-error.ts";
import { type ClientRuntime, inCall, type RequestOptions, requestSignal } from "./runtime.ts";

/**
 * The consent ledger (issue 62 §1), SDK group `consent`: record revocations whatever channel they
 * came by, honour them (cxo refuses the number at once; on the production platform they are also
 * added to the tenant's CXone DNC group, `consent.cxoneDncGroup`), and report on them.
 */
export interface ConsentRevokeParams {
  /** E.164 (`+1NXXNXXXXXX`). */
  phone: string;
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
}

export interface ConsentImportParams {
  /** A .csv (comma or semicolon) or .ndjson file: phone, at, channel, scope?, source?. */
  file: string;
  /** Scope of rows that name none (default `tenant`). */
  scope?: Scope;
}

export interface ConsentImportResult extends Omit<RecordSummary, "addedIds"> {
  rows: number;
  cxone?: HonourSummary;
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
}

const DAY_MS = 86_400_000;

const isoOf = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

export function consentGroup(runtime: ClientRuntime): ConsentGroup {
  /** Scope `campaign:C` must name a campaign the tenant has: asked of the platform (a read). */
  const checkScope = async (scope: Scope | undefined, signal?: AbortSignal) => {
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
  };
  const honour = async (signal?: AbortSignal): Promise<HonourSummary | undefined> => {
    const groupId = runtime.consent.cxoneDncGroup;
    if (groupId === undefined) return undefined;
    const refusal = runtime.port.support.unsupported("dncGroups");
    if (refusal) throw refusal;
    const port = runtime.port.dncGroups;
    if (!port) throw new InputError({ field: "platform", rule: "this platform has no CXone DNC groups" });
    const { honourInCxone } = await import("../consent/honour.ts");
    return honourInCxone(await runtime.store(), port, { actor: runtime.actor, signal });
  };
  /** A group id is configured on a platform without DNC groups: refused before anything is recorded. */
  const refuseGroupWithoutPlatform = () => {
    if (runtime.consent.cxoneDncGroup === undefined) return;
    const refusal = runtime.port.support.unsupported("dncGroups");
    if (refusal) throw refusal;
  };
  return {
    revoke: (params, options) =>
      inCall(options, async () => {
        const signal = requestSignal(options);
        if (typeof params !== "object" || params === null)
          throw new InputError({
            field: "params",
            rule: "must be an object ({ phone, at?, channel?, scope?, source? })",
          });
        const { revocationOf } = await import("../consent/revocation.ts");
        const nowMs = Date.now();
        const { revocation, problems } = revocationOf(
          { ...params, at: isoOf(params.at) },
          { nowMs, defaults: { channel: "call", scope: "tenant", at: new Date(nowMs).toISOString() } },
        );
        if (!revocation) throw new InputError(problems);
        refuseGroupWithoutPlatform();
        await checkScope(revocation.scope, signal);
        const { recordRevocations } = await import("../consent/ledger.ts");
        const store = await runtime.store();
        const recorded = await recordRevocations(store, [revocation], {
          actor: runtime.actor,
          cxoneGroupId: runtime.consent.cxoneDncGroup,
        });
        const cxone = await honour(signal);
        return {
          added: recorded.added === 1,
          entry: await reportOne(store, revocation, nowMs),
          ...(cxone ? { cxone } : {}),
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
        const rows = await checkRevocationFile(params.file, read);
        refuseGroupWithoutPlatform();
        const { recordRevocations } = await import("../consent/ledger.ts");
        const recorded = await recordRevocations(await storeReady, revocationsOf(params.file, read), {
          actor: runtime.actor,
          cxoneGroupId: runtime.consent.cxoneDncGroup,
          // One commit (one fsync) per 5,000 rows: a killed import keeps what it committed.
          batchSize: 5000,
          batchAudit: { source: `file:${params.file}` },
          signal,
        });
        const cxone = await honour(signal);
        return { rows, added: recorded.added, known: recorded.known, ...(cxone ? { cxone } : {}) };
      }),
    report: (params, options) =>
      inCall(options, async () => {
        const signal = requestSignal(options);
        const nowMs = Date.now();
        const fromMs = timeParam(params?.from, "from", nowMs - 90 * DAY_MS);
        const toMs = timeParam(params?.to, "to", nowMs);
        if (toMs <= fromMs) throw new InputError({ field: "to", rule: "must be after from" });
        const store = await runtime.store();
        const [{ ledgerEntries }, { reportEntryOf, summarize }, { listKnownCampaigns }] = await Promise.all([
          import("../consent/ledger.ts"),
          import("../consent/report.ts"),
          import("../campaigns/known-campaigns.ts"),
        ]);
        const entries = await ledgerEntries(store, fromMs, toMs);
        const campaigns = new Set(params?.campaigns ?? []);
        if (!params?.campaigns) {
          for (const known of await listKnownCampaigns(store)) campaigns.add(known.id);
          for (const e of entries) if (e.scope.startsWith("campaign:")) campaigns.add(e.scope.slice(9));
        }
        const calls = await callsTo(runtime, entries, [...campaigns], fromMs, nowMs, signal);
        return summarize(
          entries.map((e) => reportEntryOf(e, nowMs, calls.get(e.phone) ?? [])),
          { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() },
          [...campaigns],
        );
      }),
    honour: (options) => inCall(options, async () => honour(requestSignal(options))),
  };
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

/** Calls to the ledger's numbers on these campaigns since `fromMs`, by number (E.164). */
async function callsTo(
  runtime: ClientRuntime,
  entries: readonly LedgerEntry[],
  campaigns: readonly string[],
  fromMs: number,
  toMs: number,
  signal: AbortSignal | undefined,
): Promise<Map<string, CallAfter[]>> {
  const phones = new Set(entries.map((e) => e.phone));
  const byPhone = new Map<string, CallAfter[]>();
  if (phones.size === 0) return byPhone;
  const { calledNumberOf } = await import("../consent/called-number.ts");
  // Outcome listings keep 90 days: older revocations are checked from then on.
  const from = new Date(Math.max(fromMs, toMs - 89 * DAY_MS)).toISOString();
  for (const campaignId of campaigns) {
    const listing = runtime.port.outcomes.listCalls(
      { campaignId, from, to: new Date(toMs).toISOString() },
      signal,
    );
    for await (const call of listing) {
      const phone = calledNumberOf(call);
      if (phone === undefined || !phones.has(phone)) continue;
      const list = byPhone.get(phone) ?? [];
      list.push({ callId: call.id, campaignId: call.campaignId || campaignId, at: call.startTime });
      byPhone.set(phone, list);
    }
  }
  return byPhone;
}
