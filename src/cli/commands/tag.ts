import type { Command } from "commander";
import { createClient } from "../../client.ts";
import { NotFoundError } from "../../core/http/errors.ts";
import { shareRateBudget } from "../../core/http/rate-budget.ts";
import { InputError, ProblemCollector } from "../../core/input-error.ts";
import { assertReadableFile } from "../../core/input-file.ts";
import { type BulkSummary, tagFile } from "../../dispositions/bulk-tag.ts";
import { progressBar } from "../../dispositions/progress.ts";
import { formatOf } from "../../dispositions/row-source.ts";
import { ID_PATTERN, ID_RULE } from "../../dispositions/rules.ts";
import { openTaggingSession, type TaggingSession } from "../../dispositions/session.ts";
import { tagCall } from "../../dispositions/tag-call.ts";
import { validateTagRow } from "../../dispositions/validate-row.ts";
import type { DispositionMatrix } from "../../platform/types.ts";
import { CliContext } from "../context.ts";

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
  concurrency: string;
  report?: string;
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
    .option("--disposition <code>", "disposition code id (with --call)")
    .option("--reason <code>", "reason code id; must belong to the disposition code (with --call)")
    .option(
      "--tag <tag>",
      "a tag (repeat for several, at most 10)",
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option("--notes <text>", "free-text notes (at most 2000 characters)")
    .option("--file <rows>", "CSV or NDJSON rows: callId, dispositionCodeId, reasonCodeId, tags (a;b), notes")
    .option("--dry-run", "with --file: validate every row, send nothing")
    .option("--concurrency <n>", "with --file: rows in flight at once", "32")
    .option("--report <file>", "with --file: write the invalid rows' problems as CSV")
    .action(async (options: TagOptions, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      checkOptions(options);
      const settings = ctx.settings();
      const client = createClient({ settings, logger: ctx.logger() });
      let session: TaggingSession | undefined;
      try {
        session = await openTaggingSession(client.dispositions, settings, {
          actor: client.connection.clientId,
        });
        if (session.redriven.redriven > 0)
          ctx.note(
            `re-drove ${session.redriven.redriven} tagging operation(s) left pending by an earlier run`,
          );
        await matrixOrInputError(session, options.campaign);
        if (options.file && !options.dryRun) {
          // Other processes tagging for this tenant on this store get their share of the limit.
          const budget = await shareRateBudget(client.core.limits, session.store.rateShares, {
            tenant: client.core.tenant,
            groups: ["dispositions"],
          });
          try {
            await runFile(ctx, session, options);
          } finally {
            await budget.close();
          }
        } else if (options.file) await runFile(ctx, session, options);
        else await runOne(ctx, session, options);
      } finally {
        await session?.close();
        await client.close();
      }
    });
}

function checkOptions(options: TagOptions): void {
  const problems = [];
  if (!ID_PATTERN.test(options.campaign)) problems.push({ field: "--campaign", rule: ID_RULE });
  if (options.file) {
    for (const flag of ["call", "disposition", "reason", "notes"] as const)
      if (options[flag] !== undefined)
        problems.push({ field: `--${flag}`, rule: "cannot be combined with --file" });
    if (options.tag.length > 0) problems.push({ field: "--tag", rule: "cannot be combined with --file" });
    const n = Number(options.concurrency);
    if (!Number.isInteger(n) || n < 1 || n > 256)
      problems.push({ field: "--concurrency", rule: "must be a whole number from 1 to 256" });
    // The file is checked before anything is sent (the campaign's codes are fetched first).
    const collector = new ProblemCollector();
    collector.attempt(() => formatOf(options.file as string));
    collector.attempt(() => assertReadableFile(options.file as string, "--file"));
    problems.push(...collector.problems.slice(0, 1));
  } else {
    if (options.call === undefined) problems.push({ field: "--call", rule: "is required (or give --file)" });
    if (options.disposition === undefined)
      problems.push({ field: "--disposition", rule: "is required with --call" });
    if (options.dryRun) problems.push({ field: "--dry-run", rule: "only applies to --file" });
    if (options.report) problems.push({ field: "--report", rule: "only applies to --file" });
  }
  if (problems.length > 0) throw new InputError(problems);
}

async function matrixOrInputError(session: TaggingSession, campaignId: string): Promise<DispositionMatrix> {
  try {
    return await session.matrices.get(campaignId);
  } catch (error) {
    if (error instanceof NotFoundError)
      throw new InputError({ field: "--campaign", rule: `campaign ${campaignId} does not exist` });
    throw error;
  }
}

const FLAG_OF: Record<string, string> = {
  callId: "--call",
  dispositionCodeId: "--disposition",
  reasonCodeId: "--reason",
  tags: "--tag",
  notes: "--notes",
};
const flagOf = (field: string) => FLAG_OF[field] ?? FLAG_OF[field.replace(/\[\d+\]$/, "")] ?? field;

async function runOne(ctx: CliContext, session: TaggingSession, options: TagOptions): Promise<void> {
  const matrix = await session.matrices.get(options.campaign);
  const checked = validateTagRow(
    {
      callId: options.call,
      dispositionCodeId: options.disposition,
      reasonCodeId: options.reason,
      tags: options.tag,
      notes: options.notes,
    },
    matrix,
  );
  if (!checked.ok)
    throw new InputError(checked.problems.map((p) => ({ field: flagOf(p.field), rule: p.rule })));
  const outcome = await tagCall(session, options.campaign, checked.request);
  if (!outcome.ok && outcome.problems)
    throw new InputError(
      outcome.problems.map((p) => ({
        field: flagOf(p.field),
        rule: `${p.rule} (the campaign's codes changed)`,
      })),
    );
  if (!outcome.ok) {
    process.exitCode = 1;
    // A failure is an error: stderr in human mode (stdout stays for results); --json still
    // prints its one document, with ok: false.
    if (ctx.json) ctx.print({ campaignId: options.campaign, ...outcome }, "");
    else process.stderr.write(`error: not tagged: ${outcome.error}\n`);
    return;
  }
  ctx.print(
    { campaignId: options.campaign, ...outcome },
    () =>
      `tagged ${outcome.callId} ${checked.request.dispositionCodeId}${checked.request.reasonCodeId ? `/${checked.request.reasonCodeId}` : ""} in ${outcome.latencyMs.toFixed(1)} ms (${outcome.attempts} attempt${outcome.attempts === 1 ? "" : "s"})`,
  );
}

async function runFile(ctx: CliContext, session: TaggingSession, options: TagOptions): Promise<void> {
  const file = options.file as string;
  let stopping = false;
  const onSigint = () => {
    if (stopping) process.exit(130);
    stopping = true;
    ctx.note("\nstopping: finishing the rows in flight (Ctrl-C again to quit at once)");
  };
  process.on("SIGINT", onSigint);
  let summary: BulkSummary;
  try {
    summary = await tagFile(session, {
      campaignId: options.campaign,
      file,
      concurrency: Number(options.concurrency),
      dryRun: options.dryRun === true,
      ...(options.report ? { reportFile: options.report } : {}),
      shouldStop: () => stopping,
      progress: (total) => progressBar(total, !ctx.json && process.stderr.isTTY === true),
    });
  } finally {
    process.off("SIGINT", onSigint);
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
      }${s.redrivenRows > 0 ? `, re-driven ${s.redrivenRows} left pending by an interrupted run` : ""}, skipped ${s.skipped} already done`,
      `${s.throughputPerSec.toFixed(1)} rows/s; latency p50 ${s.latencyMs.p50} ms, p95 ${s.latencyMs.p95} ms, p99 ${s.latencyMs.p99} ms`,
    );
  if (s.interrupted) lines.push("interrupted: rerun the same command to continue where it stopped");
  return lines.join("\n");
}
