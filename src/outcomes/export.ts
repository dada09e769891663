import { randomUUID } from "node:crypto";
import { rename, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { setImmediate } from "node:timers/promises";
import { DoubleBuffer } from "../core/double-buffer.ts";
import { prefetched } from "../core/http/pagination.ts";
import type { CallPage } from "../platform/types.ts";
import { OutcomeAnalyzer } from "./analysis.ts";
import { ComplianceHash } from "./compliance-hash.ts";
import { Categorizer, DEFAULT_DISPOSITION_MAP } from "./disposition-map.ts";
import { ExportFile, ExportResumeError, type ExportSink, StreamExportSink } from "./export-file.ts";
import {
  completeExport,
  type ExportCheckpoint,
  ExportInterruptedError,
  type ExportOptions,
  type ExportSummary,
  emptyRun,
  finishSummary,
  progressOf,
} from "./export-run.ts";
import { exportKey, toCallQuery } from "./query.ts";
import { type ExportFormat, readExport } from "./read-export.ts";
import { EXPORT_CHECKPOINTS, exportRecordOperation } from "./record-export.ts";
import { type CanonicalRecord, CSV_HEADER, canonicalEntry, csvRows } from "./record-format.ts";

/**
 * `exportOutcomes`: stream a campaign's call outcome records into an NDJSON or CSV file, page
 * by page in constant memory, computing the compliance hash and the analysis on the way, with a
 * checkpoint after every page so an interrupted export resumes without duplicating or missing
 * a record.
 *
 * Checkpoints (next page token, file size, records, pages, hash so far) describe a page
 * boundary and are taken off the page loop's critical path: after a page is written, if none is
 * in flight and CHECKPOINT_INTERVAL_MS have passed since the last one began, the file is
 * fdatasync'ed and THEN the checkpoint commits, while the next pages are fetched and written. A
 * crash leaves the file at or past the last committed checkpoint; resume cuts it back to the
 * checkpoint's size and fetches the pages after it again (at most ~CHECKPOINT_INTERVAL_MS plus
 * one fdatasync of work). An interrupted run (Ctrl-C, a failed request) checkpoints the last
 * page it wrote before it stops. The hash and analysis are recomputed on resume from the file's
 * checkpointed part (and the hash must equal the one stored, or the file was tampered with).
 *
 * The records go to `<out>.partial` and are renamed to `out` only when the export completed, so
 * a run that fails or is stopped never destroys a finished export already at `out`.
 */
export {
  crmSummary,
  type ExportCheckpoint,
  ExportInterruptedError,
  type ExportOptions,
  type ExportProgress,
  type ExportSummary,
  type RunStats,
} from "./export-run.ts";

/** At most this often a checkpoint is started (each costs an fdatasync and a store commit). */
export const CHECKPOINT_INTERVAL_MS = 200;

export async function exportOutcomes(options: ExportOptions): Promise<ExportSummary> {
  // The Parquet writer (hyparquet, ~50 modules) is loaded only for a Parquet export.
  if (options.format === "parquet")
    return (await import("./parquet/export-dataset.ts")).exportDataset(options);
  const { store, query, signal } = options;
  const format = options.format ?? "ndjson";
  const stream = typeof options.out === "string" ? undefined : options.out;
  const out = stream ? STREAM_OUT : resolve(options.out as string);
  const partial = partialPath(out);
  // A stream's checkpoints are its own (never resumed, never shared with another run).
  const key = exportKey(query, stream ? `${STREAM_OUT}:${randomUUID()}` : out, format);
  const categorizer = new Categorizer(options.map ?? DEFAULT_DISPOSITION_MAP);
  const analyzer = new OutcomeAnalyzer(categorizer, query.zone);
  const hasher = new ComplianceHash();
  const started = performance.now();

  // Bookkeeping a crashed run left pending (audit + CRM event of a finished export) goes first.
  await store.journal.redrivePending([exportRecordOperation]);
  // A campaign that cannot be listed (malformed, unknown, not a campaign, or a login that fails)
  // is found before the `.partial` file exists, so nothing is left to advise a resume of.
  await options.client.outcomes.checkCampaign?.(query.campaignId, signal);

  const previous = options.resume ? await store.kv.get<ExportCheckpoint>(EXPORT_CHECKPOINTS, key) : undefined;
  let checkpoint: ExportCheckpoint;
  let file: ExportSink | undefined;
  const resumed = previous !== undefined;
  if (previous) {
    // Renamed, then the run stopped before recording completion: continue from the renamed file.
    if (!previous.completed && !(await exists(partial)) && (await exists(out))) await rename(out, partial);
    await replayFile(previous.completed ? out : partial, format, previous.offset, analyzer, hasher, previous);
    checkpoint = previous;
    if (previous.completed) {
      return finishSummary({
        options,
        format,
        out,
        analysis: analyzer.result(),
        checkpoint,
        complianceHash: hasher.peek(),
        run: emptyRun(started),
        resumed: true,
        resumedFromRecords: previous.records,
        alreadyComplete: true,
        crm: null,
      });
    }
    file = await ExportFile.resume(partial, previous.offset);
  } else {
    file = stream ? new StreamExportSink(stream, signal) : await ExportFile.create(partial);
    if (format === "csv") {
      await file.append(CSV_HEADER);
      await file.sync();
    }
    checkpoint = {
      version: 1,
      out,
      format,
      nextToken: null,
      exhausted: false,
      offset: file.offset,
      records: 0,
      pages: 0,
      hashSoFar: hasher.peek(),
      completed: false,
    };
    await store.kv.set(EXPORT_CHECKPOINTS, key, checkpoint);
  }

  const run = emptyRun(started);
  const checkpoints = new Checkpointer(
    file,
    (value) => store.kv.set(EXPORT_CHECKPOINTS, key, value),
    checkpoint,
  );
  // The state after the last page whose bytes were fully written (what a checkpoint may record).
  let written = checkpoint;
  // A page's bytes; page n is written to the file while page n+1 is encoded.
  const buffers: PageBuffers = {
    lines: new DoubleBuffer(),
    csv: format === "csv" ? new DoubleBuffer() : null,
  };
  // The page being written while the next one is encoded: one write in flight, in page order.
  // When its bytes are written it becomes `written` and is offered as a checkpoint at once.
  let pending: Promise<void> | null = null;
  // The state after the last page encoded (its offset is set when its bytes are written).
  let encoded = checkpoint;
  const startWrite = (bytes: Buffer, state: ExportCheckpoint): void => {
    const write = file.append(bytes).then(() => {
      written = { ...state, offset: file.offset };
      checkpoints.offer(written);
      options.onProgress?.(progressOf(run, written));
    });
    write.catch(() => {}); // observed by completeWrite; never an unhandled rejection
    pending = write;
  };
  const completeWrite = async (): Promise<void> => {
    const write = pending;
    pending = null;
    await write;
  };
  try {
    if (!checkpoint.exhausted) {
      const pages = options.client.outcomes.callPages(
        toCallQuery(query, checkpoint.nextToken ?? undefined),
        signal,
      );
      for await (const { page, latencyMs } of prefetched(pages)) {
        if (signal?.aborted) throw signal.reason ?? new Error("aborted");
        run.pageLatency.push(latencyMs);
        run.latencySum += latencyMs;
        run.retries += page.retries;
        run.throttled += page.throttled;
        const bytes = await encodePage(page, analyzer, hasher, buffers);
        const previous = encoded;
        const state: ExportCheckpoint = {
          ...previous,
          nextToken: page.nextToken || null,
          exhausted: !page.nextToken,
          records: previous.records + page.count,
          pages: previous.pages + 1,
          hashSoFar: hasher.peek(),
        };
        await completeWrite();
        run.records += page.count;
        run.pages += 1;
        encoded = state;
        startWrite(bytes, state);
      }
      await completeWrite();
    }
    // Every byte on disk before the completed checkpoint (written with the audit record) commits.
    await checkpoints.settle();
    await file.sync();
  } catch (error) {
    // Stop after the page in flight: record every page fully written, so --resume refetches none.
    await completeWrite().catch(() => {});
    await checkpoints.flush(written).catch(() => {});
    await file.close(true);
    checkpoint = checkpoints.committed;
    const aborted = signal?.aborted === true;
    throw new ExportInterruptedError(
      `${aborted ? "export interrupted" : `export failed: ${(error as Error).message}`}; ${checkpoint.records} records in ${checkpoint.pages} pages ${stream ? "were written to the stream (a stream export cannot be resumed)" : `are safely written to ${partial} — export again with \`resume: true\` to continue`}`,
      { records: checkpoint.records, pages: checkpoint.pages, pagesFailed: aborted ? 0 : 1 },
      error,
    );
  }
  checkpoint = written;
  await file.close();
  if (!stream) await rename(partial, out);

  const analysis = analyzer.result();
  const complianceHash = hasher.peek();
  const crmDestination = options.crmDestination ?? null;
  const summary = finishSummary({
    options,
    format,
    out,
    analysis,
    checkpoint,
    complianceHash,
    run,
    resumed,
    resumedFromRecords: previous?.records ?? 0,
    alreadyComplete: false,
    crm: crmDestination ? { destination: crmDestination, queued: true } : null,
  });
  return completeExport({ options, key, summary, checkpoint, bytes: checkpoint.offset });
}

/** Records encoded between two turns of the event loop (and per CSV batch; see encodePage). */
const ENCODE_SLICE = 500;

/** The page buffers of an export: NDJSON lines (hashed, and the file for NDJSON), CSV rows. */
interface PageBuffers {
  lines: DoubleBuffer;
  csv: DoubleBuffer | null;
}

/**
 * Encodes a page (the file's bytes) and feeds the hash and the analysis with the same records,
 * in order, decoding one record at a time from the page's bytes. The hash takes the page's
 * NDJSON bytes in one update: the same digest as line by line, and for an NDJSON export the
 * very buffer that is written. CSV rows go through csv-stringify ENCODE_SLICE records at a
 * time, so no more than that many records are alive at once.
 *
 * It gives the event loop a turn every ENCODE_SLICE records: the request for the next page
 * (issued when this one arrived) needs a few turns to reach the socket, and its response must
 * be read while it streams in. Encoding a 5000-record page in one go held both back, so the
 * server only started on page n+1 once page n was encoded (measured: 40 → 26 ms per page).
 */
async function encodePage(
  page: CallPage,
  analyzer: OutcomeAnalyzer,
  hasher: ComplianceHash,
  buffers: PageBuffers,
): Promise<Buffer> {
  const { lines, csv } = buffers;
  const batch: CanonicalRecord[] = [];
  lines.begin();
  csv?.begin();
  for (let i = 0; i < page.count; i++) {
    if (i % ENCODE_SLICE === 0) {
      if (csv && batch.length > 0) csv.writeText(csvRows(batch.splice(0)));
      await setImmediate();
    }
    const { record, line } = canonicalEntry(page.call(i).raw);
    if (csv) batch.push(record);
    lines.writeLine(line);
    analyzer.add(record);
  }
  if (csv && batch.length > 0) csv.writeText(csvRows(batch));
  const ndjson = lines.bytes();
  hasher.addLines(ndjson);
  return csv ? csv.bytes() : ndjson;
}

/**
 * Commits checkpoints without holding up the page loop: at most one in flight, each an
 * fdatasync of the file (covering every byte written before it started) THEN the store commit
 * of a state whose offset those bytes reach. A failed one is reported by the next call.
 */
class Checkpointer {
  private readonly file: ExportSink;
  private readonly commit: (value: ExportCheckpoint) => Promise<void>;
  private inFlight: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  private lastStarted = Number.NEGATIVE_INFINITY;
  /** The last checkpoint known to be committed. */
  committed: ExportCheckpoint;

  constructor(
    file: ExportSink,
    commit: (value: ExportCheckpoint) => Promise<void>,
    committed: ExportCheckpoint,
  ) {
    this.file = file;
    this.commit = commit;
    this.committed = committed;
  }

  /** After a page is written: starts a checkpoint of `state` if it is time and none is running. */
  offer(state: ExportCheckpoint): void {
    if (this.failure) throw this.failure.error;
    if (this.inFlight || performance.now() - this.lastStarted < CHECKPOINT_INTERVAL_MS) return;
    this.lastStarted = performance.now();
    this.inFlight = this.write(state)
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.inFlight = null;
      });
  }

  /** Waits for the checkpoint in flight; throws if one failed. */
  async settle(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure.error;
  }

  /** Commits `state` now (after the one in flight), unless it is already the committed one. */
  async flush(state: ExportCheckpoint): Promise<void> {
    await this.settle();
    if (state.pages !== this.committed.pages || state.offset !== this.committed.offset)
      await this.write(state);
  }

  private async write(state: ExportCheckpoint): Promise<void> {
    await this.file.sync();
    await this.commit(state);
    this.committed = state;
  }
}

/** What an export into a stream names as its `out`. */
export const STREAM_OUT = "(stream)";

/** Where an export writes until it completes (then renamed to `out`). */
export const partialPath = (out: string): string => `${out}.partial`;

const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

/** Feeds the checkpointed part of the file back into the hash and the analysis. */
async function replayFile(
  out: string,
  format: ExportFormat,
  offset: number,
  analyzer: OutcomeAnalyzer,
  hasher: ComplianceHash,
  checkpoint: ExportCheckpoint,
): Promise<void> {
  let records = 0;
  try {
    for await (const { record, line } of readExport(out, format, offset)) {
      hasher.add(line);
      analyzer.add(record);
      records += 1;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new ExportResumeError(`cannot resume: ${out} does not exist any more`);
    throw new ExportResumeError(`cannot resume: ${out} cannot be read back (${(error as Error).message})`);
  }
  const expected = checkpoint.completed ? checkpoint.complianceHash : checkpoint.hashSoFar;
  if (records !== checkpoint.records || hasher.peek() !== expected)
    throw new ExportResumeError(
      `cannot resume: the first ${checkpoint.records} records of ${out} are not the ones exported (the file was changed); export again without \`resume: true\``,
    );
}
