import { closeSync, fsyncSync, openSync, readSync, write, writeSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { inputLines } from "../../core/input-rows.ts";
import {
  checkWriteTarget,
  type FileKind,
  kindByJsonLines,
  OWN_FILE_TRUNCATE,
  replaceWithTemp,
} from "../../core/safe-write.ts";
import {
  ChainRoot,
  type EvidenceManifest,
  GENESIS_DIGEST,
  lineParts,
  manifestLine,
  PREV_AT,
} from "./chain.ts";
import type { JudgedChunk } from "./judge.ts";
import { isEvidenceLine } from "./record.ts";

/**
 * Where an evidence run's records go: the attempts not allowed first, then the allowed ones, each
 * group in time order (the order they are made in), with flat memory whatever the count. NDJSON:
 * the records not allowed are written to the output (under a temporary name in the run's scratch
 * directory) as they are made, the allowed ones to a spool beside it, appended at the end. Parquet:
 * both groups are spooled, then read back a line at a time into the Parquet writer. The output
 * appears whole under its name or not at all (renamed into place, as every file cxo writes). The
 * records are linked into a chain in file order and the file ends in its manifest (chain.ts).
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

  /**
   * Whole lines, each ending in a line feed; waits only while too much is still being written.
   * `prev`: the first line's link to the record before it (chain.ts), set in its bytes.
   */
  async add(text: string | Uint8Array, prev?: string): Promise<void> {
    if (this.failed) throw this.failed;
    if (text.length === 0) return;
    const bytes =
      typeof text === "string"
        ? Buffer.from(text, "utf8")
        : Buffer.from(text.buffer, text.byteOffset, text.length);
    if (prev !== undefined) bytes.write(prev, PREV_AT, "latin1");
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

  /** Sets the first line's `prev` (once every block is written): the allowed records' first link. */
  patchFirst(prev: string): void {
    const bytes = Buffer.from(prev, "latin1");
    writeSync(this.fd, bytes, 0, bytes.length, PREV_AT);
  }

  /** Writes text at the end, at once (the manifest). */
  appendText(text: string): void {
    const bytes = Buffer.from(text, "utf8");
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
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

/** A judged chunk as the sink takes it (judge.ts's JudgedChunk). */
export type SinkChunk = Pick<JudgedChunk, "notAllowed" | "allowed" | "digests">;

/** What the chain comes to once every record is written: the manifest is made of it (make.ts). */
export interface ChainEnd {
  records: number;
  root: string;
  lastRecord: string;
}

export class EvidenceSink {
  private readonly out: string;
  private readonly field: string;
  private readonly force: boolean;
  readonly format: EvidenceFormat;
  /** NDJSON: the output itself, being written (renamed into place at the end); Parquet: a spool. */
  private readonly notAllowed: Spool;
  private readonly allowed: Spool;
  /** The allowed records' digests, one a line: the root is over them after the others'. */
  private readonly allowedDigests: Spool;
  private allowedCount = 0;
  private readonly root = new ChainRoot();
  private lastNotAllowed: string | undefined;
  private lastAllowed: string | undefined;

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
    this.allowedDigests = new Spool(path.join(scratchDir, "allowed.digests"));
  }

  /**
   * A chunk's records: those not allowed, then those allowed. Each group's first line is linked
   * to the last record of its group written before; the allowed records' very first line, whose
   * record before is the last one not allowed, is linked when the run ends (`finish`).
   */
  async add(chunk: SinkChunk): Promise<void> {
    const { notAllowed, allowed } = chunk.digests;
    const writes: Array<Promise<void>> = [];
    if (notAllowed.length > 0) {
      writes.push(this.notAllowed.add(chunk.notAllowed, this.lastNotAllowed ?? GENESIS_DIGEST));
      for (const digest of notAllowed) this.root.add(digest);
      this.lastNotAllowed = notAllowed.at(-1);
    }
    if (allowed.length > 0) {
      writes.push(this.allowed.add(chunk.allowed, this.lastAllowed));
      writes.push(this.allowedDigests.add(`${allowed.join("\n")}\n`));
      this.allowedCount += allowed.length;
      this.lastAllowed = allowed.at(-1);
    }
    await Promise.all(writes);
  }

  /** A run that failed: the spools are closed (the scratch directory, removed, takes them). */
  async abandon(): Promise<void> {
    for (const spool of [this.notAllowed, this.allowed, this.allowedDigests])
      try {
        // Its writes in flight first: a descriptor closed under them could be another file's by then.
        await spool.drained().catch(() => {});
        spool.close();
      } catch {
        // already closed, or the disk is gone: nothing of it is kept
      }
  }

  /** The chain's end, once every record is written: the allowed records' digests go into the root after the others'. */
  private async chainEnd(): Promise<ChainEnd> {
    await Promise.all([this.notAllowed.drained(), this.allowed.drained(), this.allowedDigests.drained()]);
    if (this.allowedCount > 0) this.allowed.patchFirst(this.lastNotAllowed ?? GENESIS_DIGEST);
    this.allowedDigests.close();
    if (this.allowedCount > 0) {
      const from = openSync(this.allowedDigests.file, "r");
      try {
        const block = Buffer.allocUnsafe(4 << 20);
        for (;;) {
          const n = readSync(from, block, 0, block.length, null);
          if (n === 0) break;
          this.root.addLines(block.subarray(0, n), 0);
        }
      } finally {
        closeSync(from);
      }
    }
    return {
      records: this.root.count + this.allowedCount,
      root: this.root.root,
      lastRecord: this.lastAllowed ?? this.lastNotAllowed ?? GENESIS_DIGEST,
    };
  }

  /** Finishes the output: not allowed first, then allowed, then the manifest `manifestOf` makes of the chain. */
  async finish(manifestOf: (end: ChainEnd) => EvidenceManifest): Promise<EvidenceManifest> {
    const manifest = manifestOf(await this.chainEnd());
    this.allowed.close();
    if (this.format === "ndjson") {
      // The attempts not allowed were written to the output as they were made; the allowed ones
      // follow them, copied from their spool in large blocks, then the manifest, and the whole is
      // made durable.
      this.notAllowed.append(this.allowed.file);
      this.notAllowed.appendText(manifestLine(manifest));
      this.notAllowed.close(true);
      replaceWithTemp(this.notAllowed.file, this.out, {
        field: this.field,
        kind: EVIDENCE_NDJSON,
        force: this.force,
      });
      return manifest;
    }
    this.notAllowed.close();
    const { EvidenceParquetWriter } = await import("./parquet.ts");
    // Checked again: the file must still be one it may replace.
    checkEvidenceTarget(this.out, this.field, this.force);
    const writer = new EvidenceParquetWriter(this.out);
    try {
      for (const spool of [this.notAllowed, this.allowed])
        if (spool.count > 0)
          for await (const { text: line } of inputLines(spool.file)) {
            const parts = lineParts(line) as NonNullable<ReturnType<typeof lineParts>>;
            writer.add(JSON.parse(line), parts.text);
          }
      writer.setManifest(manifest);
      await writer.close();
    } catch (error) {
      writer.abandon();
      throw error;
    }
    return manifest;
  }
}
