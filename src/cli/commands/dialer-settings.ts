import type { Command } from "commander";
import { z } from "zod";
import type { InternalClient } from "../../client.ts";
import { cxoneWords, NotFoundError } from "../../core/http/errors.ts";
import { campaignIdProblem } from "../../core/ids.ts";
import { InputError } from "../../core/input-error.ts";
import { zodProblems } from "../../core/input-file.ts";
import { zonedInstantText } from "../../core/instant-input.ts";
import { dialerAuditLogProblems, dialerMetricsProblems } from "../../dialer/metrics-query.ts";
import type { ApplyResult } from "../../dialer/settings/apply.ts";
import { describeChanges } from "../../dialer/settings/diff.ts";
import type { HistoryRow } from "../../dialer/settings/history.ts";
import type { LifecycleDeps } from "../../dialer/settings/lifecycle.ts";
import type { Finding } from "../../dialer/settings/local-checks.ts";
import { loadSettingsFile } from "../../dialer/settings/settings-file.ts";
import type { ValidationReport } from "../../dialer/settings/validate.ts";
import { DIALER_METRICS, type DialerMetricName, type DialerScope } from "../../platform/ports/dialer.ts";
import type { DialerApplyParams, DialerRollbackParams } from "../../sdk/dialer.ts";
import { CliContext, withContext } from "../context.ts";
import { rememberContext } from "../deliver-on-exit.ts";
import { renameFields, withFlagNames } from "../flag-names.ts";

/**
 * `cxo dialer validate|apply|history|diff|rollback|metrics|audit` (seed 003): the tenant's
 * dialer settings with local + server validation, version-tagged asynchronous activation,
 * automatic rollback, local history, and the server's analytics and audit log.
 */

/**
 * `--config` after a dialer command is its settings file; before the command it is the cxo
 * config file (options are positional, see cli/main.ts). The context is built from the
 * commands above this one plus this one's global options, so the file never stands in for the
 * cxo config.
 */
export function splitConfigFlag(command: Command): { file: string | undefined; ctx: CliContext } {
  const file = command.opts<{ config?: string }>().config;
  const { config: _dialerFile, ...options } = CliContext.fromCommand(command).options;
  const cxoConfig = command.parent ? CliContext.fromCommand(command.parent).options.config : undefined;
  const ctx = new CliContext({ ...options, ...(cxoConfig === undefined ? {} : { config: cxoConfig }) });
  rememberContext(ctx); // whose settings (and --no-deliver) the webhook deliveries on exit use
  return { file, ctx };
}

const waitFlags = z.object({
  deadlineS: z.coerce.number().positive({ message: "must be a number of seconds above 0" }).max(3600, {
    message: "must be at most 3600 seconds",
  }),
  pollMinMs: z.coerce
    .number()
    .int()
    .min(10, { message: "must be a whole number of ms, at least 10" })
    .max(60_000),
  pollMaxMs: z.coerce
    .number()
    .int()
    .min(10, { message: "must be a whole number of ms, at least 10" })
    .max(300_000),
  rollbackDeadlineS: z.coerce
    .number()
    .positive({ message: "must be a number of seconds above 0" })
    .max(3600, { message: "must be at most 3600 seconds" }),
});

/** The SDK's name of the campaign, as the flag that sets it. */
const CAMPAIGN_FLAG = { campaignId: "--campaign" };

const FLAG_NAMES: Record<string, string> = {
  deadlineS: "--deadline-s",
  pollMinMs: "--poll-min-ms",
  pollMaxMs: "--poll-max-ms",
  rollbackDeadlineS: "--rollback-deadline-s",
};

interface WaitSettings {
  wait: LifecycleDeps["wait"];
  rollbackWaitMs: number;
}

function parseWait(options: Record<string, unknown>): WaitSettings {
  const parsed = waitFlags.safeParse(options);
  if (!parsed.success)
    throw new InputError(
      zodProblems(parsed.error).map((p) => ({ ...p, field: FLAG_NAMES[p.field] ?? p.field })),
    );
  const { deadlineS, pollMinMs, pollMaxMs, rollbackDeadlineS } = parsed.data;
  if (pollMaxMs < pollMinMs)
    throw new InputError({ field: "--poll-max-ms", rule: "must be at least --poll-min-ms" });
  return {
    wait: { minDelayMs: pollMinMs, maxDelayMs: pollMaxMs, maxWaitMs: deadlineS * 1000 },
    rollbackWaitMs: rollbackDeadlineS * 1000,
  };
}

function requireFile(file: string | undefined): string {
  if (!file)
    throw new InputError({ field: "--config", rule: "is required: the dialer settings file (.yaml/.json)" });
  return file;
}

const addWaitOptions = (command: Command) =>
  command
    .option(
      "--deadline-s <seconds>",
      "how long to wait for the settings operation before rolling back",
      "120",
    )
    .option("--poll-min-ms <ms>", "first delay between operation polls (grows with jitter)", "500")
    .option("--poll-max-ms <ms>", "longest delay between operation polls", "5000")
    .option("--rollback-deadline-s <seconds>", "how long each wait of a rollback may take", "300");

const CAMPAIGN_HELP =
  "campaign whose dialer settings these are (on the cxone platform: the Personal Connection skill id, required unless cxone.productionApi.dialerSkillId is set; the seed API's settings are tenant-wide)";

/** Whose settings a command acts on: --campaign, else the configured skill (production platform). */
async function dialerScope(ctx: CliContext, campaign: string | undefined): Promise<DialerScope> {
  const problem = campaignIdProblem(campaign, "--campaign");
  if (problem) throw new InputError(problem);
  const settings = await ctx.settings();
  // The seed API's settings are tenant-wide: one history, whatever campaign is named.
  if (settings.cxone.platform !== "cxone") return {};
  const skill = campaign ?? settings.cxone.productionApi.dialerSkillId;
  if (!skill)
    throw new InputError({
      field: "--campaign",
      rule: "is required on the cxone platform: dialer settings belong to a Personal Connection skill (pass its id, or set cxone.productionApi.dialerSkillId)",
    });
  return { campaignId: skill };
}

/** The wait flags, the scope and the interrupt (first Ctrl-C stops the wait) as the SDK's options. */
function lifecycleParams(
  ctx: CliContext,
  wait: WaitSettings,
  scope: DialerScope,
  stopSignal: AbortSignal,
  purpose: "apply" | "rollback",
): DialerApplyParams & DialerRollbackParams {
  const delays = { minDelayMs: wait.wait.minDelayMs, maxDelayMs: wait.wait.maxDelayMs };
  return {
    ...scope,
    waitFor: { ...delays, maxWaitMs: purpose === "apply" ? wait.wait.maxWaitMs : wait.rollbackWaitMs },
    rollbackWaitFor: { maxWaitMs: wait.rollbackWaitMs },
    // Ctrl-C stops the wait: apply rolls back, and the result says so.
    stopSignal,
    note: (text) => ctx.note(text),
  };
}

/** Runs a lifecycle command with a client and the Ctrl-C convention; the SDK's `to` is `--to`. */
async function withLifecycle<T>(
  ctx: CliContext,
  fn: (client: InternalClient, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const interrupt = ctx.interrupt("stopping the wait");
  try {
    return await withFlagNames({ to: "--to", campaignId: "--campaign" }, () =>
      ctx.withClient((client) => fn(client, interrupt.signal)),
    );
  } finally {
    interrupt.dispose();
  }
}

// ── rendering ──────────────────────────────────────────────────────────────────────────────

function findingLine(f: Finding): string {
  const value =
    f.value === null
      ? ""
      : ` (value ${typeof f.value === "number" ? Number(f.value.toPrecision(4)) : f.value})`;
  return `  [${f.source}] ${f.field}: ${f.rule}${value} — ${f.message}`;
}

function validationText(report: ValidationReport): string {
  const lines = [
    report.ok
      ? "valid: no violations"
      : `INVALID: ${report.violations.length} violation${report.violations.length === 1 ? "" : "s"}`,
    ...report.violations.map(findingLine),
  ];
  if (report.warnings.length > 0)
    lines.push(`warnings (${report.warnings.length}):`, ...report.warnings.map(findingLine));
  const f = report.figures;
  lines.push(
    `figures: ${f.dialsPerSecond.toFixed(2)} dials/s, ~${f.meanBusyChannels.toFixed(1)} busy channels, trunk blocking ${(f.trunkBlocking * 100).toFixed(3)}%, ${f.linesWanted.toFixed(1)} lines wanted, simulated abandonment ${(f.predictedAbandonment.rate * 100).toFixed(2)}% (95% CI ${(f.predictedAbandonment.ci95.low * 100).toFixed(2)}–${(f.predictedAbandonment.ci95.high * 100).toFixed(2)}%)`,
    report.server
      ? // A platform without a policy service answers with local checks: never call them CXone's verdict.
        report.server.checksPerformed.length > 0 &&
        report.server.checksPerformed.every((check) => check.startsWith("local:"))
        ? `local policy checks (this platform has no CXone policy service): ${report.server.status} (${report.server.checksPerformed.join(", ")})`
        : `CXone policy validation: ${report.server.status} (${report.server.checksPerformed.join(", ")})`
      : `CXone policy validation: skipped (${report.serverSkipped})`,
  );
  return lines.join("\n");
}

function applyText(result: ApplyResult): string {
  const lines = [result.message];
  if (result.changes.length > 0 && result.outcome !== "conflict")
    lines.push("changes:", describeChanges(result.changes));
  if (result.conflict)
    lines.push(
      `changed underneath (snapshot ${result.snapshotVersionTag} → current ${result.conflict.currentVersionTag}):`,
      describeChanges(result.conflict.changedUnderneath),
    );
  if (result.rollback && "differences" in result.rollback && result.rollback.differences)
    lines.push("differences:", describeChanges(result.rollback.differences));
  return lines.join("\n");
}

function historyText(rows: HistoryRow[]): string {
  if (rows.length === 0) return "no history yet (it is recorded by cxo dialer apply / rollback)";
  return rows
    .map(
      (r) =>
        `${r.at}  ${r.versionTag.padEnd(14)}  ${r.source.padEnd(8)}  ${r.outcome.padEnd(9)}  ${r.operationId ?? "-"}${r.detail ? `  (${r.detail})` : ""}`,
    )
    .join("\n");
}

// ── commands ───────────────────────────────────────────────────────────────────────────────

export function registerDialerSettingsCommands(group: Command): void {
  registerValidateCommand(group);
  registerApplyCommand(group);
  registerHistoryCommand(group);
  registerDiffCommand(group);
  registerRollbackCommand(group);
  registerMetricsCommand(group);
  registerAuditCommand(group);
}

/** `cxo dialer validate`: local rules, then CXone's policy check. */
function registerValidateCommand(group: Command): void {
  group
    .command("validate")
    .description(
      "check a dialer settings file: local rules (abandonment, trunks, consistency, simulation), then CXone's policy",
    )
    .option("--config <file>", "dialer settings file (.yaml/.json)")
    .option("--campaign <id>", CAMPAIGN_HELP)
    .action(async (options: { campaign?: string }, command: Command) => {
      const { file, ctx } = splitConfigFlag(command);
      const config = loadSettingsFile(requireFile(file), "--config");
      const scope = await dialerScope(ctx, options.campaign);
      const report = await withFlagNames(CAMPAIGN_FLAG, () =>
        ctx.withClient((client) => client.dialer.validate(config, scope)),
      );
      ctx.print({ file, ...report }, () => validationText(report));
      if (!report.ok) process.exitCode = 1;
    });
}

/** `cxo dialer apply`: validate, snapshot, apply, wait, verify (rolled back on failure). */
function registerApplyCommand(group: Command): void {
  addWaitOptions(
    group
      .command("apply")
      .description(
        "validate, snapshot, apply only over the version read, wait for the operation, verify; roll back automatically on failure",
      )
      .option("--config <file>", "dialer settings file (.yaml/.json)")
      .option("--campaign <id>", CAMPAIGN_HELP),
  ).action(async (options: Record<string, unknown> & { campaign?: string }, command: Command) => {
    const { file, ctx } = splitConfigFlag(command);
    const wait = parseWait(options);
    const config = loadSettingsFile(requireFile(file), "--config");
    const scope = await dialerScope(ctx, options.campaign);
    await withLifecycle(ctx, async (client, signal) => {
      const result = await client.dialer.apply(config, {
        ...lifecycleParams(ctx, wait, scope, signal, "apply"),
        onValidated: (validation) => {
          for (const w of validation.warnings) ctx.note(`warning: ${findingLine(w).trim()}`);
        },
      });
      if (result.outcome === "invalid") {
        ctx.print(
          { outcome: "invalid", ok: false, file, validation: result.validation },
          () => `not applied: ${validationText(result.validation)}`,
        );
        process.exitCode = 1;
        return;
      }
      const { validation, ...applied } = result;
      ctx.print({ file, ...applied, warnings: validation.warnings }, () => applyText(applied));
      if (!result.ok) process.exitCode = 1;
    });
  });
}

/** `cxo dialer history`: the versions seen and applied from this data dir. */
function registerHistoryCommand(group: Command): void {
  group
    .command("history")
    .description("the dialer settings versions seen and applied from this data dir, oldest first")
    .option("--campaign <id>", CAMPAIGN_HELP)
    .action(
      withContext(async (ctx, options: { campaign?: string }) => {
        const scope = await dialerScope(ctx, options.campaign);
        const rows = await withFlagNames(CAMPAIGN_FLAG, () =>
          ctx.withClient((client) => client.dialer.history(scope)),
        );
        ctx.print({ versions: rows }, () => historyText(rows));
      }),
    );
}

/** `cxo dialer diff FROM TO`: field-by-field differences between two versions. */
function registerDiffCommand(group: Command): void {
  group
    .command("diff")
    .description('field-by-field differences between two versions from the history ("current" = CXone now)')
    .argument("<from>", "version tag, or current")
    .argument("<to>", "version tag, or current")
    .option("--campaign <id>", CAMPAIGN_HELP)
    .action(
      withContext(async (ctx, from: string, to: string, options: { campaign?: string }) => {
        const scope = await dialerScope(ctx, options.campaign);
        // The client's dialer.diff: the history's versions are the data dir's (nothing sent);
        // "current" is read from CXone, so then the client has the connection.
        const needsCxone = from === "current" || to === "current";
        const diff = await withFlagNames({ ...CAMPAIGN_FLAG, from: "<from>", to: "<to>" }, () =>
          ctx.withClient(
            (client) => client.dialer.diff({ from, to, ...scope }),
            needsCxone ? { local: true } : { offline: true },
          ),
        );
        const name = (tag: string, resolved: string) => (tag === "current" ? `current (${resolved})` : tag);
        ctx.print(
          diff,
          () => `${name(from, diff.from)} → ${name(to, diff.to)}:\n${describeChanges(diff.changes)}`,
        );
      }),
    );
}

/** `cxo dialer rollback [--to VERSION]`: restore an earlier version's settings. */
function registerRollbackCommand(group: Command): void {
  addWaitOptions(
    group
      .command("rollback")
      .description(
        "restore an earlier version's settings (default: the one before the current), with a fresh version tag, then verify",
      )
      .option("--to <version>", "version tag from cxo dialer history")
      .option("--campaign <id>", CAMPAIGN_HELP),
  ).action(
    withContext(async (ctx, options: Record<string, unknown> & { to?: string; campaign?: string }) => {
      const wait = parseWait(options);
      const scope = await dialerScope(ctx, options.campaign);
      await withLifecycle(ctx, async (client, signal) => {
        const result = await client.dialer.rollback({
          ...lifecycleParams(ctx, wait, scope, signal, "rollback"),
          ...(options.to === undefined ? {} : { to: options.to }),
        });
        const target = { versionTag: result.to };
        const ok = result.outcome === "restored" || result.outcome === "unchanged";
        ctx.print({ ok, ...result }, () =>
          result.outcome === "restored"
            ? `rolled back to the settings of ${target.versionTag}: now version ${result.versionTag} (operation ${result.operationId}, written over version ${result.ifMatch}, verified)`
            : result.outcome === "unchanged"
              ? `the current version ${result.versionTag} already has the settings of ${target.versionTag}; nothing sent`
              : `rollback ${result.outcome}: ${result.reason}${"differences" in result && result.differences ? `\n${describeChanges(result.differences)}` : ""}`,
        );
        if (!ok) process.exitCode = 1;
      });
    }),
  );
}

/** `cxo dialer metrics --campaign ID`: the campaign's dialer analytics, all pages. */
function registerMetricsCommand(group: Command): void {
  group
    .command("metrics")
    .description("a campaign's dialer analytics (efficiency, abandonment, answer rate, wait), all pages")
    .requiredOption(
      "--campaign <id>",
      "campaign id (on the cxone platform: a Personal Connection skill id, e.g. 101)",
    )
    .option("--metrics <names>", `comma list of ${DIALER_METRICS.join(", ")}`, DIALER_METRICS.join(","))
    .option(
      "--from <iso>",
      "start (ISO 8601 with offset); default: 7 days (hour) / 30 days (day) before --to",
    )
    .option("--to <iso>", "end (ISO 8601 with offset); default now")
    .option("--group-by <unit>", "hour or day", "hour")
    .action(
      withContext(
        async (
          ctx,
          options: { campaign: string; metrics: string; from?: string; to?: string; groupBy: string },
        ) => {
          const query = parseMetricsOptions(options);
          const rows = await ctx.withClient(async (client) => {
            const out = [];
            try {
              for await (const row of client.dialer.metrics(query)) out.push(row);
            } catch (error) {
              if (error instanceof NotFoundError)
                throw new InputError({
                  field: "--campaign",
                  rule: `campaign ${query.campaignId} does not exist${cxoneWords(error)}`,
                });
              throw error;
            }
            return out;
          });
          const flat = rows.map((r) => ({ timestamp: r.timestamp, campaignId: r.campaignId, ...r.values }));
          ctx.print(
            { campaignId: query.campaignId, metrics: query.metrics, rows: flat.length, results: flat },
            () =>
              [
                ["timestamp", ...query.metrics].join("\t"),
                ...flat.map((r) => [r.timestamp, ...query.metrics.map((m) => String(r[m] ?? ""))].join("\t")),
                `${flat.length} row(s)`,
              ].join("\n"),
          );
        },
      ),
    );
}

/** `cxo dialer audit`: CXone's audit log of dialer (or campaign) changes. */
function registerAuditCommand(group: Command): void {
  group
    .command("audit")
    .description("CXone's audit log of dialer (or campaign) changes, newest first, all pages up to --limit")
    .option("--entity <entity>", "dialer or campaign", "dialer")
    .option("--limit <n>", "at most this many entries", "1000")
    .option(
      "--campaign <id>",
      "campaign (skill) whose changes to list, where the platform keeps them per campaign",
    )
    .action(
      withContext(async (ctx, options: { entity: string; limit: string; campaign?: string }) => {
        // The entity (the SDK's rule) and the limit first, then the campaign, as always.
        const flags = { entity: "--entity", campaignId: "--campaign" };
        const limitFlag = z.coerce.number().int().min(1).max(1_000_000).safeParse(options.limit);
        const first = [
          ...dialerAuditLogProblems({ entity: options.entity }),
          ...(limitFlag.success ? [] : zodProblems(limitFlag.error, "limit")),
        ];
        if (first.length > 0) throw renameFields(new InputError(first), { ...flags, limit: "--limit" });
        const campaign = dialerAuditLogProblems({ campaignId: options.campaign });
        if (campaign.length > 0) throw renameFields(new InputError(campaign), flags);
        const entity = options.entity as "dialer" | "campaign";
        const limit = limitFlag.data as number;
        const entries = await ctx.withClient((client) =>
          client.dialer
            .auditLog({
              entity,
              pageSize: Math.min(50, limit),
              ...(options.campaign ? { campaignId: options.campaign } : {}),
            })
            .toArray(limit),
        );
        ctx.print({ entity, count: entries.length, logs: entries }, () =>
          [
            ...entries.map(
              (e) =>
                `${e.timestamp}  ${e.action.padEnd(26)}  ${(e.versionTag ?? "-").padEnd(14)}  ${e.actor ?? "-"}`,
            ),
            `${entries.length} entr${entries.length === 1 ? "y" : "ies"}`,
          ].join("\n"),
        );
      }),
    );
}

/** The metrics query's fields by the flags that set them. */
const METRICS_FLAG_OF: Record<string, string> = {
  metrics: "--metrics",
  campaignId: "--campaign",
  from: "--from",
  to: "--to",
  groupBy: "--group-by",
};

function parseMetricsOptions(options: {
  campaign: string;
  metrics: string;
  from?: string;
  to?: string;
  groupBy: string;
}) {
  const names = options.metrics
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  const problems = dialerMetricsProblems(
    {
      campaignId: options.campaign,
      metrics: names,
      from: options.from,
      to: options.to,
      groupBy: options.groupBy,
    },
    "comma list",
  );
  if (problems.length > 0) throw renameFields(new InputError(problems), METRICS_FLAG_OF);
  return {
    campaignId: options.campaign,
    metrics: [...new Set(names)] as DialerMetricName[],
    groupBy: options.groupBy as "hour" | "day",
    // As RFC 3339 (same instant and offset): what either platform reads.
    from: options.from === undefined ? undefined : zonedInstantText(options.from),
    to: options.to === undefined ? undefined : zonedInstantText(options.to),
  };
}
