import { existsSync } from "node:fs";
import { extname } from "node:path";
import { InputError } from "../core/input-error.ts";
import { assertTextInputFile } from "../core/input-file.ts";
import { csvObjects, ndjsonObjects } from "../core/input-rows.ts";

/**
 * A plan file's rows as they are written (`cxo strategy plan --out plan.ndjson|plan.csv`),
 * streamed, unchecked: what a row must hold is the reader's business (push.ts checks what it
 * sends, naming the column and the row). A line that is not a JSON object names the flag and row.
 */
export async function* readPlanRows(file: string, flag = "plan"): AsyncIterable<Record<string, unknown>> {
  if (!existsSync(file)) throw new InputError({ field: flag, rule: `file ${file} does not exist` });
  assertTextInputFile(file, flag);
  if (extname(file).toLowerCase() === ".csv") {
    // cxo wrote its text cells neutralised against formulas (core/csv-cell.ts): restore them.
    yield* csvObjects(file, flag, { restore: true });
    return;
  }
  yield* ndjsonObjects(file, flag, "plan row");
}
