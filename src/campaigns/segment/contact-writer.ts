import { once } from "node:events";
import type { Writable } from "node:stream";
import { csvStream } from "../../core/csv-cell.ts";
import { DoubleBuffer } from "../../core/double-buffer.ts";
import { type FileKind, kindByFirstLine, kindByJsonLines } from "../../core/safe-write.ts";
import { RowJson } from "./row-json.ts";
import { CSV_COLUMNS, csvRecord, type SegmentedContact } from "./segmented-contact.ts";

/**
 * Streams segmented contacts to a file or stdout as NDJSON or CSV, honouring backpressure so
 * memory stays flat however long the list is.
 */
export interface ContactSink {
  /**
   * Takes one row. A promise means "wait for it before the next row" (backpressure); a sink
   * that can take the next row at once returns undefined, so a million rows are not a million
   * promises.
   */
  write(row: SegmentedContact): Promise<void> | undefined;
  end(): Promise<void>;
}

export type OutputFormat = "ndjson" | "csv";

/** A contacts file this writer wrote (what an existing --out must be to be replaced). */
export function contactFileKind(format: OutputFormat): FileKind {
  return format === "csv"
    ? kindByFirstLine("contacts CSV written by cxo", (line) => line === CSV_COLUMNS.join(","))
    : kindByJsonLines("contacts NDJSON written by cxo", (line) => line.startsWith('{"id":'));
}

/**
 * NDJSON lines are gathered in one of two reused buffers and written a chunk of this size at a
 * time (one write per row cost more than making the rows, and allocated a Buffer per row).
 */
const NDJSON_CHUNK_BYTES = 1 << 16;

export function contactWriter(
  out: Writable,
  format: OutputFormat,
  options: { closeOut: boolean },
): ContactSink {
  const finish = async () => {
    if (!options.closeOut) return;
    const done = once(out, "finish");
    out.end();
    await done;
  };
  return format === "ndjson" ? ndjsonWriter(out, finish) : csvWriter(out, finish);
}

function ndjsonWriter(out: Writable, finish: () => Promise<void>): ContactSink {
  const buffers = new DoubleBuffer(NDJSON_CHUNK_BYTES + (1 << 12));
  buffers.begin();
  const rowJson = new RowJson();
  // The write of the other buffer, if one is in flight: it must complete before that buffer is
  // filled again (a Writable may hold a chunk until it is written) and before the next write,
  // so at most one chunk waits in `out` (backpressure).
  let inFlight: Promise<void> | null = null;
  const flush = async (): Promise<void> => {
    const bytes = buffers.bytes();
    if (inFlight) await inFlight;
    inFlight = null;
    if (bytes.length === 0) return;
    const written = new Promise<void>((resolve, reject) =>
      out.write(bytes, (error) => (error ? reject(error) : resolve())),
    );
    written.catch(() => {}); // observed at the next flush or at end(); never unhandled
    inFlight = written;
    buffers.begin();
  };
  return {
    write(row) {
      const tail = rowJson.tail(row);
      if (tail) {
        buffers.writeText(rowJson.head(row));
        buffers.write(tail);
      } else buffers.writeLine(JSON.stringify(row));
      return buffers.bytes().length >= NDJSON_CHUNK_BYTES ? flush() : undefined;
    },
    async end() {
      await flush();
      if (inFlight) await inFlight;
      inFlight = null;
      await finish();
    },
  };
}

function csvWriter(out: Writable, finish: () => Promise<void>): ContactSink {
  const csv = csvStream({ header: true, columns: CSV_COLUMNS });
  csv.on("data", (chunk: Buffer | string) => {
    if (!out.write(chunk)) csv.pause();
  });
  out.on("drain", () => csv.resume());
  return {
    write(row) {
      return csv.write(csvRecord(row)) ? undefined : once(csv, "drain").then(() => undefined);
    },
    async end() {
      const ended = once(csv, "end");
      csv.end();
      await ended;
      await finish();
    },
  };
}
