import type { DncList } from "../campaigns/compliance/dnc.ts";
import { InputError } from "../core/input-error.ts";
import { inSignalSlices, SignalSlices } from "../core/signal-slices.ts";
import type { Operation } from "../core/store/index.ts";
import type { ListAttempt, ListsPort } from "../platform/ports/lists.ts";
import type { StrategyBenchReport } from "../strategy/bench.ts";
import type { AutoCapacity } from "../strategy/capacity.ts";
import type { StrategyEvaluateOptions, StrategyEvaluation } from "../strategy/evaluate.ts";
import type { PlanHistorySource } from "../strategy/history.ts";
import type { ListRow } from "../strategy/list-format.ts";
import type { Model } from "../strategy/model-format.ts";
import type { PlanRow } from "../strategy/plan-format.ts";
import type { PushParams, PushSummary } from "../strategy/push.ts";
import type { SkillRestore } from "../strategy/push-run.ts";
import type { SkillHours } from "../strategy/skill-hours.ts";
import type { SkillDrift } from "../strategy/skill-watch.ts";
import type { StoredRules } from "../strategy/stored-rules.ts";
import type {
  HistoryAttempt,
  LearnOptions,
  OutcomeRecord,
  PlanOptions,
  PlanSummary,
} from "../strategy/types.ts";
import { rememberedAccounts } from "./remembered-accounts.ts";
import { type ClientRuntime, idOf, inCall, paramsOf, type RequestOptions, requestSignal } from "./runtime.ts";
import { pushThrough } from "./strategy-push.ts";

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
   * Reads again every skill with records of a cxo push still to dial (or `params.campaign`'s): a
   * change that lets CXone dial what the push did not count (more retries, wider hours or
   * schedule) is acted on — the retry settings cxo set put back, else the push's records taken
   * out of its lists — journaled and audited (`strategy.skill-drift`), with a signed event.
   * Answers what was found; what `cxo serve` runs every few minutes.
   */
  watchSkills(params?: { campaign?: string }, options?: RequestOptions): Promise<SkillDrift[]>;
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

/**
 * A client's plans obey its data dir's DNC list, registry copies and known campaigns; a group
 * without a client plans on what it is given.
 */
async function storedRulesOfClient(
  runtime: ClientRuntime | undefined,
  campaign: string,
  window?: { fromMs: number; toMs: number },
): Promise<StoredRules | undefined> {
  if (!runtime) return undefined;
  const [{ storedRulesFor }, { ensureFreshCxoneDnc }] = await Promise.all([
    import("../strategy/stored-rules.ts"),
    import("../campaigns/compliance/cxone-dnc-freshness.ts"),
  ]);
  const store = await runtime.store();
  // Agents' "Do Not Call" in CXone since the last read, first (issue 77 §3).
  const { freshDispositions } = await import("./fresh-dispositions.ts");
  await freshDispositions(runtime);
  // Many numbers: a stale or missing copy of the CXone DNC groups is synced first (issue 62).
  await ensureFreshCxoneDnc(store, runtime.port, {
    nowMs: Date.now(),
    maxAgeMinutes: runtime.cxoneDncMaxAgeMinutes,
    actor: runtime.actor,
  });
  return storedRulesFor(store, await runtime.dncRegistries(), campaign, {
    seller: runtime.consent.seller ?? runtime.tenant,
    registrations: runtime.registrations,
    window,
  });
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
  const capacity = (campaign: string, params: StrategyCapacityParams | undefined, options?: RequestOptions) =>
    autoCapacityOf(platform(), campaign, params ?? {}, options);
  const storedRules = (campaign: string, window?: { fromMs: number; toMs: number }) =>
    storedRulesOfClient(runtime, campaign, window);
  const skillHours = (campaign: string, signal?: AbortSignal) => skillHoursOf(runtime, campaign, signal);
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
    plan: async (list, model, params, options) => {
      const given = runtime && isIterable(list) ? await rememberedAccounts(runtime, list, "plan list") : list;
      // Issue 79 §3: with `rnd` settings, the list's numbers with consent dates go to the RND first.
      const screened =
        runtime?.rnd && isIterable(given) ? await rndScreened(runtime, given, options) : undefined;
      const planned = await planList(
        screened ? screened.rows : given,
        model,
        params,
        options,
        capacity,
        screened ? withRnd(storedRules, screened.blocked) : storedRules,
        skillHours,
        (campaign, fromMs, days) => campaignHistoryOf(platform(), campaign, fromMs, days, options),
      );
      if (screened) planned.summary.notes.push(screened.note);
      return planned;
    },
    capacity: (campaign, params, options) => capacity(campaign, params, options),
    push: (plan, params, options) =>
      inCall(options, async () => {
        return pushThrough(platform(), lists, plan, params, options);
      }),
    restoreSkill: (campaign, options) =>
      inCall(options, () => restoreSkillThrough(platform(), lists, campaign, options)),
    watchSkills: (params, options) =>
      inCall(options, async () =>
        (await import("./strategy-watch.ts")).watchSkillsThrough(platform(), lists, params, options),
      ),
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
 * Issue 76 §2: a client's plan is made for what the campaign's skill can dial. Read only when
 * the client can reach the platform: a plan from files alone, with no connection configured,
 * is made on the law alone (its summary says so).
 */
async function skillHoursOf(
  runtime: ClientRuntime | undefined,
  campaign: string,
  signal?: AbortSignal,
): Promise<SkillHoursRead> {
  if (!runtime) return { note: "no client: planned on the law alone, not the campaign's own hours" };
  const [{ ConfigError }, { NotFoundError }] = await Promise.all([
    import("../core/config/errors.ts"),
    import("../core/http/errors.ts"),
  ]);
  try {
    const skill = await runtime.port.diagnosis.skill(campaign, signal);
    await (await import("./strategy-watch.ts")).refuseOnSkillDrift(runtime, skill);
    return { hours: { zoneHours: skill.zoneHours, schedule: skill.schedule, window: skill.window } };
  } catch (error) {
    if (error instanceof ConfigError)
      return {
        note: "no CXone connection configured: planned on the law alone, not the campaign's own hours",
      };
    if (error instanceof NotFoundError)
      return { note: `the platform has no campaign ${campaign}: planned on the law alone` };
    throw error;
  }
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

/** The campaign's own hours as the platform shows them, or why the plan is made without them. */
interface SkillHoursRead {
  hours?: SkillHours;
  note?: string;
}

/** `plan`: the model checked, the capacity worked out when "auto", then the rows. */
async function planList(
  list: AsyncIterable<ListRow> | Iterable<ListRow>,
  model: Model,
  params: StrategyPlanParams,
  options: RequestOptions | undefined,
  capacity: (campaign: string, params: undefined, options?: RequestOptions) => Promise<AutoCapacity>,
  storedRules: (
    campaign: string,
    window?: { fromMs: number; toMs: number },
  ) => Promise<StoredRules | undefined>,
  skillHoursOf: (campaign: string, signal?: AbortSignal) => Promise<SkillHoursRead>,
  campaignHistory: (
    campaign: string,
    fromMs: number,
    days: number,
  ) => Promise<{ attempts: HistoryAttempt[]; source: PlanHistorySource }>,
): Promise<StrategyPlan> {
  const signal = requestSignal(options);
  signal?.throwIfAborted();
  requireParams(params);
  if (!isIterable(list))
    throw new InputError({ field: "list", rule: "must be list rows (an iterable or async iterable)" });
  const [{ modelSchema }, { zodProblems }, { newPlanSummary, plan, checkPlanInput }, { withStoredRules }] =
    await Promise.all([
      import("../strategy/model-format.ts"),
      import("../core/input-file.ts"),
      import("../strategy/plan.ts"),
      import("../strategy/stored-rules.ts"),
    ]);
  const parsed = modelSchema.safeParse(model);
  if (!parsed.success)
    throw new InputError(
      zodProblems(parsed.error).map((p) => ({
        ...p,
        field: p.field === "(document)" ? "model" : `model.${p.field}`,
      })),
    );
  const { onRow, capacityPerHour, history, ...rest } = params;
  if (history !== undefined && history !== "campaign" && !Array.isArray(history))
    throw new InputError({
      field: "history",
      rule: 'must be the attempts already made (an array) or "campaign" (its outcomes, through the platform)',
    });
  const fixed = capacityPerHour === "auto" ? undefined : capacityPerHour;
  const { fromMs } = checkPlanInput(parsed.data, { ...rest, capacityPerHour: fixed });
  const campaign = rest.campaign ?? parsed.data.campaign;
  const auto = capacityPerHour === "auto" ? await capacity(campaign, undefined, options) : undefined;
  const read = history === "campaign" ? await campaignHistory(campaign, fromMs, rest.days) : undefined;
  const rules = await storedRules(campaign, { fromMs, toMs: fromMs + rest.days * 86_400_000 });
  const skillRead = rest.skillHours ? { hours: rest.skillHours } : await skillHoursOf(campaign, signal);
  const given: PlanOptions = {
    ...rest,
    ...(skillRead.hours ? { skillHours: skillRead.hours } : {}),
    capacityPerHour: auto ? auto.capacityPerHour : fixed,
    history: read ? read.attempts : (history as readonly HistoryAttempt[] | undefined),
  };
  const planOptions = rules ? withStoredRules(given, rules) : given;
  const summary = newPlanSummary();
  if (skillRead.note) summary.notes.push(skillRead.note);
  if (read) summary.history = read.source;
  const rows: PlanRow[] = [];
  // Paced on both sides: the list as it is read, and the rows as they are planned (a
  // collections plan reads the whole list before planning it).
  const slices = new SignalSlices(signal);
  for await (const row of plan(inSignalSlices(list, signal), parsed.data, planOptions, summary)) {
    await slices.tick();
    if (onRow) onRow(row);
    else rows.push(row);
  }
  signal?.throwIfAborted();
  return auto ? { rows, summary, capacity: auto } : { rows, summary };
}

/**
 * `plan`'s `history: "campaign"`: the campaign's outcomes of the 7 days before the horizon up to
 * now, through the platform's outcome listing (reads only), as the attempts already made.
 */
async function campaignHistoryOf(
  runtime: ClientRuntime,
  campaignId: string,
  fromMs: number,
  days: number,
  options: RequestOptions | undefined,
): Promise<{ attempts: HistoryAttempt[]; source: PlanHistorySource }> {
  const id = idOf(campaignId, "campaign");
  const { readCampaignHistory } = await import("../strategy/history.ts");
  const { outcomesGroup } = await import("./outcomes.ts");
  const outcomes = outcomesGroup(runtime);
  return readCampaignHistory((query) => outcomes.list(query, options), id, fromMs, days, Date.now());
}

/** `capacity`: the live agents and the last days' outcomes, then the formula (strategy/capacity.ts). */
async function autoCapacityOf(
  runtime: ClientRuntime,
  campaignId: string,
  params: StrategyCapacityParams,
  options: RequestOptions | undefined,
): Promise<AutoCapacity> {
  const id = idOf(campaignId, "campaign");
  const days = params.days ?? 7;
  if (!(Number.isInteger(days) && days >= 1 && days <= 90))
    throw new InputError({ field: "days", rule: "must be a whole number of days from 1 to 90" });
  const [{ autoCapacity, countCapacityAttempts }, { canonicalRecord }, { outcomesGroup }] = await Promise.all(
    [import("../strategy/capacity.ts"), import("../outcomes/record-format.ts"), import("./outcomes.ts")],
  );
  const signal = requestSignal(options);
  const reading = await inCall(options, () => runtime.port.live.read([id], signal));
  const agents = reading.snapshots.find((s) => s.campaignId === id)?.agentsLoggedIn;
  // Whole minutes: the listing's window, start inclusive, end exclusive.
  const toMs = Math.floor(Date.now() / 60_000) * 60_000;
  const from = new Date(toMs - days * 86_400_000).toISOString();
  const to = new Date(toMs).toISOString();
  const calls = outcomesGroup(runtime).list({ campaignId: id, from, to }, options);
  const counted = await countCapacityAttempts(
    (async function* () {
      for await (const call of calls) yield canonicalRecord(call.raw);
    })(),
  );
  return autoCapacity({ agentsLoggedIn: agents, ...counted, from, to });
}

/** The stored rules with the RND's refusals added to their blocked numbers. */
function withRnd(
  storedRules: (campaign: string) => Promise<StoredRules | undefined>,
  blocked: (base: DncList) => DncList,
): (campaign: string) => Promise<StoredRules | undefined> {
  return async (campaign) => {
    const rules = await storedRules(campaign);
    return rules && { ...rules, blocked: blocked(rules.blocked) };
  };
}

/**
 * The list read whole (it is planned after the RND has answered), its numbers with consent dates
 * checked against the RND (answers kept as evidence), and how to add its refusals to the plan's.
 */
async function rndScreened(
  runtime: ClientRuntime,
  list: AsyncIterable<ListRow> | Iterable<ListRow>,
  options: RequestOptions | undefined,
): Promise<{ rows: ListRow[]; blocked: (base: DncList) => DncList; note: string }> {
  const [{ screenListByRnd, rndNote }, { withRndRefusals }, { rndGroup }] = await Promise.all([
    import("../strategy/rnd-screen.ts"),
    import("../campaigns/compliance/rnd/rnd-suppressions.ts"),
    import("./rnd.ts"),
  ]);
  const rows: ListRow[] = [];
  for await (const row of list) rows.push(row);
  const rnd = rndGroup(runtime);
  const screen = await screenListByRnd(rows, (numbers) => rnd.check({ numbers }, options), Date.now());
  return { rows, blocked: (base) => withRndRefusals(base, screen.verdicts), note: rndNote(screen) };
}
