import { once } from "node:events";
import { existsSync } from "node:fs";
import { extname } from "node:path";
import { finished } from "node:stream/promises";
import { csvText } from "../core/csv-cell.ts";
import { InputError } from "../core/input-error.ts";
import {
  assertTextInputFile,
  assertTextInputFileWithin,
  readBoundedFile,
  zodProblems,
} from "../core/input-file.ts";
import { csvObjects, ndjsonObjects } from "../core/input-rows.ts";
import {
  checkWriteTarget,
  createSafeWriteStream,
  type SafeWriteOptions,
  writeFileSafely,
} from "../core/safe-write.ts";
import { inSignalSlices } from "../core/signal-slices.ts";
import { assertUtf8 } from "../core/utf8.ts";
import { historyOf } from "./history.ts";
import { canonicalListRow, type ListRow, listRowSchema, withOtherColumns } from "./list-format.ts";
import { type Model, modelSchema } from "./model-format.ts";
import { PLAN_CSV_COLUMNS, type PlanRow, type RuledOut } from "./plan-format.ts";
import type { HistoryAttempt, OutcomeRecord } from "./types.ts";

/**
 * The strategy's files: list (CSV or NDJSON), history and outcome records (`cxo outcomes
 * export`'s NDJSON, CSV or Parquet), model (JSON), plan (NDJSON or CSV); lines and rows through
 * the one reader (core/input-rows.ts). Every problem is an InputError naming
 * the flag (or the file's column) and the rule; nothing is written until the plan is complete
 * (a temporary file in the same directory, renamed at the end, removed on error).
 */

const isCsv = (file: string) => extname(file).toLowerCase() === ".csv";

/** An input file that exists and is UTF-8 text (core/input-file.ts), before it is parsed. */
function mustExist(file: string, flag: string) {
  if (!existsSync(file)) throw new InputError({ field: flag, rule: `file ${file} does not exist` });
  assertTextInputFile(file, flag);
}

/** The list file's rows, validated; a CSV without a `phone` (or `recordId`) column is refused first. */
export async function* readList(file: string, flag = "list"): AsyncIterable<ListRow> {
  mustExist(file, flag);
  const source: AsyncIterable<Record<string, unknown>> = isCsv(file)
    ? csvObjects(file, flag)
    : ndjsonObjects(file, flag);
  let row = 0;
  // A record id is one person: two rows with one id would be planned, and one silently dropped
  // at push (issue 63 N4). The row each id was first seen on, to name both.
  const seen = new Map<string, number>();
  const once = (recordId: string) => {
    const first = seen.get(recordId);
    if (first !== undefined)
      throw new InputError({
        field: "recordId",
        row,
        rule: `${JSON.stringify(recordId)} is also row ${first} of ${flag}: each record id is one contact, once`,
      });
    seen.set(recordId, row);
  };
  for await (const record of source) {
    row++;
    if (row === 1)
      for (const column of ["phone", "recordId"])
        if (!Object.hasOwn(record, column))
          throw new InputError({
            field: column,
            rule: `${flag} ${file} has no ${column} column (a list needs recordId and phone, E.164)`,
          });
    const canonical = canonicalListRow(record);
    if (canonical) {
      once(canonical.recordId);
      yield withOtherColumns(canonical, record);
      continue;
    }
    const parsed = listRowSchema.safeParse(record);
    if (!parsed.success) throw new InputError(zodProblems(parsed.error).map((p) => ({ ...p, row })));
    once(parsed.data.recordId);
    yield withOtherColumns(parsed.data, record);
  }
}

/**
 * Outcome records as `cxo outcomes export` writes them (NDJSON, CSV or Parquet:
 * outcomes/read-history.ts), streamed. With a signal (an SDK call's), the file's check and its
 * records stop with the signal's reason once it is aborted, whatever the file's size.
 */
export async function* readOutcomeRecords(
  file: string,
  flag = "history",
  signal?: AbortSignal,
): AsyncIterable<OutcomeRecord> {
  if (!existsSync(file)) throw new InputError({ field: flag, rule: `file ${file} does not exist` });
  const { historyFormatOf, readOutcomeHistory } = await import("../outcomes/read-history.ts");
  if (historyFormatOf(file, flag) !== "parquet") await assertTextInputFileWithin(file, flag, signal);
  for await (const record of inSignalSlices(readOutcomeHistory(file, flag), signal))
    yield record as unknown as OutcomeRecord;
}

/** A history file → the attempts planning counts (a conversation: an agent talked on it). */
export async function readHistory(file: string, flag = "history"): Promise<HistoryAttempt[]> {
  return historyOf(readOutcomeRecords(file, flag));
}

/**
 * The largest model file read. A model is a few rates per segment and slot: the largest learned
 * in the benchmarks are well under a megabyte; a 343 MB file once took 2 GB to parse.
 */
export const MAX_MODEL_BYTES = 32 * 1024 * 1024;

export function readModel(file: string, flag = "model"): Model {
  if (!existsSync(file)) throw new InputError({ field: flag, rule: `file ${file} does not exist` });
  let value: unknown;
  // A regular file of at most MAX_MODEL_BYTES, read through one bounded read (issue 63 N14/N15).
  const bytes = readBoundedFile(
    file,
    MAX_MODEL_BYTES,
    `"${file}"`,
    (rule) => new InputError({ field: flag, rule }),
  );
  assertUtf8(bytes, flag, `"${file}"`);
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new InputError({ field: flag, rule: `${file} is not JSON` });
  }
  const version = (value as { version?: unknown })?.version;
  if (version !== 1)
    throw new InputError({
      field: "model.version",
      rule: `must be 1 (this build reads model version 1; got ${String(version)})`,
    });
  const parsed = modelSchema.safeParse(value);
  if (!parsed.success) throw new InputError(zodProblems(parsed.error, "model"));
  return parsed.data;
}

/**
 * The strategy's outputs go through the one safe-write helper (temporary file beside the target,
 * renamed at the end, never through a link). Whether an existing file may be replaced is the
 * command's decision, made before (its `--force`): here a file is always replaceable, a link, a
 * directory or a device never.
 */
const STRATEGY_OUTPUT = (field: string): SafeWriteOptions => ({
  field,
  kind: { name: "strategy output", recognise: () => true },
  force: true,
});

/**
 * Checks before any work that `file` can be written (its directory exists; not a link, a
 * directory or a device): a command that writes two files refuses the second before the first.
 */
export function checkOutput(file: string, field = "out"): void {
  checkWriteTarget(file, STRATEGY_OUTPUT(field));
}

/** Writes a whole document safely (core/safe-write.ts). */
export function writeDocument(file: string, text: string, field = "out"): void {
  writeFileSafely(file, text, STRATEGY_OUTPUT(field));
}

// Through the one CSV writer: a record id or account id from the list is neutralised like any
// cell a spreadsheet would run (issue 63 N3); push's reader restores it (plan-read.ts).
export const planCsvHeader = () => csvText([PLAN_CSV_COLUMNS]);
export function planCsvLine(row: PlanRow): string {
  return csvText([
    [
      row.recordId,
      row.phone,
      row.accountId ?? "",
      row.attemptAt,
      row.zone,
      row.slot,
      row.attempt,
      row.estimate,
      `${row.interval[0]};${row.interval[1]}`,
      JSON.stringify(row.ruledOut),
      row.campaign ?? "",
      row.staleMinutes ?? "",
      row.zip ?? "",
      row.kind ?? "",
      row.state ?? "",
      row.lastTransactionAt ?? "",
      row.numberType ?? "",
      row.voice ?? "",
      row.announcement ?? "",
      row.discloses ?? "",
      row.accountIds === undefined ? "" : JSON.stringify(row.accountIds),
      row.consent === undefined ? "" : String(row.consent),
    ],
  ]);
}

/** JSON texts of the lists rows share (the planner hands out one frozen `ruledOut` list, one `interval`, to many rows). */
const sharedJson = new WeakMap<object, string>();
function jsonOf(list: readonly RuledOut[] | readonly [number, number]): string {
  let text = sharedJson.get(list);
  if (text === undefined) {
    text = JSON.stringify(list);
    if (Object.isFrozen(list)) sharedJson.set(list, text);
  }
  return text;
}

/** A plan row as one NDJSON line: the text JSON.stringify gives, its shared lists written once. */
export function planNdjsonLine(row: PlanRow): string {
  const account =
    (row.accountId === undefined ? "" : `"accountId":${JSON.stringify(row.accountId)},`) +
    (row.accountIds === undefined ? "" : `"accountIds":${JSON.stringify(row.accountIds)},`);
  const campaign = row.campaign === undefined ? "" : `,"campaign":${JSON.stringify(row.campaign)}`;
  // In the order the planner builds a row (zip, staleMinutes, kind, what it was judged with, then the CLI's campaign stamp).
  const zip = row.zip === undefined ? "" : `,"zip":${JSON.stringify(row.zip)}`;
  const stale = row.staleMinutes === undefined ? "" : `,"staleMinutes":${row.staleMinutes}`;
  const kind = row.kind === undefined ? "" : `,"kind":${JSON.stringify(row.kind)}`;
  const judged =
    (row.state === undefined ? "" : `,"state":${JSON.stringify(row.state)}`) +
    (row.lastTransactionAt === undefined
      ? ""
      : `,"lastTransactionAt":${JSON.stringify(row.lastTransactionAt)}`) +
    (row.numberType === undefined ? "" : `,"numberType":${JSON.stringify(row.numberType)}`) +
    (row.consent === undefined ? "" : `,"consent":${row.consent}`) +
    (row.voice === undefined ? "" : `,"voice":${JSON.stringify(row.voice)}`) +
    (row.announcement === undefined ? "" : `,"announcement":${JSON.stringify(row.announcement)}`) +
    (row.discloses === undefined ? "" : `,"discloses":${JSON.stringify(row.discloses)}`);
  return `{"recordId":${JSON.stringify(row.recordId)},"phone":${JSON.stringify(row.phone)},${account}"attemptAt":${JSON.stringify(row.attemptAt)},"zone":${JSON.stringify(row.zone)},"slot":${JSON.stringify(row.slot)},"attempt":${JSON.stringify(row.attempt)},"estimate":${JSON.stringify(row.estimate)},"interval":${jsonOf(row.interval)},"ruledOut":${jsonOf(row.ruledOut)}${zip}${stale}${kind}${judged}${campaign}}\n`;
}

/** A plan file written as its rows come (a batch at a time), made whole only by `end`. */
export interface PlanWriter {
  /** Opens the file (else the first `write` or `end` does). */
  open(): void;
  /** Adds the rows; resolves once the file can take more (a plan never runs ahead of its file). */
  write(rows: readonly PlanRow[]): Promise<void>;
  /** Writes the rest and renames the file into place; answers the rows written. */
  end(): Promise<number>;
  /** Removes the temporary file: nothing is left at the plan's path. */
  abort(): void;
}

/**
 * The plan's rows into a temporary file renamed when the last row is written; on `abort` the
 * temporary file is removed and nothing is left at `file`.
 */
export function planWriter(file: string, field = "out"): PlanWriter {
  const csv = isCsv(file);
  let out: ReturnType<typeof createSafeWriteStream> | undefined;
  const stream = () => {
    out ??= createSafeWriteStream(file, STRATEGY_OUTPUT(field));
    return out;
  };
  let buffer = csv ? planCsvHeader() : "";
  let count = 0;
  return {
    open: () => void stream(),
    async write(rows) {
      const to = stream();
      for (const row of rows) {
        buffer += csv ? planCsvLine(row) : planNdjsonLine(row);
        count++;
        if (buffer.length > 1 << 20) {
          if (!to.write(buffer)) await once(to, "drain");
          buffer = "";
        }
      }
    },
    async end() {
      const to = stream();
      to.end(buffer);
      await finished(to);
      return count;
    },
    abort: () => out?.destroy(),
  };
}

/** Writes the plan's rows as they come (a batch at a time, planInBatches): planWriter's file. */
export async function writePlan(
  file: string,
  batches: AsyncIterable<readonly PlanRow[]>,
  field = "out",
): Promise<number> {
  const writer = planWriter(file, field);
  writer.open();
  try {
    for await (const rows of batches) await writer.write(rows);
    return await writer.end();
  } catch (error) {
    writer.abort();
    throw error;
  }
}
