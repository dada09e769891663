import { canonicalJson } from "../core/audit/canonical-json.ts";
import { csvText, restoreCell } from "../core/csv-cell.ts";
import { objectBuilder, RecordShapes } from "../core/record-shape.ts";
import { CALL_RECORD_FIELDS } from "../platform/types.ts";

/**
 * The canonical outcome record: what is exported, hashed and analysed. Every known field is
 * always present (null when CXone left it out), `tags` is a list, and any field we do not model
 * is kept under `extra`, so nothing CXone sent is lost. Its canonical JSON (keys sorted, no
 * whitespace; core/audit/canonical-json) is one NDJSON line and the unit of the compliance
 * hash. The CSV form holds exactly the same values and decodes back to the same record:
 * a null cell is empty, an empty string is `""`, `tags` and `extra` are JSON.
 */
export interface CanonicalRecord {
  id: string;
  campaignId: string;
  startTime: string;
  endTime: string | null;
  durationSeconds: number | null;
  dispositionCode: string | null;
  reasonCodeId: string | null;
  agentId: string | null;
  contactId: string | null;
  phoneNumber: string | null;
  direction: string | null;
  tags: string[];
  notes: string | null;
  dispositionUpdatedAt: string | null;
  /** The number the call was placed from, E.164 (null when the platform did not say). */
  callerId: string | null;
  extra: Record<string, unknown> | null;
  /**
   * The FTC Telemarketing Sales Rule's call-detail fields (16 CFR 310.5(a)(2)): the
   * seller the call was made for, the telemarketer that made it, and whether it was a robocall
   * (a prerecorded message). Present only when known (the platform's record, else the
   * `compliance.tsr` settings at export): a record without them has the bytes, and so the
   * compliance hash, it had before they existed — earlier exports still verify.
   */
  seller?: string | undefined;
  telemarketer?: string | undefined;
  robocall?: boolean | undefined;
}

/** The TSR fields' defaults for an export (`compliance.tsr`), used where the platform's record says nothing. */
export interface TsrFields {
  seller?: string | undefined;
  telemarketer?: string | undefined;
  robocall?: boolean | undefined;
}

/** A campaign's TSR fields from `compliance.tsr` (its own entry over the defaults); undefined when none is set. */
export function tsrForCampaign(
  settings: (TsrFields & { campaigns?: Record<string, TsrFields> }) | undefined,
  campaignId: string,
  fallbackSeller?: string,
): TsrFields | undefined {
  const own = settings?.campaigns?.[campaignId];
  const seller = own?.seller ?? settings?.seller ?? fallbackSeller;
  const telemarketer = own?.telemarketer ?? settings?.telemarketer;
  const robocall = own?.robocall ?? settings?.robocall;
  if (seller === undefined && telemarketer === undefined && robocall === undefined) return undefined;
  return { seller, telemarketer, robocall };
}

/** The TSR columns, after `extra` (issue 79 §4): a CSV written before them has none. */
export const TSR_COLUMNS = ["seller", "telemarketer", "robocall"] as const;

/** The columns of a CSV written before the TSR fields (still read, and verified). */
export const COLUMNS_BEFORE_TSR = [...CALL_RECORD_FIELDS, "extra"] as const;

/** CSV column order (also the set of modelled fields): a call record's fields, `extra`, the TSR fields. */
export const COLUMNS = [...COLUMNS_BEFORE_TSR, ...TSR_COLUMNS] as const satisfies ReadonlyArray<
  keyof CanonicalRecord
>;

const MODELLED = new Set<string>(COLUMNS);

const flag = (value: unknown): boolean | undefined =>
  value === true || value === "true" ? true : value === false || value === "false" ? false : undefined;
const present = (value: unknown): string | undefined => text(value) ?? undefined;

const text = (value: unknown): string | null =>
  value === undefined || value === null
    ? null
    : typeof value === "string"
      ? value
      : typeof value === "object"
        ? canonicalJson(value)
        : String(value);

const number = (value: unknown): number | null => {
  if (value === undefined || value === null || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : null;
};

const stringList = (value: unknown): string[] => {
  if (!Array.isArray(value)) return [];
  const tags = new Array<string>(value.length);
  for (let i = 0; i < value.length; i++) tags[i] = text(value[i]) ?? "";
  return tags;
};

/**
 * Fields CXone sent that we do not model (null when there are none: the usual case on the seed
 * API), in sorted key order so that canonicalLine can write them with one native
 * JSON.stringify. The sorted key list, and the function that copies those fields, are worked
 * out once per record shape (core/record-shape.ts).
 */
const extraBuilders = new RecordShapes((keys) => {
  const extra = keys.filter((key) => !MODELLED.has(key)).sort();
  return extra.length === 0 ? null : objectBuilder([], extra);
});

function extraOf(raw: Record<string, unknown>): Record<string, unknown> | null {
  const build = extraBuilders.of(raw);
  if (build === null) return null;
  const extra = build(raw);
  // Empty when every one of them was undefined.
  for (const _ in extra) return extra;
  return null;
}

/**
 * A record as CXone sent it → the canonical record. Built as one literal (one hidden class for
 * every record, keys already in canonical order) because it runs for every record exported.
 */
export function canonicalRecord(raw: Record<string, unknown>, tsr?: TsrFields): CanonicalRecord {
  // The TSR fields sit at their sorted places; undefined (unknown) ones are left out of the JSON.
  return {
    agentId: text(raw.agentId),
    callerId: text(raw.callerId),
    campaignId: text(raw.campaignId) ?? "",
    contactId: text(raw.contactId),
    direction: text(raw.direction),
    dispositionCode: text(raw.dispositionCode),
    dispositionUpdatedAt: text(raw.dispositionUpdatedAt),
    durationSeconds: number(raw.durationSeconds),
    endTime: text(raw.endTime),
    extra: extraOf(raw),
    id: text(raw.id) ?? "",
    notes: text(raw.notes),
    phoneNumber: text(raw.phoneNumber),
    reasonCodeId: text(raw.reasonCodeId),
    robocall: flag(raw.robocall) ?? tsr?.robocall,
    seller: present(raw.seller) ?? tsr?.seller,
    startTime: text(raw.startTime) ?? "",
    tags: stringList(raw.tags),
    telemarketer: present(raw.telemarketer) ?? tsr?.telemarketer,
  };
}

/**
 * A record as CXone sent it → the canonical record and its NDJSON line, the pair every exporter
 * takes. canonicalRecord writes the record's keys in ascending order, and inserts `extra`'s in
 * ascending order too, so when `extra` passes canonicalLine's own check (keys ascending as
 * enumerated, no toJSON or bigint: the usual record, on every platform) the line is one native
 * JSON.stringify of the record itself, with no copy of it.
 */
export function canonicalEntry(
  raw: Record<string, unknown>,
  tsr?: TsrFields,
): { record: CanonicalRecord; line: string } {
  const record = canonicalRecord(raw, tsr);
  return { record, line: inCanonicalOrder(record.extra) ? JSON.stringify(record) : canonicalLine(record) };
}

/**
 * The disposition's name, where the platform's codes are ids (`extra.dispositionName`, which the
 * production adapter sets; docs/outcomes.md). Kept under `extra` so exports of platforms whose
 * codes are names keep their bytes, columns and compliance hash.
 */
export function dispositionNameOf(record: CanonicalRecord): string | null {
  const name = record.extra?.dispositionName;
  return typeof name === "string" && name !== "" ? name : null;
}

/**
 * Whether JSON.stringify writes `value` exactly as canonicalJson does: every object's own keys
 * already in ascending order (V8 writes keys in property order, and lists integer-like keys
 * first, which this check catches), plain data only (no toJSON, no bigint, no array holes).
 */
function inCanonicalOrder(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return typeof value !== "bigint";
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !inCanonicalOrder(value[i])) return false;
    return true;
  }
  let previous: string | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    if (previous !== undefined && !(previous < key)) return false;
    if (!inCanonicalOrder((value as Record<string, unknown>)[key])) return false;
    previous = key;
  }
  return true;
}

const str = (value: string | null): string => (value === null ? "null" : JSON.stringify(value));

/**
 * One NDJSON line (without the newline): the hashed form, equal to `canonicalJson(record)`
 * (tested, and pinned by test/outcomes/hash-pin.test.ts and test/platform/cxone/export-pin.test.ts).
 * It runs for every record, so the usual record goes through ONE native JSON.stringify of a
 * literal whose keys are written in sorted order: one without unmodelled fields, or one whose
 * `extra` is already in canonical key order (canonicalRecord builds it so). Any other record
 * takes the field-by-field path, `extra` through canonicalJson.
 */
export function canonicalLine(r: CanonicalRecord): string {
  if (r.extra === null || inCanonicalOrder(r.extra))
    return JSON.stringify({
      agentId: r.agentId,
      callerId: r.callerId,
      campaignId: r.campaignId,
      contactId: r.contactId,
      direction: r.direction,
      dispositionCode: r.dispositionCode,
      dispositionUpdatedAt: r.dispositionUpdatedAt,
      durationSeconds: r.durationSeconds,
      endTime: r.endTime,
      extra: r.extra,
      id: r.id,
      notes: r.notes,
      phoneNumber: r.phoneNumber,
      reasonCodeId: r.reasonCodeId,
      robocall: r.robocall,
      seller: r.seller,
      startTime: r.startTime,
      tags: r.tags,
      telemarketer: r.telemarketer,
    });
  return `{"agentId":${str(r.agentId)},"callerId":${str(r.callerId)},"campaignId":${str(r.campaignId)},"contactId":${str(r.contactId)},"direction":${str(
    r.direction,
  )},"dispositionCode":${str(r.dispositionCode)},"dispositionUpdatedAt":${str(r.dispositionUpdatedAt)},"durationSeconds":${
    r.durationSeconds === null ? "null" : JSON.stringify(r.durationSeconds)
  },"endTime":${str(r.endTime)},"extra":${canonicalJson(r.extra)},"id":${str(r.id)},"notes":${str(
    r.notes,
  )},"phoneNumber":${str(r.phoneNumber)},"reasonCodeId":${str(r.reasonCodeId)}${
    r.robocall === undefined ? "" : `,"robocall":${r.robocall}`
  }${r.seller === undefined ? "" : `,"seller":${JSON.stringify(r.seller)}`},"startTime":${str(r.startTime)},"tags":${JSON.stringify(
    r.tags,
  )}${r.telemarketer === undefined ? "" : `,"telemarketer":${JSON.stringify(r.telemarketer)}`}}`;
}

export const CSV_HEADER = `${COLUMNS.join(",")}\n`;

/** Records as CSV rows (no header). */
export function csvRows(records: readonly CanonicalRecord[]): string {
  // An empty string is quoted (`""`), so it reads back as "" and not as null (an empty cell).
  // Text cells are neutralised against formula injection (restored on read: see core/csv-cell).
  return csvText(
    records.map((record) =>
      COLUMNS.map((column) => {
        const value = record[column];
        if (column === "tags") return JSON.stringify(value);
        if (column === "extra") return value === null ? null : canonicalJson(value);
        if (column === "robocall") return value === undefined ? null : String(value);
        return value ?? null;
      }),
    ),
    { quoteEmpty: true },
  );
}

/** A CSV row (cells with whether each was quoted) → the canonical record. */
export function recordFromCsv(cells: ReadonlyArray<{ value: string; quoted: boolean }>): CanonicalRecord {
  // A CSV written before the TSR fields has their columns missing: the record has none of them.
  const columns = cells.length === COLUMNS_BEFORE_TSR.length ? COLUMNS_BEFORE_TSR : COLUMNS;
  if (cells.length !== columns.length)
    throw new Error(`has ${cells.length} columns, expected ${COLUMNS.length}`);
  const record = {} as Record<string, unknown>;
  columns.forEach((column, index) => {
    const cell = cells[index] as { value: string; quoted: boolean };
    const value = restoreCell(cell.value);
    const quoted = cell.quoted;
    const isNull = value === "" && !quoted;
    if (column === "durationSeconds") record[column] = isNull ? null : Number(value);
    else if (column === "tags") record[column] = JSON.parse(value) as string[];
    else if (column === "extra") record[column] = isNull ? null : JSON.parse(value);
    else if (column === "robocall") record[column] = isNull ? undefined : value === "true";
    else if (column === "seller" || column === "telemarketer") record[column] = isNull ? undefined : value;
    else record[column] = isNull ? null : value;
  });
  return record as unknown as CanonicalRecord;
}

/** A csv-parse stream that yields rows of `{value, quoted}` cells (the header row included): the one CSV reader's. */
export { csvCellParser } from "../core/input-rows.ts";
