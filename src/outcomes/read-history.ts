import { closeSync, openSync, readSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { InputError } from "../core/input-error.ts";
import { csvCellRows, ndjsonObjects } from "../core/input-rows.ts";
import { sqlText as quote } from "./parquet/duckdb-session.ts";
import {
  type CanonicalRecord,
  COLUMNS,
  COLUMNS_BEFORE_TSR,
  recordFromCsv,
  TSR_COLUMNS,
} from "./record-format.ts";

/**
 * An outcome history as `cxo outcomes export` writes it, read back as canonical records, streamed:
 * NDJSON, CSV, or Parquet (one file, or a dataset directory), the format from the extension, else
 * from the content (Parquet's `PAR1` magic, a `{` for NDJSON, the export's header for CSV). The
 * input of `cxo strategy learn|plan|evaluate --history` and `cxo callerid health --history`: the
 * same history in the three formats gives the same records.
 *
 * A CSV may carry columns after the export's own (a carrier looked up by the user, say): they
 * become fields of the record, as an NDJSON history's extra fields are. Parquet is read by DuckDB
 * (loaded on demand, `importDuckDb`), in the file's order, a chunk at a time; columns beyond the
 * export's also become fields.
 */
export type HistoryFormat = "ndjson" | "csv" | "parquet";

const BY_EXTENSION: Record<string, HistoryFormat> = {
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
  ".json": "ndjson",
  ".csv": "csv",
  ".parquet": "parquet",
};

/** The format of a history file: its extension, else its first bytes. */
export function historyFormatOf(file: string, field: string): HistoryFormat {
  if (statSync(file).isDirectory()) return "parquet";
  const known = BY_EXTENSION[extname(file).toLowerCase()];
  if (known) return known;
  const head = Buffer.alloc(512);
  const fd = openSync(file, "r");
  let length: number;
  try {
    length = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const text = head
    .subarray(0, length)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  if (text.startsWith("PAR1")) return "parquet";
  if (text.trimStart().startsWith("{")) return "ndjson";
  if (text.startsWith(`${COLUMNS[0]},`)) return "csv";
  throw new InputError({
    field,
    rule: `"${file}" is not an outcomes export (NDJSON, CSV or Parquet, as \`cxo outcomes export\` writes them): name it .ndjson, .csv or .parquet`,
  });
}

/** The records of a history file, in its order. */
export async function* readOutcomeHistory(file: string, field = "history"): AsyncGenerator<CanonicalRecord> {
  const format = historyFormatOf(file, field);
  if (format === "ndjson") {
    for await (const value of ndjsonObjects(file, field, "outcome record"))
      yield value as unknown as CanonicalRecord;
  } else if (format === "csv") yield* readCsvHistory(file, field);
  else yield* readParquetHistory(file, field);
}

async function* readCsvHistory(file: string, field: string): AsyncGenerator<CanonicalRecord> {
  let others: string[] = [];
  let first = true;
  // An export's columns: today's, or those of one written before the TSR fields (issue 79 §4).
  let own: readonly string[] = COLUMNS;
  for await (const { line, cells } of csvCellRows(file, file, field)) {
    if (first) {
      first = false;
      const header = cells.map((cell) => cell.value);
      own = TSR_COLUMNS.every((column, i) => header[COLUMNS_BEFORE_TSR.length + i] === column)
        ? COLUMNS
        : COLUMNS_BEFORE_TSR;
      if (own.some((column, i) => header[i] !== column))
        throw new InputError({
          field,
          row: line,
          rule: `"${file}" line ${line} is not an outcomes export's CSV header (${COLUMNS.join(",")}, then any columns of your own)`,
        });
      others = header.slice(own.length);
      continue;
    }
    let record: CanonicalRecord;
    try {
      record = recordFromCsv(cells.slice(0, own.length));
    } catch (error) {
      throw new InputError({ field, row: line, rule: `"${file}" line ${line}: ${(error as Error).message}` });
    }
    if (others.length === 0) yield record;
    else {
      const more: Record<string, unknown> = {};
      others.forEach((name, i) => {
        const cell = cells[own.length + i];
        more[name] = cell === undefined || (cell.value === "" && !cell.quoted) ? null : cell.value;
      });
      yield { ...more, ...record };
    }
  }
}

/** The export's timestamp columns: read as epoch milliseconds (recordFromRow takes them so). */
const TIMES = ["start_time", "end_time", "disposition_updated_at"];

async function* readParquetHistory(file: string, field: string): AsyncGenerator<CanonicalRecord> {
  const { importDuckDb } = await import("./parquet/duckdb-session.ts");
  const { PARQUET_COLUMNS, recordFromRow } = await import("./parquet/schema.ts");
  const duckdb = await importDuckDb("export the history as NDJSON or CSV");
  const instance = await duckdb.DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  try {
    const files = statSync(file).isDirectory()
      ? `read_parquet(${quote(join(file, "**", "*.parquet"))}, hive_partitioning = true, union_by_name = true)`
      : `read_parquet(${quote(file)})`;
    let columns: string[];
    try {
      columns = (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${files}`))
        .getRowObjects()
        .map((row) => String(row.column_name));
    } catch (cause) {
      throw new InputError({ field, rule: `"${file}" is not a readable Parquet file or dataset` }, { cause });
    }
    if (!columns.includes("id") || !columns.includes("start_time"))
      throw new InputError({
        field,
        rule: `"${file}" is not an outcomes export (no id or start_time column: columns ${columns.join(", ")})`,
      });
    const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const select = columns.map((c) =>
      TIMES.includes(c)
        ? `epoch_ms(${ident(c)}) AS ${ident(c)}`
        : c === "extra" || c === "source_text"
          ? `${ident(c)}::VARCHAR AS ${ident(c)}`
          : ident(c),
    );
    const result = await db.stream(`SELECT ${select.join(", ")} FROM ${files}`);
    // Columns of the user's own (beyond the export's and a dataset's partition keys) become fields.
    const own = new Set<string>([...PARQUET_COLUMNS, "date", "campaign"]);
    const others = columns.filter((c) => !own.has(c));
    for await (const rows of result.yieldRowObjectJs())
      for (const row of rows) {
        const record = recordFromRow(row as Record<string, unknown>);
        if (others.length === 0) yield record;
        else {
          const more: Record<string, unknown> = {};
          for (const name of others) more[name] = row[name] ?? null;
          yield { ...more, ...record } as CanonicalRecord;
        }
      }
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}
