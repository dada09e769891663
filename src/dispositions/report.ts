import { finished } from "node:stream/promises";
import { csvStream } from "../core/csv-cell.ts";
import {
  createSafeWriteStream,
  type FileKind,
  kindByFirstLine,
  type SafeWriteOptions,
} from "../core/safe-write.ts";
import type { RowProblem } from "./rules.ts";

const COLUMNS = ["row", "callId", "field", "code", "rule"];

/** A problem report `tag --file` wrote: its CSV header. */
export const PROBLEM_REPORT: FileKind = kindByFirstLine(
  "problem report written by cxo tag",
  (line) => line === COLUMNS.join(","),
);

/** Where the report goes, and whether a file of another kind there may be replaced. */
export function reportTarget(replace: boolean | undefined): SafeWriteOptions {
  return { field: "reportFile", kind: PROBLEM_REPORT, force: replace, forceName: "replaceReport" };
}

/** Writes the invalid rows' problems as CSV: row, callId, field, code, rule (one line each). */
export async function writeProblemReport(
  file: string,
  problems: readonly RowProblem[],
  replace?: boolean,
): Promise<void> {
  const out = createSafeWriteStream(file, reportTarget(replace));
  const csv = csvStream({ header: true, columns: COLUMNS });
  csv.pipe(out);
  for (const p of problems) {
    const ok = csv.write([p.row ?? "", p.callId ?? "", p.field, p.code, p.rule]);
    if (!ok) await new Promise((resolve) => csv.once("drain", resolve));
  }
  csv.end();
  await finished(out);
}
