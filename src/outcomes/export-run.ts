import { resolve } from "node:path";
import tdigest from "tdigest";
import { CxoError } from "../core/cxo-error.ts";
import type { Store } from "../core/store/index.ts";
import type { OutcomesPort } from "../platform/ports/outcomes.ts";
import type { OutcomeAnalysis } from "./analysis.ts";
import type { DispositionMap } from "./disposition-map.ts";
import { reportWriteOptions } from "./export-targets.ts";
import type { ExportQuery } from "./query.ts";
import { queryFields } from "./query.ts";
import type { ExportFormat } from "./read-export.ts";
import { type ExportRecordPayload, recordFinishedExport } from "./record-export.ts";
import type { TsrFields } from "./record-format.ts";
import { writeHtmlReport } from "./report-html.ts";

// What every export format shares: the options a caller gives, the progress and the summary it
// gets back, the run's figures, and the completion (the HTML report, the finished export
// recorded with its CRM event). The pipeline (export-pipeline.ts) runs the pages through the
// format's stage (export-file-stage.ts, parquet/export-dataset.ts) and completes once.

/** An export's progress, reported each time records are written. */
export interface ExportProgress {
  records: number;
  pages: number;
  bytes: number;
  recordsPerSec: number;
  elapsedMs: number;
}

export interface ExportOptions {
  client: { outcomes: OutcomesPort };
  store: Store;
  query: ExportQuery;
  /** The file, or a writable stream (then not resumable; ended when the export completes). */
  out: string | NodeJS.WritableStream;
  format?: ExportFormat;
  map?: DispositionMap;
  /** Write a self-contained HTML report here. */
  report?: string;
  /** The campaign's name, for the report's title. */
  campaignName?: string;
  /** Continue the interrupted export of the same query and file (starts afresh when there is none). */
  resume?: boolean;
  /**
   * Replace an existing `out` (or `report`) that is not an export (a report) cxo wrote. Never
   * a symbolic link, a directory or a device: those are always refused.
   */
  replace?: boolean;
  /** The mode of the files written (default 0o600: owner only, as records are personal data). */
  fileMode?: number;
  /** Outbox destination that receives the summary (e.g. "crm"); none when absent. */
  crmDestination?: string;
  onProgress?: (progress: ExportProgress) => void;
  signal?: AbortSignal;
  /** The TSR call-detail fields the platform's records do not carry (issue 79 §4; `compliance.tsr`). */
  tsr?: TsrFields | undefined;
}

export interface ExportSummary extends OutcomeAnalysis {
  campaignId: string;
  from: string;
  to: string;
  codes: string[];
  format: ExportFormat;
  out: string;
  bytes: number;
  pages: number;
  pagesOk: number;
  pagesFailed: number;
  downloadSuccessRate: number;
  complianceHash: string;
  /** Records fetched by THIS run per second of this run (a resumed run counts only its part). */
  recordsPerSec: number;
  recordsThisRun: number;
  pagesThisRun: number;
  elapsedMs: number;
  extractionLatencyMs: {
    total: number;
    pageMean: number | null;
    pageP50: number | null;
    pageP99: number | null;
  };
  /** Request retries (5xx, resets, timeouts) and 429 pauses the HTTP core absorbed. */
  retries: number;
  throttled: number;
  resumed: boolean;
  resumedFromRecords: number;
  /** --resume of an export that had already completed: nothing fetched, figures from the file. */
  alreadyComplete: boolean;
  report: string | null;
  crm: { destination: string; queued: boolean } | null;
  /** Parquet: the dataset's part files written by this export (`date=…/part-NNNNN.parquet`). */
  parts?: number;
}

/**
 * A checkpoint's page position and counts before any record is written: a Parquet stage's first
 * checkpoint, and a Parquet file's when it starts over.
 */
export const NOTHING_WRITTEN = {
  token: null,
  skip: 0,
  exhausted: false,
  records: 0,
  pages: 0,
  bytes: 0,
} as const;

/** The NDJSON/CSV export's checkpoint, stored after pages (kv namespace outcomes.export, key = query + file). */
export interface ExportCheckpoint {
  version: 1;
  out: string;
  format: ExportFormat;
  nextToken: string | null;
  exhausted: boolean;
  offset: number;
  records: number;
  pages: number;
  hashSoFar: string;
  completed: boolean;
  complianceHash?: string;
}

export class ExportInterruptedError extends CxoError {
  override readonly name = "ExportInterruptedError";
  readonly code = "export_interrupted" as const;
  readonly progress: { records: number; pages: number; pagesFailed: number };
  constructor(
    message: string,
    progress: { records: number; pages: number; pagesFailed: number },
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.progress = progress;
  }
}

export interface RunStats {
  started: number;
  records: number;
  pages: number;
  retries: number;
  throttled: number;
  latencySum: number;
  pageLatency: { push(x: number): void; percentile(p: number[]): Array<number | undefined>; size(): number };
}

export function emptyRun(started: number): RunStats {
  return {
    started,
    records: 0,
    pages: 0,
    retries: 0,
    throttled: 0,
    latencySum: 0,
    pageLatency: new tdigest.TDigest(),
  };
}

export function progressOf(
  run: RunStats,
  position: { records: number; pages: number; bytes: number },
): ExportProgress {
  const elapsedMs = performance.now() - run.started;
  return {
    records: position.records,
    pages: position.pages,
    bytes: position.bytes,
    recordsPerSec: elapsedMs > 0 ? (run.records * 1000) / elapsedMs : 0,
    elapsedMs,
  };
}

export function finishSummary(parts: {
  options: ExportOptions;
  format: ExportFormat;
  out: string;
  analysis: OutcomeAnalysis;
  checkpoint: { pages: number; bytes: number };
  complianceHash: string;
  run: RunStats;
  resumed: boolean;
  resumedFromRecords: number;
  alreadyComplete: boolean;
  crm: ExportSummary["crm"];
}): ExportSummary {
  const { options, analysis, checkpoint, run } = parts;
  const elapsedMs = performance.now() - run.started;
  const [p50, p99] = run.pages > 0 ? run.pageLatency.percentile([0.5, 0.99]) : [];
  return {
    campaignId: options.query.campaignId,
    from: options.query.from,
    to: options.query.to,
    codes: options.query.codes,
    format: parts.format,
    out: parts.out,
    bytes: checkpoint.bytes,
    ...analysis,
    pages: checkpoint.pages,
    pagesOk: checkpoint.pages,
    pagesFailed: 0,
    downloadSuccessRate: 1,
    complianceHash: parts.complianceHash,
    recordsPerSec: elapsedMs > 0 ? (run.records * 1000) / elapsedMs : 0,
    recordsThisRun: run.records,
    pagesThisRun: run.pages,
    elapsedMs,
    extractionLatencyMs: {
      total: elapsedMs,
      pageMean: run.pages > 0 ? run.latencySum / run.pages : null,
      pageP50: p50 ?? null,
      pageP99: p99 ?? null,
    },
    retries: run.retries,
    throttled: run.throttled,
    resumed: parts.resumed,
    resumedFromRecords: parts.resumedFromRecords,
    alreadyComplete: parts.alreadyComplete,
    report: options.report ? resolve(options.report) : null,
    crm: parts.crm,
  };
}

/** What the CRM receives: the contract fields and the business figures, not local file paths. */
export function crmSummary(summary: ExportSummary): Record<string, unknown> {
  const { out: _out, report: _report, crm: _crm, ...rest } = summary;
  return rest;
}

/**
 * The end of every export, whatever its format: the HTML report when asked, then the finished
 * export recorded (its checkpoint completed, its summary queued for the CRM) in one journaled
 * step. Returns the summary.
 */
export async function completeExport(parts: {
  options: ExportOptions;
  key: string;
  summary: ExportSummary;
  /** The format's own checkpoint, stored completed. */
  checkpoint: object;
  pages: number;
  bytes: number;
}): Promise<ExportSummary> {
  const { options, summary } = parts;
  if (options.report)
    await writeHtmlReport(options.report, summary, options.campaignName, reportWriteOptions(options));
  const payload: ExportRecordPayload = {
    key: parts.key,
    query: queryFields(options.query),
    out: summary.out,
    format: summary.format,
    complianceHash: summary.complianceHash,
    totalRecords: summary.totalRecords,
    pages: parts.pages,
    bytes: parts.bytes,
    summary: crmSummary(summary),
    crmDestination: options.crmDestination ?? null,
    checkpoint: { ...parts.checkpoint, completed: true, complianceHash: summary.complianceHash },
  };
  await recordFinishedExport(options.store, payload);
  return summary;
}
