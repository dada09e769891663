import type { InputProblem } from "../core/input-error.ts";
import { type InstantInput, instantInputProblem } from "../core/instant-input.ts";

/**
 * The incremental export's (`outcomes.exportChanges`, `cxo outcomes export --updated-since |
 * --since-last`) rules on its page size, overlap, format and start, in one place: the SDK refuses
 * with these problems (the SDK's field names), the CLI asks the same before it opens a connection
 * and names its flags. Pure; a value not given is the default and no problem.
 */
export interface ChangesQueryInput {
  /** Records per request, 1–5000. */
  pageSize?: number | undefined;
  /** Minutes of overlap with the last run, 0–1440. */
  overlapMinutes?: number | undefined;
  /** What the export writes: ndjson or csv. */
  format?: string | undefined;
  /** Where the run starts: ISO 8601 with a zone (or a Date). */
  updatedSince?: InstantInput | undefined;
}

/** The problem with a start time given, or null: an ISO 8601 date-time with a zone (or a valid Date). */
export function updatedSinceProblem(value: InstantInput | undefined): InputProblem | null {
  if (value === undefined) return null;
  const rule = instantInputProblem(value);
  return rule === undefined ? null : { field: "updatedSince", rule };
}

/** Every problem with the incremental export's page size, overlap, format and start (empty: none). */
export function changesQueryProblems(input: ChangesQueryInput): InputProblem[] {
  const problems: InputProblem[] = [];
  const { format, pageSize, overlapMinutes } = input;
  if (format !== undefined && format !== "ndjson" && format !== "csv")
    problems.push({
      field: "format",
      rule:
        format === "parquet"
          ? "the incremental mode writes ndjson or csv (a .ndjson or .csv file), not Parquet"
          : "must be ndjson or csv",
    });
  if (pageSize !== undefined && (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 5000))
    problems.push({ field: "pageSize", rule: "must be a whole number from 1 to 5000" });
  if (
    overlapMinutes !== undefined &&
    (!Number.isFinite(overlapMinutes) || overlapMinutes < 0 || overlapMinutes > 24 * 60)
  )
    problems.push({ field: "overlapMinutes", rule: "must be a number of minutes from 0 to 1440" });
  const since = updatedSinceProblem(input.updatedSince);
  if (since) problems.push(since);
  return problems;
}
