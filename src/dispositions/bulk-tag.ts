import { createHash } from "node:crypto";
import type { DispositionMatrix } from "../platform/types.ts";
import type { Progress } from "./progress.ts";
import { writeProblemReport } from "./report.ts";
import { type FileFormat, fileDigest, formatOf, readRows } from "./row-source.ts";
import type { RowProblem } from "./rules.ts";
import type { TaggingSession } from "./session.ts";
import { percentile, round3 } from "./stats.ts";
import { type TagDeps, tagCall } from "./tag-call.ts";
import { type FileValidation, validateFile } from "./validate-file.ts";
import { type TagRequest, validateTagRow } from "./validate-row.ts";

/**
 * Tagging a whole file: a validation pass over every row first (nothing is sent if it is a dry
 * run; invalid rows are never sent), then the valid rows are sent with up to `concurrency` in
 * flight — the HTTP core's shared limiter keeps the group within CXone's rate limit.
 *
 * Resuming: each row's "done" mark is a checkpoint keyed by the file's identity (SHA-256 of its
 * bytes + campaign) and the row's content, committed in the same transaction as the journal
 * row, the audit record and the BI event. A rerun of the same file skips the rows marked done;
 * rows a crash left pending were re-driven (and marked) when the session opened. So a row
 * recorded done is never sent again, and every row ends tagged exactly once in the audit log.
 *
 * A rerun skips those rows without sending them, and says so (`skipped`, and a warning naming
 * why and how to re-send); `force` sends every valid row again on purpose (the PUT is an
 * idempotent upsert, so a re-send re-applies the row's disposition and is audited again).
 *
 * Stopping (`shouldStop`, e.g. Ctrl-C): no new row starts; rows in flight finish and are
 * recorded; the summary says `interrupted`. Aborting (`signal`, a caller's abort or deadline on
 * the whole call): no new row starts, the rows in flight are stopped (their journal rows stay
 * pending, re-driven by the next run), and the run rejects with the signal's reason.
 */
export interface BulkOptions {
  campaignId: string;
  file: string;
  concurrency: number;
  dryRun?: boolean;
  reportFile?: string;
  /** Replace a `reportFile` that is not a problem report cxo wrote. */
  replaceReport?: boolean;
  /**
   * Rows whose shape is valid (checkRowFile): 0 means no row can be sent, so the campaign's
   * codes are not fetched (nothing is sent) and the rows are judged on their shape alone.
   */
  shapeValidRows?: number;
  /** Send again the rows an earlier run of the same file already tagged. */
  force?: boolean;
  shouldStop?: () => boolean;
  signal?: AbortSignal;
  progress?: (total: number) => Progress;
}

export interface RowFailure {
  row: number;
  callId: string;
  status: number;
  locked: boolean;
  error: string;
}

export interface BulkSummary {
  file: string;
  campaignId: string;
  total: number;
  valid: number;
  invalid: number;
  skipped: number;
  succeeded: number;
  failed: number;
  failedByStatus: Record<string, number>;
  throughputPerSec: number;
  latencyMs: { p50: number; p95: number; p99: number };
  durationMs: number;
  dryRun: boolean;
  interrupted: boolean;
  /** Operations a previous run left pending, re-driven before this run started. */
  redriven: number;
  /** Rows of THIS file among them: sent again (idempotently) at start, not counted in `skipped`. */
  redrivenRows: number;
  /** Rows already tagged by an earlier run were sent again on purpose (`force`). */
  forced: boolean;
  /**
   * What the caller should know about the run, for people: e.g. that rows were skipped because
   * an earlier run of the same file already tagged them, and how to send them again. [] when none.
   */
  warnings: string[];
  problems: RowProblem[];
  failures: RowFailure[];
}

export async function tagFile(session: TaggingSession, options: BulkOptions): Promise<BulkSummary> {
  const format = formatOf(options.file);
  const matrix = options.shapeValidRows === 0 ? null : await session.matrices.get(options.campaignId);
  const validation = await validateFile(readRows(options.file, format), matrix);
  if (options.reportFile)
    await writeProblemReport(options.reportFile, validation.problems, options.replaceReport);

  const summary = startSummary(options, validation, session.redriven.redriven);
  if (options.dryRun || summary.valid === 0) return summary;

  const namespace = progressNamespace(options.campaignId, await fileDigest(options.file));
  // Forced: every valid row is sent again, whatever an earlier run recorded.
  const done = options.force
    ? new Set<string>()
    : new Set((await session.store.kv.list(namespace)).map((entry) => entry.key));
  const run: SendRun = {
    session,
    options,
    summary,
    namespace,
    progress: options.progress?.(summary.valid),
    latencies: [],
    sent: 0,
  };
  const started = performance.now();
  await sendRows(run, { format, matrix, validation, done });
  options.signal?.throwIfAborted();
  return finishSummary(run, started);
}

/** The summary before anything is sent: the validation pass's counts, nothing sent yet. */
function startSummary(options: BulkOptions, validation: FileValidation, redriven: number): BulkSummary {
  return {
    file: options.file,
    campaignId: options.campaignId,
    total: validation.total,
    valid: validation.total - validation.invalid,
    invalid: validation.invalid,
    skipped: 0,
    succeeded: 0,
    failed: 0,
    failedByStatus: {},
    throughputPerSec: 0,
    latencyMs: { p50: 0, p95: 0, p99: 0 },
    durationMs: 0,
    dryRun: options.dryRun === true,
    interrupted: false,
    redriven,
    redrivenRows: 0,
    forced: options.force === true,
    warnings: [],
    problems: validation.problems,
    failures: [],
  };
}

/** What the sending pass shares between its rows. */
interface SendRun {
  session: TaggingSession;
  options: BulkOptions;
  /** Counted into as each row ends. */
  summary: BulkSummary;
  /** The file's checkpoint namespace (progressNamespace). */
  namespace: string;
  progress: Progress | undefined;
  latencies: number[];
  /** Rows started (not skipped). */
  sent: number;
}

/**
 * The sending pass: the file read again, each valid row not done before sent with up to
 * `concurrency` in flight. Stops starting rows on `shouldStop`; an abort stops those in flight.
 */
async function sendRows(
  run: SendRun,
  pass: {
    format: FileFormat;
    matrix: DispositionMatrix | null;
    validation: FileValidation;
    done: ReadonlySet<string>;
  },
): Promise<void> {
  const { options, summary, namespace } = run;
  const inFlight = new Set<Promise<void>>();
  try {
    for await (const source of readRows(options.file, pass.format)) {
      options.signal?.throwIfAborted();
      if (options.shouldStop?.()) break;
      if (!source.fields || pass.validation.invalidRows.has(source.row)) continue;
      // Same rows, same matrix as the validation pass: the same verdict, now with the request.
      const checked = validateTagRow(source.fields, pass.matrix, source.row);
      if (!checked.ok) continue;
      const key = rowKey(source.row, checked.request);
      if (pass.done.has(key)) {
        if (run.session.redrivenRows.has(`${namespace}\n${key}`)) summary.redrivenRows += 1;
        else summary.skipped += 1;
        showProgress(run);
        continue;
      }
      while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
      options.signal?.throwIfAborted();
      if (options.shouldStop?.()) break;
      run.sent += 1;
      const task: Promise<void> = sendRow(run, source.row, checked.request, key).finally(() =>
        inFlight.delete(task),
      );
      task.catch(() => {}); // an aborted row: seen by the race above or the check below
      inFlight.add(task);
    }
  } finally {
    await Promise.allSettled(inFlight);
    run.progress?.stop();
  }
}

/** One row sent (journaled, checkpointed), and its outcome counted. */
async function sendRow(run: SendRun, row: number, request: TagRequest, key: string): Promise<void> {
  const { options, summary } = run;
  const outcome = await tagCall(run.session as TagDeps, options.campaignId, request, {
    bulk: { namespace: run.namespace, key, row },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  run.latencies.push(outcome.latencyMs);
  if (outcome.ok && outcome.partial) {
    // Applied in part (the row is done and not re-sent): counted and listed as not fully tagged.
    summary.failed += 1;
    summary.failedByStatus.partial = (summary.failedByStatus.partial ?? 0) + 1;
    summary.failures.push({
      row,
      callId: request.callId,
      status: outcome.status,
      locked: false,
      error: `partly tagged: disposition set, tags ${outcome.partial.notApplied.tags.join(", ")} not attached: ${outcome.partial.reason}`,
    });
  } else if (outcome.ok) summary.succeeded += 1;
  else {
    summary.failed += 1;
    const status = String(outcome.status);
    summary.failedByStatus[status] = (summary.failedByStatus[status] ?? 0) + 1;
    summary.failures.push({
      row,
      callId: request.callId,
      status: outcome.status,
      locked: outcome.locked,
      error: outcome.error,
    });
    if (outcome.problems) summary.problems.push(...outcome.problems);
  }
  showProgress(run);
}

/** Rows ended so far (skipped, re-driven, sent), and of them failed. */
function showProgress(run: SendRun): void {
  const { summary } = run;
  run.progress?.update(
    summary.skipped + summary.redrivenRows + summary.succeeded + summary.failed,
    summary.failed,
  );
}

/** Interrupted or not, the skipped rows' warning, and the run's throughput and latencies. */
function finishSummary(run: SendRun, started: number): BulkSummary {
  const { summary, options } = run;
  const { valid } = summary;
  summary.interrupted =
    options.shouldStop?.() === true && summary.skipped + summary.succeeded + summary.failed < valid;
  if (summary.skipped > 0)
    summary.warnings.push(
      `${summary.skipped} of ${valid} valid rows were not sent: an earlier run of this file (same content, same campaign) already tagged them; to send them again on purpose, run it with force (cxo tag --force)`,
    );
  const elapsedMs = performance.now() - started;
  summary.durationMs = Math.round(elapsedMs);
  summary.throughputPerSec =
    run.sent > 0 && elapsedMs > 0 ? round3((summary.succeeded + summary.failed) / (elapsedMs / 1000)) : 0;
  summary.latencyMs = {
    p50: round3(percentile(run.latencies, 50)),
    p95: round3(percentile(run.latencies, 95)),
    p99: round3(percentile(run.latencies, 99)),
  };
  return summary;
}

/**
 * Rows in flight when the caller names no number. A row's cycle is its pending commit, its PUT and
 * its done commit (about 65 ms at 20 ms of network latency, `npm run bench -- tag-commit`), so
 * keeping a tagging limit of R requests/s busy takes R × cycle rows in flight (Little's law): 128
 * ms of the limit, with room for latency spikes, never below 32 or above 256 (the CLI's cap). At
 * the documented 100/s that is 32; a tenant at 1,000/s gets 128 (64 held it to ~0.95 of the limit).
 */
export function defaultConcurrency(requestsPerSecond: number): number {
  return Math.min(256, Math.max(32, Math.ceil(requestsPerSecond * 0.128)));
}

/**
 * Where a run's row checkpoints live: one namespace per campaign and file content, so a re-run
 * of the same file skips its done rows and an edited file starts afresh. 128 bits of one hash
 * rather than the campaign id and the whole file digest: the namespace is stored with every
 * row's checkpoint and journal payload, and at 122 characters it was a tenth of each row.
 */
export function progressNamespace(campaignId: string, fileSha256: string): string {
  const run = createHash("sha256").update(`${campaignId}\u0000${fileSha256}`).digest("hex").slice(0, 32);
  return `dispositions.tag-file:${run}`;
}

/**
 * A row's checkpoint key within its file's namespace, which names the file's digest, so the row
 * number pins the row's content. The zero-padded row number comes first so that a run's
 * checkpoints are appended to the end of the store's index rather than scattered over it: a
 * content hash there put every row on a random index page, one more page written per row.
 */
export function rowKey(row: number, request: TagRequest): string {
  return `${String(row).padStart(10, "0")}:${request.callId}`;
}
