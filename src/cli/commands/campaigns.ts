import type { Command } from "commander";
import { WATCHDOG_DEFAULTS } from "../../campaigns/watchdog/defaults.ts";
import type { LiveRulesConfig } from "../../campaigns/watchdog/live-rules.ts";
import type { Evaluation } from "../../campaigns/watchdog/state.ts";
import type { WatchdogConfig } from "../../campaigns/watchdog/watchdog.ts";
import type { InternalClient } from "../../client.ts";
import { clockNowMs } from "../../core/clock/now.ts";
import { campaignIdProblem } from "../../core/ids.ts";
import { InputError, type InputProblem, ProblemCollector } from "../../core/input-error.ts";
import { registerSecret } from "../../core/logging/secrets.ts";
import { type PacingDecision, windowLabel } from "../../dialer/live-pacing/latest.ts";
import type { SkillLiveSnapshot } from "../../platform/ports/live.ts";
import type { CampaignStatusReport } from "../../sdk/campaigns.ts";
import { type CliContext, withContext } from "../context.ts";
import { flagsInText, withFlagNames } from "../flag-names.ts";

/**
 * `cxo campaigns create|pause|resume|status|webhook register|watch` (seed 002). Input is
 * validated before anything is sent (exit 2); every write goes through the journal. Every one of
 * them registers all the others, so what one action needs (the spec and webhook schemas, the
 * live rules) is imported when it runs.
 */
function checkId(value: string | undefined, field: string): InputProblem[] {
  const problem = campaignIdProblem(value, field);
  return problem ? [problem] : [];
}

/** The flag (or argument) that sets each field the campaigns capability names in its errors. */
const FLAG_OF: Record<string, string> = {
  contactListId: "--contact-list",
  primary: "--primary",
  backup: "--backup",
  threshold: "--threshold",
  windowMinutes: "--window-min",
  intervalSeconds: "--interval-s",
  minSample: "--min-sample",
  breaches: "--breaches",
  url: "--url",
  name: "--name",
  secret: "--secret",
};

/** Runs `fn` with a client; the capability's errors name this command's flags. */
const withCampaigns = <T>(ctx: CliContext, fn: (client: InternalClient) => Promise<T>): Promise<T> =>
  withFlagNames(FLAG_OF, () => ctx.withClient(fn));

export function registerCampaignCommands(group: Command): void {
  registerCreateCommand(group);
  registerStatusChangeCommand(group, "pause", "paused", "paused");
  registerStatusChangeCommand(group, "resume", "active", "resumed");
  registerListCommand(group);
  registerStatusCommand(group);
  registerWebhookCommands(group);
  registerWatchCommand(group);
}

/** `cxo campaigns create`: the spec checked before anything is sent, then created once. */
function registerCreateCommand(group: Command): void {
  group
    .command("create")
    .description("create a predictive campaign from a spec file, once (the same spec is never created twice)")
    .requiredOption("--spec <file>", "campaign spec, .yaml/.yml/.json (see examples/campaign.yaml)")
    .option("--contact-list <id>", "contact list id (overrides the spec's contactListId)")
    .action(
      withContext(async (ctx, options: { spec: string; contactList?: string }) => {
        const problems = checkId(options.contactList, "--contact-list");
        if (problems.length > 0) throw new InputError(problems);
        const [{ loadInputFile }, { campaignSpecSchema, resolveContactList }] = await Promise.all([
          import("../../core/input-file.ts"),
          import("../../campaigns/spec.ts"),
        ]);
        const parsed = loadInputFile(options.spec, campaignSpecSchema, "--spec");
        const resolved = resolveContactList(parsed, options.contactList);
        if ("problem" in resolved)
          throw new InputError({ ...resolved.problem, rule: flagsInText(resolved.problem.rule, FLAG_OF) });
        await withCampaigns(ctx, async (client) => {
          const outcome = await client.campaigns.create({ spec: resolved });
          const { campaign } = outcome;
          ctx.print(
            {
              campaignId: campaign.id,
              name: campaign.name,
              status: campaign.status,
              contactListId: campaign.contactListId,
              timeZone: campaign.timeZone,
              alreadyCreated: outcome.alreadyCreated,
              source: outcome.source,
              specHash: outcome.specHash,
              ...(outcome.warnings ? { warnings: outcome.warnings } : {}),
            },
            outcome.alreadyCreated
              ? `already created: campaign ${campaign.id} "${campaign.name}" (${campaign.status}) from this spec`
              : `created campaign ${campaign.id} "${campaign.name}" (${campaign.status})`,
          );
          for (const warning of outcome.warnings ?? []) ctx.note(warning);
        });
      }),
    );
}

/** `cxo campaigns pause|resume`: one status change, once. */
function registerStatusChangeCommand(
  group: Command,
  name: "pause" | "resume",
  target: "paused" | "active",
  verb: "paused" | "resumed",
): void {
  group
    .command(`${name} <campaignId>`)
    .description(
      `${name} a campaign, once: retries and restarts never repeat it; already ${target} is success (on the cxone platform the campaign id is a Personal Connection skill id)`,
    )
    .action(
      withContext(async (ctx, campaignId: string) => {
        const problems = checkId(campaignId, "campaignId");
        if (problems.length > 0) throw new InputError(problems);
        await withCampaigns(ctx, async (client) => {
          const result = await (target === "paused"
            ? client.campaigns.pause(campaignId)
            : client.campaigns.resume(campaignId));
          ctx.print(
            { ...result, alreadyInState: !result.changed },
            (result.changed
              ? `${verb} campaign ${campaignId}${result.previous ? ` (was ${result.previous})` : ""}`
              : `already ${target}: campaign ${campaignId} (nothing changed)`) +
              (result.warnings ?? []).map((w) => `\nwarning: ${w}`).join(""),
          );
        });
      }),
    );
}

/** `cxo campaigns list`. */
function registerListCommand(group: Command): void {
  group
    .command("list")
    .description(
      "the campaigns: on the cxone platform the business unit's outbound Personal Connection skills with their state; on the seed platform those created from this data dir",
    )
    .action(
      withContext(async (ctx) => {
        await withCampaigns(ctx, (client) => listCampaigns(ctx, client));
      }),
    );
}

/** `cxo campaigns status [ID]`: one campaign's report, or the list without an id. */
function registerStatusCommand(group: Command): void {
  group
    .command("status [campaignId]")
    .description(
      "a campaign's state, live metrics and failover incidents; without an id, the campaigns created here",
    )
    .option("--window-min <minutes>", "metrics window in minutes", "30")
    .action(
      withContext(async (ctx, campaignId: string | undefined, options: { windowMin: string }) => {
        const windowMinutes = Number(options.windowMin);
        const problems = checkId(campaignId, "campaignId");
        if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > 1440)
          problems.push({ field: "--window-min", rule: "must be a whole number of minutes from 1 to 1440" });
        if (problems.length > 0) throw new InputError(problems);
        await withCampaigns(ctx, async (client) => {
          if (campaignId === undefined) return listCampaigns(ctx, client);
          const report = await client.campaigns.status(campaignId, { windowMinutes });
          ctx.print(report, () => statusText(report));
        });
      }),
    );
}

/** `cxo campaigns webhook register`. */
function registerWebhookCommands(group: Command): void {
  const webhook = group.command("webhook").description("CXone campaign event subscriptions");
  webhook
    .command("register")
    .description("register our receiver (<url>/webhooks/cxone) for campaign metrics and state-change events")
    .requiredOption(
      "--url <url>",
      "the service's base URL (…/webhooks/cxone is added) or the full receiver URL",
    )
    .option("--secret <whsec>", "Standard Webhooks secret CXone signs with (env CXO_CXONE_WEBHOOK_SECRET)")
    .option("--name <name>", "registration name", "cxo campaign events")
    .action(
      withContext(async (ctx, options: { url: string; secret?: string; name: string }) => {
        const secret = options.secret ?? process.env.CXO_CXONE_WEBHOOK_SECRET;
        registerSecret(secret);
        const [{ zodProblems }, { webhookOptionsSchema }] = await Promise.all([
          import("../../core/input-file.ts"),
          import("../../campaigns/webhook.ts"),
        ]);
        const checked = webhookOptionsSchema.safeParse({
          url: options.url,
          name: options.name,
          ...(secret === undefined ? {} : { secret }),
        });
        if (!checked.success)
          throw new InputError(zodProblems(checked.error).map((p) => ({ ...p, field: `--${p.field}` })));
        await withCampaigns(ctx, async (client) => {
          const subscription = await client.campaigns.subscribe(checked.data);
          ctx.print(
            subscription,
            () =>
              `registered ${subscription.id}: ${subscription.callbackUrl} for ${subscription.events.join(", ")}` +
              (subscription.signed ? " (signed)" : " (unsigned: give --secret to have deliveries signed)"),
          );
        });
      }),
    );
}

/** `cxo campaigns watch`: the failover watchdog, looping or once. */
function registerWatchCommand(group: Command): void {
  group
    .command("watch")
    .description(
      "failover watchdog: pause the primary and activate the backup when its success rate stays low, or at once when its live figures break a live rule",
    )
    .option("--primary <id>", "campaign to watch")
    .option(
      "--backup <id>",
      "campaign to activate on failover (default: the primary spec's failover.backupCampaignId)",
    )
    .option(
      "--threshold <fraction>",
      `success rate below which a sample is a breach (default ${WATCHDOG_DEFAULTS.threshold})`,
    )
    .option("--window-min <minutes>", `metrics window (default ${WATCHDOG_DEFAULTS.windowMinutes})`)
    .option(
      "--interval-s <seconds>",
      `seconds between evaluations (default ${WATCHDOG_DEFAULTS.intervalSeconds})`,
    )
    .option(
      "--min-sample <calls>",
      `calls in the window needed to trust a sample (default ${WATCHDOG_DEFAULTS.minSample})`,
    )
    .option(
      "--breaches <k>",
      `consecutive breaches before failing over (default ${WATCHDOG_DEFAULTS.breaches})`,
    )
    .option("--fail-back", "fail back after k consecutive healthy samples of the primary (off by default)")
    .option(
      "--no-live",
      "judge the success rate only: skip the live rules (no agent logged in, no active contact while running, abandon rate above 5% today; 3 readings in a row)",
    )
    .option("--once", "evaluate the success rate once and exit (cron, scripts; no live rules)")
    .action(
      withContext(async (ctx, options: WatchOptions) => {
        const config = watchFlags(options);
        await withCampaigns(ctx, (client) =>
          runWatch(ctx, client, config, { once: options.once === true, live: options.live !== false }),
        );
      }),
    );
}

interface WatchOptions {
  primary?: string;
  backup?: string;
  threshold?: string;
  windowMin?: string;
  intervalS?: string;
  minSample?: string;
  breaches?: string;
  failBack?: boolean;
  once?: boolean;
  /** false with --no-live. */
  live?: boolean;
}

/** The watchdog settings the flags give (the primary's spec, then defaults, fill the rest). */
function watchFlags(options: WatchOptions): Partial<WatchdogConfig> & { primary: string } {
  const collector = new ProblemCollector();
  const { problems } = collector;
  if (options.primary === undefined) problems.push({ field: "--primary", rule: "is required" });
  problems.push(...checkId(options.primary, "--primary"), ...checkId(options.backup, "--backup"));
  const number = (value: string | undefined, field: string): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) {
      problems.push({ field, rule: "must be a number" });
      return undefined;
    }
    return n;
  };
  const flags = {
    primary: options.primary as string,
    backup: options.backup,
    threshold: number(options.threshold, "--threshold"),
    windowMinutes: number(options.windowMin, "--window-min"),
    intervalSeconds: number(options.intervalS, "--interval-s"),
    minSample: number(options.minSample, "--min-sample"),
    breaches: number(options.breaches, "--breaches"),
    failBack: options.failBack === true,
  };
  collector.throwIfAny();
  return flags;
}

async function runWatch(
  ctx: CliContext,
  client: InternalClient,
  flags: Partial<WatchdogConfig> & { primary: string },
  { once, live }: { once: boolean; live: boolean },
): Promise<void> {
  const { LIVE_RULE_DEFAULTS } = await import("../../campaigns/watchdog/live-rules.ts");
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const watchdog = await client.campaigns.watch({
    ...flags,
    stopSignal: controller.signal,
    mode: once ? "manual" : "loop",
    judgeLive: live,
  });
  const config = watchdog.config;
  watchdog.on("error", (error) => ctx.note(`watchdog: ${error.message}`));
  watchdog.on("failover", (report) =>
    ctx.note(
      `FAILOVER ${report.incident.id}: paused ${report.incident.primary}, activated ${report.incident.backup}`,
    ),
  );
  watchdog.on("fail-back", (report) =>
    ctx.note(
      `FAIL-BACK ${report.incident.id}: paused ${report.incident.backup}, resumed ${report.incident.primary}`,
    ),
  );
  try {
    if (once) {
      const evaluation = await watchdog.evaluateNow();
      const state = watchdog.state();
      ctx.print(
        {
          evaluation,
          state: {
            breaches: state.breaches,
            healthy: state.healthy,
            openIncidentId: state.openIncidentId,
            incidents: state.incidents,
          },
        },
        () => printEvaluation(evaluation, config, LIVE_RULE_DEFAULTS),
      );
      if (evaluation.error !== null) process.exitCode = 1;
      return;
    }
    ctx.note(
      `watching ${config.primary} (backup ${config.backup}) every ${config.intervalSeconds} s; Ctrl-C to stop`,
    );
    watchdog.on("evaluation", (evaluation) => {
      // A long run prints one line per evaluation: JSON lines with --json, text otherwise.
      process.stdout.write(
        `${ctx.json ? JSON.stringify(evaluation) : printEvaluation(evaluation, config, LIVE_RULE_DEFAULTS)}\n`,
      );
    });
    await new Promise<void>((resolve) => {
      if (controller.signal.aborted) resolve();
      controller.signal.addEventListener("abort", () => resolve(), { once: true });
    });
  } finally {
    await watchdog.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

async function listCampaigns(ctx: CliContext, client: InternalClient): Promise<void> {
  const rows = await client.campaigns.list().toArray();
  const tenant = client.port.campaigns.listTenant !== undefined;
  ctx.print({ campaigns: rows }, () =>
    rows.length === 0
      ? tenant
        ? "no outbound Personal Connection skills in this business unit"
        : "no campaigns created from this data dir yet (cxo campaigns create --spec FILE)"
      : rows
          .map((row) => `${row.id}  ${row.status.padEnd(9)} ${row.createdAt ?? "".padEnd(24)}  ${row.name}`)
          .join("\n"),
  );
}

/** One human line per evaluation. */
function printEvaluation(
  evaluation: Evaluation,
  config: WatchdogConfig,
  liveDefaults: LiveRulesConfig,
): string {
  if (evaluation.error !== null) return `${evaluation.at}  error: ${evaluation.error}`;
  if (evaluation.source === "live" && evaluation.live) {
    const { live } = evaluation;
    const rules = config.live ?? liveDefaults;
    const parts = [
      live.rule === null
        ? `${evaluation.at}  live: healthy (${live.source}, observed ${live.observedAt})`
        : `${evaluation.at}  live: ${live.reason} ${live.streak}/${rules.breaches}`,
    ];
    if (evaluation.action !== "none") parts.push(`action: ${evaluation.action}`);
    if (evaluation.incident) parts.push(`incident ${evaluation.incident.id} ${evaluation.incident.phase}`);
    return parts.join("; ");
  }
  const p = evaluation.primary;
  const rate = p ? `${(p.successRate * 100).toFixed(1)}%` : "?";
  const calls = p?.callsInWindow ?? "?";
  const verdict =
    evaluation.incident !== null && evaluation.verdict !== "insufficient"
      ? `${evaluation.verdict} (incident open)`
      : evaluation.verdict === "breach"
        ? `breach ${evaluation.breaches}/${config.breaches}`
        : evaluation.verdict === "insufficient"
          ? `insufficient sample (< ${config.minSample} calls)`
          : (evaluation.verdict ?? "");
  const parts = [`${evaluation.at}  primary ${rate} (${calls} calls) ${verdict}`];
  if (evaluation.action !== "none") parts.push(`action: ${evaluation.action}`);
  if (evaluation.incident) parts.push(`incident ${evaluation.incident.id} ${evaluation.incident.phase}`);
  if (evaluation.backup)
    parts.push(
      `backup ${(evaluation.backup.successRate * 100).toFixed(1)}% (${evaluation.backup.callsInWindow ?? "?"} calls)`,
    );
  return parts.join("; ");
}

/** `campaigns status` for a person: state, live figures, success rate, pacing, local knowledge. */
function statusText(report: CampaignStatusReport): string {
  const { campaign, metrics, live, known, incidents, unavailable, pacing } = report;
  return [
    `${campaign.id} "${campaign.name}": ${campaign.status} (${campaign.timeZone}, list ${campaign.contactListId})`,
    ...liveLines(live),
    ...(metrics ? [successRateLine(metrics)] : []),
    ...(pacing ? pacingLines(pacing) : []),
    ...unavailable.map((what) => `not available: ${what}`),
    known
      ? `created here ${known.createdAt} (spec ${known.specHash.slice(0, 12)})`
      : "not created from this data dir",
    ...incidents
      .slice(0, 5)
      .map(
        (i) =>
          `incident ${i.id}: ${i.phase}, opened ${i.openedAt}` +
          (i.closedAt ? `, closed ${i.closedAt} (${i.closedBy})` : ""),
      ),
  ].join("\n");
}

/** "n/a" when no call is behind the rate (never 0%); where the window ends when not now. */
function successRateLine(metrics: NonNullable<CampaignStatusReport["metrics"]>): string {
  const rate =
    metrics.successRate === null || metrics.callsInWindow === 0
      ? "n/a (no completed call in the window)"
      : `${(metrics.successRate * 100).toFixed(1)}%`;
  const end = metrics.windowEndsAt
    ? ` ending ${metrics.windowEndsAt} (completed contacts lag; the rate is judged on complete data)`
    : "";
  return (
    `success rate ${rate} over ${metrics.windowMinutes} min${end}, ` +
    `${metrics.callsInWindow ?? "?"} calls in the window, ${metrics.activeCalls} active`
  );
}

/** The latest pacing decision `cxo serve` made, as the board shows it (one figure per meaning). */
function pacingLines(p: PacingDecision): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const guard = p.mode === "guard";
  const ratio =
    p.ratio === null
      ? "ratio not known yet"
      : `${guard ? "maximum ratio" : "dial ratio in force"} ${p.ratio.toFixed(2)}${p.cap === null ? "" : ` of at most ${p.cap.toFixed(2)}${p.atCap ? " (AT THE CAP)" : ""}`}`;
  const wish = p.wish === null || p.wish === undefined ? "" : `, the controller wishes ${p.wish.toFixed(2)}`;
  return [
    `pacing (${guard ? "budget guard" : "automatic"}): ${ratio}${wish}${p.abandonTarget === null ? "" : `, abandon target ${pct(p.abandonTarget)}`}`,
    ...(p.tenantWide
      ? ["  the seed API has one dialer for the whole tenant: this ratio is every campaign's"]
      : []),
    ...(p.notPaced ? [`  ${p.notPaced}`] : []),
    `  abandonment ${pct(p.abandonment)} over ${windowLabel(p.window)} so far (legal limit ${pct(p.target)}), ${p.liveAnswers} live answers, ${Math.floor(p.budgetLeft)} abandons of budget left`,
    `  latest decision ${p.at}: ${p.reason}`,
  ];
}

/** The live figures a platform gave, each group with its age and source. */
function liveLines(live: SkillLiveSnapshot | null, now = clockNowMs()): string[] {
  if (!live) return ["live figures: none from this platform"];
  const age = (iso: string) => `${Math.max(0, Math.round((now - Date.parse(iso)) / 1000))} s old`;
  const figure = (name: string, value: number | undefined) =>
    value === undefined ? [] : [`${name} ${value}`];
  const now$ = [
    ...figure("agents logged in", live.agentsLoggedIn),
    ...figure("available", live.agentsAvailable),
    ...figure("working", live.agentsWorking),
    ...figure("in wrap-up", live.agentsInWrap),
    ...figure("contacts active", live.contactsActive),
    ...figure("queued", live.queued),
  ];
  const lines = [`live: ${now$.join(", ") || "no figures"} (${age(live.observedAt)}, ${live.source})`];
  const today = live.today;
  if (today) {
    const counts = [
      ...figure("dials", today.dials),
      ...figure("connects", today.connects),
      ...figure("right-party connects", today.rightPartyConnects),
      ...figure("abandons", today.abandons),
    ];
    const rate =
      today.abandonRate === undefined ? "" : `, abandon rate ${(today.abandonRate * 100).toFixed(1)}%`;
    lines.push(`today: ${counts.join(", ")}${rate} (${age(today.observedAt)}, ${today.source})`);
  }
  return lines;
}
