import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { safeCsvCast } from "../core/csv-cell.ts";
import type { RowProblem } from "./rules.ts";

/** Writes the invalid rows' problems as CSV: row, callId, field, code, rule (one line each). */
export async function writeProblemReport(file: string, problems: readonly RowProblem[]): Promise<void> {
  const out = createWriteStream(file);
  const csv = stringify({
    header: true,
    columns: ["row", "callId", "field", "code", "rule"],
    cast: safeCsvCast,
  });
  csv.pipe(out);
  for (const p of problems) {
    const ok = csv.write([p.row ?? "", p.callId ?? "", p.field, p.code, p.rule]);
    if (!ok) await new Promise((resolve) => csv.once("drain", resolve));
  }
  csv.end();
  await finished(out);
}
