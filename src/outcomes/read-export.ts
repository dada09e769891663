import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { canonicalJson } from "../core/audit/canonical-json.ts";
import { CxoError } from "../core/cxo-error.ts";
import {
  type CanonicalRecord,
  COLUMNS,
  canonicalLine,
  csvCellParser,
  recordFromCsv,
} from "./record-format.ts";

/**
 * Reads an export file back as canonical records, one at a time (constant memory): for
 * `cxo outcomes verify` and for a resumed export, which recomputes its hash and analysis from
 * the part of the file it already wrote.
 */
export type ExportFormat = "ndjson" | "csv" | "parquet";

export interface ReadRecord {
  record: CanonicalRecord;
  line: string;
}

export class ExportFileFormatError extends CxoError {
  override readonly name = "ExportFileFormatError";
  readonly code = "export_file_format" as const;
}

/** `end`: read only the first `end` bytes (the checkpointed part of an interrupted export). */
export async function* readExport(
  path: string,
  format: ExportFormat,
  end?: number,
): AsyncGenerator<ReadRecord> {
  if (end === 0) return;
  if (format === "parquet") {
    // hyparquet loads only to read a dataset (see export.ts).
    const { readDataset } = await import("./parquet/dataset.ts");
    for await (const record of readDataset(path)) yield { record, line: canonicalLine(record) };
    return;
  }
  const stream = createReadStream(path, end === undefined ? {} : { start: 0, end: end - 1 });
  if (format === "ndjson") yield* readNdjson(stream);
  else yield* readCsv(stream);
}

async function* readNdjson(stream: NodeJS.ReadableStream): AsyncGenerator<ReadRecord> {
  let lineNumber = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber += 1;
    if (text === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ExportFileFormatError(`line ${lineNumber} is not JSON`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new ExportFileFormatError(`line ${lineNumber} is not a record object`);
    // Re-canonicalised, so a file whose keys were reordered still hashes the same records.
    const line = canonicalJson(value);
    yield { record: value as CanonicalRecord, line };
  }
}

async function* readCsv(stream: NodeJS.ReadableStream): AsyncGenerator<ReadRecord> {
  const parser = stream.pipe(csvCellParser());
  let row = 0;
  for await (const cells of parser as AsyncIterable<Array<{ value: string; quoted: boolean }>>) {
    row += 1;
    if (row === 1) {
      const header = cells.map((cell) => cell.value);
      if (header.join(",") !== COLUMNS.join(","))
        throw new ExportFileFormatError(`the header is not an outcomes export header (${COLUMNS.join(",")})`);
      continue;
    }
    let record: CanonicalRecord;
    try {
      record = recordFromCsv(cells);
    } catch (error) {
      throw new ExportFileFormatError(`row ${row}: ${(error as Error).message}`);
    }
    yield { record, line: canonicalLine(record) };
  }
}
