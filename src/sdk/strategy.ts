import { InputError } from "../core/input-error.ts";
import { inSignalSlices, SignalSlices } from "../core/signal-slices.ts";
import type { Operation } from "../core/store/index.ts";
import type { ListAttempt, ListsPort, TimedListRecord } from "../platform/ports/lists.ts";
import type { StrategyBenchReport } from "../strategy/bench.ts";
import type { AutoCapacity } from "../strategy/capacity.ts";
import type { StrategyEvaluateOptions, StrategyEvaluation } from "../strategy/evaluate.ts";
import type { ListRow } from "../strategy/list-format.ts";
import type { Model } from "../strategy/model-format.ts";
import type { PlanRow } from "../strategy/plan-format.ts";
import type { PushParams, PushSummary } from "../strategy/push.ts";
import type { SkillRestore } from "../strategy/push-run.ts";
import type {
  HistoryAttempt,
  LearnOptions,
  OutcomeRecord,
  PlanOptions,
  PlanSummary,
} from "../strategy/types.ts";
import { type ClientRuntime, idOf, inCall, paramsOf, type RequestOptions, requestSignal } from "./runtime.ts";

// The bench and the evaluation (the compliance engine, luxon's zones) load at first use.

export interface StrategyBenchParams {
  /** A population file, .yaml/.yml/.json. */
  populationFile: string;
  /** Replications (default 10) and the first one's seed (default 1). */
  replications?: number;
  seed?: number;
}

/** Where `learn` reads outcome records: records (an iterable) or a Parquet dataset directory. */
export type StrategyLearnSource =
  | AsyncIterable<OutcomeRecord>
  | Iterable<OutcomeRecord>
  | { /** A Parquet dataset (`cxo outcomes export --out DIR/`), read with DuckDB. */ dataset: string };

export interface StrategyPlanParams extends Omit<PlanOptions, "capacityPerHour" | "history"> {
  /**
   * The attempts already made, counted toward every cap: attempts (e.g. a history file's), or
   * `"campaign"`: the campaign's outcomes of the 7 days before `from` up to now, read through the
   * platform (needs a client). Absent: none counted (said in the summary's notes).
   */
  history?: readonly HistoryAttempt[] | "campaign" | undefined;
  /**
   * Most attempts planned in any one hour; `"auto"`: what the dialer can make now, from the
   * campaign's staffing and recent outcomes (see `capacity`; needs a client).
   */
  capacityPerHour?: number | "auto" | undefined;
  /**
   * Receives each planned attempt as it is made; the answer's `rows` is then empty (a list of a
   * million records is planned in constant memory this way).
   */
  onRow?: ((row: PlanRow) => void) | undefined;
}

export interface StrategyPlan {
  /** The planned attempts (empty when `onRow` was given). */
  rows: PlanRow[];
  summary: PlanSummary;
  /** How `capacityPerHour: "auto"` was worked out (absent otherwise). */
  capacity?: AutoCapacity;
}

export interface StrategyCapacityParams {
  /** Outcomes read over the last `days` days up to now (default 7). */
  days?: number;
}

/**
 * The contact strategy (issue 55): local work on files and records (learn, plan, evaluate, bench),
 * and the hand-over of a plan to the dialer (push, attempts), which only the production platform offers.
 */
export interface StrategyGroup {
  /**
   * Learns the RPC rate per segment × hour of week (called party's local time) from outcome
   * records (streamed) or a Parquet dataset, as the versioned model `plan` reads. Bad input is an
   * InputError naming the field (`records`, `campaign`, `keys`, `from`, …).
   */
  learn(source: StrategyLearnSource, params: LearnOptions, options?: RequestOptions): Promise<Model>;
  /**
   * Plans each list row's next attempts at the best legal hours: the compliance engine first,
   * then Thompson sampling on the model (seeded). A client's plan also obeys its data dir's
   * internal DNC list and imported registry copies (joined with `params.dnc`), and takes `kind`
   * and the per-contact caps from the campaign's spec when this data dir created the campaign
   * (`params` win). Bad input is an InputError naming the field
   * (`list`, `model`, `model.campaign`, `from`, `days`, `accountId`, …), before any row is planned.
   */
  plan(
    list: AsyncIterable<ListRow> | Iterable<ListRow>,
    model: Model,
    params: StrategyPlanParams,
    options?: RequestOptions,
  ): Promise<StrategyPlan>;
  /**
   * The attempts per hour the dialer can make on a campaign now: agents logged in (live) ×
   * connects per agent-hour ÷ connects per attempt, both from the campaign's outcomes of the last
   * `days` days (formula in docs/strategy.md). Missing data (no agents, no outcomes) is an
   * InputError naming `capacity`; a group without a client, one naming `client`.
   */
  capacity(
    campaign: string,
    params?: StrategyCapacityParams,
    options?: RequestOptions,
  ): Promise<AutoCapacity>;
  /**
   * Hands a plan (its rows, e.g. read from `cxo strategy plan --out plan.ndjson`) to the dialer:
   * a calling list for `params.campaign` (a Personal Connection skill) whose records carry their
   * call time (each record's next planned attempt; later ones are `deferred`), uploaded once and
   * waited for. Journaled: the same plan is pushed once; one stopped half way is finished by
   * pushing it again. A bad row (missing column, attemptAt without offset, a row of another
   * campaign) is an InputError naming the field and the row, before anything is sent; on the seed
   * platform a NotSupportedError, also before anything is sent.
   */
  push(
    plan: Iterable<unknown> | AsyncIterable<unknown>,
    params: PushParams,
    options?: RequestOptions,
  ): Promise<PushSummary>;
  /** The dials made so far on a pushed list's records (production platform). */
  attempts(listId: string, options?: RequestOptions): Promise<ListAttempt[]>;
  /**
   * Puts back a skill's retry settings that a push with `fitSkill` set (issue 76 §1): the
   * snapshot of the skill's own settings, journaled; refused (ConflictError) when they were
   * changed since by someone else, an InputError when cxo never changed them.
   */
  restoreSkill(campaign: string, options?: RequestOptions): Promise<SkillRestore>;
  /**
   * The offline lift of the strategy on the last `holdoutDays` days of a history (outcome
   * records, e.g. read from `cxo outcomes export` NDJSON), with its 95% interval and a verdict
   * sentence. Bad input is an InputError naming the field (`holdoutDays`, `history`).
   */
  evaluate(
    history: AsyncIterable<OutcomeRecord> | Iterable<OutcomeRecord>,
    model: Model,
    params: StrategyEvaluateOptions,
    options?: RequestOptions,
  ): Promise<StrategyEvaluation>;
  /**
   * The benchmark on a population file (format in docs/strategy.md): the strategies side by
   * side at equal capacity and attempts. A bad file is an InputError naming the field.
   */
  bench(params: StrategyBenchParams, options?: RequestOptions): Promise<StrategyBenchReport>;
}

const isIterable = (value: unknown): boolean =>
  typeof value === "object" &&
  value !== null &&
  (typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function" ||
    typeof (value as Iterable<unknown>)[Symbol.iterator] === "function");

function requireParams(params: unknown): void {
  if (typeof params !== "object" || params === null || Array.isArray(params))
    throw new InputError({ field: "params", rule: "must be an object of options" });
}

/** `runtime` is the client's (push and attempts need its platform and store); the local methods need none. */
export function strategyGroup(runtime?: ClientRuntime): StrategyGroup {
  const platform = (): ClientRuntime => {
    if (!runtime)
      throw new InputError({
        field: "client",
        rule: 'push, attempts, capacity auto and history "campaign" need a client (createClient)',
      });
    return runtime;
  };
  const capacity = async (
    campaign: string,
    params: StrategyCapacityParams | undefined,
    options?: RequestOptions,
  ) => {
    const { autoCapacityOf } = await import("./strategy-plan.ts");
    return autoCapacityOf(platform(), campaign, params ?? {}, options);
  };
  const lists = () => {
    const runtime = platform();
    const refusal = runtime.port.support.unsupported("lists.timed");
    if (refusal) throw refusal;
    const port = runtime.port.lists;
    if (!port)
      throw new InputError({ field: "platform", rule: "this platform has no calling lists with call times" });
    return port;
  };
  return {
    async learn(source, params, options) {
      const signal = requestSignal(options);
      signal?.throwIfAborted();
      requireParams(params);
      const dataset = (source as { dataset?: unknown } | null)?.dataset;
      if (typeof dataset === "string") {
        const { learnFromDataset } = await import("../strategy/learn-dataset.ts");
        return learnFromDataset(dataset, params, signal);
      }
      if (!isIterable(source))
        throw new InputError({
          field: "records",
          rule: "must be outcome records (an iterable or async iterable) or { dataset: DIR }",
        });
      const { learn } = await import("../strategy/learn.ts");
      const model = await learn(inSignalSlices(source as AsyncIterable<OutcomeRecord>, signal), params);
      signal?.throwIfAborted();
      return model;
    },
    plan: (list, model, params, options) => planThrough(runtime, list, model, params, options),
    capacity: (campaign, params, options) => capacity(campaign, params, options),
    push: (plan, params, options) =>
      inCall(options, async () => {
        return pushThrough(platform(), lists, plan, params, options);
      }),
    restoreSkill: (campaign, options) =>
      inCall(options, () => restoreSkillThrough(platform(), lists, campaign, options)),
    attempts: (listId, options) =>
      inCall(options, async () => {
        const id = idOf(listId, "listId");
        const signal = requestSignal(options);
        return lists().attempts(id, signal);
      }),
    async evaluate(history, model, params, options) {
      const signal = requestSignal(options);
      signal?.throwIfAborted();
      const { evaluate } = await import("../strategy/evaluate.ts");
      const checked = paramsOf(params) as StrategyEvaluateOptions;
      if (!isIterable(history)) return evaluate(history, model, checked, signal);
      return evaluate(inSignalSlices(history, signal), model, checked, signal);
    },
    async bench(params, options) {
      requestSignal(options)?.throwIfAborted();
      if (typeof params?.populationFile !== "string" || params.populationFile === "")
        throw new InputError({ field: "populationFile", rule: "is required: the path of a population file" });
      const [{ runStrategyBench }, { loadPopulationFile }] = await Promise.all([
        import("../strategy/bench.ts"),
        import("../strategy/population.ts"),
      ]);
      const population = loadPopulationFile(params.populationFile, "populationFile");
      return runStrategyBench({
        population,
        ...(params.replications !== undefined ? { replications: params.replications } : {}),
        ...(params.seed !== undefined ? { seed: params.seed } : {}),
      });
    },
  };
}

/**
 * `plan`: the rules built through the one path every plan takes (strategy-plan.ts: the data
 * dir's and the platform's facts, the skill's hours), then the rows.
 */
async function planThrough(
  runtime: ClientRuntime | undefined,
  list: AsyncIterable<ListRow> | Iterable<ListRow>,
  model: Model,
  params: StrategyPlanParams,
  options: RequestOptions | undefined,
): Promise<StrategyPlan> {
  const signal = requestSignal(options);
  signal?.throwIfAborted();
  requireParams(params);
  if (!isIterable(list))
    throw new InputError({ field: "list", rule: "must be list rows (an iterable or async iterable)" });
  const [{ preparePlan, runtimeSources }, { plan }] = await Promise.all([
    import("./strategy-plan.ts"),
    import("../strategy/plan.ts"),
  ]);
  const sources = runtime ? runtimeSources(runtime, options) : undefined;
  // The RND is asked about the list before it is planned: a list given once is read in whole.
  const rows: AsyncIterable<ListRow> | Iterable<ListRow> = sources?.rnd ? await readAll(list) : list;
  const job = await preparePlan(sources, () => rows, model, params, options);
  const planned: PlanRow[] = [];
  // Paced on both sides: the list as it is read, and the rows as they are planned (a
  // collections plan reads the whole list before planning it).
  const slices = new SignalSlices(signal);
  for await (const row of plan(inSignalSlices(job.rows, signal), job.model, job.options, job.summary)) {
    await slices.tick();
    if (params.onRow) params.onRow(row);
    else planned.push(row);
  }
  signal?.throwIfAborted();
  return job.capacity
    ? { rows: planned, summary: job.summary, capacity: job.capacity }
    : { rows: planned, summary: job.summary };
}

async function readAll<T>(rows: AsyncIterable<T> | Iterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

/** `restoreSkill`: the retry settings a push with `fitSkill` replaced, put back (push-run.ts). */
async function restoreSkillThrough(
  runtime: ClientRuntime,
  lists: () => ListsPort,
  campaign: string,
  options: RequestOptions | undefined,
): Promise<SkillRestore> {
  const id = idOf(campaign, "campaign");
  runtime.port.support.checkId?.("campaign", id, "campaign");
  const port = lists();
  const signal = requestSignal(options);
  const [{ restoreSkill }, { skillRetryOperation }] = await Promise.all([
    import("../strategy/push-run.ts"),
    import("../strategy/push-operations.ts"),
  ]);
  const current = await runtime.port.diagnosis.skill(id, signal);
  const store = await runtime.storeFor("strategy", async (s) =>
    s.journal.redrivePending([skillRetryOperation(port) as Operation<never, unknown>]),
  );
  return restoreSkill(port, store, id, current, signal);
}

/** `strategy.push`: the plan's rows checked (before anything is sent), then journaled and pushed. */
/** `push`'s parameters and plan, checked before anything is read: InputError naming the field. */
function checkedPush(runtime: ClientRuntime, plan: unknown, params: PushParams) {
  const given = paramsOf(params) as Partial<PushParams>;
  const campaign = idOf(given.campaign, "campaign");
  runtime.port.support.checkId?.("campaign", campaign, "campaign");
  if (
    given.listName !== undefined &&
    (typeof given.listName !== "string" || !/^\S.{0,99}$/.test(given.listName))
  )
    throw new InputError({
      field: "listName",
      rule: "must be 1-100 characters, not starting with a space",
    });
  const stale = given.staleMinutes;
  if (stale !== undefined && !(Number.isInteger(stale) && stale >= 1 && stale <= 1440))
    throw new InputError({
      field: "staleMinutes",
      rule: "must be a whole number of minutes from 1 to 1440",
    });
  if (plan === null || typeof plan !== "object" || !(Symbol.iterator in plan || Symbol.asyncIterator in plan))
    throw new InputError({ field: "plan", rule: "must be the plan's rows (an iterable of plan rows)" });
  if (given.fitSkill !== undefined && typeof given.fitSkill !== "boolean")
    throw new InputError({ field: "fitSkill", rule: "must be true or false" });
  return { given, campaign, stale };
}

async function pushThrough(
  runtime: ClientRuntime,
  lists: () => ListsPort,
  plan: Iterable<unknown> | AsyncIterable<unknown>,
  params: PushParams,
  options?: RequestOptions,
): Promise<PushSummary> {
  const { given, campaign, stale } = checkedPush(runtime, plan, params);
  const signal = requestSignal(options);
  const [{ planRecords }, { pushPlan }, { pushOperation, removeOperation, skillRetryOperation }] =
    await Promise.all([
      import("../strategy/push.ts"),
      import("../strategy/push-run.ts"),
      import("../strategy/push-operations.ts"),
    ]);
  // The plan's accounts are remembered before the numbers are screened: a revocation of an
  // account reaches every number this plan gives it (issue 77 §2). Its rows are checked first.
  const { rememberedAccounts } = await import("./strategy-plan.ts");
  const planned = await planRecords(await rememberedAccounts(runtime, plan, `plan pushed to ${campaign}`), {
    campaign,
    staleMinutes: stale,
  });
  // A platform without timed lists refuses before anything is read from it or sent.
  const port = lists();
  // Issue 76 §1: the skill as CXone will dial with it, read before anything is sent.
  const skill = await runtime.port.diagnosis.skill(campaign, signal);
  requireListDialer(skill, campaign);
  const [{ dncListFor }, { blockedRecords }, { ensureFreshCxoneDnc }, { findKnownCampaign }] =
    await Promise.all([
      import("../campaigns/compliance/blocked-numbers.ts"),
      import("../strategy/push-blocked.ts"),
      import("../campaigns/compliance/cxone-dnc-freshness.ts"),
      import("../campaigns/known-campaigns.ts"),
    ]);
  const blockedStore = await runtime.store();
  // Agents' "Do Not Call" in CXone since the last read, first (issue 77 §3).
  const { freshDispositions } = await import("./fresh-dispositions.ts");
  await freshDispositions(runtime, signal);
  // Issue 77 §1: the ledger reaches CXone before more records do, and a skill the consent group
  // does not scrub is refused (a revocation after this push could not stop CXone dialling it).
  const { honourBeforePush } = await import("./consent-coverage.ts");
  const coverageWarnings = await honourBeforePush(runtime, campaign, signal);
  // The numbers as they stand now: a stale copy of the CXone DNC groups is synced first.
  await ensureFreshCxoneDnc(blockedStore, runtime.port, {
    nowMs: Date.now(),
    maxAgeMinutes: runtime.cxoneDncMaxAgeMinutes,
    actor: runtime.actor,
    ...(signal ? { signal } : {}),
  });
  // Asked of the data dir each time (issue 78 §2): before this push, before a re-drive of an
  // earlier one, and after an upload. Only the records' numbers are looked up (by index).
  // Every record a screen found blocked, with its number and why: the push's audit names them.
  const blockedSeen = new Map<string, { phone: string; codes: string[] }>();
  const screen = async (records: readonly TimedListRecord[], listCampaign: string) => {
    const found = blockedRecords(
      records,
      await dncListFor(
        blockedStore,
        records.map((r) => r.phone),
      ),
      listCampaign,
    );
    const phoneOf = new Map(records.map((r) => [r.externalId, r.phone]));
    for (const [id, codes] of found) blockedSeen.set(id, { phone: phoneOf.get(id) ?? "", codes });
    return found;
  };
  const runStartedMs = Date.now();
  const store = await runtime.storeFor("strategy", async (s) =>
    s.journal.redrivePending([
      pushOperation(port, screen) as Operation<never, unknown>,
      removeOperation(port) as Operation<never, unknown>,
      skillRetryOperation(port) as Operation<never, unknown>,
    ]),
  );
  const known = await findKnownCampaign(blockedStore, campaign);
  const { recentTouches } = await import("../strategy/push-reach.ts");
  const touches = await recentTouches(blockedStore, Date.now());
  const summary = await pushPlan(
    port,
    store,
    planned,
    { ...given, campaign },
    {
      screen,
      signal,
      runStartedMs,
      skill,
      campaignCaps: known?.contactCaps,
      nowMs: Date.now(),
      touches,
      seller: {
        // The kind the plan was made for, else the campaign spec's (issue 79).
        kind: planned.kind ?? known?.kind,
        seller: runtime.consent.seller ?? runtime.tenant,
        registrations: runtime.registrations,
      },
      agentsLoggedIn: async () =>
        (await runtime.port.live.read([campaign], signal)).snapshots.find((s) => s.campaignId === campaign)
          ?.agentsLoggedIn,
    },
  );
  summary.warnings.push(...coverageWarnings);
  await auditPush(runtime, summary, blockedSeen);
  return summary;
}

/**
 * Not Personal Connection: named so by the skill, or (where the record names no strategy) no
 * dialer parameters at all — such a skill does not dial calling lists.
 */
function requireListDialer(
  skill: {
    outboundStrategy?: string | undefined;
    maxAttempts?: number | undefined;
    loadNonFresh?: boolean | undefined;
  },
  campaign: string,
): void {
  const strategy = skill.outboundStrategy;
  if (
    (strategy !== undefined && strategy !== "Personal Connection") ||
    (strategy === undefined && skill.maxAttempts === undefined && skill.loadNonFresh === undefined)
  )
    throw new InputError({
      field: "campaign",
      rule: `skill ${campaign} is ${strategy ? `a ${strategy}` : "not a Personal Connection"} skill (no dialer parameters): it does not dial calling lists`,
    });
}

/**
 * Issue 77 §5: the push's own audit record — the plan's digest, the list, the records sent, and
 * every number left out or taken out with why — written here, beside the journal's record of the
 * upload (which carries the digest only inside its idempotency key). Numbers are whole in the
 * chain (it is the evidence); the board masks them for viewers.
 */
async function auditPush(
  runtime: ClientRuntime,
  summary: PushSummary,
  blocked: ReadonlyMap<string, { phone: string; codes: string[] }>,
): Promise<void> {
  const { appendAuditRecords } = await import("../core/audit/audit-log.ts");
  const store = await runtime.store();
  const numbers = [...blocked]
    .slice(0, 1000)
    .map(([recordId, b]) => ({ recordId, phone: b.phone, codes: b.codes }));
  await store.db.transaction((tx) =>
    appendAuditRecords(tx, [
      {
        operation: "strategy.push.record",
        outcome: "done",
        actor: runtime.actor,
        target: `call-list:${summary.listName}`,
        details: {
          planDigest: summary.planDigest,
          campaign: summary.campaign,
          listId: summary.listId,
          listName: summary.listName,
          jobId: summary.jobId,
          source: summary.source,
          recordsSent: summary.records,
          deferred: summary.deferred,
          staleMinutes: summary.staleMinutes,
          blocked: summary.blocked ?? {},
          blockedNumbers: numbers,
          ...(blocked.size > numbers.length ? { blockedNumbersOmitted: blocked.size - numbers.length } : {}),
          ...(summary.removed ? { removed: summary.removed } : {}),
          ...(summary.notRemoved ? { notRemoved: summary.notRemoved } : {}),
        },
      },
    ]),
  );
}
