import { closeSync, createReadStream, openSync, writeSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { inputLines } from "../../../core/input-rows.ts";
import {
  checkWriteTarget,
  createSafeWriteStream,
  type FileKind,
  kindByJsonLines,
  OWN_FILE_TRUNCATE,
} from "../../../core/safe-write.ts";
import { isEvidenceLine } from "./record.ts";

/**
 * Where an evidence run's records go: the attempts not allowed first, then the allowed ones, each
 * group in time order (the order they are made in). Records are written as they are made to two
 * spool files in the run's scratch directory (flat memory, whatever the count), then the output is
 * written from them: NDJSON by copying the two in turn, Parquet by reading them back a line at a
 * time into the Parquet writer. The output appears whole under its name or not at all (written
 * under a temporary name and renamed, as every file cxo writes).
 */
export type EvidenceFormat = "ndjson" | "parquet";

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

/** An append-only text file written in large blocks. */
class Spool {
  readonly file: string;
  private readonly fd: number;
  private buffered: string[] = [];
  private size = 0;
  count = 0;

  constructor(file: string) {
    this.file = file;
    this.fd = openSync(file, OWN_FILE_TRUNCATE, 0o600);
  }

  add(line: string): void {
    this.buffered.push(line);
    this.size += line.length + 1;
    this.count += 1;
    if (this.size >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.buffered.length === 0) return;
    const bytes = Buffer.from(`${this.buffered.join("\n")}\n`, "utf8");
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.buffered = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export class EvidenceSink {
  private readonly out: string;
  private readonly field: string;
  private readonly force: boolean;
  readonly format: EvidenceFormat;
  private readonly notAllowed: Spool;
  private readonly allowed: Spool;

  /** `scratchDir`: the run's own directory (beside the output: the same disk). */
  constructor(out: string, scratchDir: string, options: { field: string; force: boolean }) {
    this.out = out;
    this.field = options.field;
    this.force = options.force;
    this.format = formatOf(out);
    this.notAllowed = new Spool(path.join(scratchDir, "not-allowed.ndjson"));
    this.allowed = new Spool(path.join(scratchDir, "allowed.ndjson"));
  }

  add(allowed: boolean, line: string): void {
    (allowed ? this.allowed : this.notAllowed).add(line);
  }

  /** Writes the output from the spools: not allowed first. */
  async finish(): Promise<void> {
    this.notAllowed.close();
    this.allowed.close();
    const spools = [this.notAllowed, this.allowed].filter((s) => s.count > 0).map((s) => s.file);
    if (this.format === "ndjson") {
      const target = createSafeWriteStream(this.out, {
        field: this.field,
        kind: EVIDENCE_NDJSON,
        force: this.force,
      });
      await pipeline(async function* () {
        for (const file of spools) for await (const chunk of createReadStream(file)) yield chunk as Buffer;
      }, target);
      return;
    }
    const { EvidenceParquetWriter } = await import("./parquet.ts");
    // Checked again: the file must still be one it may replace.
    checkEvidenceTarget(this.out, this.field, this.force);
    const writer = new EvidenceParquetWriter(this.out);
    try {
      // A line is `{"digest":"sha256:…",` and the canonical text the digest is over, less its `{`.
      for (const file of spools)
        for await (const { text: line } of inputLines(file))
          writer.add(JSON.parse(line), `{${line.slice(line.indexOf(",") + 1)}`);
      await writer.close();
    } catch (error) {
      writer.abandon();
      throw error;
    }
  }
}
