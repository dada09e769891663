import { readdir } from "node:fs/promises";
import path from "node:path";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { calendarDayMs, calendarDayProblem } from "../core/calendar-day.ts";
import { InputError } from "../core/input-error.ts";
import { zonedInstantMs, zonedInstantProblem } from "../core/instant-input.ts";
import { decompressors, listParts } from "./parquet/dataset.ts";

/**
 * `cxo outcomes verify --tsr --dataset DIR --from --to` (issue 79 §4): does an outcomes dataset
 * hold what the FTC's Telemarketing Sales Rule asks to be kept for five years (16 CFR
 * 310.5(a)(2), as amended from 15 October 2024) — for every call the calling number, the called
 * number, the date and time, the duration, the disposition, the telemarketer, the seller and
 * whether it was a robocall — and a partition for every day of the range? Each field is checked
 * in every part of the range (a part without its column, and records where it is empty, are
 * counted); each missing day is named (as runs of days). Reads only the columns it checks.
 */
export interface TsrField {
  field: string;
  column: string;
  what: string;
}

export const TSR_FIELDS: readonly TsrField[] = [
  { field: "callerId", column: "caller_id", what: "the calling number (caller ID)" },
  { field: "phoneNumber", column: "phone_number", what: "the called number" },
  { field: "startTime", column: "start_time", what: "the date and time" },
  { field: "durationSeconds", column: "duration_seconds", what: "the duration" },
  { field: "dispositionCode", column: "disposition_code", what: "the disposition" },
  { field: "telemarketer", column: "telemarketer", what: "the telemarketer" },
  { field: "seller", column: "seller", what: "the seller" },
  { field: "robocall", column: "robocall", what: "whether it was a robocall" },
];

export interface TsrFieldReport extends TsrField {
  /** Parts of the range whose file has no such column (written before the field existed). */
  partsWithoutColumn: number;
  /** Records of the range without a value for it. */
  recordsWithout: number;
}

export interface TsrCheckResult {
  ok: boolean;
  dataset: string;
  /** The days checked: from `from` up to (not including) `to`, UTC. */
  from: string;
  to: string;
  days: number;
  daysPresent: number;
  /** Days with no partition in any campaign of the dataset, as runs (`from`–`to`, both included). */
  missingDays: Array<{ from: string; to: string; days: number }>;
  parts: number;
  records: number;
  fields: TsrFieldReport[];
  /** The fields some record of the range lacks (empty when every record holds every field). */
  incomplete: string[];
}

const DAY_MS = 86_400_000;
/**
 * A day by the calendar-day rule (core/calendar-day.ts), or an instant by the one rule for a
 * date-time (core/instant-input.ts): its UTC day's start, in ms. A text with a time (`…01T09…`)
 * is refused in the date-time rule's words, any other in the day rule's.
 */
function dayStart(value: string, field: string): number {
  const ms = calendarDayMs(value) ?? zonedInstantMs(value);
  if (ms === undefined)
    throw new InputError({
      field,
      rule: /\dT\d/i.test(value)
        ? `must be a date (YYYY-MM-DD) or an instant: ${zonedInstantProblem(value)}`
        : (calendarDayProblem(value) as string),
    });
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The campaign datasets under `dir`: its `campaign=` directories, or `dir` itself. */
async function campaignDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
    throw new InputError({ field: "dataset", rule: `${dir} is not a readable dataset directory` });
  });
  const campaigns = entries.filter((e) => e.isDirectory() && e.name.startsWith("campaign="));
  return campaigns.length > 0 ? campaigns.map((e) => path.join(dir, e.name)) : [dir];
}

export async function checkTsrDataset(
  dataset: string,
  range: { from: string; to: string },
  signal?: AbortSignal,
): Promise<TsrCheckResult> {
  const fromMs = dayStart(range.from, "from");
  const toMs = dayStart(range.to, "to");
  if (toMs <= fromMs) throw new InputError({ field: "to", rule: "must be after from" });
  if ((toMs - fromMs) / DAY_MS > 3700)
    throw new InputError({ field: "to", rule: "at most ten years after from" });
  const [first, last] = [isoDay(fromMs), isoDay(toMs)];
  const present = new Set<string>();
  const fields: TsrFieldReport[] = TSR_FIELDS.map((f) => ({
    ...f,
    partsWithoutColumn: 0,
    recordsWithout: 0,
  }));
  let parts = 0;
  let records = 0;
  for (const dir of await campaignDirs(dataset))
    for (const part of await listParts(dir)) {
      if (part.day < first || part.day >= last) continue;
      signal?.throwIfAborted();
      present.add(part.day);
      parts += 1;
      records += await checkPart(path.join(dir, part.path), fields);
    }
  const missingDays = missingRuns(fromMs, toMs, present);
  const incomplete = fields
    .filter((f) => f.partsWithoutColumn > 0 || f.recordsWithout > 0)
    .map((f) => f.field);
  return {
    ok: missingDays.length === 0 && incomplete.length === 0 && parts > 0,
    dataset,
    from: first,
    to: last,
    days: (toMs - fromMs) / DAY_MS,
    daysPresent: present.size,
    missingDays,
    parts,
    records,
    fields,
    incomplete,
  };
}

/** One part: its rows counted, each field's column looked for and its empty values counted. */
async function checkPart(file: string, fields: TsrFieldReport[]): Promise<number> {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  const rows = Number(metadata.num_rows);
  const names = new Set(metadata.schema.map((element) => element.name));
  const columns = fields.filter((f) => names.has(f.column)).map((f) => f.column);
  for (const f of fields)
    if (!names.has(f.column)) {
      f.partsWithoutColumn += 1;
      f.recordsWithout += rows;
    }
  if (columns.length === 0 || rows === 0) return rows;
  const values = (await parquetReadObjects({
    file: buffer,
    metadata,
    columns,
    compressors: decompressors,
  })) as Array<Record<string, unknown>>;
  for (const row of values)
    for (const f of fields)
      if (
        names.has(f.column) &&
        (row[f.column] === null || row[f.column] === undefined || row[f.column] === "")
      )
        f.recordsWithout += 1;
  return rows;
}

function missingRuns(fromMs: number, toMs: number, present: ReadonlySet<string>) {
  const runs: Array<{ from: string; to: string; days: number }> = [];
  let start: number | undefined;
  for (let day = fromMs; day <= toMs; day += DAY_MS) {
    const missing = day < toMs && !present.has(isoDay(day));
    if (missing && start === undefined) start = day;
    if (!missing && start !== undefined) {
      runs.push({ from: isoDay(start), to: isoDay(day - DAY_MS), days: (day - start) / DAY_MS });
      start = undefined;
    }
  }
  return runs;
}
