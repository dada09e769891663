import { rm, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { acquireFileLock, type FileLock } from "../../core/file-lock.ts";
import { InputError } from "../../core/input-error.ts";
import { checkWriteTarget, type FileKind, type SafeWriteOptions } from "../../core/safe-write.ts";
import type { CallPage } from "../../platform/types.ts";
import { ExportResumeError } from "../export-file.ts";
import { type CheckpointView, type FormatStage, runExport, type StageContext } from "../export-pipeline.ts";
import { type ExportOptions, type ExportSummary, NOTHING_WRITTEN } from "../export-run.ts";
import { exportWriteOptions } from "../export-targets.ts";
import { exportKey } from "../query.ts";
import { type CanonicalRecord, canonicalLine, dispositionNameOf } from "../record-format.ts";
import { checkDatasetDir, ParquetFileWriter, parquetFileTemp, readPart } from "./dataset.ts";

/**
 * The single-file Parquet sink (`exportOutcomes` with `format: "parquet"` and an `out` ending in
 * `.parquet`): every record in one file with the columns of a dataset's parts (issue 50 §4),
 * the same hash, analysis, audit record and CRM event as any other format.
 *
 * A Parquet file cannot be appended to (its footer lists every row group), so it is written
 * whole under a hidden temporary name and renamed at the end: a stopped or failed run leaves the
 * name as it was (no half file), and `resume` starts the file over (nothing was kept to resume
 * from). Once complete, `resume` reads the file back and fetches nothing.
 */
/** A Parquet file begins with the magic bytes PAR1. */
const PARQUET_FILE: FileKind = { name: "Parquet file", recognise: (head) => head.startsWith("PAR1") };

export interface ParquetFileCheckpoint extends CheckpointView {
  version: 1;
  out: string;
  format: "parquet-file";
}

export async function exportParquetFile(
  options: ExportOptions,
  tuning: { rowGroupRows?: number } = {},
): Promise<ExportSummary> {
  return runExport(options, new ParquetFileStage(options, tuning));
}

class ParquetFileStage implements FormatStage<ParquetFileCheckpoint> {
  readonly format = "parquet" as const;
  readonly out: string;
  readonly key: string;
  private readonly tuning: { rowGroupRows?: number };
  private writer: ParquetFileWriter | undefined;
  private context: StageContext | undefined;
  private first: ParquetFileCheckpoint | undefined;
  private records = 0;
  private pages = 0;
  private readonly mode: number | undefined;
  private readonly target: SafeWriteOptions;

  constructor(options: ExportOptions, tuning: { rowGroupRows?: number }) {
    if (typeof options.out !== "string")
      throw new InputError({ field: "out", rule: "a Parquet file needs a path, not a stream" });
    this.out = resolve(options.out);
    this.key = exportKey(options.query, this.out, "parquet");
    this.tuning = tuning;
    this.mode = options.fileMode;
    this.target = exportWriteOptions(options, "out", PARQUET_FILE);
  }

  async checkDestination(): Promise<void> {
    if ((await stat(this.out).catch(() => undefined))?.isDirectory())
      throw new InputError({
        field: "out",
        rule: `${this.out} is a directory: a name ending in .parquet is one Parquet file (give a directory path ending in / for a partitioned dataset)`,
      });
    // Its directory must be storage that exists (the dataset's checks, on the parent).
    await checkDatasetDir(resolve(this.out, ".."), "out");
    // Never through a link; an existing file that is not a Parquet file only with `replace`.
    checkWriteTarget(this.out, this.target);
  }

  /** `<out>.lock` beside the file: a second export to the same file is refused, naming the first. */
  async lock(): Promise<FileLock> {
    const lock = checkWriteTarget(`${this.out}.lock`, { ...this.target, force: true });
    return acquireFileLock(lock, { field: "out", what: `the Parquet file ${this.out}` });
  }

  owns(stored: unknown): stored is ParquetFileCheckpoint {
    return (stored as ParquetFileCheckpoint | null)?.format === "parquet-file";
  }

  view(c: ParquetFileCheckpoint): CheckpointView {
    return c;
  }

  async replay(
    c: ParquetFileCheckpoint,
    feed: (record: CanonicalRecord, line: string) => void,
  ): Promise<void> {
    // Only a completed file holds records (an unfinished one was never renamed into place).
    if (c.records === 0) return;
    try {
      for await (const record of readPart(this.out)) feed(record, canonicalLine(record));
    } catch (error) {
      throw new ExportResumeError(
        `cannot resume: ${this.out} cannot be read back (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  }

  changed(c: ParquetFileCheckpoint): string {
    return `cannot resume: ${this.out} does not hold the ${c.records} records exported (the file was changed); export again without \`resume: true\``;
  }

  async start(context: StageContext): Promise<ParquetFileCheckpoint> {
    const first: ParquetFileCheckpoint = {
      version: 1,
      out: this.out,
      format: "parquet-file",
      ...NOTHING_WRITTEN,
      hashSoFar: context.hasher.peek(),
      completed: false,
    };
    await this.open(first, context);
    return first;
  }

  async reopen(c: ParquetFileCheckpoint, context: StageContext): Promise<void> {
    // Unfinished: nothing was kept (see above), so the file starts over from the first record.
    await this.open(c, context);
  }

  async writePage(page: CallPage, from: number, context: StageContext): Promise<void> {
    const writer = this.writer as ParquetFileWriter;
    await context.encoder.encode(
      page,
      from,
      async (record) => {
        writer.add(
          record,
          context.categorizer.categoryOf(record.dispositionCode, dispositionNameOf(record)) ?? null,
        );
        this.records += 1;
      },
      false,
    );
    this.pages += 1;
    context.progress({ records: this.records, pages: this.pages, bytes: 0 });
  }

  async finish(): Promise<ParquetFileCheckpoint> {
    const context = this.context as StageContext;
    context.encoder.hashLines();
    const closed = (this.writer as ParquetFileWriter).close();
    await closed.durable;
    return {
      ...(this.first as ParquetFileCheckpoint),
      exhausted: true,
      records: this.records,
      pages: this.pages,
      bytes: closed.info.bytes,
      hashSoFar: context.hasher.peek(),
    };
  }

  async interrupt(): Promise<{ checkpoint: ParquetFileCheckpoint; kept: string }> {
    this.writer?.abandon();
    await rm(parquetFileTemp(this.out), { force: true });
    return {
      checkpoint: this.first as ParquetFileCheckpoint,
      kept: `nothing was kept: a Parquet file is written whole, and ${this.out} was left as it was — export again to write it (or export to a directory for a dataset that resumes part by part)`,
    };
  }

  private async open(c: ParquetFileCheckpoint, context: StageContext): Promise<void> {
    this.context = context;
    this.first = { ...c, ...NOTHING_WRITTEN };
    this.records = 0;
    this.pages = 0;
    await rm(parquetFileTemp(this.out), { force: true });
    this.writer = new ParquetFileWriter(this.out, {
      ...this.tuning,
      ...(this.mode === undefined ? {} : { mode: this.mode }),
    });
  }
}
