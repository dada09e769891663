import { randomUUID } from "node:crypto";
import { rename, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { DoubleBuffer } from "../core/double-buffer.ts";
import { acquireFileLock, type FileLock } from "../core/file-lock.ts";
import { checkWriteTarget, replaceWithTemp, type SafeWriteOptions } from "../core/safe-write.ts";
import { inSignalSlices } from "../core/signal-slices.ts";
import type { CallPage } from "../platform/types.ts";
import { ExportFile, ExportResumeError, type ExportSink, StreamExportSink } from "./export-file.ts";
import type { CheckpointView, FormatStage, StageContext } from "./export-pipeline.ts";
import type { ExportCheckpoint, ExportOptions } from "./export-run.ts";
import { exportFileKind, exportWriteOptions } from "./export-targets.ts";
import { ENCODE_SLICE } from "./page-encoder.ts";
import { exportKey } from "./query.ts";
import { readExport } from "./read-export.ts";
import { type CanonicalRecord, CSV_HEADER, csvRows } from "./record-format.ts";

/**
 * The NDJSON and CSV sink: one file (or a writable stream), page by page in constant memory.
 *
 * Checkpoints (next page token, file size, records, pages, hash so far) describe a page
 * boundary and are taken off the page loop's critical path: after a page is written, if none is
 * in flight and CHECKPOINT_INTERVAL_MS have passed since the last one began, the file is
 * fdatasync'ed and THEN the checkpoint commits, while the next pages are fetched and written. A
 * crash leaves the file at or past the last committed checkpoint; resume cuts it back to the
 * checkpoint's size and fetches the pages after it again (at most ~CHECKPOINT_INTERVAL_MS plus
 * one fdatasync of work). An interrupted run (Ctrl-C, a failed request) checkpoints the last
 * page it wrote before it stops.
 *
 * The records go to `<out>.partial` and are renamed to `out` only when the export completed, so
 * a run that fails or is stopped never destroys a finished export already at `out`.
 */

/** At most this often a checkpoint is started (each costs an fdatasync and a store commit). */
export const CHECKPOINT_INTERVAL_MS = 200;

/** What an export into a stream names as its `out`. */
export const STREAM_OUT = "(stream)";

/** Where an export writes until it completes (then renamed to `out`). */
export const partialPath = (out: string): string => `${out}.partial`;

export class FileStage implements FormatStage<ExportCheckpoint> {
  readonly format: "ndjson" | "csv";
  readonly out: string;
  readonly key: string;
  private readonly stream: NodeJS.WritableStream | undefined;
  private readonly partial: string;
  private readonly signal: AbortSignal | undefined;
  /** How `out` is written (core/safe-write.ts): its kind, `replace`, the file mode. */
  private readonly target: SafeWriteOptions;
  private file: ExportSink | undefined;
  private checkpoints: Checkpointer | undefined;
  /** The state after the last page whose bytes were fully written (what a checkpoint may record). */
  private written: ExportCheckpoint | undefined;
  /** The state after the last page encoded (its offset is set when its bytes are written). */
  private encoded: ExportCheckpoint | undefined;
  /** The page being written while the next one is encoded: one write in flight, in page order. */
  private pending: Promise<void> | null = null;
  /** CSV rows of a page; page n is written to the file while page n+1 is encoded. */
  private readonly csv: DoubleBuffer | null;

  constructor(options: ExportOptions) {
    this.format = options.format === "csv" ? "csv" : "ndjson";
    this.stream = typeof options.out === "string" ? undefined : options.out;
    this.out = this.stream ? STREAM_OUT : resolve(options.out as string);
    this.partial = partialPath(this.out);
    this.signal = options.signal;
    // A stream's checkpoints are its own (never resumed, never shared with another run).
    this.key = exportKey(
      options.query,
      this.stream ? `${STREAM_OUT}:${randomUUID()}` : this.out,
      this.format,
    );
    this.csv = this.format === "csv" ? new DoubleBuffer() : null;
    this.target = exportWriteOptions(options, "out", exportFileKind(this.format));
  }

  /**
   * The file and its `.partial` (no link, no directory) and an existing file there (an export
   * of this format, unless `replace`), checked before anything is sent.
   */
  async checkDestination(): Promise<void> {
    if (this.stream) return;
    checkWriteTarget(this.out, this.target);
    checkWriteTarget(this.partial, { ...this.target, force: true });
  }

  /** `<out>.lock` beside the file (a stream needs none). */
  async lock(): Promise<FileLock> {
    if (this.stream) return { path: "", release() {} };
    const lock = checkWriteTarget(`${this.out}.lock`, { ...this.target, force: true });
    return acquireFileLock(lock, { field: "out", what: `the export ${this.out}` });
  }

  owns(stored: unknown): stored is ExportCheckpoint {
    return typeof stored === "object" && stored !== null;
  }

  view(c: ExportCheckpoint): CheckpointView {
    return {
      token: c.nextToken,
      skip: 0,
      exhausted: c.exhausted,
      records: c.records,
      pages: c.pages,
      bytes: c.offset,
      hashSoFar: c.hashSoFar,
      completed: c.completed,
      complianceHash: c.complianceHash,
    };
  }

  async replay(c: ExportCheckpoint, feed: (record: CanonicalRecord, line: string) => void): Promise<void> {
    // Renamed, then the run stopped before recording completion: continue from the renamed file.
    if (!c.completed && !(await exists(this.partial)) && (await exists(this.out)))
      await rename(this.out, this.partial);
    const file = c.completed ? this.out : this.partial;
    try {
      // The part already written is read back whole before the first page: a resumed export of
      // millions of records stops with its signal here too (issue 80 §2).
      for await (const { record, line } of inSignalSlices(
        readExport(file, this.format, c.offset),
        this.signal,
      ))
        feed(record, line);
    } catch (error) {
      this.signal?.throwIfAborted();
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        throw new ExportResumeError(`cannot resume: ${file} does not exist any more`);
      throw new ExportResumeError(`cannot resume: ${file} cannot be read back (${(error as Error).message})`);
    }
  }

  changed(c: ExportCheckpoint): string {
    return `cannot resume: the first ${c.records} records of ${c.completed ? this.out : this.partial} are not the ones exported (the file was changed); export again without \`resume: true\``;
  }

  async start(context: StageContext): Promise<ExportCheckpoint> {
    const file = this.stream
      ? new StreamExportSink(this.stream, this.signal)
      : await ExportFile.create(this.partial, this.target.mode);
    if (this.format === "csv") {
      await file.append(CSV_HEADER);
      await file.sync();
    }
    const first: ExportCheckpoint = {
      version: 1,
      out: this.out,
      format: this.format,
      nextToken: null,
      exhausted: false,
      offset: file.offset,
      records: 0,
      pages: 0,
      hashSoFar: context.hasher.peek(),
      completed: false,
    };
    this.open(file, first, context);
    return first;
  }

  async reopen(c: ExportCheckpoint, context: StageContext): Promise<void> {
    this.open(await ExportFile.resume(this.partial, c.offset), c, context);
  }

  async writePage(page: CallPage, from: number, context: StageContext): Promise<void> {
    const csv = this.csv;
    const batch: CanonicalRecord[] = [];
    csv?.begin();
    const ndjson = await context.encoder.encode(
      page,
      from,
      csv
        ? (record) => {
            batch.push(record);
            if (batch.length === ENCODE_SLICE) csv.writeText(csvRows(batch.splice(0)));
          }
        : null,
      true,
    );
    if (csv && batch.length > 0) csv.writeText(csvRows(batch));
    const bytes = csv ? csv.bytes() : ndjson;
    const previous = this.encoded as ExportCheckpoint;
    const state: ExportCheckpoint = {
      ...previous,
      nextToken: page.nextToken || null,
      exhausted: !page.nextToken,
      records: previous.records + page.count - from,
      pages: previous.pages + 1,
      hashSoFar: context.hasher.peek(),
    };
    await this.completeWrite();
    this.encoded = state;
    this.startWrite(bytes, state, context);
  }

  async finish(): Promise<ExportCheckpoint> {
    const file = this.file as ExportSink;
    await this.completeWrite();
    // Every byte on disk before the completed checkpoint (written with the audit record) commits.
    await this.checkpoints?.settle();
    await file.sync();
    await file.close();
    if (!this.stream) replaceWithTemp(this.partial, this.out, this.target);
    return this.written as ExportCheckpoint;
  }

  async interrupt(): Promise<{ checkpoint: ExportCheckpoint; kept: string }> {
    // Stop after the page in flight: record every page fully written, so --resume refetches none.
    await this.completeWrite().catch(() => {});
    const checkpoints = this.checkpoints as Checkpointer;
    await checkpoints.flush(this.written as ExportCheckpoint).catch(() => {});
    await this.file?.close(true);
    const kept = checkpoints.committed;
    return {
      checkpoint: kept,
      kept: `${kept.records} records in ${kept.pages} pages ${this.stream ? "were written to the stream (a stream export cannot be resumed)" : `are safely written to ${this.partial} — export again with \`resume: true\` to continue`}`,
    };
  }

  /** Writes on from checkpoint `c` into `file`. */
  private open(file: ExportSink, c: ExportCheckpoint, context: StageContext): void {
    this.file = file;
    this.written = c;
    this.encoded = c;
    this.checkpoints = new Checkpointer(file, context.commit, c);
  }

  /** Starts writing a page's bytes; when they are written the page's state is offered as a checkpoint. */
  private startWrite(bytes: Buffer, state: ExportCheckpoint, context: StageContext): void {
    const file = this.file as ExportSink;
    const checkpoints = this.checkpoints as Checkpointer;
    const write = file.append(bytes).then(() => {
      this.written = { ...state, offset: file.offset };
      checkpoints.offer(this.written);
      context.progress({
        records: this.written.records,
        pages: this.written.pages,
        bytes: this.written.offset,
      });
    });
    write.catch(() => {}); // observed by completeWrite; never an unhandled rejection
    this.pending = write;
  }

  private async completeWrite(): Promise<void> {
    const write = this.pending;
    this.pending = null;
    await write;
  }
}

/**
 * Commits checkpoints without holding up the page loop: at most one in flight, each an
 * fdatasync of the file (covering every byte written before it started) THEN the store commit
 * of a state whose offset those bytes reach. A failed one is reported by the next call.
 */
class Checkpointer {
  private readonly file: ExportSink;
  private inFlight: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  private lastStarted = Number.NEGATIVE_INFINITY;
  private readonly commit: (value: ExportCheckpoint) => Promise<void>;
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

const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );
