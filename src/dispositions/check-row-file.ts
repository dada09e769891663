import { assertTextInputFile } from "../core/input-file.ts";
import { type FileFormat, readRows } from "./row-source.ts";
import { validateTagRow } from "./validate-row.ts";

/**
 * The pass over a tagging file that needs no request, run before the campaign's codes are
 * fetched: a file that is not UTF-8 (naming the line), has a wrong header, or cannot be read
 * as CSV (a stray or unclosed quote, naming the line) is an InputError, and nothing at all is
 * sent. Returns how many rows have a valid shape (ids, tags, notes): with none, there is
 * nothing to send, and the codes need not be fetched either.
 */
export async function checkRowFile(
  file: string,
  format: FileFormat,
): Promise<{ rows: number; shapeValid: number }> {
  assertTextInputFile(file, "file");
  let rows = 0;
  let shapeValid = 0;
  for await (const source of readRows(file, format)) {
    rows += 1;
    if (source.fields && validateTagRow(source.fields, null, source.row).ok) shapeValid += 1;
  }
  return { rows, shapeValid };
}
