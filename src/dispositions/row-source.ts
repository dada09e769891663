import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { InputError } from "../core/input-error.ts";
import { csvRecords, ndjsonRows } from "../core/input-rows.ts";
import type { RowProblem } from "./rules.ts";

/**
 * Streams the rows of a tagging file (CSV with a header, or NDJSON), one at a time, in
 * constant memory. A row that cannot even be read as fields (bad JSON, wrong column count)
 * comes back with its problems instead of fields. `row` counts data rows from 1; `line` is
 * where the row starts in the file.
 */
export type FileFormat = "csv" | "ndjson";

export interface SourceRow {
  row: number;
  line: number;
  fields?: Record<string, unknown>;
  problems?: RowProblem[];
}

export const CSV_COLUMNS = ["callId", "dispositionCodeId", "reasonCodeId", "tags", "notes"] as const;
const REQUIRED_COLUMNS = ["callId", "dispositionCodeId"];

export function formatOf(file: string): FileFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  throw new InputError({ field: "file", rule: "must end in .csv, .ndjson or .jsonl" });
}

export function readRows(file: string, format: FileFormat = formatOf(file)): AsyncGenerator<SourceRow> {
  return format === "csv" ? readCsv(file) : readNdjson(file);
}

/** SHA-256 of the file's bytes: the file's identity for resuming (streamed, constant memory). */
export async function fileDigest(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function* readCsv(file: string): AsyncGenerator<SourceRow> {
  let header: string[] | undefined;
  let row = 0;
  let line = 1;
  try {
    for await (const item of csvRecords(file, "file", { rawErrors: true })) {
      const { record } = item;
      const info = { lines: item.lines };
      if (!header) {
        header = record.map((name) => name.trim());
        checkHeader(header);
        line = info.lines + 1;
        continue;
      }
      row += 1;
      const startLine = line;
      line = info.lines + 1;
      if (record.length !== header.length) {
        yield {
          row,
          line: startLine,
          problems: [
            {
              row,
              field: "(row)",
              code: "column_count",
              rule: `has ${record.length} columns, the header has ${header.length}`,
            },
          ],
        };
        continue;
      }
      const fields: Record<string, unknown> = {};
      header.forEach((name, index) => {
        fields[name] = record[index];
      });
      yield { row, line: startLine, fields };
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    // csv-parse stops at a structural error (a stray or unclosed quote) and drops the records it
    // had parsed but not yet handed over: the file cannot be read row by row, so it is refused
    // whole (nothing is sent), naming the line and what is wrong there.
    throw new InputError({ field: "file", rule: csvErrorRule(error as CsvParseError) });
  }
  if (!header) throw new InputError({ field: "file", rule: "is empty (expected a header line)" });
}

interface CsvParseError extends Error {
  code?: string;
  lines?: number;
  index?: number;
  field?: string;
}

/** A csv-parse error in the user's words: the line, the field and the fix. */
export function csvErrorRule(error: CsvParseError): string {
  const at = error.lines === undefined ? "" : `line ${error.lines}`;
  const column = error.index === undefined ? "" : `, column ${error.index + 1}`;
  switch (error.code) {
    case "INVALID_OPENING_QUOTE":
      return `${at}${column}: a quote (") inside an unquoted field (it begins ${JSON.stringify(error.field ?? "")}): quote the whole field and double the quote inside ("a""b"), or remove it; nothing was sent`;
    case "CSV_QUOTE_NOT_CLOSED":
      return `${at}: a quoted field is never closed (a missing closing quote ") ; nothing was sent`;
    case "CSV_INVALID_CLOSING_QUOTE":
      return `${at}${column}: a closing quote (") is followed by more characters in the field: double a quote inside a quoted field (""); nothing was sent`;
    default:
      return `${at ? `${at}: ` : ""}is not valid CSV (${error.message}); nothing was sent`;
  }
}

function checkHeader(header: string[]): void {
  const problems = [];
  for (const name of REQUIRED_COLUMNS)
    if (!header.includes(name))
      problems.push({ row: 0, field: name, rule: "required column is missing from the header" });
  for (const name of header)
    if (!(CSV_COLUMNS as readonly string[]).includes(name))
      problems.push({ row: 0, field: name, rule: `is not a column (expected ${CSV_COLUMNS.join(", ")})` });
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) problems.push({ row: 0, field: name, rule: "column appears twice in the header" });
    seen.add(name);
  }
  if (problems.length > 0) throw new InputError(problems);
}

async function* readNdjson(file: string): AsyncGenerator<SourceRow> {
  let row = 0;
  for await (const item of ndjsonRows(file)) {
    row += 1;
    if (!("problem" in item)) {
      yield { row, line: item.line, fields: item.value };
      continue;
    }
    const problem: RowProblem =
      item.problem === "invalid_json"
        ? { row, field: "(row)", code: "invalid_json", rule: `is not valid JSON (${item.detail})` }
        : { row, field: "(row)", code: "not_an_object", rule: "must be a JSON object with the row's fields" };
    yield { row, line: item.line, problems: [problem] };
  }
}
