import type { Command } from "commander";
import type { InternalClient } from "../../client.ts";
import { readDncFile } from "../../compliance/dnc.ts";
import { clockNowMs } from "../../core/clock/now.ts";
import { InputError } from "../../core/input-error.ts";
import { instantInputMs } from "../../core/instant-input.ts";
import type { StrategyPlan, StrategyPlanList, StrategyPlanParams } from "../../sdk/strategy.ts";
import type { AutoCapacity } from "../../strategy/capacity.ts";
import type { ExpectedLift } from "../../strategy/expected-lift.ts";
import { planWriter, readList, readModel, writeDocument } from "../../strategy/files.ts";
import type { Model } from "../../strategy/model-format.ts";
import { HourCounter } from "../../strategy/plan-hours.ts";
import { modelReportHtml } from "../../strategy/report-html.ts";
import { type CliContext, withContext } from "../context.ts";
import { flagsInText, withFlagNames } from "../flag-names.ts";
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
 * `cxo strategy plan`: a thin shell over the SDK's plan (`client.strategy.plan`). The flags are
 * read here; the client plans — with the CXone connection when one is configured (agents' "Do Not
 * Call" dispositions, the CXone DNC groups, the skill's hours and schedule, as `strategy push`
 * reads them), else on the data dir alone — reading the list file twice when the RND is asked
 * (streamed, its accounts checked before anything is sent), and hands the rows over a batch at a
 * time to the plan file.
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
  list: "--list",
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
        flags.from = requireOffset(flags.from, "--from");
        if (flags.kind !== undefined && flags.kind !== "sales" && flags.kind !== "collections")
          throw new InputError({ field: "--kind", rule: "must be sales or collections" });
        const out = freshOut(flags.out, flags.force);
        const report =
          flags.report === undefined ? undefined : freshOut(flags.report, flags.force, "--report");
        const model = readModel(modelFile, "--model");
        const params = await planParamsOf(flags);
        const platformList = isPlatformList(list);
        const needsClient =
          platformList || params.capacityPerHour === "auto" || params.history === "campaign";
        await ctx.withClient(
          async (client) => {
            // Read afresh each time the plan asks (the account check, the RND's read, the plan):
            // a CXone list by the client's plan itself, a file here.
            const rows: StrategyPlanList = platformList ? { listId: list } : () => readList(list, "--list");
            const named = { ...params, ...(report ? { nameCampaign: true } : {}) };
            const { answer, perHour } = await planToFile(client, rows, model, named, out);
            await planReport(ctx, answer, {
              platformList,
              out,
              report,
              model,
              perHour,
              capacityPerHour: params.capacityPerHour === "auto" ? undefined : params.capacityPerHour,
            });
          },
          { local: !needsClient },
        );
      }),
    );
}

/**
 * The client's plan, its rows written to `out` a batch at a time as they are planned (the plan
 * waits on the file), each counted in its hour for the report; nothing is left at `out` on error
 * (bad input is refused by the plan before anything is read from CXone or the RND, or written).
 */
async function planToFile(
  client: InternalClient,
  rows: StrategyPlanList,
  model: Model,
  params: StrategyPlanParams,
  out: string,
): Promise<{ answer: StrategyPlan; perHour: HourCounter }> {
  const writer = planWriter(out, "--out");
  // The hours of the horizon the plan checked: its first batch comes after every check.
  let perHour: HourCounter | undefined;
  const hours = () => {
    perHour ??= new HourCounter(instantInputMs(params.from, "from") as number, params.days);
    return perHour;
  };
  try {
    const answer = await withFlagNames(PLAN_FLAGS, () =>
      client.strategy.plan(rows, model, {
        ...params,
        onBatch: (planned) => {
          for (const row of planned) hours().add(row.attemptAt);
          return writer.write(planned);
        },
      }),
    ).catch((error: unknown): never => {
      throw listRowFields(error);
    });
    await writer.end();
    return { answer, perHour: hours() };
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/** A row of a CXone list the plan refused (`list phone`, with its row): named by the flag, `--list phone`. */
function listRowFields(error: unknown): unknown {
  if (!(error instanceof InputError) || !error.problems.some((p) => p.field.startsWith("list ")))
    return error;
  const named = error.problems.map((p) =>
    p.field.startsWith("list ") ? { ...p, field: `--${p.field}` } : p,
  );
  return Object.assign(new InputError(named), { stack: error.stack });
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
    history: history === undefined ? undefined : fromCampaign(history) ? "campaign" : { file: history },
  };
}

function capacityNote(c: AutoCapacity): string {
  return `capacity auto: ${c.agentsLoggedIn} agent(s) logged in × ${c.connectsPerAgentHour.toFixed(2)} connects per agent-hour ÷ ${(c.connectRate * 100).toFixed(1)}% connects per attempt = ${c.capacityPerHour} attempts/hour (outcomes ${c.from} to ${c.to}: ${c.attempts} attempts, ${c.connects} connects)`;
}

/** `strategy plan`'s report, notes and summary once its rows are written. */
async function planReport(
  ctx: CliContext,
  answer: StrategyPlan,
  job: {
    platformList: boolean;
    out: string;
    report: string | undefined;
    model: Model;
    perHour: HourCounter;
    /** `--capacity N` (auto: the answer's `capacity`). */
    capacityPerHour: number | undefined;
  },
): Promise<void> {
  const { summary, capacity, campaign, campaignName } = answer;
  const { out, report, perHour } = job;
  // A production calling list holds consent in a custom column the config names.
  const consentHint =
    job.platformList && (await ctx.settings()).cxone.platform === "cxone"
      ? " — a calling list's consent is read from the column cxone.productionApi.consentColumn names (docs/platforms.md)"
      : "";
  const lift = liftInFlags(summary.expectedLift);
  if (report)
    writeDocument(
      report,
      modelReportHtml(job.model, {
        ...(campaignName ? { campaignName } : {}),
        expectedLift: lift,
        perHour: {
          attempts: perHour.counts,
          capacity: capacity ? capacity.capacityPerHour : job.capacityPerHour,
          startMs: perHour.startMs,
          localHours: perHour.localHours,
        },
        ruledOut: summary.ruledOutByRule,
        plan: summary,
      }),
      "--report",
    );
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
      expectedLift: lift,
      ...(capacity ? { capacity } : {}),
      ...(answer.rnd ? { rnd: answer.rnd } : {}),
    },
    `planned ${summary.planned} attempt(s) for ${summary.records} record(s) (${summary.unplannable} with no legal hour), each legal over a ${summary.staleMinutes}-minute dial window → ${out}\n${lift.headline}`,
  );
}

/** The plan's expected lift as the CLI user reads it: a remedy names the flag (`--history FILE`). */
function liftInFlags(lift: ExpectedLift): ExpectedLift {
  if (lift.estimated) return lift;
  return {
    ...lift,
    reason: flagsInText(lift.reason, PLAN_FLAGS),
    headline: flagsInText(lift.headline, PLAN_FLAGS),
  };
}
