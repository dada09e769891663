import { canonicalJson } from "../core/audit/canonical-json.ts";
import { CxoError } from "../core/cxo-error.ts";
import { InputError } from "../core/input-error.ts";
import { csvCellRows, ndjsonRows } from "../core/input-rows.ts";
import {
  type CanonicalRecord,
  COLUMNS,
  COLUMNS_BEFORE_TSR,
  canonicalLine,
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
  const range = end === undefined ? {} : { end };
  if (format === "ndjson") yield* readNdjson(path, range);
  else yield* readCsv(path, range);
}

async function* readNdjson(path: string, range: { end?: number }): AsyncGenerator<ReadRecord> {
  for await (const row of ndjsonRows(path, range)) {
    if ("problem" in row)
      throw new ExportFileFormatError(
        `line ${row.line} is ${row.problem === "invalid_json" ? "not JSON" : "not a record object"}`,
      );
    // Re-canonicalised, so a file whose keys were reordered still hashes the same records.
    yield { record: row.value as unknown as CanonicalRecord, line: canonicalJson(row.value) };
  }
}

async function* readCsv(path: string, range: { end?: number }): AsyncGenerator<ReadRecord> {
  let first = true;
  try {
    for await (const { line, cells } of csvCellRows(path, path, "file", range)) {
      if (first) {
        first = false;
        const header = cells.map((cell) => cell.value);
        // Today's header, or one written before the TSR columns (issue 79 §4): both verify.
        if (header.join(",") !== COLUMNS.join(",") && header.join(",") !== COLUMNS_BEFORE_TSR.join(","))
          throw new ExportFileFormatError(
            `the header is not an outcomes export header (${COLUMNS.join(",")})`,
          );
        continue;
      }
      let record: CanonicalRecord;
      try {
        record = recordFromCsv(cells);
      } catch (error) {
        throw new ExportFileFormatError(`line ${line}: ${(error as Error).message}`);
      }
      yield { record, line: canonicalLine(record) };
    }
  } catch (error) {
    // A file that is not CSV at all is not an export file (verify's exit 1), not bad input.
    if (error instanceof InputError)
      throw new ExportFileFormatError(error.problems[0]?.rule ?? error.message);
    throw error;
  }
}
