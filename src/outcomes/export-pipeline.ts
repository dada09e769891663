import type { FileLock } from "../core/file-lock.ts";
import { prefetched } from "../core/http/pagination.ts";
import { checkWriteTarget } from "../core/safe-write.ts";
import type { CallPage } from "../platform/types.ts";
import { OutcomeAnalyzer } from "./analysis.ts";
import { ComplianceHash } from "./compliance-hash.ts";
import { Categorizer, DEFAULT_DISPOSITION_MAP } from "./disposition-map.ts";
import { ExportResumeError } from "./export-file.ts";
import {
  completeExport,
  ExportInterruptedError,
  type ExportOptions,
  type ExportSummary,
  emptyRun,
  finishSummary,
  progressOf,
  type RunStats,
} from "./export-run.ts";
import { reportWriteOptions } from "./export-targets.ts";
import { PageEncoder } from "./page-encoder.ts";
import { toCallQuery } from "./query.ts";
import type { ExportFormat } from "./read-export.ts";
import { EXPORT_CHECKPOINTS, exportRecordOperation } from "./record-export.ts";
import type { CanonicalRecord } from "./record-format.ts";

/**
 * The one export pipeline: source → canonical records → hash and analysis → a sink per format.
 *
 * `runExport` owns everything formats share: the journal's pending bookkeeping, the campaign
 * check before anything is written, the stored checkpoint (read, replayed and verified on
 * resume, first committed on a fresh start), the page loop with its run figures and abort, the
 * interruption error, the summary and the completion (report, audit record, CRM event). A
 * format's stage (export-file-stage.ts for NDJSON, CSV and streams; parquet/export-dataset.ts
 * for the Parquet dataset) only writes records where they go and says what its checkpoint holds.
 */

/** A stage's checkpoint, as the pipeline reads it (each format stores its own shape). */
export interface CheckpointView {
  /** The page token of the page holding the next record (null: the first page). */
  token: string | null;
  /** Records of that page already written. */
  skip: number;
  exhausted: boolean;
  records: number;
  pages: number;
  bytes: number;
  hashSoFar: string;
  completed: boolean;
  complianceHash?: string;
}

/** What the pipeline hands a stage for each page. */
export interface StageContext {
  options: ExportOptions;
  categorizer: Categorizer;
  encoder: PageEncoder;
  hasher: ComplianceHash;
  /** Commits a checkpoint to the store. */
  commit(checkpoint: unknown): Promise<void>;
  /** Reports progress after records are written. */
  progress(view: Pick<CheckpointView, "records" | "pages" | "bytes">): void;
}

/** A format's sink: where records go, and what its checkpoint means. */
export interface FormatStage<C extends object> {
  readonly format: ExportFormat;
  /** Where the records go, as the summary names it. */
  readonly out: string;
  /** The checkpoint's key in the store. */
  readonly key: string;
  /** Refuses a destination that cannot be written, before the campaign is even checked. */
  checkDestination(): Promise<void>;
  /** Locks the destination for this run (a second run is refused, naming this one). */
  lock?(): Promise<FileLock>;
  /** Whether a stored checkpoint is this stage's own. */
  owns(stored: unknown): stored is C;
  view(checkpoint: C): CheckpointView;
  /** Reads back every record `checkpoint` covers, in order (ExportResumeError when it cannot). */
  replay(checkpoint: C, feed: (record: CanonicalRecord, line: string) => void): Promise<void>;
  /** Says that what was read back is not what was exported. */
  changed(checkpoint: C): string;
  /** Prepares a fresh destination; returns the first checkpoint (the pipeline commits it). */
  start(context: StageContext): Promise<C>;
  /** Reopens the destination after `checkpoint` to continue it. */
  reopen(checkpoint: C, context: StageContext): Promise<void>;
  /** Writes records `from`… of a page (encoding them through `context.encoder`). */
  writePage(page: CallPage, from: number, context: StageContext): Promise<void>;
  /** After the last page: everything durable; returns the final checkpoint. */
  finish(): Promise<C>;
  /** After a failure: keeps what was written; returns the committed checkpoint and where it is. */
  interrupt(): Promise<{ checkpoint: C; kept: string }>;
  /** Fields the format adds to the summary. */
  summaryExtras?(checkpoint: C): Partial<ExportSummary>;
}

export async function runExport<C extends object>(
  options: ExportOptions,
  stage: FormatStage<C>,
): Promise<ExportSummary> {
  // Bookkeeping a crashed run left pending (audit + CRM event of a finished export) goes first.
  await options.store.journal.redrivePending([exportRecordOperation]);
  // Where it goes, then whose it is (a malformed, unknown or inbound campaign, or a login that
  // fails): both found before anything is written, so nothing is left to advise a resume of.
  await stage.checkDestination();
  if (options.report) checkWriteTarget(options.report, reportWriteOptions(options));
  await options.client.outcomes.checkCampaign?.(options.query.campaignId, options.signal);
  // One run at a time writes a destination (a second one is refused, naming the first).
  const lock = await stage.lock?.();
  try {
    return await exportLocked(options, stage);
  } finally {
    lock?.release();
  }
}

async function exportLocked<C extends object>(
  options: ExportOptions,
  stage: FormatStage<C>,
): Promise<ExportSummary> {
  const { store, query, signal } = options;
  const categorizer = new Categorizer(options.map ?? DEFAULT_DISPOSITION_MAP);
  const analyzer = new OutcomeAnalyzer(categorizer, query.zone);
  const hasher = new ComplianceHash();
  const started = performance.now();
  const commit = (checkpoint: unknown): Promise<void> =>
    store.kv.set(EXPORT_CHECKPOINTS, stage.key, checkpoint);

  const stored = options.resume ? await store.kv.get<unknown>(EXPORT_CHECKPOINTS, stage.key) : undefined;
  const previous = stored !== undefined && stage.owns(stored) ? stored : undefined;
  const summarize = (
    checkpoint: C,
    run: RunStats,
    parts: { alreadyComplete: boolean; crm: ExportSummary["crm"] },
  ): ExportSummary => {
    const view = stage.view(checkpoint);
    return {
      ...finishSummary({
        options,
        format: stage.format,
        out: stage.out,
        analysis: analyzer.result(),
        checkpoint: view,
        complianceHash: hasher.peek(),
        run,
        resumed: previous !== undefined,
        resumedFromRecords: previous ? stage.view(previous).records : 0,
        ...parts,
      }),
      ...stage.summaryExtras?.(checkpoint),
    };
  };

  const run = emptyRun(started);
  const context: StageContext = {
    options,
    categorizer,
    encoder: new PageEncoder(analyzer, hasher, options.tsr),
    hasher,
    commit,
    progress: (view) => options.onProgress?.(progressOf(run, view)),
  };
  let checkpoint: C;
  if (previous) {
    await replay(stage, previous, analyzer, hasher);
    if (stage.view(previous).completed) return summarize(previous, run, { alreadyComplete: true, crm: null });
    await stage.reopen(previous, context);
    checkpoint = previous;
  } else {
    checkpoint = await stage.start(context);
    await commit(checkpoint);
  }
  const position = stage.view(checkpoint);
  try {
    if (!position.exhausted) {
      let from = position.skip;
      const pages = options.client.outcomes.callPages(
        toCallQuery(query, position.token ?? undefined),
        signal,
      );
      for await (const { page, latencyMs } of prefetched(pages)) {
        if (signal?.aborted) throw signal.reason ?? new Error("aborted");
        run.pageLatency.push(latencyMs);
        run.latencySum += latencyMs;
        run.retries += page.retries;
        run.throttled += page.throttled;
        await stage.writePage(page, from, context);
        run.records += page.count - from;
        run.pages += 1;
        from = 0;
        if (!page.nextToken) break;
      }
    }
    checkpoint = await stage.finish();
  } catch (error) {
    // The stage keeps every record it wrote (its last checkpoint), so --resume refetches none.
    const { checkpoint: kept, kept: where } = await stage.interrupt();
    const view = stage.view(kept);
    const aborted = signal?.aborted === true;
    throw new ExportInterruptedError(
      `${aborted ? "export interrupted" : `export failed: ${(error as Error).message}`}; ${where}`,
      { records: view.records, pages: view.pages, pagesFailed: aborted ? 0 : 1 },
      error,
    );
  }

  const crmDestination = options.crmDestination ?? null;
  const summary = summarize(checkpoint, run, {
    alreadyComplete: false,
    crm: crmDestination ? { destination: crmDestination, queued: true } : null,
  });
  const view = stage.view(checkpoint);
  return completeExport({
    options,
    key: stage.key,
    summary,
    checkpoint,
    pages: view.pages,
    bytes: view.bytes,
  });
}

/** Feeds what a checkpoint covers back into the hash and the analysis, and checks it is intact. */
async function replay<C extends object>(
  stage: FormatStage<C>,
  checkpoint: C,
  analyzer: OutcomeAnalyzer,
  hasher: ComplianceHash,
): Promise<void> {
  let records = 0;
  await stage.replay(checkpoint, (record, line) => {
    hasher.add(line);
    analyzer.add(record);
    records += 1;
  });
  const view = stage.view(checkpoint);
  const expected = view.completed ? view.complianceHash : view.hashSoFar;
  if (records !== view.records || hasher.peek() !== expected)
    throw new ExportResumeError(stage.changed(checkpoint));
}
