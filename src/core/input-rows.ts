import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { type CastingContext, CsvError, parse } from "csv-parse";
import { bytesText } from "./byte-count.ts";
import { restoreCell } from "./csv-cell.ts";
import { InputError } from "./input-error.ts";
import { MAX_LINE_BYTES } from "./input-file.ts";

/**
 * The ONE reader of line- and row-oriented input files (issue 68 §5): NDJSON and CSV, streamed
 * (memory holds a line or a record, never the file), a byte-order mark skipped, CRLF or LF,
 * blank lines skipped but counted, so that every problem names the file and its line as an
 * editor shows it. Every NDJSON or CSV input of cxo comes through here: outcome histories
 * (outcomes/read-history.ts), lists and plans (strategy/files.ts, plan-read.ts), consent and
 * disposition imports, and an export read back (outcomes/read-export.ts).
 *
 * Three levels: `inputLines` (numbered text lines), `ndjsonRows` (each line parsed, a bad one
 * handed back as a problem, for readers that report every bad row) and `ndjsonObjects` (strict: a
 * bad line is an InputError naming `field` and `file` line n); for CSV, `csvObjects` (a header,
 * objects), `csvRecords` (text cells with their line, for readers that check a header
 * themselves) and `csvCellRows` (cells with whether each was quoted, for the outcomes format).
 */

/** A non-blank line of a text input: its number (1-based, blank lines counted) and its text. */
export interface InputLine {
  line: number;
  text: string;
}

/** Where to read: a file's path, or a stream already open (bytes, UTF-8). */
export type InputSource = string | Readable;

/** `end`: read only the first `end` bytes of a file (the checkpointed part of an export). */
export interface InputRange {
  end?: number;
}

const open = (source: InputSource, range: InputRange = {}): Readable =>
  typeof source === "string"
    ? createReadStream(source, range.end === undefined ? {} : { start: 0, end: range.end - 1 })
    : source;

/** The non-blank lines of a UTF-8 text input, numbered; a byte-order mark is not part of line 1. */
export async function* inputLines(source: InputSource, range: InputRange = {}): AsyncGenerator<InputLine> {
  const input = open(source, range);
  input.setEncoding?.("utf8");
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const raw of lines) {
      line += 1;
      const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (text.trim() === "") continue;
      yield { line, text };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

/** A parsed NDJSON line: its object, or what is wrong with it. */
export type NdjsonRow =
  | { line: number; value: Record<string, unknown> }
  | { line: number; problem: "invalid_json" | "not_an_object"; detail: string };

/** Each non-blank line parsed; a line that is not a JSON object is yielded as a problem. */
export async function* ndjsonRows(source: InputSource, range: InputRange = {}): AsyncGenerator<NdjsonRow> {
  for await (const { line, text } of inputLines(source, range)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { line, problem: "invalid_json", detail: (error as Error).message };
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      yield {
        line,
        problem: "not_an_object",
        detail: `a JSON ${Array.isArray(value) ? "array" : typeof value}`,
      };
    else yield { line, value: value as Record<string, unknown> };
  }
}

/** The rule of a bad NDJSON line, naming the file and the line. */
export const ndjsonLineRule = (file: string, line: number, what = "object"): string =>
  `"${file}" line ${line} is not a JSON object (NDJSON: one ${what} a line)`;

/** Each line's object; a line that is not one is an InputError naming `field`, the file and the line. */
export async function* ndjsonObjects(
  file: string,
  field: string,
  what = "object",
): AsyncGenerator<Record<string, unknown>> {
  for await (const row of ndjsonRows(file)) {
    if ("problem" in row)
      throw new InputError({ field, row: row.line, rule: ndjsonLineRule(file, row.line, what) });
    yield row.value;
  }
}

/** A csv-parse failure in the user's words, naming the file and the line. */
function csvProblem(error: unknown, file: string, field: string): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = (error as CsvError & { lines?: number }).lines;
  const where = line === undefined ? `"${file}"` : `"${file}" line ${line}`;
  return new InputError({
    field,
    rule:
      error.code === "CSV_MAX_RECORD_SIZE"
        ? `${where}: a record is longer than ${bytesText(MAX_LINE_BYTES)}, the most a record of an input file may be (nothing was sent)`
        : `${where} is not valid CSV (${error.message})`,
  });
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
    throw csvProblem(error, file, field);
  } finally {
    parser.destroy();
  }
}

/** A CSV cell as written: its text, and whether it was quoted (an empty quoted cell is "", an unquoted one null). */
export interface CsvCell {
  value: string;
  quoted: boolean;
}

/** A csv-parse stream that yields rows of `{value, quoted}` cells (the header row included); `info`: with the line. */
export function csvCellParser(options: { info?: boolean } = {}) {
  return parse({
    cast: (value: string, context: CastingContext) => ({ value, quoted: context.quoting }),
    relax_column_count: true,
    bom: true,
    max_record_size: MAX_LINE_BYTES,
    ...(options.info ? { info: true, skip_empty_lines: true } : {}),
  });
}

/** Every CSV record's cells with the line it starts on (header included), streamed. */
export async function* csvCellRows(
  source: InputSource,
  file: string,
  field: string,
  range: InputRange = {},
): AsyncGenerator<{ line: number; cells: CsvCell[] }> {
  const parser = open(source, range).pipe(csvCellParser({ info: true }));
  try {
    for await (const item of parser as AsyncIterable<{ record: CsvCell[]; info: { lines: number } }>)
      yield { line: item.info.lines, cells: item.record };
  } catch (error) {
    throw csvProblem(error, file, field);
  } finally {
    parser.destroy();
  }
}

/** Options of `csvRecords`. */
export interface CsvRecordOptions {
  /** `,` (default) or another one-character delimiter. */
  delimiter?: string;
  /** A syntax error as csv-parse gives it, for a caller that words it itself; default: an InputError naming `field`, the file and the line. */
  rawErrors?: boolean;
  /** What a problem calls the file (default its path): the user's file when `file` is a private copy of it. */
  name?: string;
}

/**
 * Every CSV record as its text cells (header included), with `lines`: the lines read when it
 * ended (a quoted cell may span lines), streamed; a byte-order mark skipped, blank lines skipped.
 */
export async function* csvRecords(
  file: string,
  field: string,
  options: CsvRecordOptions = {},
): AsyncGenerator<{ lines: number; record: string[] }> {
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      max_record_size: MAX_LINE_BYTES,
      ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    }),
  );
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>)
      yield { lines: item.info.lines, record: item.record };
  } catch (error) {
    throw options.rawErrors ? error : csvProblem(error, options.name ?? file, field);
  } finally {
    parser.destroy();
  }
}
