import { existsSync } from "node:fs";
import type { Command } from "commander";
import { readDncFile } from "../../campaigns/compliance/dnc.ts";
import { type DncRegistries, openDncRegistries } from "../../campaigns/compliance/index.ts";
import { withRndRefusals } from "../../campaigns/compliance/rnd/rnd-suppressions.ts";
import { InputError } from "../../core/input-error.ts";
import { loadDispositionMap } from "../../outcomes/disposition-map.ts";
import { canonicalRecord } from "../../outcomes/record-format.ts";
import type { AutoCapacity } from "../../strategy/capacity.ts";
import { type ExpectedLift, expectedLift } from "../../strategy/expected-lift.ts";
import {
  checkListFile,
  checkOutput,
  readHistory,
  readList,
  readModel,
  readOutcomeRecords,
  writeDocument,
  writePlan,
} from "../../strategy/files.ts";
import {
  HISTORY_LOOKBACK_DAYS,
  type PlanHistorySource,
  readCampaignHistory,
} from "../../strategy/history.ts";
import { learn } from "../../strategy/learn.ts";
import { learnFromDataset } from "../../strategy/learn-dataset.ts";
import { listRowsFromContacts } from "../../strategy/list-source.ts";
import { columnOfKey, type Model, SEGMENT_KEYS, type SegmentKey } from "../../strategy/model-format.ts";
import { checkPlanInput, newPlanSummary, planInBatches } from "../../strategy/plan.ts";
import type { PlanRow } from "../../strategy/plan-format.ts";
import { HourCounter } from "../../strategy/plan-hours.ts";
import { modelReportHtml } from "../../strategy/report-html.ts";
import { type RndScreen, rndNote } from "../../strategy/rnd-screen.ts";
import { storedRulesFor, withStoredRules } from "../../strategy/stored-rules.ts";
import type { LearnOptions, OutcomeRecord, PlanOptions } from "../../strategy/types.ts";
import { CliContext } from "../context.ts";
import { withFlagNames, withFlagNamesSync } from "../flag-names.ts";
import { rndConfigured, withRndCheck } from "../rnd-checker.ts";
import { registerStrategyPushCommands } from "./strategy-push.ts";

/**
 * `cxo strategy learn|plan|push` (issue 55): learn when each segment answers, plan each record's
 * next attempts at the best legal hours, hand the plan to the dialer. Exit 0 done; 1 failed
 * (including push on a platform without calling-list upload); 2 bad input, nothing sent or written.
 */
interface LearnFlags {
  campaign?: string;
  from?: string;
  to?: string;
  dataset?: string;
  history?: string;
  out?: string;
  keys?: string;
  buckets?: string;
  rpc?: string;
  talkOnly: boolean;
  map?: string;
  priorStrength?: string;
  report?: string;
  force?: boolean;
}

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
  capacity?: string;
  attempts?: string;
  staleMinutes?: string;
  campaign?: string;
  seed?: string;
  keys?: string;
  report?: string;
  force?: boolean;
}

const OFFSET = /(?:Z|[+-]\d{2}:\d{2})$/;

/** The SDK's fields of learn's and plan's options → the flags that set them (errors name the flag). */
const LEARN_FLAGS = {
  campaign: "--campaign",
  campaignId: "--campaign",
  from: "--from",
  to: "--to",
  dataset: "--dataset",
  keys: "--keys",
  attemptBuckets: "--buckets",
  "rpc.categories": "--rpc",
  priorStrength: "--prior-strength",
};
const PLAN_FLAGS = {
  from: "--from",
  days: "--days",
  attemptsPerRecord: "--attempts",
  capacity: "--capacity",
  staleMinutes: "--stale-minutes",
};

function requireOffset(value: string | undefined, flag: string) {
  if (value !== undefined && !OFFSET.test(value))
    throw new InputError({
      field: flag,
      rule: "must be ISO 8601 WITH an offset or Z (e.g. 2026-03-02T09:00:00-05:00)",
    });
}

function freshOut(out: string | undefined, force: boolean | undefined, flag = "--out"): string {
  if (!out) throw new InputError({ field: flag, rule: "is required" });
  if (existsSync(out) && !force)
    throw new InputError({ field: flag, rule: `${out} exists: pass --force to replace it` });
  // Its directory, and no link or directory in the way: refused before any work or write.
  checkOutput(out, flag);
  return out;
}

function keysOf(text: string | undefined): SegmentKey[] | undefined {
  if (text === undefined) return undefined;
  const keys = text
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  const bad = keys.filter(
    (k) => !(SEGMENT_KEYS as readonly string[]).includes(k) && columnOfKey(k) === undefined,
  );
  if (bad.length > 0)
    throw new InputError({
      field: "--keys",
      rule: `${bad.join(", ")}: keys are ${SEGMENT_KEYS.join(", ")} or column:NAME (a list column)`,
    });
  return keys as SegmentKey[];
}

/** `--history campaign` (no file of that name): the campaign's outcomes, through the platform. */
const fromCampaign = (value: string): boolean => value === "campaign" && !existsSync(value);

function capacityNote(c: AutoCapacity): string {
  return `capacity auto: ${c.agentsLoggedIn} agent(s) logged in × ${c.connectsPerAgentHour.toFixed(2)} connects per agent-hour ÷ ${(c.connectRate * 100).toFixed(1)}% connects per attempt = ${c.capacityPerHour} attempts/hour (outcomes ${c.from} to ${c.to}: ${c.attempts} attempts, ${c.connects} connects)`;
}

function wholeNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new InputError({ field: flag, rule: "must be a whole number" });
  return Number(text);
}

export function registerStrategyCommands(program: Command): void {
  const strategy = program
    .command("strategy")
    .description(
      "contact strategy: learn when each segment answers, plan each record's next attempts at the best legal hours",
    );
  registerLearn(strategy);
  registerPlan(strategy);
  registerStrategyPushCommands(strategy);
}

function registerLearn(strategy: Command): void {
  strategy
    .command("learn")
    .description("learn RPC rates per segment × hour of week (called party's local time) from outcomes")
    .option("--campaign <id>", "the campaign learned for (required)")
    .option("--from <iso>", "window start (inclusive), ISO 8601 with an offset")
    .option("--to <iso>", "window end (exclusive), ISO 8601 with an offset")
    .option("--dataset <dir>", "read a Parquet outcomes dataset (cxo outcomes export --out DIR/) with DuckDB")
    .option(
      "--history <file>",
      "read an outcomes export (NDJSON, CSV or Parquet, as `cxo outcomes export` writes it)",
    )
    .option("--out <file>", "model file to write (JSON)")
    .option("--keys <k1,k2>", `segment keys among ${SEGMENT_KEYS.join(", ")}, column:NAME (default state)`)
    .option("--buckets <n,m>", "attempt-number bucket bounds (default 1,3: 1, 2-3, 4+)")
    .option(
      "--rpc <categories>",
      "outcome-map categories that count as an RPC (default success,warm,neutral)",
    )
    .option("--no-talk-only", "count an RPC category even when no agent talked")
    .option("--map <file>", "disposition map (default: the outcomes' default map)")
    .option("--prior-strength <n>", "Beta prior strength in pseudo-attempts (default 20)")
    .option("--report <file.html>", "also write an HTML report: the RPC rate per weekday × local hour")
    .option("--force", "replace --out (and --report) if it exists")
    .action(async (flags: LearnFlags, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      if (!flags.campaign) throw new InputError({ field: "--campaign", rule: "is required" });
      requireOffset(flags.from, "--from");
      requireOffset(flags.to, "--to");
      const sources = [flags.dataset, flags.history].filter((s) => s !== undefined).length;
      if (sources > 1)
        throw new InputError({ field: "--dataset", rule: "give one of --dataset and --history" });
      if (sources === 0 && (!flags.from || !flags.to))
        throw new InputError({
          field: "--from",
          rule: "--from and --to are required to read the campaign's outcomes from CXone (or give --dataset or --history)",
        });
      const out = freshOut(flags.out, flags.force);
      const report = flags.report === undefined ? undefined : freshOut(flags.report, flags.force, "--report");
      const options: LearnOptions = {
        campaign: flags.campaign,
        from: flags.from,
        to: flags.to,
        keys: keysOf(flags.keys),
        attemptBuckets: flags.buckets?.split(",").map((b) => wholeNumber(b.trim(), "--buckets") as number),
        rpc: flags.rpc
          ? { categories: flags.rpc.split(",").map((c) => c.trim()), requireConversation: flags.talkOnly }
          : { categories: ["success", "warm", "neutral"], requireConversation: flags.talkOnly },
        dispositionMap: flags.map ? loadDispositionMap(flags.map) : undefined,
        priorStrength: flags.priorStrength === undefined ? undefined : Number(flags.priorStrength),
        source: flags.dataset ? "dataset" : flags.history ? "history" : "campaign",
      };
      const model = flags.dataset
        ? await withFlagNames(LEARN_FLAGS, () => learnFromDataset(flags.dataset as string, options))
        : flags.history
          ? await withFlagNames(LEARN_FLAGS, () =>
              learn(readOutcomeRecords(flags.history as string, "--history"), options),
            )
          : await ctx.withClient(async (client) =>
              withFlagNames(LEARN_FLAGS, () =>
                learn(
                  (async function* (): AsyncIterable<OutcomeRecord> {
                    for await (const call of client.outcomes.list({
                      campaignId: flags.campaign as string,
                      from: flags.from as string,
                      to: flags.to as string,
                    }))
                      yield canonicalRecord(call.raw);
                  })(),
                  options,
                ),
              ),
            );
      writeDocument(out, `${JSON.stringify(model, null, 1)}\n`, "--out");
      if (report) writeDocument(report, modelReportHtml(model), "--report");
      const summary = {
        out,
        ...(report ? { report } : {}),
        campaign: model.campaign,
        records: model.learnedFrom.records,
        skipped: model.learnedFrom.skipped,
        segments: model.segments.length,
        triedSlots: model.priors.campaign.filter((s) => s.tried).length,
        rpcRate: model.priors.all.estimate,
      };
      ctx.print(
        summary,
        `learned ${summary.records} attempts (${summary.skipped} skipped) into ${summary.segments} segment(s), ${summary.triedSlots}/168 hours of week tried, RPC rate ${(summary.rpcRate * 100).toFixed(1)}% → ${out}`,
      );
    });
}

function registerPlan(strategy: Command): void {
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
    .option("--from <iso>", "start of the horizon, ISO 8601 with an offset")
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
    .option("--campaign <id>", "the campaign planned for: must be the model's")
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
    .action(async (flags: PlanFlags, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      if (!flags.list)
        throw new InputError({ field: "--list", rule: "is required (a CSV or NDJSON file, or a list id)" });
      if (!flags.model) throw new InputError({ field: "--model", rule: "is required" });
      if (!flags.from) throw new InputError({ field: "--from", rule: "is required" });
      requireOffset(flags.from, "--from");
      if (flags.kind !== undefined && flags.kind !== "sales" && flags.kind !== "collections")
        throw new InputError({ field: "--kind", rule: "must be sales or collections" });
      const { parseCampaignCapsFlag } = await import("../compliance-flags.ts");
      const campaignCaps = parseCampaignCapsFlag(flags.campaignCaps);
      const fileDnc = flags.dnc ? await readDncFile(flags.dnc, "--dnc") : undefined;
      const capacityText = flags.capacity?.replace(/\/h(our)?$/, "");
      const auto = capacityText === "auto";
      const out = freshOut(flags.out, flags.force);
      const report = flags.report === undefined ? undefined : freshOut(flags.report, flags.force, "--report");
      const model = readModel(flags.model, "--model");
      const options: PlanOptions = {
        ...(await planOptionsOf(flags)),
        campaignCaps,
        dnc: fileDnc,
        capacityPerHour: auto ? undefined : wholeNumber(capacityText, "--capacity"),
      };
      const { fromMs } = withFlagNamesSync(PLAN_FLAGS, () => checkPlanInput(model, options));
      const planned = { ...options, campaign: options.campaign ?? model.campaign };
      // The data dir's DNC list, registry copies and the campaign's own kind and caps, as for
      // `cxo compliance check`: a planned attempt is one the check would allow.
      const registries = openDncRegistries((await ctx.settings()).dataDir);
      try {
        const stored = await storedRulesOf(ctx, registries, planned.campaign, fromMs, options.days);
        const fromPlatform = flags.history !== undefined && fromCampaign(flags.history);
        // Bad input is refused before anything is sent: to CXone (the skill, its DNC groups, the
        // history, the capacity) or to the RND.
        if (!isPlatformList(flags.list) && (fromPlatform || auto || (await sendsBeforePlanning(ctx))))
          await checkListFile(flags.list, "--list", options.kind ?? stored.kind ?? "sales");
        const onPlatform = await preparePlanOnPlatform(ctx, planned.campaign);
        // Issue 79 §3: the RND asked about the list's numbers with consent dates, first.
        const rnd = await rndScreenOf(ctx, flags.list);
        const rules = rnd ? { ...stored, blocked: withRndRefusals(stored.blocked, rnd.verdicts) } : stored;
        const history: PlanHistorySource | undefined = !flags.history
          ? undefined
          : fromPlatform
            ? await ctx.withClient(async (client) => {
                const read = await campaignHistoryFor(client, planned.campaign, fromMs, options.days);
                options.history = read.attempts;
                return read.source;
              })
            : { source: "file", file: flags.history, attempts: options.history?.length ?? 0 };
        const capacity = auto
          ? await ctx.withClient((client) =>
              withFlagNames({ capacity: "--capacity" }, () => client.strategy.capacity(planned.campaign)),
            )
          : undefined;
        if (capacity) options.capacityPerHour = capacity.capacityPerHour;
        await planToFiles(ctx, {
          list: flags.list,
          options: withStoredRules(options, rules),
          model,
          fromMs,
          campaign: planned.campaign,
          out,
          report,
          capacity,
          history,
          historyFile: flags.history && !fromPlatform ? flags.history : undefined,
          campaignName: onPlatform.campaignName ?? rules.campaignName,
          rnd,
        });
      } finally {
        registries.close();
      }
    });
}

/** With `compliance.rnd` configured: the list's numbers with consent dates checked against the RND. */
async function rndScreenOf(ctx: CliContext, list: string): Promise<RndScreen | undefined> {
  if (!rndConfigured(await ctx.settings())) return undefined;
  const { screenListByRnd } = await import("../../strategy/rnd-screen.ts");
  return withRndCheck(ctx, (check) =>
    isPlatformList(list)
      ? ctx.withClient((client) =>
          screenListByRnd(listRowsFromContacts(client.campaigns.contacts(list), "--list"), check, Date.now()),
        )
      : screenListByRnd(readList(list, "--list"), check, Date.now()),
  );
}

/** The RND's counts in the plan's JSON document (its refusals are in `suppressed`). */
function rndCounts(screen: RndScreen) {
  const { verdicts: _verdicts, ...counts } = screen.result ?? { verdicts: [] };
  return { ...counts, withoutConsentDate: screen.withoutDate };
}

/** The data dir's rules, the seller's facts from the settings, and the touches of the plan's window (issue 79). */
async function storedRulesOf(
  ctx: CliContext,
  registries: DncRegistries,
  campaign: string,
  fromMs: number,
  days: number,
) {
  const settings = await ctx.settings();
  return ctx.withStore((store) =>
    storedRulesFor(store, registries, campaign, {
      seller: settings.consent.seller ?? settings.tenant,
      registrations: settings.compliance.registrations,
      window: { fromMs, toMs: fromMs + days * 86_400_000 },
    }),
  );
}

/** Plan options read from plan's own flags (the stored rules, DNC and capacity are added by the caller). */
async function planOptionsOf(flags: PlanFlags): Promise<PlanOptions> {
  return {
    campaign: flags.campaign,
    from: flags.from as string,
    days: wholeNumber(flags.days, "--days") as number,
    kind: flags.kind as PlanOptions["kind"],
    attemptsPerRecord: wholeNumber(flags.attempts, "--attempts"),
    staleMinutes: wholeNumber(flags.staleMinutes, "--stale-minutes"),
    seed: wholeNumber(flags.seed, "--seed"),
    keys: keysOf(flags.keys),
    history:
      flags.history && !fromCampaign(flags.history)
        ? await readHistory(flags.history, "--history")
        : undefined,
  };
}

/** A `--list` value that is no file and looks like an id (`--list 4012`): the platform's list. */
const isPlatformList = (list: string): boolean => !existsSync(list) && /^[A-Za-z0-9_-]{1,64}$/.test(list);

/**
 * `--history campaign`: the campaign's outcomes before the horizon, through the platform. A
 * refusal of that window (e.g. older than the platform's retention) names `--history`.
 */
async function campaignHistoryFor(
  client: { outcomes: { list: Parameters<typeof readCampaignHistory>[0] } },
  campaign: string,
  fromMs: number,
  days: number,
) {
  try {
    return await readCampaignHistory(
      (query) => client.outcomes.list(query),
      campaign,
      fromMs,
      days,
      Date.now(),
    );
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(
      error.problems.map((p) => ({
        ...p,
        field: "--history",
        rule: `campaign reads the campaign's outcomes from ${HISTORY_LOOKBACK_DAYS} days before --from: ${p.field} ${p.rule}`,
      })),
    );
  }
}

/** `strategy plan`'s work once its input is checked: the plan file, the report, the summary. */
async function planToFiles(
  ctx: CliContext,
  job: {
    list: string;
    options: PlanOptions;
    model: Model;
    fromMs: number;
    campaign: string;
    out: string;
    report: string | undefined;
    capacity: AutoCapacity | undefined;
    history: PlanHistorySource | undefined;
    /** `--history FILE`: the outcomes export the expected lift is measured on. */
    historyFile: string | undefined;
    /** The campaign's name when the data dir knows it: the report's title (issue 64 §2). */
    campaignName: string | undefined;
    /** What the Reassigned Numbers Database said of the list (issue 79 §3), when configured. */
    rnd: RndScreen | undefined;
  },
): Promise<void> {
  const { list, options, model, fromMs, out, report, capacity } = job;
  const summary = newPlanSummary();
  if (job.rnd) summary.notes.push(rndNote(job.rnd));
  if (job.history) summary.history = job.history;
  const perHour = new HourCounter(fromMs, options.days);
  const stamp = async function* (batches: AsyncIterable<PlanRow[]>) {
    for await (const rows of batches) {
      // The rows are the planner's own, fresh for this plan: stamped in place.
      for (const row of rows) {
        perHour.add(row.attemptAt);
        row.campaign = job.campaign;
      }
      yield rows;
    }
  };
  const platformList = isPlatformList(list);
  // A production calling list holds consent in a custom column the config names.
  const consentHint =
    platformList && (await ctx.settings()).cxone.platform === "cxone"
      ? " — a calling list's consent is read from the column cxone.productionApi.consentColumn names (docs/platforms.md)"
      : "";
  if (platformList)
    await ctx.withClient((client) =>
      writePlan(
        out,
        stamp(
          planInBatches(
            listRowsFromContacts(client.campaigns.contacts(list), "--list"),
            model,
            options,
            summary,
          ),
        ),
        "--out",
      ),
    );
  else await writePlan(out, stamp(planInBatches(readList(list, "--list"), model, options, summary)), "--out");
  // The lift the plan can promise, measured on held-out weeks of the outcome history (never on
  // the model's own training data), or why it cannot be yet.
  const lift = await expectedLiftOf(job.historyFile, model);
  summary.expectedLift = lift;
  if (report)
    writeDocument(
      report,
      modelReportHtml(model, {
        ...(job.campaignName ? { campaignName: job.campaignName } : {}),
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
  if (capacity) ctx.note(capacityNote(capacity));
  if (job.history?.source === "campaign")
    ctx.note(
      `history: ${job.history.attempts} attempt(s) of campaign ${job.campaign} from the platform, ${job.history.from ?? "-"} to ${job.history.to ?? "-"}`,
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
      ...(job.rnd ? { rnd: rndCounts(job.rnd) } : {}),
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

/**
 * On the production platform with credentials, before a plan: a stale or missing copy of the
 * tenant's CXone DNC groups is synced (issue 62 §2), and the skill's name is read for the
 * report's title (issue 64 §2: "PC Collections", not "campaign 703"); a skill that cannot be read
 * leaves the id. Offline (no credentials) or on the seed API nothing is asked: the copy is used as
 * it is, and the name comes from the data dir when it created the campaign.
 */
/** Whether a plan asks CXone (production, credentials given) or the RND anything before it plans. */
async function sendsBeforePlanning(ctx: CliContext): Promise<boolean> {
  const settings = await ctx.settings();
  return onProductionCxone(settings) || rndConfigured(settings);
}

function onProductionCxone(settings: Awaited<ReturnType<CliContext["settings"]>>): boolean {
  const { platform, accessKeyId, clientId } = settings.cxone as {
    platform: string;
    accessKeyId?: string;
    clientId?: string;
  };
  return platform === "cxone" && (accessKeyId !== undefined || clientId !== undefined);
}

async function preparePlanOnPlatform(
  ctx: CliContext,
  campaignId: string,
): Promise<{ campaignName?: string }> {
  const settings = await ctx.settings();
  if (!onProductionCxone(settings)) return {};
  const { ensureFreshCxoneDnc } = await import("../../campaigns/compliance/cxone-dnc-freshness.ts");
  return ctx.withClient(async (client) => {
    await ctx.withStore((store) =>
      ensureFreshCxoneDnc(store, client.port, {
        nowMs: Date.now(),
        maxAgeMinutes: settings.consent.cxoneDncMaxAgeMinutes,
        actor: ctx.actor(),
      }),
    );
    const name = await client.port.campaigns.get(campaignId).then(
      (campaign) => campaign.name,
      () => undefined,
    );
    return name ? { campaignName: name } : {};
  });
}
