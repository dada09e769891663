import { pathOf } from "../../core/http/http-client.ts";
import { InputError } from "../../core/input-error.ts";
import { UnreadableAnswerError } from "../errors.ts";
import type { Contact, ContactQuery } from "../types.ts";
import { flatListRecord, listIn, listRecordColumnsOf, listRecordPhoneOf } from "./answer-shapes.ts";
import type { ProductionApi } from "./api.ts";
import { ianaZoneOf } from "./time-zones.ts";
import { bool, isObject, pick, type Raw, text } from "./tolerant.ts";

/**
 * Calling lists. The platform has no server-side query, sort or paging of a list's records: the
 * whole list is downloaded (`?includeRecords=true`) and filtered here. Record keys are not
 * confirmed (camelCase or PascalCase), so both are read, and so are both record layouts
 * (issue 75 §1, answer-shapes.ts): the phone in `phoneNumber` and columns in `customFields`, or
 * DZ's and FULL's `destinations[].formattedDestination` and `otherFields[{fieldName, fieldValue}]`.
 * A download without `contactRecords` is an UnreadableAnswerError, never an empty list.
 */
export const LIST_ROUTE = "GET /lists/call-lists/{listId}";

export async function downloadList(api: ProductionApi, listId: string, signal?: AbortSignal): Promise<Raw[]> {
  return listIn(await requestList(api, listId, signal), LIST_ROUTE, ["contactRecords"]).items;
}

/** The list with its records: the one request both downloads make. */
function requestList(api: ProductionApi, listId: string, signal?: AbortSignal) {
  return api.request({
    method: "GET",
    path: pathOf`/lists/call-lists/${listId}`,
    endpoint: "GET /lists/call-lists/{listId}",
    group: "campaigns",
    query: { includeRecords: true, finalized: false },
    ...(signal ? { signal } : {}),
  });
}

/** A list's column mapping: the list field (`PhoneNumber`) → the upload file's column, and the id column. */
export interface ListMapping {
  columns: Array<{ field: string; column: string }>;
  externalIdColumn: string | undefined;
}

/** The whole list with its column mapping (for an upload that the list maps as its own). */
export async function downloadListWithMapping(
  api: ProductionApi,
  listId: string,
  signal?: AbortSignal,
): Promise<{ records: Raw[]; mapping: ListMapping }> {
  const response = await requestList(api, listId, signal);
  const body = isObject(response.body) ? response.body : {};
  const set = isObject(body.resultSet) ? body.resultSet : body;
  const mappings = Array.isArray(set.destinationMappings) ? set.destinationMappings.filter(isObject) : [];
  return {
    records: listIn(response, LIST_ROUTE, ["contactRecords"]).items,
    mapping: {
      columns: mappings.flatMap((m) => {
        const field = text(m.fieldName);
        const column = text(m.fieldValue);
        return field && column ? [{ field, column }] : [];
      }),
      externalIdColumn: text(set.externalIdColumn),
    },
  };
}

/**
 * "+16125550123" → "6125550123": NANP numbers go to CXone as their ten digits; others keep their
 * digits with the country code ("+447700900123" → "447700900123": assumed, docs/emulator-cxone.md).
 */
export const wirePhoneOf = (e164: string): string =>
  e164.startsWith("+1") ? e164.slice(2) : e164.replace(/^\+/, "");

/** "6125550123" → "+16125550123" (NANP lists carry 10 digits); anything else keeps its digits. */
export function e164Of(phone: string): string {
  const digits = phone.replace(/[^\d]/g, "");
  if (phone.trim().startsWith("+")) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith("1")) return `+${digits}`;
  return `+${digits}`;
}

/** A list cell holding a day: YYYY-MM-DD (a longer ISO text cut to it), or MM/DD/YYYY. */
function dayOf(cell: string | undefined): string | undefined {
  if (cell === undefined) return undefined;
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(cell.trim());
  if (iso) return iso[1];
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(cell.trim());
  return us ? `${us[3]}-${us[1]!.padStart(2, "0")}-${us[2]!.padStart(2, "0")}` : undefined;
}

/**
 * The consent day of a record: an empty cell is no date (the RND cannot be asked; the plan counts
 * it), but a cell that is not a day blocks: read as "no date", its number would be dialled unasked
 * (a compliance read that cannot be understood blocks rather than allows).
 */
function consentDayOf(cell: string | undefined, column: string, id: string): string | undefined {
  if (cell === undefined || cell.trim() === "") return undefined;
  const day = dayOf(cell);
  if (day === undefined)
    throw new UnreadableAnswerError(
      LIST_ROUTE,
      `a day (YYYY-MM-DD, an ISO time or M/D/YYYY) in the consent date column ${column} of record ${id} (it holds ${JSON.stringify(cell.slice(0, 40))})`,
    );
  return day;
}

export function contactOf(
  record: Raw,
  consentColumn: string | undefined,
  consentDateColumn?: string | undefined,
): Contact {
  const custom = listRecordColumnsOf(record, LIST_ROUTE);
  const phone = listRecordPhoneOf(record);
  const id = text(pick(record, "externalId", "ExternalId", "id")) ?? phone;
  if (!phone || !id)
    throw new UnreadableAnswerError(
      LIST_ROUTE,
      "a phone number on every record (phoneNumber, or destinations[].formattedDestination)",
    );
  const consent =
    consentColumn === undefined ? undefined : bool(custom[consentColumn] ?? record[consentColumn]);
  return {
    id,
    firstName: text(pick(record, "firstName", "FirstName")),
    lastName: text(pick(record, "lastName", "LastName")),
    phone: e164Of(phone),
    timeZone: ianaZoneOf(text(pick(record, "timeZone", "TimeZone"))),
    state: text(pick(record, "state", "State")),
    consent: { call: consent, sms: undefined },
    // Issue 79 §3: the day consent was given, from the custom column the settings name.
    consentDate:
      consentDateColumn === undefined
        ? undefined
        : consentDayOf(text(custom[consentDateColumn] ?? record[consentDateColumn]), consentDateColumn, id),
    lastModifiedTime: undefined,
    raw: record,
  };
}

const FIELDS: Record<string, (c: Contact) => string | undefined> = {
  id: (c) => c.id,
  firstName: (c) => c.firstName,
  lastName: (c) => c.lastName,
  phone: (c) => c.phone,
  timeZone: (c) => c.timeZone,
  state: (c) => c.state,
  "consentFlags.outbound.call": (c) => (c.consent.call === undefined ? undefined : String(c.consent.call)),
};

/** `field==value` terms joined by `;` (or `true`), applied here; an unknown field is bad input. */
export function contactFilter(filter: string | undefined): (contact: Contact) => boolean {
  const terms = (filter ?? "")
    .split(";")
    .map((t) => t.trim())
    .filter((t) => t !== "" && t !== "true");
  const checks = terms.map((term) => {
    const match = /^([A-Za-z0-9_.]+)==(.*)$/.exec(term);
    if (!match) throw new InputError({ field: "filter", rule: `term "${term}" is not field==value` });
    const [, field, value] = match as unknown as [string, string, string];
    const read = FIELDS[field];
    if (read) return (c: Contact) => read(c) === value;
    // Any other name is a custom column of the list.
    return (c: Contact) => text(listRecordColumnsOf(c.raw, LIST_ROUTE)[field]) === value;
  });
  return (contact) => checks.every((check) => check(contact));
}

/**
 * The list's records as a CSV file for an upload job. With the list's mapping, each mapped field
 * goes in the column the list maps it from (records read in camel or Pascal keys) and the id in
 * its id column, so the upload reads back as the same records; custom fields keep their names.
 * Without one, the header is the records' own keys. The CSV writer is imported here, at the first
 * upload: every production-platform client loads this file, and few ever upload a list.
 */
export async function recordsAsCsv(records: readonly Raw[], mapping?: ListMapping): Promise<string> {
  const { csvText } = await import("../../core/csv-cell.ts");
  const lower = (key: string) => key.toLowerCase();
  const mapped = new Map((mapping?.columns ?? []).map((m) => [lower(m.field), m.column]));
  const idColumn = mapping?.externalIdColumn ?? (mapped.size > 0 ? "ExternalId" : undefined);
  const flat = records.map((record) => {
    const r = flatListRecord(record, LIST_ROUTE);
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(r)) {
      if (isObject(value)) {
        for (const [k, v] of Object.entries(value)) out[k] = text(v) ?? "";
        continue;
      }
      const cell = text(value) ?? (typeof value === "boolean" ? String(value) : "");
      const column =
        mapped.get(lower(key)) ??
        (idColumn && lower(key) === "externalid" ? idColumn : mapped.size > 0 ? undefined : key);
      if (column) out[column] = cell;
    }
    return out;
  });
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  // Read by CXone, not a spreadsheet: the cells go as they are (a quote would join the contact's fields).
  return csvText(flat, { header: true, columns, recordDelimiter: "windows", formulas: "keep" });
}

export function sortContacts(contacts: Contact[], query: ContactQuery): Contact[] {
  if (!query.sortBy) return contacts;
  const read = FIELDS[query.sortBy];
  if (!read)
    throw new InputError({ field: "sortBy", rule: `contacts cannot be sorted by "${query.sortBy}"` });
  const sign = query.sortOrder === "desc" ? -1 : 1;
  return contacts.sort((a, b) => sign * (read(a) ?? "").localeCompare(read(b) ?? ""));
}
