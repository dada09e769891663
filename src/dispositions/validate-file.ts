import type { DispositionMatrix } from "../platform/types.ts";
import { taggingMetrics } from "./metrics.ts";
import type { SourceRow } from "./row-source.ts";
import type { RowProblem } from "./rules.ts";
import { validateTagRow } from "./validate-row.ts";

/**
 * The validation pass over a whole file, before anything is sent: every row is checked against
 * the matrix, and a call id appearing twice is refused on its second row (two rows for one call
 * would overwrite each other in an order nobody chose). Keeps only what the sending pass needs:
 * the numbers of the invalid rows, and the problems for the report.
 */
export interface FileValidation {
  total: number;
  invalid: number;
  invalidRows: Set<number>;
  problems: RowProblem[];
}

export async function validateFile(
  rows: AsyncIterable<SourceRow>,
  matrix: DispositionMatrix | null,
): Promise<FileValidation> {
  const result: FileValidation = { total: 0, invalid: 0, invalidRows: new Set(), problems: [] };
  const firstRowOfCall = new Map<string, number>();
  for await (const source of rows) {
    result.total += 1;
    const problems = source.problems ? [...source.problems] : [];
    if (source.fields) {
      const checked = validateTagRow(source.fields, matrix, source.row);
      if (!checked.ok) problems.push(...checked.problems);
      else {
        const callId = checked.request.callId;
        const first = firstRowOfCall.get(callId);
        if (first === undefined) firstRowOfCall.set(callId, source.row);
        else
          problems.push({
            row: source.row,
            field: "callId",
            code: "duplicate_call",
            rule: `call ${callId} is already tagged by row ${first} of this file`,
            callId,
          });
      }
    }
    if (problems.length > 0) {
      result.invalid += 1;
      result.invalidRows.add(source.row);
      for (const problem of problems) {
        result.problems.push(problem);
        taggingMetrics.validationErrors.inc({ rule: problem.code });
      }
    }
  }
  return result;
}
