import { createReadStream, existsSync } from "node:fs";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import { csvObjects } from "../core/csv-cell.ts";
import { InputError } from "../core/input-error.ts";
import { assertTextInputFile } from "../core/input-file.ts";

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
  let row = 0;
  for await (const line of createInterface({
    input: createReadStream(file, { encoding: "utf8" }),
    crlfDelay: Infinity,
  })) {
    if (line.trim() === "") continue;
    row++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new InputError({ field: flag, row, rule: "is not a JSON object (NDJSON: one plan row a line)" });
    yield value as Record<string, unknown>;
  }
}
