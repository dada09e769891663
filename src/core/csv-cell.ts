import { createReadStream } from "node:fs";
import { CsvError, parse } from "csv-parse";
import { type Stringifier, stringify as stringifyStream } from "csv-stringify";
import { stringify as stringifySync } from "csv-stringify/sync";
import { bytesText } from "./byte-count.ts";
import { InputError } from "./input-error.ts";
import { MAX_LINE_BYTES } from "./input-file.ts";

/**
 * The ONE CSV writer of the project: every CSV cxo writes (exports, reports, plans, contact
 * files, audit exports, the demo's files, the lists uploaded to CXone) is made by `csvText` or
 * `csvStream` below, so none can forget the rule that follows.
 *
 * CSV formula injection (OWASP): a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`,
 * a tab or a carriage return as a formula, so a contact named `=HYPERLINK(…)` could run code on
 * the machine of whoever opens our export. Every CSV we write passes its text cells through
 * `neutraliseCell`, which prefixes such a value with a single quote (shown as text, never
 * evaluated). A value that is only a signed number (an E.164 phone number `+14155550100`, a
 * negative figure) is left alone: a spreadsheet reads it as a number, never as a formula.
 *
 * The prefix is reversible: a value that already starts with `'` is prefixed too, so
 * `restoreCell` gives back exactly what was written (`cxo outcomes verify` reads CSV exports
 * back to the same records and hash). NDJSON outputs are never altered.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function neutraliseCell(value: string): string {
  if (value.startsWith("'")) return `'${value}`;
  if (FORMULA_START.test(value) && !PLAIN_NUMBER.test(value)) return `'${value}`;
  return value;
}

/** The value `neutraliseCell` was given, from what it returned. */
export function restoreCell(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

export interface CsvOptions {
  /** The header row (column names), when `columns` are given. */
  header?: boolean;
  columns?: readonly string[];
  /** `windows`: CRLF between records (what CXone's list upload reads); default LF. */
  recordDelimiter?: "unix" | "windows";
  /** An empty text cell is written `""`, so it reads back as "" and not as an absent value. */
  quoteEmpty?: boolean;
  /**
   * `keep` only for a CSV no person opens: a calling list uploaded to CXone, which stores the
   * cells as they are (a leading quote would become part of a contact's name or id there).
   */
  formulas?: "neutralise" | "keep";
}

type CsvCell = string | { value: string; quoted_empty: boolean };

function csvCast(options: CsvOptions): { string: (value: string) => CsvCell; number: (n: number) => string } {
  const keep = options.formulas === "keep";
  return {
    string: (value) =>
      value === "" && options.quoteEmpty
        ? { value: "", quoted_empty: true }
        : keep
          ? value
          : neutraliseCell(value),
    number: (n) => String(n),
  };
}

function stringifyOptions(options: CsvOptions) {
  return {
    cast: csvCast(options),
    ...(options.header !== undefined ? { header: options.header } : {}),
    ...(options.columns ? { columns: [...options.columns] } : {}),
    ...(options.recordDelimiter ? { record_delimiter: options.recordDelimiter } : {}),
  };
}

/** Rows (arrays of cells, or records keyed by `columns`) as CSV text, text cells neutralised. */
export function csvText(rows: ReadonlyArray<unknown>, options: CsvOptions = {}): string {
  return stringifySync(rows as unknown[], stringifyOptions(options));
}

/** A streaming CSV writer (csv-stringify's), text cells neutralised. */
export function csvStream(options: CsvOptions = {}): Stringifier {
  return stringifyStream(stringifyOptions(options));
}

/**
 * A CSV file with a header as objects (the strategy's lists and plans), streamed: cells trimmed,
 * a byte-order mark skipped, and (`restore`) cxo's formula neutralisation undone for a file cxo
 * wrote. A record longer than MAX_LINE_BYTES (a quoted cell may span lines) is refused naming
 * its line, as are CSV syntax errors: never a raw parser or engine message.
 */
export async function* csvObjects(
  file: string,
  field: string,
  options: { restore?: boolean } = {},
): AsyncIterable<Record<string, unknown>> {
  const parser = createReadStream(file).pipe(
    parse({
      columns: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      max_record_size: MAX_LINE_BYTES,
      ...(options.restore ? { cast: (value: string) => restoreCell(value) } : {}),
    }),
  );
  try {
    yield* parser as AsyncIterable<Record<string, unknown>>;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    const where = line === undefined ? `"${file}"` : `"${file}" line ${line}`;
    throw new InputError({
      field,
      rule:
        error.code === "CSV_MAX_RECORD_SIZE"
          ? `${where}: a record is longer than ${bytesText(MAX_LINE_BYTES)}, the most a record of an input file may be (nothing was sent)`
          : `${where} is not valid CSV (${error.message})`,
    });
  } finally {
    parser.destroy();
  }
}
