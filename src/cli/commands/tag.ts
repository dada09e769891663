import type { Command } from "commander";
import type { InternalClient } from "../../client.ts";
import { AuthError, CxoneError, NotFoundError, ScopeError } from "../../core/http/errors.ts";
import { campaignIdProblem } from "../../core/ids.ts";
import { InputError, ProblemCollector } from "../../core/input-error.ts";
import { assertReadableFile } from "../../core/input-file.ts";
import type { BulkSummary } from "../../dispositions/bulk-tag.ts";
import { progressBar } from "../../dispositions/progress.ts";
import { formatOf } from "../../dispositions/row-source.ts";
import { NotSupportedError } from "../../platform/errors.ts";
import type { TagResult } from "../../sdk/dispositions.ts";
import { type CliContext, withContext } from "../context.ts";
import { refusedAfterWrite } from "../exit-codes.ts";
import { withFlagNames, withFlagNamesSync } from "../flag-names.ts";
import { withStdinFile } from "../stdin-file.ts";

/**
 * `cxo tag`: tag one call, or every row of a CSV/NDJSON file (seed 000).
 * Exit codes: 0 all tagged; 1 a call/row failed (or the run was interrupted); 2 bad input,
 * nothing sent (for a file: every row invalid, or a dry run that found invalid rows).
 */
interface TagOptions {
  campaign: string;
  call?: string;
  disposition?: string;
  reason?: string;
  tag: string[];
  notes?: string;
  file?: string;
  dryRun?: boolean;
  concurrency?: string;
  report?: string;
  replaceReport?: boolean;
  force?: boolean;
}

export function registerTagCommands(program: Command): void {
  program
    .command("tag")
    .description(
      "tag outbound calls with a disposition code, reason code, tags and notes (one call or a file)",
    )
    .requiredOption(
      "--campaign <id>",
      "campaign whose disposition matrix the codes must come from (on the cxone platform: a Personal Connection skill id, e.g. 101)",
    )
    .option("--call <id>", "the call to tag")
    .option("--disposition <code>", "disposition code id, or its name in the campaign's matrix (with --call)")
    .option("--reason <code>", "reason code id; must belong to the disposition code (with --call)")
    .option(
      "--tag <tag>",
      "a tag (repeat for several, at most 10)",
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option("--notes <text>", "free-text notes (at most 2000 characters)")
    .option(
      "--file <rows>",
      "CSV or NDJSON rows (- = stdin): callId, dispositionCodeId, reasonCodeId, tags (a;b), notes",
    )
    .option("--dry-run", "with --file: validate every row, send nothing")
    .option(
      "--concurrency <n>",
      "with --file: rows in flight at once (default: 32, more when the tagging limit is higher)",
    )
    .option("--report <file>", "with --file: write the invalid rows' problems as CSV")
    .option("--replace-report", "with --report: replace a file there that is not a problem report cxo wrote")
    .option(
      "--force",
      "with --file: send again the rows an earlier run of the same file already tagged (a rerun skips them otherwise)",
    )
    .action(
      withContext(async (ctx, options: TagOptions) => {
        checkOptions(options);
        // A file's problems name its columns; a single call's name the flags that gave each field.
        await withFlagNames(options.file ? FILE_FLAGS : FLAG_OF, () =>
          ctx.withClient(async (client) => {
            if (options.file) await runFile(ctx, client, options);
            else await runOne(ctx, client, options);
          }),
        );
      }),
    );
}

function checkOptions(options: TagOptions): void {
  const problems = [];
  const campaign = campaignIdProblem(options.campaign, "--campaign");
  if (campaign) problems.push(campaign);
  if (options.file) {
    for (const flag of ["call", "disposition", "reason", "notes"] as const)
      if (options[flag] !== undefined)
        problems.push({ field: `--${flag}`, rule: "cannot be combined with --file" });
    if (options.tag.length > 0) problems.push({ field: "--tag", rule: "cannot be combined with --file" });
    const n = Number(options.concurrency);
    if (options.concurrency !== undefined && (!Number.isInteger(n) || n < 1 || n > 256))
      problems.push({ field: "--concurrency", rule: "must be a whole number from 1 to 256" });
    // The file is checked before anything is sent (the campaign's codes are fetched first);
    // standard input (-) is read, and its format sniffed, when the run starts.
    if (options.file !== "-") {
      const collector = new ProblemCollector();
      collector.attempt(() => withFlagNamesSync({ file: "--file" }, () => formatOf(options.file as string)));
      collector.attempt(() => assertReadableFile(options.file as string, "--file"));
      problems.push(...collector.problems.slice(0, 1));
    }
  } else {
    if (options.call === undefined) problems.push({ field: "--call", rule: "is required (or give --file)" });
    if (options.disposition === undefined)
      problems.push({ field: "--disposition", rule: "is required with --call" });
    if (options.dryRun) problems.push({ field: "--dry-run", rule: "only applies to --file" });
    if (options.report) problems.push({ field: "--report", rule: "only applies to --file" });
    if (options.replaceReport) problems.push({ field: "--replace-report", rule: "only applies to --file" });
    if (options.concurrency !== undefined)
      problems.push({ field: "--concurrency", rule: "only applies to --file" });
    if (options.force) problems.push({ field: "--force", rule: "only applies to --file" });
  }
  if (problems.length > 0) throw new InputError(problems);
}

/** The flags of a file run (the SDK's errors name its parameters). */
const FILE_FLAGS: Record<string, string> = {
  campaignId: "--campaign",
  file: "--file",
  reportFile: "--report",
  replaceReport: "--replace-report",
};

/** The flag that sets each field of a tagging row (the SDK's errors name the fields). */
const FLAG_OF: Record<string, string> = {
  campaignId: "--campaign",
  callId: "--call",
  dispositionCodeId: "--disposition",
  reasonCodeId: "--reason",
  tags: "--tag",
  notes: "--notes",
};

async function runOne(ctx: CliContext, client: InternalClient, options: TagOptions): Promise<void> {
  const row = {
    callId: options.call as string,
    dispositionCodeId: options.disposition as string,
    reasonCodeId: options.reason,
    tags: options.tag,
    notes: options.notes,
  };
  let outcome: TagResult;
  try {
    outcome = await client.dispositions.tag(options.campaign, row);
  } catch (error) {
    // Credentials and platform problems are the CLI's usual errors, and so is a campaign that a
    // read found missing (exit 2, nothing sent). CXone refusing the PUT — an unknown call (404),
    // a locked one (409) — is a refusal after a send: exit 1 (docs/cli.md, "Exit codes").
    const refused =
      error instanceof CxoneError &&
      !(error instanceof AuthError || error instanceof ScopeError || error instanceof NotSupportedError) &&
      (!(error instanceof NotFoundError) || refusedAfterWrite(error));
    if (!refused) throw error;
    process.exitCode = 1;
    // CXone refused the call: stderr in human mode (stdout stays for results); --json still
    // prints its one document, with ok: false.
    const status = error.status ?? 0;
    const failure = { ok: false, callId: row.callId, status, locked: status === 409, error: error.message };
    if (ctx.json) ctx.print({ campaignId: options.campaign, ...failure }, "");
    else process.stderr.write(`error: not tagged: ${error.message}\n`);
    return;
  }
  if (outcome.partial) {
    // Part of the row went through: say what was applied, what was not and why; exit 1.
    process.exitCode = 1;
    if (ctx.json) ctx.print({ campaignId: options.campaign, ...outcome }, "");
    else
      process.stderr.write(
        `error: partly tagged: ${outcome.callId} has disposition ${row.dispositionCodeId}, but not the tags ${outcome.partial.notApplied.tags.join(", ")}: ${outcome.partial.reason}\n`,
      );
    return;
  }
  ctx.print(
    { campaignId: options.campaign, ...outcome },
    () =>
      `tagged ${outcome.callId}: disposition ${outcome.dispositionCodeId}${
        outcome.dispositionCodeId === row.dispositionCodeId.trim()
          ? ""
          : ` ("${row.dispositionCodeId.trim()}")`
      }${row.reasonCodeId ? `, reason ${row.reasonCodeId}` : ""}${
        outcome.tagsApplied.length > 0 ? `, tags ${outcome.tagsApplied.join(", ")} applied` : ", no tags"
      } in ${outcome.latencyMs.toFixed(1)} ms (${outcome.attempts} attempt${outcome.attempts === 1 ? "" : "s"})`,
  );
}

async function runFile(ctx: CliContext, client: InternalClient, options: TagOptions): Promise<void> {
  const interrupt = ctx.interrupt("stopping: finishing the rows in flight");
  let summary: BulkSummary;
  try {
    summary = await withStdinFile(options.file as string, "--file", (file) =>
      client.dispositions.tagFile(file, {
        campaignId: options.campaign,
        ...(options.concurrency !== undefined ? { concurrency: Number(options.concurrency) } : {}),
        dryRun: options.dryRun === true,
        force: options.force === true,
        ...(options.report ? { reportFile: options.report } : {}),
        ...(options.replaceReport ? { replaceReport: true } : {}),
        // Ctrl-C: no new row starts, the rows in flight finish and are recorded.
        stopSignal: interrupt.signal,
        progress: (total) => progressBar(total, ctx.decorated),
      }),
    );
  } finally {
    interrupt.dispose();
  }
  if (!ctx.json) {
    for (const p of summary.problems) ctx.note(`invalid: row ${p.row}, ${p.field}: ${p.rule}`);
    for (const f of summary.failures.slice(0, 50)) ctx.note(`failed: row ${f.row} (${f.callId}): ${f.error}`);
    if (summary.failures.length > 50) ctx.note(`… and ${summary.failures.length - 50} more failed rows`);
  }
  ctx.print(summary, () => human(summary));
  const sentNothing = summary.succeeded + summary.failed + summary.skipped + summary.redrivenRows === 0;
  if (summary.invalid > 0 && sentNothing) process.exitCode = 2;
  else if (summary.invalid > 0 || summary.failed > 0 || summary.interrupted) process.exitCode = 1;
}

function human(s: BulkSummary): string {
  const lines = [`${s.dryRun ? "dry run: " : ""}${s.total} rows: ${s.valid} valid, ${s.invalid} invalid`];
  if (!s.dryRun)
    lines.push(
      `tagged ${s.succeeded}, failed ${s.failed}${
        Object.keys(s.failedByStatus).length
          ? ` (${Object.entries(s.failedByStatus)
              .map(([k, v]) => `${k}: ${v}`)
              .join(", ")})`
          : ""
      }${s.redrivenRows > 0 ? `, re-driven ${s.redrivenRows} left pending by an interrupted run` : ""}, skipped ${s.skipped} already done${s.forced ? " (--force: rows already tagged were sent again)" : ""}`,
      `${s.throughputPerSec.toFixed(1)} rows/s; latency p50 ${s.latencyMs.p50} ms, p95 ${s.latencyMs.p95} ms, p99 ${s.latencyMs.p99} ms`,
    );
  if (s.skipped > 0)
    lines.push(
      `note: ${s.skipped} of ${s.valid} valid rows were not sent: an earlier run of this file already tagged them (add --force to send them again)`,
    );
  if (s.interrupted) lines.push("interrupted: rerun the same command to continue where it stopped");
  return lines.join("\n");
}
