import type { ComplianceEngine } from "../compliance/engine.ts";
import type { AsyncList } from "../core/http/pagination.ts";
import { InputError } from "../core/input-error.ts";
import { instantInputText } from "../core/instant-input.ts";
import { inSignalSlices } from "../core/signal-slices.ts";
import type { ListAttempt } from "../platform/ports/lists.ts";
import type { StrategyBenchReport } from "../strategy/bench.ts";
import type { AutoCapacity } from "../strategy/capacity.ts";
import type { StrategyEvaluateOptions, StrategyEvaluation } from "../strategy/evaluate.ts";
import type { ListContact } from "../strategy/list-source.ts";
import type { Model } from "../strategy/model-format.ts";
import type {
  StrategyCapacityParams,
  StrategyPlan,
  StrategyPlanList,
  StrategyPlanParams,
  StrategyPlanRows,
} from "../strategy/prepare-plan.ts";
import type { PushParams, PushSummary } from "../strategy/push.ts";
import type { SkillRestore } from "../strategy/push-run.ts";
import {
  type CampaignOutcomesSource,
  campaignSourceOf,
  isIterable,
  type OutcomeFileSource,
  type OutcomeListing,
  type OutcomeRecordsSource,
  recordsOfSource,
} from "../strategy/record-source.ts";
import type { SkillDrift } from "../strategy/skill-watch.ts";
import type { LearnOptions } from "../strategy/types.ts";
import { runCall, runItems } from "./call.ts";

export type { StrategyCapacityParams, StrategyPlan, StrategyPlanList, StrategyPlanParams, StrategyPlanRows };

/** A calling list's contacts as the client's `campaigns.contacts` lists them (the plan's `{ listId }`). */
export type ContactsOfList = (listId: string, options: RequestOptions) => AsyncIterable<ListContact>;

import { needClient } from "../core/params.ts";
import { type ClientRuntime, idOf, paramsOf, type RequestOptions } from "./runtime.ts";

// The bench and the evaluation (the compliance engine, luxon's zones) load at first use.

export interface StrategyBenchParams {
  /** A population file, .yaml/.yml/.json. */
  populationFile: string;
  /** Replications (default 10) and the first one's seed (default 1). */
  replications?: number;
  seed?: number;
}

/**
 * Where `learn` reads outcome records: records (an iterable), an outcomes export's file
 * (`{ file }`: NDJSON, CSV or Parquet), a campaign's outcomes from CXone (`{ campaignId, from, to }`,
 * through the client's `outcomes.list`), or a Parquet dataset directory (`{ dataset }`).
 */
export type StrategyLearnSource =
  | OutcomeRecordsSource
  | { /** A Parquet dataset (`cxo outcomes export --out DIR/`), read with DuckDB. */ dataset: string };

export type { CampaignOutcomesSource, OutcomeFileSource, OutcomeRecordsSource };

/**
 * The contact strategy: local work on files and records (learn, plan, evaluate, bench),
 * and the hand-over of a plan to the dialer (push, attempts), which only the production platform offers.
 */
export interface StrategyGroup {
  /**
   * Learns the RPC rate per segment × hour of week (called party's local time) from outcome
   * records (streamed), an outcomes export's file (`{ file }`: NDJSON, CSV or Parquet), a
   * campaign's outcomes read from CXone through `outcomes.list` (`{ campaignId, from, to }`: learned
   * for that campaign over that window unless `params` name one, `learnedFrom.source` "campaign"),
   * or a Parquet dataset, as the versioned model `plan` reads. Bad input is an InputError naming
   * the field (`records`, `file`, `campaign`, `campaignId`, `keys`, `from`, …).
   */
  learn(source: StrategyLearnSource, params: LearnOptions, options?: RequestOptions): Promise<Model>;
  /**
   * Plans each list row's next attempts at the best legal hours: the compliance engine first,
   * then Thompson sampling on the model (seeded). A client's plan also obeys its data dir's
   * internal DNC list and imported registry copies (joined with `params.dnc`), and takes `kind`
   * and the per-contact caps from the campaign's spec when this data dir created the campaign
   * (`params` win). Bad input is an InputError naming the field
   * (`list`, `model`, `model.campaign`, `from`, `days`, `accountId`, …), before any row is planned;
   * a list given whole or as a function (read again) has its accounts checked before anything is
   * sent. A list is read before it is planned when the RND is asked about it or CXone's dials of
   * its numbers are counted (production): an iterable is then held whole, a function read afresh
   * (give a function to stream a large list). A CXone calling list given as `{ listId }` is read
   * as a function is, through `campaigns.contacts`; a contact whose phone is not a North American
   * E.164 number is an InputError naming `list` and the row. Each row carries its `campaign`; the summary's
   * `expectedLift` is measured on `params.history`'s file (`{ file }`), or says why it cannot be.
   */
  plan(
    list: StrategyPlanList,
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
  /**
   * The dials made so far on a pushed list's records (production platform), as a listing read a
   * page at a time (`for await`, or `toArray()`): a list of a million dials is not held whole.
   * A malformed id and the platform's refusal are raised when it is first iterated.
   */
  attempts(listId: string, options?: RequestOptions): AsyncList<ListAttempt>;
  /**
   * Puts back the skill retry settings a push with `fitSkill` set: the
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
   * The offline lift of the strategy on the last `holdoutDays` days of a history: outcome
   * records, an outcomes export's file (`{ file }`: NDJSON, CSV or Parquet) or a campaign's
   * outcomes read from CXone through `outcomes.list` (`{ campaignId, from, to }`), with its 95%
   * interval and a verdict sentence. Bad input is an InputError naming the field (`holdoutDays`,
   * `history`; a campaign's query, its own fields).
   */
  evaluate(
    history: OutcomeRecordsSource,
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

function requireParams(params: unknown): void {
  if (typeof params !== "object" || params === null || Array.isArray(params))
    throw new InputError({ field: "params", rule: "must be an object of options" });
}

/** `runtime` is the client's (push and attempts need its platform and store); the local methods need none. */
export function strategyGroup(
  runtime?: ClientRuntime,
  contacts?: ContactsOfList,
  outcomes?: OutcomeListing,
): StrategyGroup {
  // Without a client (local work on files), the group is its own runtime: one engine of its own.
  let ownEngine: Promise<ComplianceEngine> | undefined;
  const engine = (): Promise<ComplianceEngine> => {
    if (runtime) return runtime.complianceEngine();
    ownEngine ??= import("../compliance/engine.ts").then((m) => new m.ComplianceEngine());
    return ownEngine;
  };
  const platform = (): ClientRuntime =>
    needClient(runtime, 'push, attempts, capacity auto and history "campaign" need a client (createClient)');
  const capacity = async (
    campaign: string,
    params: StrategyCapacityParams | undefined,
    signal: AbortSignal | undefined,
  ) => {
    const { autoCapacityOf } = await import("../strategy/prepare-plan.ts");
    return autoCapacityOf(platform(), campaign, params ?? {}, signal);
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
    learn: (source, params, options) =>
      runCall(runtime, options, async (signal) => {
        requireParams(params);
        const dataset = (source as { dataset?: unknown } | null)?.dataset;
        if (typeof dataset === "string") {
          const { learnFromDataset } = await import("../strategy/learn-dataset.ts");
          return learnFromDataset(dataset, params, signal);
        }
        const records = await recordsOfSource(source, "file", runtime && outcomes, signal);
        if (!records)
          throw new InputError({
            field: "records",
            rule: "must be outcome records (an iterable or async iterable), { file }, { campaignId, from, to } or { dataset: DIR }",
          });
        const { learn } = await import("../strategy/learn.ts");
        const model = await learn(inSignalSlices(records, signal), learnParamsOf(source, params));
        signal?.throwIfAborted();
        return model;
      }),
    plan: (list, model, params, options) =>
      runCall(runtime, options, async (signal) => {
        requireParams(params);
        const rows = await planRowsOf(list, runtime && contacts, signal);
        const [{ clientPlanSources }, { planList }] = await Promise.all([
          import("../strategy/prepare-plan.ts"),
          import("../strategy/plan-list.ts"),
        ]);
        const sources = runtime ? clientPlanSources(runtime, signal) : undefined;
        return planList(sources, await engine(), rows, model, params, signal);
      }),
    capacity: (campaign, params, options) =>
      runCall(runtime, options, (signal) => capacity(campaign, params, signal)),
    push: (plan, params, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("../strategy/push-through.ts")).pushThrough(platform(), lists, plan, params, signal),
      ),
    restoreSkill: (campaign, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("../strategy/push-through.ts")).restoreSkillOf(platform(), lists, campaign, signal),
      ),
    watchSkills: (params, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("../strategy/watch-skills.ts")).watchSkillsThrough(platform(), lists, params, signal),
      ),
    attempts: (listId, options) =>
      runItems(runtime, options, async function* (signal) {
        // Bad input first, then the platform's refusal.
        const id = idOf(listId, "listId");
        for await (const page of lists().attemptPages(id, { signal })) yield* page;
      }),
    evaluate: (history, model, params, options) =>
      runCall(runtime, options, async (signal) => {
        const { evaluate } = await import("../strategy/evaluate.ts");
        const checked = paramsOf(params) as StrategyEvaluateOptions;
        const records = await recordsOfSource(history, "history", runtime && outcomes, signal);
        if (!records)
          throw new InputError({
            field: "history",
            rule: "must be outcome records (an iterable or async iterable), { file } or { campaignId, from, to }",
          });
        return evaluate(inSignalSlices(records, signal), model, checked, signal);
      }),
    bench: (params, options) =>
      runCall(runtime, options, async () => {
        if (typeof params?.populationFile !== "string" || params.populationFile === "")
          throw new InputError({
            field: "populationFile",
            rule: "is required: the path of a population file",
          });
        const [{ runStrategyBench }, { loadPopulationFile }] = await Promise.all([
          import("../strategy/bench.ts"),
          import("../strategy/population.ts"),
        ]);
        const population = loadPopulationFile(params.populationFile, "populationFile");
        return runStrategyBench({
          engine: await engine(),
          population,
          // The report names the population by its file when the file names none.
          name: population.spec.name ?? params.populationFile,
          ...(params.replications !== undefined ? { replications: params.replications } : {}),
          ...(params.seed !== undefined ? { seed: params.seed } : {}),
        });
      }),
  };
}

/**
 * Learn's options for its source: a campaign's outcomes are learned for that campaign (another
 * `params.campaign` is refused: every record would be skipped), over its window unless
 * `params` give one, recorded as `learnedFrom.source` "campaign"; a file's as "history".
 */
function learnParamsOf(source: StrategyLearnSource, params: LearnOptions): LearnOptions {
  const campaign = campaignSourceOf(source);
  if (campaign) {
    if (typeof params.campaign === "string" && params.campaign !== campaign.campaignId)
      throw new InputError({
        field: "campaignId",
        rule: `names campaign ${String(campaign.campaignId)}, and \`campaign\` is ${params.campaign}: every record would be skipped`,
      });
    return {
      ...params,
      from: params.from ?? instantInputText(campaign.from, "from"),
      to: params.to ?? instantInputText(campaign.to, "to"),
      source: params.source ?? "campaign",
    };
  }
  return params;
}

/** The rows of `plan`'s list: a `{ listId }` read afresh each time through the client's `campaigns.contacts`. */
async function planRowsOf(
  list: StrategyPlanList,
  contacts: ContactsOfList | undefined,
  signal: AbortSignal | undefined,
): Promise<StrategyPlanRows> {
  if (typeof list === "function" || isIterable(list)) return list as StrategyPlanRows;
  const listId = (list as { listId?: unknown } | null)?.listId;
  if (typeof list !== "object" || list === null || listId === undefined)
    throw new InputError({
      field: "list",
      rule: "must be list rows (an iterable or async iterable, or a function answering one for each read), or { listId } naming a calling list",
    });
  if (typeof listId !== "string" || listId.trim() === "")
    throw new InputError({ field: "list", rule: "listId must be a non-empty string (a calling list's id)" });
  const read = needClient(
    contacts,
    "a list given as { listId } is read from CXone: it needs a client (createClient)",
  );
  const { listRowsFromContacts } = await import("../strategy/list-source.ts");
  return () => listRowsFromContacts(read(listId, signal ? { signal } : {}), "list");
}
