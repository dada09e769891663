import { closeSync, fsyncSync, openSync, readSync, write, writeSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { inputLines } from "../../../core/input-rows.ts";
import {
  checkWriteTarget,
  type FileKind,
  kindByJsonLines,
  OWN_FILE_TRUNCATE,
  replaceWithTemp,
} from "../../../core/safe-write.ts";
import { isEvidenceLine } from "./record.ts";

/**
 * Where an evidence run's records go: the attempts not allowed first, then the allowed ones, each
 * group in time order (the order they are made in), with flat memory whatever the count. NDJSON:
 * the records not allowed are written to the output (under a temporary name in the run's scratch
 * directory) as they are made, the allowed ones to a spool beside it, appended at the end. Parquet:
 * both groups are spooled, then read back a line at a time into the Parquet writer. The output
 * appears whole under its name or not at all (renamed into place, as every file cxo writes).
 */
export type EvidenceFormat = "ndjson" | "parquet";

const writeAsync = promisify(write) as (
  fd: number,
  buffer: Buffer,
  offset: number,
  length: number,
) => Promise<{ bytesWritten: number }>;

export const EVIDENCE_NDJSON: FileKind = kindByJsonLines("evidence file (NDJSON)", isEvidenceLine);
export const EVIDENCE_PARQUET: FileKind = {
  name: "evidence file (Parquet)",
  recognise: (h) => h.startsWith("PAR1"),
};

export const formatOf = (out: string): EvidenceFormat =>
  path.extname(out).toLowerCase() === ".parquet" ? "parquet" : "ndjson";

/** Checks the output may be written (before anything is read or sent); its absolute path. */
export function checkEvidenceTarget(out: string, field: string, force: boolean): string {
  return checkWriteTarget(out, {
    field,
    kind: formatOf(out) === "parquet" ? EVIDENCE_PARQUET : EVIDENCE_NDJSON,
    force,
  });
}

/** Bytes a spool may have in writing before `add` waits for them (the disk's pace, not memory's). */
const WRITING_MAX_BYTES = 32 << 20;

/**
 * An append-only text file written in large blocks, in the background: the kernel's writes (which
 * wait for the disk once the page cache holds enough unwritten data: 8 of a run's 32 s) overlap
 * the run's reading and judging.
 */
class Spool {
  readonly file: string;
  private readonly fd: number;
  /** How many blocks were written (0: the spool is empty). */
  count = 0;
  private writing: Promise<void> = Promise.resolve();
  private inWriting = 0;
  private failed: Error | undefined;

  constructor(file: string) {
    this.file = file;
    this.fd = openSync(file, OWN_FILE_TRUNCATE, 0o600);
  }

  /** Whole lines, each ending in a line feed; waits only while too much is still being written. */
  async add(text: string): Promise<void> {
    if (this.failed) throw this.failed;
    if (text === "") return;
    const bytes = Buffer.from(text, "utf8");
    this.count += 1;
    this.inWriting += bytes.length;
    this.writing = this.writing.then(async () => {
      if (this.failed) return;
      try {
        let done = 0;
        while (done < bytes.length)
          done += (await writeAsync(this.fd, bytes, done, bytes.length - done)).bytesWritten;
      } catch (error) {
        this.failed = error as Error;
      } finally {
        this.inWriting -= bytes.length;
      }
    });
    if (this.inWriting > WRITING_MAX_BYTES) await this.drained();
  }

  /** Once every block given is written (or the first failure, thrown). */
  async drained(): Promise<void> {
    await this.writing;
    if (this.failed) throw this.failed;
  }

  /** Appends a whole file (another spool) after what was written, in blocks of 4 MiB. */
  append(file: string): void {
    const from = openSync(file, "r");
    try {
      const block = Buffer.allocUnsafe(4 << 20);
      for (;;) {
        const n = readSync(from, block, 0, block.length, null);
        if (n === 0) break;
        let done = 0;
        while (done < n) done += writeSync(this.fd, block, done, n - done);
      }
    } finally {
      closeSync(from);
    }
  }

  close(durable = false): void {
    if (this.closed) return;
    if (durable) fsyncSync(this.fd);
    this.closed = true;
    closeSync(this.fd);
  }

  private closed = false;
}

export class EvidenceSink {
  private readonly out: string;
  private readonly field: string;
  private readonly force: boolean;
  readonly format: EvidenceFormat;
  /** NDJSON: the output itself, being written (renamed into place at the end); Parquet: a spool. */
  private readonly notAllowed: Spool;
  private readonly allowed: Spool;

  /** `scratchDir`: the run's own directory (beside the output: the same disk, so a rename moves it). */
  constructor(out: string, scratchDir: string, options: { field: string; force: boolean }) {
    this.out = out;
    this.field = options.field;
    this.force = options.force;
    this.format = formatOf(out);
    this.notAllowed = new Spool(
      path.join(scratchDir, this.format === "ndjson" ? "output.ndjson" : "not-allowed.ndjson"),
    );
    this.allowed = new Spool(path.join(scratchDir, "allowed.ndjson"));
  }

  /** A chunk's records: those not allowed, then those allowed (judge.ts's JudgedChunk). */
  async add(notAllowed: string, allowed: string): Promise<void> {
    await Promise.all([this.notAllowed.add(notAllowed), this.allowed.add(allowed)]);
  }

  /** A run that failed: the spools are closed (the scratch directory, removed, takes them). */
  async abandon(): Promise<void> {
    for (const spool of [this.notAllowed, this.allowed])
      try {
        // Its writes in flight first: a descriptor closed under them could be another file's by then.
        await spool.drained().catch(() => {});
        spool.close();
      } catch {
        // already closed, or the disk is gone: nothing of it is kept
      }
  }

  /** Finishes the output: not allowed first, then allowed. */
  async finish(): Promise<void> {
    await Promise.all([this.notAllowed.drained(), this.allowed.drained()]);
    this.allowed.close();
    if (this.format === "ndjson") {
      // The attempts not allowed were written to the output as they were made; the allowed ones
      // follow them, copied from their spool in large blocks, and the whole is made durable.
      this.notAllowed.append(this.allowed.file);
      this.notAllowed.close(true);
      replaceWithTemp(this.notAllowed.file, this.out, {
        field: this.field,
        kind: EVIDENCE_NDJSON,
        force: this.force,
      });
      return;
    }
    this.notAllowed.close();
    const { EvidenceParquetWriter } = await import("./parquet.ts");
    // Checked again: the file must still be one it may replace.
    checkEvidenceTarget(this.out, this.field, this.force);
    const writer = new EvidenceParquetWriter(this.out);
    try {
      // A line is `{"digest":"sha256:…",` and the canonical text the digest is over, less its `{`.
      for (const spool of [this.notAllowed, this.allowed])
        if (spool.count > 0)
          for await (const { text: line } of inputLines(spool.file))
            writer.add(JSON.parse(line), `{${line.slice(line.indexOf(",") + 1)}`);
      await writer.close();
    } catch (error) {
      writer.abandon();
      throw error;
    }
  }
}
