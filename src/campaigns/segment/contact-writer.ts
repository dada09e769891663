import { once } from "node:events";
import type { Writable } from "node:stream";
import { stringify } from "csv-stringify";
import { safeCsvCast } from "../../core/csv-cell.ts";
import { CSV_COLUMNS, csvRecord, type SegmentedContact } from "./segmented-contact.ts";

/**
 * Streams segmented contacts to a file or stdout as NDJSON or CSV, honouring backpressure so
 * memory stays flat however long the list is.
 */
export interface ContactSink {
  write(row: SegmentedContact): Promise<void>;
  end(): Promise<void>;
}

export type OutputFormat = "ndjson" | "csv";

async function writeChunk(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}

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
  if (format === "ndjson")
    return {
      write: (row) => writeChunk(out, `${JSON.stringify(row)}\n`),
      end: finish,
    };
  const csv = stringify({ header: true, columns: [...CSV_COLUMNS], cast: safeCsvCast });
  csv.on("data", (chunk: Buffer | string) => {
    if (!out.write(chunk)) csv.pause();
  });
  out.on("drain", () => csv.resume());
  return {
    async write(row) {
      if (!csv.write(csvRecord(row))) await once(csv, "drain");
    },
    async end() {
      const ended = once(csv, "end");
      csv.end();
      await ended;
      await finish();
    },
  };
}
