import type { RowGroup } from "hyparquet";
import { canonicalJson } from "../../core/audit/canonical-json.ts";
import { type CanonicalRecord, dispositionNameOf } from "../record-format.ts";
import {
  BooleanColumn,
  type ChunkContext,
  type ColumnEncoder,
  Int32Column,
  StringColumn,
  StringListColumn,
  TimestampColumn,
  writeRowGroup,
} from "./columns.ts";

/** A row group is also full at this many buffered bytes (rows of long notes or many tags). */
export const ROW_GROUP_MAX_BYTES = 16 << 20;

/**
 * The one Parquet schema of an outcomes dataset, for both platforms: ids and codes as strings,
 * start/end (and the disposition's update time) as UTC timestamps in milliseconds, the duration
 * as an integer, the disposition's name where the platform gives one (`extra.dispositionName`,
 * in a column of its own), the category the disposition map gives (null: a code the map does not know),
 * tags as a list of strings, the platform's unmodelled fields as one JSON string (`extra`).
 *
 * Lossless: a value its typed column cannot hold exactly (a start time written without
 * milliseconds or with an offset, a fractional or out-of-range duration) is kept, as sent, in
 * `source_text` (a JSON object by field name, null on every usual row), so the dataset decodes
 * back to the very canonical records exported and carries the same compliance hash as the NDJSON
 * file of the same window. The partition column `date` (the start time's UTC day) lives in the
 * directory name (`date=YYYY-MM-DD`), not in the files. docs/outcomes.md has the table.
 */
export const PARQUET_COLUMNS = [
  "id",
  "campaign_id",
  "start_time",
  "end_time",
  "duration_seconds",
  "disposition_code",
  "disposition_name",
  "category",
  "reason_code_id",
  "agent_id",
  "contact_id",
  "phone_number",
  "direction",
  "tags",
  "notes",
  "disposition_updated_at",
  "extra",
  "source_text",
  // Appended (issue 66) so every earlier column keeps its position in the file.
  "caller_id",
  // Issue 79 §4: the TSR's seller, telemarketer and robocall flag (null where not known).
  "seller",
  "telemarketer",
  "robocall",
] as const;

type SchemaElement = {
  name: string;
  type?: "BYTE_ARRAY" | "INT32" | "INT64" | "BOOLEAN";
  repetition_type?: "REQUIRED" | "OPTIONAL" | "REPEATED";
  converted_type?: "UTF8" | "JSON" | "LIST";
  logical_type?: { type: "TIMESTAMP"; isAdjustedToUTC: boolean; unit: "MILLIS" } | { type: "STRING" };
  num_children?: number;
};

const string = (name: string, required = false): SchemaElement => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  repetition_type: required ? "REQUIRED" : "OPTIONAL",
});
const timestamp = (name: string, required = false): SchemaElement => ({
  name,
  type: "INT64",
  repetition_type: required ? "REQUIRED" : "OPTIONAL",
  logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" },
});
const json = (name: string): SchemaElement => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "JSON",
  repetition_type: "OPTIONAL",
});

/** The flat Parquet schema (thrift SchemaElements, depth-first; `tags` is a 3-level LIST). */
export const PARQUET_SCHEMA: SchemaElement[] = [
  { name: "root", num_children: PARQUET_COLUMNS.length },
  string("id", true),
  string("campaign_id", true),
  timestamp("start_time", true),
  timestamp("end_time"),
  { name: "duration_seconds", type: "INT32", repetition_type: "OPTIONAL" },
  string("disposition_code"),
  string("disposition_name"),
  string("category"),
  string("reason_code_id"),
  string("agent_id"),
  string("contact_id"),
  string("phone_number"),
  string("direction"),
  { name: "tags", repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  string("element", true),
  string("notes"),
  timestamp("disposition_updated_at"),
  json("extra"),
  json("source_text"),
  string("caller_id"),
  string("seller"),
  string("telemarketer"),
  { name: "robocall", type: "BOOLEAN", repetition_type: "OPTIONAL" },
];

const INT32_MAX = 2_147_483_647;

/** Milliseconds of an instant (null when it does not parse). */
function millis(text: string): number | null {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

const DAY_MS = 86_400_000;
// The last day a time was checked against in full (`YYYY-MM-DDT`, and its first instant): times
// of that day are read by the short path.
let checkedDay = "";
let checkedDayStart = Number.NaN;

/** The digit at `i` of `text` (NaN when it is not one). */
function digit(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
}

/**
 * The instant of `text` when it is exactly the usual `YYYY-MM-DDTHH:mm:ss.sssZ` (what
 * `toISOString` gives back) of the day last checked in full, read from its characters; NaN
 * otherwise (then `exactMillis` decides). Runs for every time of every record, so no Date.parse,
 * no regular expression and no substring.
 */
function sameDayMillis(text: string): number {
  if (
    text.length !== 24 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 46 ||
    text.charCodeAt(23) !== 90 ||
    !text.startsWith(checkedDay)
  )
    return Number.NaN;
  const hours = digit(text, 11) * 10 + digit(text, 12);
  const minutes = digit(text, 14) * 10 + digit(text, 15);
  const seconds = digit(text, 17) * 10 + digit(text, 18);
  const ms = digit(text, 20) * 100 + digit(text, 21) * 10 + digit(text, 22);
  // NaN fails every comparison: a non-digit anywhere falls to the full check.
  if (!(hours < 24 && minutes < 60 && seconds < 60 && ms >= 0)) return Number.NaN;
  return checkedDayStart + ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
}

// The instant the last exactMillis call read (null: the text does not parse).
let parsedMs: number | null = null;

/**
 * Whether `text` formats back to exactly itself (then the typed column holds it losslessly);
 * its instant is left in `parsedMs`. The full check (`Date.parse`, `toISOString`) runs about
 * once per day of records; other times of that day take `sameDayMillis`.
 */
function exactMillis(text: string): boolean {
  const fast = sameDayMillis(text);
  if (!Number.isNaN(fast)) {
    parsedMs = fast;
    return true;
  }
  const ms = millis(text);
  parsedMs = ms;
  if (ms === null || text.length !== 24 || new Date(ms).toISOString() !== text) return false;
  checkedDay = text.slice(0, 11);
  checkedDayStart = Math.floor(ms / DAY_MS) * DAY_MS;
  return true;
}

/** `source` with `field` set to `value` (a new object when there was none). */
function kept(
  source: Record<string, unknown> | null,
  field: string,
  value: unknown,
): Record<string, unknown> {
  const object = source ?? {};
  object[field] = value;
  return object;
}

/** Rows per 1,024 between two looks at a row group's buffered bytes. */
const SIZE_CHECK_MASK = 1023;

/**
 * One row group's columns, filled record by record (columns.ts: each value encoded to bytes as
 * it arrives; nothing of the record is kept), written and then reused for the next row group.
 * A row group is full at `capacity` rows or `maxBytes` of buffered values, whichever comes first.
 */
export class RowGroupColumns {
  readonly capacity: number;
  readonly maxBytes: number;
  length = 0;
  private readonly id = new StringColumn("id", { required: true, dictionary: false });
  private readonly campaignId = new StringColumn("campaign_id", { required: true, dictionary: true });
  private readonly start = new TimestampColumn("start_time", { required: true, statistics: true });
  private readonly end = new TimestampColumn("end_time");
  private readonly duration = new Int32Column("duration_seconds");
  private readonly code = new StringColumn("disposition_code", { dictionary: true });
  private readonly name = new StringColumn("disposition_name", { dictionary: true });
  private readonly category = new StringColumn("category", { dictionary: true });
  private readonly reason = new StringColumn("reason_code_id", { dictionary: true });
  private readonly agent = new StringColumn("agent_id", { dictionary: true });
  private readonly contact = new StringColumn("contact_id", { dictionary: true });
  private readonly phone = new StringColumn("phone_number", { dictionary: false });
  private readonly direction = new StringColumn("direction", { dictionary: true });
  private readonly tags = new StringListColumn("tags");
  private readonly notes = new StringColumn("notes", { dictionary: true });
  private readonly updated = new TimestampColumn("disposition_updated_at");
  private readonly extra = new StringColumn("extra", { dictionary: true });
  private readonly sourceText = new StringColumn("source_text", { dictionary: true });
  // A campaign calls from a few numbers: a dictionary keeps the column small.
  private readonly callerId = new StringColumn("caller_id", { dictionary: true });
  // One seller and one telemarketer per campaign, most often: dictionaries.
  private readonly seller = new StringColumn("seller", { dictionary: true });
  private readonly telemarketer = new StringColumn("telemarketer", { dictionary: true });
  private readonly robocall = new BooleanColumn("robocall");
  /** In PARQUET_COLUMNS order. */
  private readonly columns: ColumnEncoder[] = [
    this.id,
    this.campaignId,
    this.start,
    this.end,
    this.duration,
    this.code,
    this.name,
    this.category,
    this.reason,
    this.agent,
    this.contact,
    this.phone,
    this.direction,
    this.tags,
    this.notes,
    this.updated,
    this.extra,
    this.sourceText,
    this.callerId,
    this.seller,
    this.telemarketer,
    this.robocall,
  ];
  private overSize = false;

  constructor(capacity: number, maxBytes = ROW_GROUP_MAX_BYTES) {
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  get full(): boolean {
    return this.length >= this.capacity || this.overSize;
  }

  /** Bytes buffered by the columns (about the row group's uncompressed size). */
  bytes(): number {
    let total = 0;
    for (const column of this.columns) total += column.bytes();
    return total;
  }

  add(r: CanonicalRecord, category: string | null): void {
    this.length += 1;
    let source: Record<string, unknown> | null = null;
    if (!exactMillis(r.startTime)) source = kept(source, "startTime", r.startTime);
    this.start.add(parsedMs ?? 0);
    let end: number | null = null;
    if (r.endTime !== null) {
      if (!exactMillis(r.endTime)) source = kept(source, "endTime", r.endTime);
      end = parsedMs;
    }
    this.end.add(end);
    let duration = r.durationSeconds;
    if (duration !== null && !(Number.isInteger(duration) && Math.abs(duration) <= INT32_MAX)) {
      source = kept(source, "durationSeconds", duration);
      duration = null;
    }
    this.duration.add(duration);
    let updated: number | null = null;
    if (r.dispositionUpdatedAt !== null) {
      if (!exactMillis(r.dispositionUpdatedAt))
        source = kept(source, "dispositionUpdatedAt", r.dispositionUpdatedAt);
      updated = parsedMs;
    }
    this.updated.add(updated);
    this.id.add(r.id);
    this.campaignId.add(r.campaignId);
    this.code.add(r.dispositionCode);
    // The disposition's name, a column of its own (also kept in `extra`, which the hash covers).
    this.name.add(dispositionNameOf(r));
    this.category.add(category);
    this.reason.add(r.reasonCodeId);
    this.agent.add(r.agentId);
    this.contact.add(r.contactId);
    this.phone.add(r.phoneNumber);
    this.direction.add(r.direction);
    this.tags.add(r.tags);
    this.notes.add(r.notes);
    this.extra.add(r.extra === null ? null : canonicalJson(r.extra));
    this.sourceText.add(source === null ? null : canonicalJson(source));
    this.callerId.add(r.callerId);
    this.seller.add(r.seller ?? null);
    this.telemarketer.add(r.telemarketer ?? null);
    this.robocall.add(r.robocall ?? null);
    if ((this.length & SIZE_CHECK_MASK) === 0 && this.bytes() >= this.maxBytes) this.overSize = true;
  }

  /** Writes the row group's column chunks to `context.out`; then `reset()` before reuse. */
  write(context: ChunkContext): RowGroup {
    return writeRowGroup(this.columns, this.length, context);
  }

  reset(): void {
    for (const column of this.columns) column.reset();
    this.length = 0;
    this.overSize = false;
  }
}

/** A row as read back (hyparquet: timestamps as Date, or as numbers/bigints) → the canonical record. */
export function recordFromRow(row: Record<string, unknown>): CanonicalRecord {
  const source =
    typeof row.source_text === "string"
      ? (JSON.parse(row.source_text) as Record<string, unknown>)
      : row.source_text && typeof row.source_text === "object"
        ? (row.source_text as Record<string, unknown>)
        : null;
  const iso = (value: unknown): string | null => {
    if (value === null || value === undefined) return null;
    const ms = value instanceof Date ? value.getTime() : Number(value);
    return new Date(ms).toISOString();
  };
  const pick = <T>(field: string, typed: T): T =>
    source !== null && Object.hasOwn(source, field) ? (source[field] as T) : typed;
  const str = (value: unknown): string | null =>
    value === null || value === undefined ? null : String(value);
  const extra = row.extra;
  return {
    agentId: str(row.agent_id),
    // A dataset written before issue 66 has no caller_id column: null, as the record had none.
    callerId: str(row.caller_id),
    campaignId: String(row.campaign_id),
    contactId: str(row.contact_id),
    direction: str(row.direction),
    dispositionCode: str(row.disposition_code),
    dispositionUpdatedAt: pick("dispositionUpdatedAt", iso(row.disposition_updated_at)),
    durationSeconds: pick(
      "durationSeconds",
      row.duration_seconds === null || row.duration_seconds === undefined
        ? null
        : Number(row.duration_seconds),
    ),
    endTime: pick("endTime", iso(row.end_time)),
    extra:
      extra === null || extra === undefined
        ? null
        : typeof extra === "string"
          ? (JSON.parse(extra) as Record<string, unknown>)
          : (extra as Record<string, unknown>),
    id: String(row.id),
    notes: str(row.notes),
    phoneNumber: str(row.phone_number),
    reasonCodeId: str(row.reason_code_id),
    // A dataset written before issue 79 has no TSR columns: the records have none of the fields.
    robocall: row.robocall === null || row.robocall === undefined ? undefined : Boolean(row.robocall),
    seller: str(row.seller) ?? undefined,
    startTime: pick("startTime", iso(row.start_time) as string),
    tags: Array.isArray(row.tags) ? row.tags.map((tag) => String(tag)) : [],
    telemarketer: str(row.telemarketer) ?? undefined,
  };
}

// The day partitionDay gave last, with its `T`: a time of the same day returns the same string.
let lastDay = "";
let lastDayT = "";

/** The UTC day (partition value) of a record: its start time's (1970-01-01 when it does not parse). */
export function partitionDay(startTime: string): string {
  if (startTime.startsWith(lastDayT) && lastDayT !== "" && startTime.endsWith("Z")) return lastDay;
  if (/^\d{4}-\d{2}-\d{2}T/.test(startTime) && startTime.endsWith("Z")) {
    lastDayT = startTime.slice(0, 11);
    lastDay = startTime.slice(0, 10);
    return lastDay;
  }
  const ms = Date.parse(startTime);
  return Number.isNaN(ms) ? "1970-01-01" : new Date(ms).toISOString().slice(0, 10);
}
