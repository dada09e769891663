import { type Stringifier, stringify as stringifyStream } from "csv-stringify";
import { stringify as stringifySync } from "csv-stringify/sync";

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
