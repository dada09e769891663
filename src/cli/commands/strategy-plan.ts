import type { Command } from "commander";
import type { InternalClient } from "../../client.ts";
import { readDncFile } from "../../compliance/dnc.ts";
import type { ComplianceEngine } from "../../compliance/index.ts";
import { clockNowMs } from "../../core/clock/now.ts";
import { InputError } from "../../core/input-error.ts";
import type { StrategyPlanParams } from "../../sdk/strategy.ts";
import type { AutoCapacity } from "../../strategy/capacity.ts";
import { type ExpectedLift, expectedLift } from "../../strategy/expected-lift.ts";
import {
  checkListFile,
  readHistory,
  readList,
  readModel,
  readOutcomeRecords,
  writeDocument,
  writePlan,
} from "../../strategy/files.ts";
import { listRowsFromContacts } from "../../strategy/list-source.ts";
import type { Model } from "../../strategy/model-format.ts";
import { checkPlanInput, planInBatches } from "../../strategy/plan.ts";
import type { PlanRow } from "../../strategy/plan-format.ts";
import { HourCounter } from "../../strategy/plan-hours.ts";
import type { PlanSources, PreparedPlan } from "../../strategy/prepare-plan.ts";
import { modelReportHtml } from "../../strategy/report-html.ts";
import type { RndScreen } from "../../strategy/rnd-screen.ts";
import type { OutcomeRecord } from "../../strategy/types.ts";
import { type CliContext, withContext } from "../context.ts";
import { withFlagNames, withFlagNamesSync } from "../flag-names.ts";
import {
  freshOut,
  fromCampaign,
  isPlatformList,
  keysOf,
  requiredFlag,
  requireOffset,
  wholeNumber,
} from "./strategy-flags.ts";

/**
 * `cxo strategy plan`: a thin shell over the SDK's plan. The flags are read and the files
 * checked here; the plan's rules are built by the one path (strategy/prepare-plan.ts) — with
 * the client when a CXone connection is configured (agents' "Do Not Call" dispositions, the CXone
 * DNC groups, the skill's hours and schedule, as `strategy push` reads them), else on the data
 * dir alone — and the rows are written a batch at a time.
 */
interface PlanFlags {
  dnc?: string;
  campaignCaps?: string;
  list?: string;
  model?: string;
  from?: string;
  days?: string;
  out?: string;
  history?: string;
  kind?: string;
  voice?: string;
  announcement?: string;
  discloses?: string;
  capacity?: string;
  attempts?: string;
  staleMinutes?: string;
  campaign?: string;
  seed?: string;
  keys?: string;
  report?: string;
  force?: boolean;
}

/** The SDK's fields of plan's options → the flags that set them (errors name the flag). */
const PLAN_FLAGS = {
  from: "--from",
  days: "--days",
  attemptsPerRecord: "--attempts",
  capacity: "--capacity",
  capacityPerHour: "--capacity",
  staleMinutes: "--stale-minutes",
  history: "--history",
  voice: "--voice",
  announcement: "--announcement",
  discloses: "--discloses",
};

export function registerStrategyPlanCommand(strategy: Command): void {
  strategy
    .command("plan")
    .description(
      "plan each list record's next attempts at the best legal hours (compliance first, then Thompson sampling)",
    )
    .option(
      "--list <file|id>",
      "list file: CSV or NDJSON with recordId, phone (E.164), optional state, zip, accountId, consent; or the platform's list id",
    )
    .option("--model <file>", "model file from cxo strategy learn")
    .option("--from <iso>", "start of the horizon, ISO 8601 with an offset (default: now)")
    .option("--days <n>", "horizon in days (1-31)", "7")
    .option("--out <file>", "plan file: .ndjson or .csv")
    .option(
      "--history <file|campaign>",
      "attempts already made, counted toward every cap: an outcomes export (NDJSON, CSV or Parquet), or campaign: the campaign's outcomes of the 7 days before --from, read from the platform",
    )
    .option(
      "--kind <kind>",
      "sales | collections (Regulation F; needs accountId); default: the campaign spec's kind when this data dir created the campaign, else sales",
    )
    .option(
      "--voice <live|prerecorded|ai>",
      "the voice the calls use (default: the campaign spec's when this data dir created the campaign, else live): prerecorded and AI need each record's prior express consent, written for sales",
    )
    .option("--announcement <live>", "a live person introduces the call (California)")
    .option("--discloses <ai>", "the introduction says the voice is artificial (California, 2025)")
    .option(
      "--campaign-caps <caps>",
      "per-contact caps, e.g. day=1,week=3 (default: the campaign spec's when this data dir created the campaign)",
    )
    .option("--dnc <file>", "an internal DNC file (one E.164 per line, # comments), besides the stored list")
    .option(
      "--capacity <n|auto>",
      "most attempts planned per hour, e.g. 400 or 400/hour; auto: agents logged in × connects per agent-hour ÷ connect rate (last 7 days)",
    )
    .option("--attempts <n>", "attempts planned per record within the horizon (default 1)")
    .option(
      "--stale-minutes <n>",
      "the dial window each attempt is planned for: every rule holds for a call anywhere in [attemptAt, attemptAt + n minutes] (0-1440, default 59; push refuses a longer one)",
    )
    .option(
      "--campaign <id>",
      "the campaign (skill) planned for: must be the model's; its hours and schedule are read",
    )
    .option("--seed <n>", "Thompson sampling seed (default 1)")
    .option(
      "--keys <k1,k2>",
      "the segment keys the model must have been learned with (refused otherwise, exit 2 naming model.keys)",
    )
    .option(
      "--report <file.html>",
      "also write an HTML report: the model's heat map, attempts per hour against capacity, hours each rule ruled out",
    )
    .option("--force", "replace --out (and --report) if it exists")
    .action(
      withContext(async (ctx, flags: PlanFlags) => {
        const { list } = flags;
        if (!list)
          throw new InputError({ field: "--list", rule: "is required (a CSV or NDJSON file, or a list id)" });
        const modelFile = requiredFlag(flags.model, "--model");
        // A daily cron plans from the moment it runs (the one clock: CXO_CLOCK when set).
        flags.from ??= new Date(clockNowMs()).toISOString();
        requireOffset(flags.from, "--from");
        if (flags.kind !== undefined && flags.kind !== "sales" && flags.kind !== "collections")
          throw new InputError({ field: "--kind", rule: "must be sales or collections" });
        const out = freshOut(flags.out, flags.force);
        const report =
          flags.report === undefined ? undefined : freshOut(flags.report, flags.force, "--report");
        const model = readModel(modelFile, "--model");
        const params = await planParamsOf(flags);
        // Bad input is refused before anything is read from CXone or the RND, or written.
        withFlagNamesSync(PLAN_FLAGS, () =>
          checkPlanInput(model, {
            ...params,
            capacityPerHour: params.capacityPerHour === "auto" ? undefined : params.capacityPerHour,
            history: undefined,
          }),
        );
        const platformList = isPlatformList(list);
        const needsClient =
          platformList || params.capacityPerHour === "auto" || params.history === "campaign";
        await withPlanSources(ctx, needsClient, async (sources, client) => {
          const rows = () =>
            platformList && client
              ? listRowsFromContacts(client.campaigns.contacts(list), "--list")
              : readList(list, "--list");
          const prepared = await withFlagNames(PLAN_FLAGS, () =>
            preparePlanOf(sources, rows, model, params, async (kind) => {
              if (!platformList) await checkListFile(list, "--list", kind);
            }),
          );
          const historyFile = flags.history && params.history !== "campaign" ? flags.history : undefined;
          // Named where the SDK's summary says "given" (the key in its place).
          if (historyFile)
            prepared.summary.history = {
              source: "file",
              file: historyFile,
              attempts: Array.isArray(params.history) ? params.history.length : 0,
            };
          await planToFiles(ctx, prepared, {
            engine: await sources.complianceEngine(),
            platformList,
            out,
            report,
            historyFile,
          });
        });
      }),
    );
}

async function preparePlanOf(
  sources: PlanSources,
  rows: () => ReturnType<typeof readList>,
  model: Model,
  params: StrategyPlanParams,
  beforeSending: (kind: "sales" | "collections") => Promise<void>,
): Promise<PreparedPlan> {
  const { preparePlan } = await import("../../strategy/prepare-plan.ts");
  return preparePlan(sources, rows, model, params, undefined, { beforeSending });
}

/** The SDK's plan parameters from plan's flags (the history file read; `campaign` read by the SDK). */
async function planParamsOf(flags: PlanFlags): Promise<StrategyPlanParams> {
  const { parseCampaignCapsFlag } = await import("../compliance-flags.ts");
  const capacityText = flags.capacity?.replace(/\/h(our)?$/, "");
  const history = flags.history;
  return {
    campaign: flags.campaign,
    from: flags.from as string,
    days: wholeNumber(flags.days, "--days") as number,
    kind: flags.kind as StrategyPlanParams["kind"],
    // Checked by the SDK's plan (checkPlanInput), named by their flags.
    voice: flags.voice as StrategyPlanParams["voice"],
    announcement: flags.announcement as StrategyPlanParams["announcement"],
    discloses: flags.discloses as StrategyPlanParams["discloses"],
    attemptsPerRecord: wholeNumber(flags.attempts, "--attempts"),
    staleMinutes: wholeNumber(flags.staleMinutes, "--stale-minutes"),
    seed: wholeNumber(flags.seed, "--seed"),
    keys: keysOf(flags.keys),
    campaignCaps: parseCampaignCapsFlag(flags.campaignCaps),
    dnc: flags.dnc ? await readDncFile(flags.dnc, "--dnc") : undefined,
    capacityPerHour: capacityText === "auto" ? "auto" : wholeNumber(capacityText, "--capacity"),
    history:
      history === undefined
        ? undefined
        : fromCampaign(history)
          ? "campaign"
          : await readHistory(history, "--history"),
  };
}

/**
 * Where the plan's facts come from: the tenant's client — its store, registries, settings, RND and,
 * with a connection, the platform (without one, the data dir alone). Flags that need the
 * platform (a platform list, capacity auto, history "campaign") need a connection: without one,
 * exit 2 naming the missing setting.
 */
async function withPlanSources(
  ctx: CliContext,
  needsClient: boolean,
  work: (sources: PlanSources, client?: InternalClient) => Promise<void>,
): Promise<void> {
  const [{ clientPlanSources }, { runtimeOf }] = await Promise.all([
    import("../../strategy/prepare-plan.ts"),
    import("../../sdk/internals.ts"),
  ]);
  await ctx.withClient((client) => work(clientPlanSources(runtimeOf(client)), client), {
    local: !needsClient,
  });
}

/** The RND's counts in the plan's JSON document (its refusals are in `suppressed`). */
function rndCounts(screen: RndScreen) {
  const { verdicts: _verdicts, ...counts } = screen.result ?? { verdicts: [] };
  return { ...counts, withoutConsentDate: screen.withoutDate };
}

function capacityNote(c: AutoCapacity): string {
  return `capacity auto: ${c.agentsLoggedIn} agent(s) logged in × ${c.connectsPerAgentHour.toFixed(2)} connects per agent-hour ÷ ${(c.connectRate * 100).toFixed(1)}% connects per attempt = ${c.capacityPerHour} attempts/hour (outcomes ${c.from} to ${c.to}: ${c.attempts} attempts, ${c.connects} connects)`;
}

/** `strategy plan`'s work once its rules are built: the plan file, the report, the summary. */
async function planToFiles(
  ctx: CliContext,
  prepared: PreparedPlan,
  job: {
    engine: ComplianceEngine;
    platformList: boolean;
    out: string;
    report: string | undefined;
    /** `--history FILE`: the outcomes export the expected lift is measured on. */
    historyFile: string | undefined;
  },
): Promise<void> {
  const { options, model, fromMs, summary, capacity, campaign } = prepared;
  const { out, report } = job;
  const perHour = new HourCounter(fromMs, options.days);
  const stamp = async function* (batches: AsyncIterable<PlanRow[]>) {
    for await (const rows of batches) {
      // The rows are the planner's own, fresh for this plan: stamped in place.
      for (const row of rows) {
        perHour.add(row.attemptAt);
        row.campaign = campaign;
      }
      yield rows;
    }
  };
  // A production calling list holds consent in a custom column the config names.
  const consentHint =
    job.platformList && (await ctx.settings()).cxone.platform === "cxone"
      ? " — a calling list's consent is read from the column cxone.productionApi.consentColumn names (docs/platforms.md)"
      : "";
  await writePlan(out, stamp(planInBatches(job.engine, prepared.rows, model, options, summary)), "--out");
  // The lift the plan can promise, measured on held-out weeks of the outcome history (never on
  // the model's own training data), or why it cannot be yet.
  const lift = await expectedLiftOf(job.historyFile, model);
  summary.expectedLift = lift;
  if (report) {
    const campaignName = await prepared.campaignName();
    writeDocument(
      report,
      modelReportHtml(model, {
        ...(campaignName ? { campaignName } : {}),
        expectedLift: lift,
        perHour: {
          attempts: perHour.counts,
          capacity: options.capacityPerHour,
          startMs: perHour.startMs,
          localHours: perHour.localHours,
        },
        ruledOut: summary.ruledOutByRule,
        plan: summary,
      }),
      "--report",
    );
  }
  if (capacity) ctx.note(capacityNote(capacity));
  if (summary.history?.source === "campaign")
    ctx.note(
      `history: ${summary.history.attempts} attempt(s) of campaign ${campaign} from the platform, ${summary.history.from ?? "-"} to ${summary.history.to ?? "-"}`,
    );
  for (const note of summary.notes)
    ctx.note(
      note.startsWith("no history given")
        ? `${note} (give --history FILE or --history campaign)`
        : / carry no consent /.test(note)
          ? `${note}${consentHint}`
          : note,
    );
  ctx.print(
    {
      out,
      ...(report ? { report } : {}),
      ...summary,
      ...(capacity ? { capacity } : {}),
      ...(prepared.rnd ? { rnd: rndCounts(prepared.rnd) } : {}),
    },
    `planned ${summary.planned} attempt(s) for ${summary.records} record(s) (${summary.unplannable} with no legal hour), each legal over a ${summary.staleMinutes}-minute dial window → ${out}\n${lift.headline}`,
  );
}

/** The held-out lift from `--history FILE` (an outcomes export), or why there is none. */
async function expectedLiftOf(historyFile: string | undefined, model: Model): Promise<ExpectedLift> {
  if (historyFile === undefined) {
    const reason =
      "no outcome history given: --history FILE (an outcomes export) lets the lift be measured on its last weeks";
    return { estimated: false, reason, headline: `expected lift: cannot be estimated yet (${reason})` };
  }
  const records: OutcomeRecord[] = [];
  for await (const record of readOutcomeRecords(historyFile, "--history")) records.push(record);
  return expectedLift(records, model);
}
