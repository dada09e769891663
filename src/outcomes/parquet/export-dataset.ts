import { readdir } from "node:fs/promises";
import path, { resolve } from "node:path";
import { acquireFileLock, type FileLock } from "../../core/file-lock.ts";
import { InputError } from "../../core/input-error.ts";
import { checkRealDirectory, ensureRealDirectory } from "../../core/safe-write.ts";
import type { CallPage } from "../../platform/types.ts";
import { ExportResumeError } from "../export-file.ts";
import { type CheckpointView, type FormatStage, runExport, type StageContext } from "../export-pipeline.ts";
import { type ExportOptions, type ExportSummary, NOTHING_WRITTEN } from "../export-run.ts";
import { exportKey } from "../query.ts";
import { type CanonicalRecord, canonicalLine, dispositionNameOf } from "../record-format.ts";
import {
  campaignDatasetDir,
  checkDatasetDir,
  cleanDataset,
  DatasetWriter,
  prepareDatasetDir,
  readPart,
} from "./dataset.ts";
import { partitionDay } from "./schema.ts";

/**
 * The Parquet sink of the export pipeline (`exportOutcomes` with `format: "parquet"`): the records
 * go to a hive-partitioned dataset directory (dataset.ts) instead of one file, with the same
 * hash, analysis, audit record and CRM event as an NDJSON export of the same window (the hash is
 * over the same canonical lines).
 *
 * Resumable at part granularity. The checkpoint, committed after every part is durable and
 * renamed, records the parts done and the position just after their last record: the page token
 * that fetches the page holding the next record and how many of that page's records are already
 * in parts. A run killed at any point leaves the dataset with whole parts only (a part being
 * written is a hidden temp file); `--resume` removes temp files and parts the checkpoint does
 * not list, reads the listed parts back to recompute the hash (it must equal the checkpointed
 * one) and the analysis, and fetches on from the recorded position. A fresh export replaces the
 * partitions (UTC days) its window covers; other days in the directory are left alone, so a
 * scheduled daily export appends one partition per day, and re-running a day rewrites that
 * day's partition with the same records.
 */
export interface DatasetCheckpoint extends CheckpointView {
  version: 1;
  out: string;
  format: "parquet";
  /** The committed parts, relative to the dataset directory, in record order. */
  parts: string[];
  nextPart: number;
}

/** The UTC days a [from, to) window touches. */
function windowDays(from: string, to: string): Set<string> {
  const days = new Set<string>();
  const start = Date.parse(from);
  const end = Date.parse(to) - 1;
  for (
    let t = Date.UTC(
      new Date(start).getUTCFullYear(),
      new Date(start).getUTCMonth(),
      new Date(start).getUTCDate(),
    );
    t <= end;
    t += 86_400_000
  )
    days.add(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Part and row-group sizes (tests use small ones to exercise part boundaries). */
export interface DatasetTuning {
  partRows?: number;
  rowGroupRows?: number;
}

export async function exportDataset(
  options: ExportOptions,
  tuning: DatasetTuning = {},
): Promise<ExportSummary> {
  return runExport(options, new DatasetStage(options, tuning));
}

class DatasetStage implements FormatStage<DatasetCheckpoint> {
  readonly format = "parquet" as const;
  readonly out: string;
  readonly key: string;
  /** The directory given (each campaign's dataset is a directory under it). */
  private readonly root: string;
  private readonly window: { from: string; to: string };
  private readonly tuning: DatasetTuning;
  private readonly mode: number | undefined;
  private writer: DatasetWriter | undefined;
  private context: StageContext | undefined;
  /** The last checkpoint built (at the last part boundary). */
  private checkpoint: DatasetCheckpoint | undefined;
  /** The last checkpoint committed. */
  private committed: DatasetCheckpoint | undefined;
  // The stream position just after the last record given to the writer.
  private token: string | null = null;
  private skip = 0;
  private records = 0;
  private pages = 0;
  private bytes = 0;
  // Part commits run in order, off the page loop: each part's fdatasync + rename, THEN the
  // checkpoint that lists it. `commits` is the chain; a failure surfaces at the next boundary.
  private commits: Promise<void> = Promise.resolve();

  constructor(options: ExportOptions, tuning: DatasetTuning) {
    if (typeof options.out !== "string")
      throw new InputError({
        field: "out",
        rule: "a Parquet dataset is a directory: give its path, not a stream",
      });
    // Each campaign's records are a dataset of their own under `out` (dataset.ts): two campaigns
    // exported into one directory never replace each other's parts.
    this.root = resolve(options.out);
    this.out = campaignDatasetDir(this.root, options.query.campaignId);
    this.key = exportKey(options.query, this.out, "parquet");
    this.window = { from: options.query.from, to: options.query.to };
    this.tuning = tuning;
    this.mode = options.fileMode;
  }

  /**
   * The directory named, then the campaign's dataset and its partitions below it: each a real
   * directory, never a link (core/safe-write.ts), refused before anything is fetched.
   */
  async checkDestination(): Promise<void> {
    await checkDatasetDir(this.root, "out");
    if (!checkRealDirectory(this.out, { field: "out" })) return;
    for (const name of await readdir(this.out))
      if (name.startsWith("date=")) checkRealDirectory(path.join(this.out, name), { field: "out" });
  }

  /** `<out>/.campaign=<id>.lock`, beside the campaign's dataset (the directory is created). */
  async lock(): Promise<FileLock> {
    await prepareDatasetDir(this.root, "out");
    return acquireFileLock(path.join(this.root, `.${path.basename(this.out)}.lock`), {
      field: "out",
      what: `the Parquet dataset ${this.out}`,
    });
  }

  owns(stored: unknown): stored is DatasetCheckpoint {
    return (stored as DatasetCheckpoint | null)?.format === "parquet";
  }

  view(c: DatasetCheckpoint): CheckpointView {
    return c;
  }

  async replay(c: DatasetCheckpoint, feed: (record: CanonicalRecord, line: string) => void): Promise<void> {
    for (const part of c.parts) {
      const file = path.join(this.out, part);
      try {
        for await (const record of readPart(file)) feed(record, canonicalLine(record));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT")
          throw new ExportResumeError(`cannot resume: ${file} does not exist any more`);
        throw new ExportResumeError(
          `cannot resume: ${file} cannot be read back (${(error as Error).message})`,
        );
      }
    }
  }

  changed(c: DatasetCheckpoint): string {
    return `cannot resume: the ${c.parts.length} parts in ${this.out} do not hold the ${c.records} records exported (the dataset was changed); export again without \`resume: true\``;
  }

  async start(context: StageContext): Promise<DatasetCheckpoint> {
    await prepareDatasetDir(this.root, "out");
    ensureRealDirectory(this.out, { field: "out" });
    await cleanDataset(this.out, { keep: new Set(), days: windowDays(this.window.from, this.window.to) });
    const first: DatasetCheckpoint = {
      version: 1,
      out: this.out,
      format: "parquet",
      ...NOTHING_WRITTEN,
      parts: [],
      nextPart: 0,
      hashSoFar: context.hasher.peek(),
      completed: false,
    };
    this.open(first, context);
    return first;
  }

  async reopen(c: DatasetCheckpoint, context: StageContext): Promise<void> {
    await cleanDataset(this.out, { keep: new Set(c.parts), fromPart: c.nextPart });
    this.open(c, context);
  }

  async writePage(page: CallPage, from: number, context: StageContext): Promise<void> {
    const writer = this.writer as DatasetWriter;
    const { categorizer } = context;
    await context.encoder.encode(
      page,
      from,
      async (record, index) => {
        const day = partitionDay(record.startTime);
        if (writer.needsNewPart(day)) await this.commitPart(false);
        writer.add(
          record,
          day,
          categorizer.categoryOf(record.dispositionCode, dispositionNameOf(record)) ?? null,
        );
        this.records += 1;
        this.skip = index + 1;
      },
      false,
    );
    this.pages += 1;
    this.token = page.nextToken || null;
    this.skip = 0;
    context.progress({ records: this.records, pages: this.pages, bytes: this.bytes });
  }

  async finish(): Promise<DatasetCheckpoint> {
    await this.commitPart(true);
    await this.commits;
    return this.checkpoint as DatasetCheckpoint;
  }

  async interrupt(): Promise<{ checkpoint: DatasetCheckpoint; kept: string }> {
    // Keep what was received: the open part is committed at the position reached, so --resume
    // fetches nothing twice (unless the failure is the dataset's own, then nothing more is kept).
    await this.commitPart(false).catch(() => this.writer?.abandon());
    await this.commits.catch(() => {});
    const kept = this.committed as DatasetCheckpoint;
    return {
      checkpoint: kept,
      kept: `${kept.records} records in ${kept.parts.length} parts are safely written in ${this.out} — export again with \`resume: true\` to continue`,
    };
  }

  summaryExtras(c: DatasetCheckpoint): Partial<ExportSummary> {
    return { parts: c.parts.length };
  }

  private open(c: DatasetCheckpoint, context: StageContext): void {
    this.context = context;
    this.checkpoint = c;
    this.committed = c;
    ({ token: this.token, skip: this.skip, records: this.records, pages: this.pages, bytes: this.bytes } = c);
    this.writer = new DatasetWriter({
      dir: this.out,
      firstPart: c.nextPart,
      ...this.tuning,
      ...(this.mode === undefined ? {} : { mode: this.mode }),
    });
  }

  /** Closes the part being written and queues its commit with a checkpoint at the current position. */
  private async commitPart(exhausted: boolean): Promise<void> {
    const context = this.context as StageContext;
    const writer = this.writer as DatasetWriter;
    context.encoder.hashLines();
    const closed = writer.close();
    if (closed === null && !exhausted) return;
    if (closed) this.bytes += closed.info.bytes;
    const previous = this.checkpoint as DatasetCheckpoint;
    const state: DatasetCheckpoint = {
      ...previous,
      token: this.token,
      skip: this.skip,
      exhausted,
      records: this.records,
      pages: this.pages,
      bytes: this.bytes,
      parts: closed ? [...previous.parts, closed.info.path] : previous.parts,
      nextPart: writer.nextPart,
      hashSoFar: context.hasher.peek(),
    };
    this.checkpoint = state;
    const previousCommits = this.commits;
    this.commits = (async () => {
      await previousCommits;
      await closed?.durable;
      await context.commit(state);
      this.committed = state;
    })();
    this.commits.catch(() => {});
    // At most one part waits for its commit while the next is written.
    await previousCommits;
  }
}
