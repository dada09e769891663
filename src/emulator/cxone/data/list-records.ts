import { parse } from "csv-parse/sync";
import { clockNowMs } from "../../../core/clock/now.ts";
import { createRng } from "../../random.ts";
import type { CallingList, ListRecord } from "./model.ts";
import { FIRST, LAST, phone, STATES, ZONES } from "./vocabulary.ts";
/**
 * Calling-list records: the seeded lists' records (built from the seed on first read, then
 * kept), uploaded CSV files mapped through the list's column mappings, and the wire shape of
 * a record (camel or Pascal keys, knob `listRecordKeys`).
 */

export function seededRecords(seed: number, list: CallingList, dncPhones: readonly string[]): ListRecord[] {
  const rng = createRng(seed, `cxone-list-${list.seededIndex}`);
  // Every list CXone holds was uploaded with an expiration date (the upload requires one); the
  // seeded lists' is a year on, so that they never expire under a test.
  const expirationDate = new Date(clockNowMs() + 365 * 86_400_000).toISOString();
  return Array.from({ length: list.seededSize }, (_, i) => ({
    expirationDate,
    externalId: `L${list.listId}-${String(i + 1).padStart(5, "0")}`,
    // One in fifty numbers is on the internal DNC list, so a client's DNC check has work to do.
    phoneNumber: i % 50 === 7 ? (dncPhones[i % dncPhones.length] as string) : phone(rng),
    firstName: rng.pick(FIRST),
    lastName: rng.pick(LAST),
    timeZone: rng.pick(ZONES),
    state: rng.pick(STATES),
    customFields: {
      consent_call: rng.chance(0.8) ? "Y" : "N",
      segment: rng.pick(["gold", "silver", "bronze"]),
    },
  }));
}

type MappedField = "phoneNumber" | "firstName" | "lastName" | "timeZone" | "state";

const FIELD_OF: Record<string, MappedField> = {
  phonenumber: "phoneNumber",
  firstname: "firstName",
  lastname: "lastName",
  timezone: "timeZone",
  state: "state",
};

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The call-request columns the list's create named (`callRequestTimeColumn` …) into the record;
 * false when a value is malformed (a time that is not ISO 8601 with an offset, a stale count that
 * is not whole minutes, a time zone CXone does not name so when `zoneNames` are given): the row
 * is then invalid, as CXone counts it.
 */
function takeRequestColumns(
  row: Record<string, string>,
  list: CallingList,
  record: ListRecord,
  zoneNames: readonly string[] | undefined,
): boolean {
  const columns = list.columns ?? {};
  const zone = columns.timeZone ? row[columns.timeZone] : undefined;
  if (zone !== undefined && zone !== "") {
    if (zoneNames !== undefined && !zoneNames.includes(zone)) return false;
    record.timeZone = zone;
  }
  const zip = columns.zip ? row[columns.zip] : undefined;
  if (zip !== undefined && zip !== "") record.zip = zip;
  const time = columns.callRequestTime ? row[columns.callRequestTime] : undefined;
  const stale = columns.callRequestStale ? row[columns.callRequestStale] : undefined;
  const score = columns.score ? row[columns.score] : columns.priority ? row[columns.priority] : undefined;
  const priority = columns.priority ? row[columns.priority] : undefined;
  const expires = columns.expirationDate ? row[columns.expirationDate] : undefined;
  if (expires !== undefined && expires !== "") {
    if (!ISO_WITH_OFFSET.test(expires) || Number.isNaN(Date.parse(expires))) return false;
    record.expirationDate = new Date(Date.parse(expires)).toISOString();
    record.ownExpiration = true;
  }
  if (priority !== undefined && priority !== "") {
    if (!/^-?\d{1,9}$/.test(priority)) return false;
    record.priority = Number(priority);
  }
  if (time !== undefined && time !== "") {
    if (!ISO_WITH_OFFSET.test(time) || Number.isNaN(Date.parse(time))) return false;
    record.callRequestTime = time;
  }
  if (stale !== undefined && stale !== "") {
    if (!/^\d{1,6}$/.test(stale)) return false;
    record.callRequestStaleMins = Number(stale);
  }
  if (score !== undefined && score !== "") record.score = score;
  return true;
}

/**
 * Parses an uploaded CSV; rows without a phone number count as invalid. Throws on bad CSV.
 * `zoneNames`: the time-zone names a record's zone column may hold (absent: any).
 */
export function recordsFromCsv(
  csv: string,
  list: CallingList,
  zoneNames?: readonly string[],
): { records: ListRecord[]; invalid: number } {
  const rows = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
    string,
    string
  >[];
  const mapped = new Map<string, MappedField>();
  for (const m of list.mappings) {
    const field = FIELD_OF[m.fieldName.toLowerCase()];
    if (field) mapped.set(m.fieldValue, field);
  }
  const special = new Set(Object.values(list.columns ?? {}));
  let invalid = 0;
  const records: ListRecord[] = [];
  rows.forEach((row, i) => {
    const record: ListRecord = {
      externalId: row[list.externalIdColumn] ?? `row-${i + 1}`,
      phoneNumber: "",
      firstName: "",
      lastName: "",
      timeZone: "",
      state: "",
      customFields: {},
    };
    for (const [column, value] of Object.entries(row)) {
      const field = mapped.get(column);
      if (field) record[field] = value;
      else if (column !== list.externalIdColumn && !special.has(column)) record.customFields[column] = value;
    }
    record.phoneNumber = record.phoneNumber.replace(/\D/g, "");
    if (record.phoneNumber.length < 10 || !takeRequestColumns(row, list, record, zoneNames)) invalid++;
    else records.push(record);
  });
  return { records, invalid };
}

export function recordJson(
  record: ListRecord,
  keys: "camel" | "pascal",
  expiry: "shown" | "hidden" = "shown",
  layout: "flat" | "destinations" = "flat",
): Record<string, unknown> {
  const json = recordKeys(record, keys, expiry);
  return layout === "flat" ? json : destinationsLayout(json, record, keys);
}

/**
 * Issue 75, knob `listRecordLayout: destinations`: DZ's `DownloadCallingListResponse_Lists` (and
 * FULL's `GetCallingListResponseById`) — the number in `destinations[{formattedDestination,
 * description, compliance, maxAttempts}]`, the list's own columns in `otherFields[{fieldName,
 * fieldMapping, fieldValue}]`, and neither `phoneNumber` nor `customFields`.
 */
function destinationsLayout(
  json: Record<string, unknown>,
  record: ListRecord,
  keys: "camel" | "pascal",
): Record<string, unknown> {
  const { phoneNumber: _p, PhoneNumber: _P, customFields: _c, CustomFields: _C, ...rest } = json;
  const k = (name: string) => (keys === "camel" ? name : name[0]?.toUpperCase() + name.slice(1));
  return {
    ...rest,
    [k("destinations")]: [
      {
        [k("formattedDestination")]: record.phoneNumber,
        [k("description")]: "PhoneNumber",
        [k("compliance")]: false,
        [k("maxAttempts")]: null,
      },
    ],
    [k("otherFields")]: Object.entries(record.customFields ?? {}).map(([name, value]) => ({
      [k("fieldName")]: name,
      [k("fieldMapping")]: name,
      [k("fieldValue")]: value,
    })),
  };
}

function recordKeys(
  record: ListRecord,
  keys: "camel" | "pascal",
  expiry: "shown" | "hidden",
): Record<string, unknown> {
  const {
    loadedAtMs: _loaded,
    callRequestTime,
    callRequestStaleMins,
    score,
    zip,
    expirationDate,
    ownExpiration: _own,
    priority,
    ...base
  } = record;
  // FULL's contactRecords spell them callRequestTime, callRequestStaleMins, score, priority (zip: assumed).
  const request = {
    ...(callRequestTime !== undefined ? { callRequestTime } : {}),
    ...(callRequestStaleMins !== undefined ? { callRequestStaleMins } : {}),
    ...(score !== undefined ? { score } : {}),
    ...(priority !== undefined ? { priority } : {}),
    ...(zip !== undefined ? { zip } : {}),
    // Not in any public model (issue 65): shown so that `cxo why` can tell an expired record.
    ...(expirationDate !== undefined && expiry === "shown" ? { expirationDate } : {}),
  };
  if (keys === "camel") return { ...base, ...request, customFields: { ...record.customFields } };
  return {
    ...Object.fromEntries(Object.entries(request).map(([k, v]) => [k[0]?.toUpperCase() + k.slice(1), v])),
    ExternalId: record.externalId,
    PhoneNumber: record.phoneNumber,
    FirstName: record.firstName,
    LastName: record.lastName,
    TimeZone: record.timeZone,
    State: record.state,
    CustomFields: { ...record.customFields },
  };
}
