import { type CastingContext, parse } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import { canonicalJson } from "../core/audit/canonical-json.ts";

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
  extra: Record<string, unknown> | null;
}

/** CSV column order (also the set of modelled fields). */
export const COLUMNS = [
  "id",
  "campaignId",
  "startTime",
  "endTime",
  "durationSeconds",
  "dispositionCode",
  "reasonCodeId",
  "agentId",
  "contactId",
  "phoneNumber",
  "direction",
  "tags",
  "notes",
  "dispositionUpdatedAt",
  "extra",
] as const satisfies ReadonlyArray<keyof CanonicalRecord>;

const MODELLED = new Set<string>(COLUMNS);
const STRING_FIELDS = COLUMNS.filter(
  (c) => c !== "durationSeconds" && c !== "tags" && c !== "extra" && c !== "id" && c !== "campaignId",
) as Array<Exclude<keyof CanonicalRecord, "durationSeconds" | "tags" | "extra" | "id" | "campaignId">>;

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

/** A record as CXone sent it → the canonical record. */
export function canonicalRecord(raw: Record<string, unknown>): CanonicalRecord {
  const record = {
    id: text(raw.id) ?? "",
    campaignId: text(raw.campaignId) ?? "",
    durationSeconds: number(raw.durationSeconds),
    tags: Array.isArray(raw.tags) ? raw.tags.map((tag) => text(tag) ?? "") : [],
    extra: null,
  } as CanonicalRecord;
  for (const field of STRING_FIELDS)
    (record as unknown as Record<string, string | null>)[field] = text(raw[field]);
  record.startTime ??= "";
  let extra: Record<string, unknown> | null = null;
  for (const key of Object.keys(raw))
    if (!MODELLED.has(key) && raw[key] !== undefined) {
      extra ??= {};
      extra[key] = raw[key];
    }
  record.extra = extra;
  return record;
}

const str = (value: string | null): string => (value === null ? "null" : JSON.stringify(value));

/**
 * One NDJSON line (without the newline): the hashed form. Equal to `canonicalJson(record)`
 * (tested), written out field by field in sorted key order because it runs for every record.
 */
export function canonicalLine(r: CanonicalRecord): string {
  return `{"agentId":${str(r.agentId)},"campaignId":${str(r.campaignId)},"contactId":${str(r.contactId)},"direction":${str(
    r.direction,
  )},"dispositionCode":${str(r.dispositionCode)},"dispositionUpdatedAt":${str(r.dispositionUpdatedAt)},"durationSeconds":${
    r.durationSeconds === null ? "null" : JSON.stringify(r.durationSeconds)
  },"endTime":${str(r.endTime)},"extra":${r.extra === null ? "null" : canonicalJson(r.extra)},"id":${str(r.id)},"notes":${str(
    r.notes,
  )},"phoneNumber":${str(r.phoneNumber)},"reasonCodeId":${str(r.reasonCodeId)},"startTime":${str(r.startTime)},"tags":${JSON.stringify(
    r.tags,
  )}}`;
}

export const CSV_HEADER = `${COLUMNS.join(",")}\n`;

// An empty string is quoted (`""`), so it reads back as "" and not as null (an empty cell).
const csvCell = (value: string): string | { value: string; quoted_empty: boolean } =>
  value === "" ? { value: "", quoted_empty: true } : value;

/** Records as CSV rows (no header). */
export function csvRows(records: readonly CanonicalRecord[]): string {
  return stringify(
    records.map((record) =>
      COLUMNS.map((column) => {
        const value = record[column];
        if (column === "tags") return JSON.stringify(value);
        if (column === "extra") return value === null ? null : canonicalJson(value);
        return value;
      }),
    ),
    { cast: { string: csvCell, number: (n) => String(n) } },
  );
}

/** A CSV row (cells with whether each was quoted) → the canonical record. */
export function recordFromCsv(cells: ReadonlyArray<{ value: string; quoted: boolean }>): CanonicalRecord {
  if (cells.length !== COLUMNS.length)
    throw new Error(`has ${cells.length} columns, expected ${COLUMNS.length}`);
  const record = {} as Record<string, unknown>;
  COLUMNS.forEach((column, index) => {
    const { value, quoted } = cells[index] as { value: string; quoted: boolean };
    const isNull = value === "" && !quoted;
    if (column === "durationSeconds") record[column] = isNull ? null : Number(value);
    else if (column === "tags") record[column] = JSON.parse(value) as string[];
    else if (column === "extra") record[column] = isNull ? null : JSON.parse(value);
    else record[column] = isNull ? null : value;
  });
  return record as unknown as CanonicalRecord;
}

/** A csv-parse stream that yields rows of `{value, quoted}` cells (the header row included). */
export function csvCellParser() {
  return parse({
    cast: (value: string, context: CastingContext) => ({ value, quoted: context.quoting }),
    relax_column_count: true,
  });
}
