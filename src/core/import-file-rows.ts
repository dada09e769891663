import { open } from "node:fs/promises";
import { InputError } from "./input-error.ts";
import { csvRecords, ndjsonLineRule, ndjsonRows } from "./input-rows.ts";

/**
 * The rows of an import file (`cxo consent import`, `cxo touches import`): CSV with a header
 * (comma- or semicolon-separated, whichever the header uses; a byte-order mark is fine) or NDJSON
 * (one object a line), chosen by the file's extension. Each row is its fields by column name
 * with its line number; a missing required column is an InputError naming it. Read through the
 * one reader of line-oriented inputs (input-rows.ts).
 */
export interface ImportRow {
  line: number;
  fields: Record<string, unknown>;
}

export interface ImportShape {
  /** Columns every file must have. */
  required: readonly string[];
  /** At least one of these columns (none: no such rule). */
  oneOf?: readonly string[];
  /** The columns, as the error names them, e.g. "phone, at, channel, account?". */
  columns: string;
}

export type ImportFormat = "csv" | "ndjson";

export function importFormatOf(file: string): ImportFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  throw new InputError({ field: "file", rule: "must end in .csv, .ndjson or .jsonl" });
}

/**
 * `name`: what a problem calls the file (default its path) — the user's file when `file` is a
 * private copy of it (consent/import-file.ts reads its file once, into such a copy).
 */
export function importRows(file: string, shape: ImportShape, name = file): AsyncGenerator<ImportRow> {
  return importFormatOf(file) === "csv" ? readCsv(file, shape, name) : readNdjson(file, shape, name);
}

async function unreadable(file: string, error: unknown): Promise<never> {
  throw new InputError({
    field: "file",
    rule: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
  });
}

/** `,` or `;`, whichever the header line uses. */
async function delimiterOf(file: string, name: string): Promise<string> {
  const handle = await open(file, "r").catch((error: unknown) => unreadable(name, error));
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const header = buffer.subarray(0, bytesRead).toString("utf8").split(/\r?\n/)[0] ?? "";
    return header.includes(";") && !header.includes(",") ? ";" : ",";
  } finally {
    await handle.close();
  }
}

async function* readCsv(file: string, shape: ImportShape, name: string): AsyncGenerator<ImportRow> {
  const delimiter = await delimiterOf(file, name);
  let header: string[] | undefined;
  for await (const item of csvRecords(file, "file", { delimiter, name })) {
    if (!header) {
      header = item.record.map((name) => name.trim());
      // A column named twice would have its last cell win without a word: refused, named.
      const twice = header.find((name, index) => name !== "" && header?.indexOf(name) !== index);
      if (twice !== undefined)
        throw new InputError({
          field: twice,
          row: item.lines,
          rule: `${name}'s header names the ${twice} column twice`,
        });
      for (const column of shape.required)
        if (!header.includes(column))
          throw new InputError({
            field: column,
            rule: `${name} has no ${column} column (columns: ${shape.columns})`,
          });
      const oneOf = shape.oneOf ?? [];
      if (oneOf.length > 0 && !oneOf.some((column) => header?.includes(column)))
        throw new InputError({
          field: oneOf[0] as string,
          rule: `${name} has neither a ${oneOf.join(" nor an ")} column (columns: ${shape.columns})`,
        });
      continue;
    }
    // A row with more cells than the header has a cell no column names: the row is shifted or
    // cut wrong, so none of its cells can be trusted to be what their column says.
    if (item.record.length > header.length)
      throw new InputError({
        field: "file",
        row: item.lines,
        rule: `${item.record.length} fields where the header names ${header.length} columns (${shape.columns})`,
      });
    const fields: Record<string, unknown> = {};
    header.forEach((name, index) => {
      fields[name] = item.record[index];
    });
    yield { line: item.lines, fields };
  }
}

async function* readNdjson(file: string, shape: ImportShape, name: string): AsyncGenerator<ImportRow> {
  const oneOf = shape.oneOf ?? [];
  for await (const row of ndjsonRows(file)) {
    if ("problem" in row)
      throw new InputError({ field: "file", row: row.line, rule: ndjsonLineRule(name, row.line) });
    if (oneOf.length > 0 && !oneOf.some((column) => column in row.value))
      throw new InputError({
        field: oneOf[0] as string,
        row: row.line,
        rule: `is missing (each line needs ${shape.columns})`,
      });
    yield { line: row.line, fields: row.value };
  }
}
