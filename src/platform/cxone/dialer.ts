import { createHash, randomUUID } from "node:crypto";
import { canonicalJson } from "../../core/audit/canonical-json.ts";
import { clockNowDate } from "../../core/clock/now.ts";
import type { ProductionApiSettings } from "../../core/config/schema.ts";
import { ConflictError, NotFoundError, PreconditionFailedError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { Paginated, paginateByToken } from "../../core/http/pagination.ts";
import { InputError } from "../../core/input-error.ts";
import { NotSupportedError } from "../errors.ts";
import type {
  DialerAuditEntry,
  DialerMetricRow,
  DialerPort,
  DialerScope,
  DialerSettings,
  PolicyFinding,
  SettingsOperation,
} from "../ports/dialer.ts";
import { queryInstants } from "../query-instants.ts";
import type { ProductionApi } from "./api.ts";
import { checkCampaignSkill, checkSkillId } from "./campaign-skill.ts";
import { allItems } from "./paging.ts";
import {
  checkReadBack,
  putParameterBlock,
  readParameterBlocks,
  snapshotOf,
  wholeBlocks,
} from "./parameter-blocks.ts";
import { dialerBlocksOf, dialerSettingsOf } from "./skill-settings.ts";
import { isObject, listOf, num, type Raw, singleOf, text } from "./tolerant.ts";
/**
 * Seed 003 over the production API: a Personal Connection skill's parameters. The platform has
 * no version tags, If-Match, asynchronous operations, policy service or settings history, so:
 * the version tag is a hash of the settings, checked by re-reading before the write (the race
 * between the read and the PUT stays open: there is no lock); the write is synchronous and
 * recorded here as a COMPLETED operation; a partial write is undone by putting the blocks read
 * before it back; policy validation is a local rule engine labelled `local:`; the dialer audit
 * log is the tool's own history (`cxo dialer history`).
 */
export const UNSUPPORTED_DIALER_FIELDS = [
  "name",
  "concurrency.maxAgents",
  "concurrency.maxSimultaneousCalls",
  "concurrency.callSpacingMs",
  "algorithm.agentAvailabilityEstimate",
] as const;

const PHONE_CALL = 4;
/** How long putting the read blocks back after a failed write may take. */
const UNDO_DEADLINE_MS = 30_000;
/** The settings operations one process remembers (the oldest are forgotten first). */
export const MAX_OPERATIONS = 1000;

export const DIALER_AUDIT_UNSUPPORTED = {
  platform: "cxone",
  operation: "dialer.auditLog (dialer settings)",
  why: "CXone keeps no audit history of skill parameters (changes made in its UI are invisible to the API)",
  alternative:
    "`cxo dialer history --campaign SKILL` lists the versions this tool saw and applied; `cxo dialer audit --entity campaign --campaign SKILL` lists the reporting campaign's audit history",
} as const;

export const LIVE_PACING_UNSUPPORTED = {
  platform: "cxone",
  operation: "dialer.livePacing (setting the dial ratio from live dialer counters)",
  why: "Personal Connection paces the calls itself, per business unit per calendar day, and the API gives no second-level dialer counters to pace from",
  alternative:
    "`cxo serve` runs the budget guard instead: it keeps the campaign's legal window from the skill's live counts of today and lowers the skill's abandon target or maximum ratio when the window's budget runs short (docs/pacing.md, \"Live\")",
} as const;

/** The blocks the version tag covers: what this tool reads and writes. */
export function versionTagOf(parameters: Raw): string {
  const general = isObject(parameters.generalSettings) ? parameters.generalSettings : {};
  const delivery = isObject(parameters.deliveryPreferences) ? parameters.deliveryPreferences : {};
  const cpa = isObject(parameters.cpaSettings) ? parameters.cpaSettings : {};
  const covered = {
    general,
    confirmationRequiredDisabled: delivery.confirmationRequiredDisabled ?? null,
    abandonTimeout: cpa.abandonTimeout ?? null,
  };
  return `sha256-${createHash("sha256").update(canonicalJson(covered)).digest("hex").slice(0, 16)}`;
}

/** The local policy rules (the platform has no policy service). Findings say `local:`. */
export function localPolicy(settings: DialerSettings, carrierTrunks: number | undefined) {
  const violations: PolicyFinding[] = [];
  const warnings: PolicyFinding[] = [];
  const a = settings.algorithm;
  if (a.abandonmentTarget > 0.03)
    violations.push({
      code: "local:tcpa_abandonment",
      field: "algorithm.abandonmentTarget",
      message: `abandonment target ${a.abandonmentTarget} is above the TCPA's 3% (0.03)`,
    });
  if (a.dialRatio < 1)
    violations.push({
      code: "local:dial_ratio",
      field: "algorithm.dialRatio",
      message: "the dial ratio must be at least 1",
    });
  if (a.type === "progressive" && a.dialRatio !== 1)
    warnings.push({
      code: "local:dial_ratio",
      field: "algorithm.dialRatio",
      message: "progressive dialing on this platform is one call per agent: the ratio is sent as 1",
    });
  const calls = settings.concurrency.maxSimultaneousCalls;
  if (carrierTrunks !== undefined && calls !== undefined && calls > carrierTrunks)
    warnings.push({
      code: "local:carrier_capacity",
      field: "concurrency.maxSimultaneousCalls",
      message: `${calls} simultaneous calls exceed the ${carrierTrunks} carrier trunks`,
    });
  return {
    status: violations.length > 0 ? ("FAIL" as const) : ("PASS" as const),
    violations,
    warnings,
    checksPerformed: ["local:tcpa_abandonment", "local:dial_ratio", "local:carrier_capacity"],
  };
}

/** The blocks a settings change writes (and a failed one puts back whole). */
const WRITTEN = ["general-settings", "delivery-preferences", "cpa-management"] as const;

/** What the port's methods share: the API, the settings, and this process's own write records. */
interface Context {
  api: ProductionApi;
  options: ProductionApiSettings;
  /** Settings operations by id, kept for `getOperation`, the oldest forgotten past a bound. */
  operations: Map<string, SettingsOperation>;
  /** Skills this process is writing now (the platform's PUTs are synchronous: nothing else is "in progress"). */
  writing: Set<string>;
  unit: Parameters<typeof dialerSettingsOf>[1];
}

export function productionDialer(api: ProductionApi, options: ProductionApiSettings): DialerPort {
  const ctx: Context = {
    api,
    options,
    operations: new Map(),
    writing: new Set(),
    unit: { abandonRateUnit: options.abandonRateUnit, maximumRatioUnit: options.maximumRatioUnit },
  };
  return {
    unsupportedFields: UNSUPPORTED_DIALER_FIELDS,
    getSettings: (scope, signal) => getSettings(ctx, scope, signal),
    putSettings: (scope, settings, ifMatch, signal) => putSettings(ctx, scope, settings, ifMatch, signal),
    getOperation: async (operationId) => getOperation(ctx, operationId),
    async validatePolicy(request, signal) {
      // Local rules, but for a campaign that exists: "PASS" for no such skill would mislead.
      if (request.campaignId !== undefined) await checkCampaignSkill(api, skillOf(ctx, request), signal);
      return localPolicy(request.settings, request.carrierTrunks);
    },
    metrics: (query, signal) => dialerMetrics(api, query, signal),
    auditLog: (query, signal) => campaignAuditLog(ctx, query, signal),
  };
}

function skillOf(ctx: Context, scope: DialerScope): string {
  const skill = scope.campaignId ?? ctx.options.dialerSkillId;
  if (!skill)
    throw new InputError({
      field: "campaignId",
      rule: "is required: the production platform's dialer settings belong to a Personal Connection skill (or set cxone.productionApi.dialerSkillId)",
    });
  checkSkillId(skill);
  return skill;
}

function remember(ctx: Context, operation: SettingsOperation): void {
  ctx.operations.set(operation.operationId, operation);
  while (ctx.operations.size > MAX_OPERATIONS)
    ctx.operations.delete(ctx.operations.keys().next().value as string);
}

function readParameters(api: ProductionApi, skillId: string, signal?: AbortSignal) {
  return readParameterBlocks(api, skillId, "dialer", WRITTEN, signal);
}

async function putBlocks(
  api: ProductionApi,
  skillId: string,
  blocks: Array<[string, unknown]>,
  signal?: AbortSignal,
): Promise<void> {
  for (const [block, body] of blocks) await putParameterBlock(api, skillId, "dialer", block, body, signal);
}

async function getSettings(ctx: Context, scope: DialerScope, signal?: AbortSignal) {
  const skillId = skillOf(ctx, scope);
  // An unknown or inbound skill is bad input (one read per skill and client), not a raw 400.
  await checkCampaignSkill(ctx.api, skillId, signal);
  // A read for display and the version tag: the combined GET alone.
  const { combined } = await readParameterBlocks(ctx.api, skillId, "dialer", [], signal);
  return {
    settings: dialerSettingsOf(combined, ctx.unit),
    versionTag: versionTagOf(combined),
    pendingOperationId: null,
    updatedAt: null,
  };
}

async function putSettings(
  ctx: Context,
  scope: DialerScope,
  settings: DialerSettings,
  ifMatch: string,
  signal?: AbortSignal,
) {
  const { api } = ctx;
  const skillId = skillOf(ctx, scope);
  await checkCampaignSkill(api, skillId, signal);
  // Only this process's own writes can be "in progress": the platform's PUTs are synchronous.
  if (ctx.writing.has(skillId))
    throw new ConflictError(`a settings change of skill ${skillId} is already being written`, {
      status: 409,
      body: { error: "operation_in_progress" },
    });
  ctx.writing.add(skillId);
  try {
    const before = await readParameters(api, skillId, signal);
    const current = versionTagOf(before.combined);
    if (current !== ifMatch)
      throw new PreconditionFailedError(
        `the settings of skill ${skillId} changed since version ${ifMatch} was read (now ${current})`,
        { status: 412, body: { currentVersionTag: current } },
      );
    const operationId = randomUUID();
    const createdAt = clockNowDate().toISOString();
    let versionTag: string;
    try {
      const sent = wholeBlocks(before.fullest, dialerBlocksOf(settings, ctx.unit));
      await putBlocks(api, skillId, sent, signal);
      const after = await readParameters(api, skillId, signal);
      checkReadBack(after.fullest, sent, "GET /skills/{skillId}/parameters");
      versionTag = versionTagOf(after.combined);
    } catch (error) {
      await undoFailedWrite(ctx, skillId, before.fullest, error, { operationId, createdAt });
      throw error;
    }
    remember(ctx, {
      operationId,
      status: "COMPLETED",
      versionTag,
      createdAt,
      completedAt: clockNowDate().toISOString(),
      errorDetails: null,
    });
    return { operationId, versionTag, status: "COMPLETED" as const };
  } finally {
    ctx.writing.delete(skillId);
  }
}

/**
 * The blocks are separate PUTs: undo the ones that went through by putting back what was read
 * before. The caller's signal may be the reason the write failed, so the undo runs under its own
 * deadline. The failed operation is recorded, and the caller's error (and so the audit record)
 * says whether the undo held.
 */
async function undoFailedWrite(
  ctx: Context,
  skillId: string,
  before: Raw,
  error: unknown,
  operation: { operationId: string; createdAt: string },
): Promise<void> {
  const undone = await putBlocks(
    ctx.api,
    skillId,
    snapshotOf(before, WRITTEN),
    AbortSignal.timeout(UNDO_DEADLINE_MS),
  ).then(
    () => true,
    () => false,
  );
  const message = (error as Error).message;
  const told = undone
    ? "the blocks already written were put back"
    : `putting back the blocks already written failed too: skill ${skillId}'s settings may be half-changed; check them in CXone before dialing`;
  if (error instanceof Error) error.message = `${message} (${told})`;
  remember(ctx, {
    operationId: operation.operationId,
    status: "FAILED",
    versionTag: null,
    createdAt: operation.createdAt,
    completedAt: clockNowDate().toISOString(),
    errorDetails: {
      code: undone ? "write_failed" : "write_failed_undo_failed",
      message: `${message} (${told})`,
      undone,
    },
  });
}

function getOperation(ctx: Context, operationId: string): SettingsOperation {
  const operation = ctx.operations.get(operationId);
  if (!operation)
    throw new NotFoundError(
      `operation ${operationId} is not known: on this platform settings changes are synchronous and recorded only by the process that made them`,
      { status: 404 },
    );
  return operation;
}

type MetricsQuery = Parameters<DialerPort["metrics"]>[0];
type Counts = { dials: number; connects: number; rpc: number; abandons: number };

function dialerMetrics(api: ProductionApi, query: MetricsQuery, signal?: AbortSignal) {
  // The one rule for a date-time with a zone: refused before anything is sent.
  const given = queryInstants({}, { from: query.from, to: query.to });
  const to = given.to === undefined ? clockNowDate() : new Date(given.to);
  const from = new Date(given.from ?? to.getTime() - 24 * 3_600_000);
  // The platform does not page this report: the range is split into per-day requests.
  return paginateByToken<DialerMetricRow>(
    async (token) => {
      // An unknown or inbound skill is said so, not answered with no rows.
      if (!token) await checkCampaignSkill(api, query.campaignId, signal);
      const start = token ? new Date(token) : from;
      // Chunks end at UTC midnight, so no hour or day bucket is split between two requests.
      const midnight = (Math.floor(start.getTime() / 86_400_000) + 1) * 86_400_000;
      const end = new Date(Math.min(midnight, to.getTime()));
      const response = await api.request({
        method: "GET",
        path: "/wfm-data/skills/dialer-contacts",
        endpoint: "GET /wfm-data/skills/dialer-contacts",
        group: "analytics",
        query: { startDate: start.toISOString(), endDate: end.toISOString(), mediaTypeId: PHONE_CALL },
        ...(signal ? { signal } : {}),
      });
      const rows = [...listOf(response.body, "outboundStats"), ...listOf(response.body, "wfM_OB_StatsV9")];
      const items = [...bucketCounts(rows, query, start, end).entries()]
        .sort(([a], [b]) => a - b)
        .map(([key, counts]) => metricRow(query, key, counts));
      return { items, nextToken: end.getTime() < to.getTime() ? end.toISOString() : null };
    },
    { route: "GET /wfm-data/skills/dialer-contacts" },
  );
}

/** The skill's counters in [start, end), summed per hour or per day bucket. */
function bucketCounts(rows: Raw[], query: MetricsQuery, start: Date, end: Date): Map<number, Counts> {
  const bucketMs = query.groupBy === "day" ? 86_400_000 : 3_600_000;
  const buckets = new Map<number, Counts>();
  for (const row of rows) {
    if (text(row.skillId) !== query.campaignId) continue;
    const at = Date.parse(text(row.intervalStartDate) ?? "");
    if (!(at >= start.getTime() && at < end.getTime())) continue;
    const key = Math.floor(at / bucketMs) * bucketMs;
    const b = buckets.get(key) ?? { dials: 0, connects: 0, rpc: 0, abandons: 0 };
    b.dials += num(row.dials) ?? 0;
    b.connects += num(row.connects) ?? 0;
    b.rpc += num(row.rightPartyConnects) ?? 0;
    b.abandons += num(row.abandons) ?? 0;
    buckets.set(key, b);
  }
  return buckets;
}

function metricRow(query: MetricsQuery, key: number, b: Counts): DialerMetricRow {
  const ratio = (a: number, n: number) => (n === 0 ? 0 : a / n);
  const all = {
    efficiency: ratio(b.rpc, b.dials),
    abandonmentRate: ratio(b.abandons, b.connects),
    answerRate: ratio(b.connects, b.dials),
  };
  const values: DialerMetricRow["values"] = {};
  for (const name of query.metrics) if (name in all) values[name] = all[name as keyof typeof all];
  return { timestamp: new Date(key).toISOString(), campaignId: query.campaignId, values };
}

/** The reporting campaign's audit history (the only one the platform keeps), newest first. */
function campaignAuditLog(
  ctx: Context,
  query: Parameters<DialerPort["auditLog"]>[0],
  signal?: AbortSignal,
): Paginated<DialerAuditEntry> {
  if ((query.entity ?? "dialer") === "dialer") throw new NotSupportedError(DIALER_AUDIT_UNSUPPORTED);
  const { api } = ctx;
  return new Paginated<DialerAuditEntry>(async function* () {
    const campaignId = await reportingCampaignOf(ctx, query.campaignId, signal);
    const entries = await allItems(api, {
      path: pathOf`/campaigns/${campaignId}/audit-history`,
      endpoint: "GET /campaigns/{campaignId}/audit-history",
      group: "analytics",
      key: "auditHistoryEntries",
      signal,
    });
    const items = entries
      .map(
        (e): DialerAuditEntry => ({
          id: text(e.auditHistoryId) ?? "",
          timestamp: text(e.date) ?? "",
          entity: "campaign",
          action: `update ${text(e.columnName) ?? "?"}`,
          actor: text(e.modifiedByName) ?? text(e.modifiedBy) ?? null,
          versionTag: null,
          details: { oldValue: e.oldValue ?? null, newValue: e.newValue ?? null },
        }),
      )
      .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
    const size = query.pageSize ?? 200;
    for (let index = 0, at = 0; at < items.length; index += 1, at += size)
      yield { items: items.slice(at, at + size), index, cursor: index };
  });
}

/** The skill's reporting campaign, else the configured one; neither is bad input. */
async function reportingCampaignOf(
  ctx: Context,
  skillId: string | undefined,
  signal?: AbortSignal,
): Promise<string> {
  let campaignId = ctx.options.reportingCampaignId;
  if (skillId) {
    const skill = await ctx.api.request({
      method: "GET",
      path: pathOf`/skills/${skillId}`,
      endpoint: "GET /skills/{skillId}",
      group: "analytics",
      ...(signal ? { signal } : {}),
    });
    campaignId =
      text(singleOf(skill.body, ["skills", "skill"], "GET /skills/{skillId}").campaignId) ?? campaignId;
  }
  if (!campaignId)
    throw new InputError({
      field: "campaignId",
      rule: "is required: the campaign audit history belongs to a reporting campaign (give the skill, or set cxone.productionApi.reportingCampaignId)",
    });
  return campaignId;
}
