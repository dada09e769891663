import { CxoneError } from "../../core/http/errors.ts";
import { isoString } from "../../core/iso-time.ts";
import type { OutboundCall } from "../types.ts";
import { bool, isObject, num, pick, type Raw, text } from "./tolerant.ts";

/**
 * A completed contact (`/contacts/completed`, `/contacts/{id}`) → the domain's call record.
 * Field names differ by API version: v33 `contactStartDate, toAddress, tags[{tagName}]`, v23
 * `contactStart, toAddr, tags[{TagName}]`. `raw` keeps every field CXone sent that is not
 * mapped to a domain field, beside the domain fields themselves, so an export loses nothing
 * and names the modelled fields the same way on every platform.
 */
const CONSUMED = new Set([
  "contactId",
  "masterContactId",
  "skillId",
  "contactStartDate",
  "contactStart",
  "totalDurationSeconds",
  "primaryDispositionId",
  "secondaryDispositionId",
  "agentId",
  "toAddress",
  "toAddr",
  "tags",
  "dispositionNotes",
  "lastUpdateTime",
  "campaignId",
]);

const ENDPOINT = "GET /contacts/completed";

/**
 * The keys of `record` that are not mapped to a domain field, in the record's order. The
 * records of a listing share one shape, so the list is worked out once per shape (the last one
 * is kept) instead of looking every key up for every record.
 */
let shapeKeys: string[] = [];
let shapeUnconsumed: string[] = [];

function unconsumedKeys(record: Raw): string[] {
  let n = 0;
  let same = true;
  for (const key in record) {
    if (same && shapeKeys[n] !== key) same = false;
    n += 1;
  }
  if (!same || n !== shapeKeys.length) {
    shapeKeys = [];
    for (const key in record) shapeKeys.push(key);
    shapeUnconsumed = shapeKeys.filter((key) => !CONSUMED.has(key));
  }
  return shapeUnconsumed;
}

/** Tag names of a contact, whatever the version's spelling. */
export function tagNamesOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  for (const tag of value) {
    if (typeof tag === "string") names.push(tag);
    else if (isObject(tag)) {
      const name = text(pick(tag, "tagName", "TagName", "name"));
      if (name !== undefined) names.push(name);
    }
  }
  return names;
}

/** A disposition id as the domain's code: "0" and absent both mean none. */
export function dispositionIdOf(value: unknown): string | undefined {
  const id = text(value);
  return id === undefined || id === "0" ? undefined : id;
}

/** The contact's start, as sent (either version's name). */
export const startOf = (record: Raw): string | undefined =>
  text(pick(record, "contactStartDate", "contactStart"));

/** Outbound unless CXone says otherwise (`isOutbound` may come as "True"/"False"). */
export const isOutboundRecord = (record: Raw): boolean => bool(record.isOutbound) !== false;

/**
 * `nameOf` gives the name of a disposition id (outcome listings resolve them from the skill's
 * catalogue); the name is the record's `dispositionName`, and exports carry it beside the id.
 */
export function completedCallOf(
  record: unknown,
  endpoint = ENDPOINT,
  nameOf?: (id: string | undefined) => string | undefined,
): OutboundCall {
  if (!isObject(record)) throw new CxoneError(`${endpoint}: a contact record is not an object`, { endpoint });
  const id = text(record.contactId);
  if (id === undefined) throw new CxoneError(`${endpoint}: a contact record has no contactId`, { endpoint });
  const startTime = startOf(record);
  const startMs = startTime === undefined ? Number.NaN : Date.parse(startTime);
  if (startTime === undefined || Number.isNaN(startMs))
    throw new CxoneError(`${endpoint}: contact ${id} has no valid contactStartDate`, { endpoint });
  const campaignId = text(record.skillId) ?? "";
  const durationSeconds = num(record.totalDurationSeconds);
  const endTime = durationSeconds === undefined ? undefined : isoString(startMs + durationSeconds * 1000);
  const dispositionCode = dispositionIdOf(record.primaryDispositionId);
  const dispositionName = nameOf?.(dispositionCode);
  const reasonCodeId = dispositionIdOf(record.secondaryDispositionId);
  const tags = tagNamesOf(record.tags);
  const raw: Raw = {
    id,
    campaignId,
    startTime,
    endTime: endTime ?? null,
    durationSeconds: durationSeconds ?? null,
    dispositionCode: dispositionCode ?? null,
    reasonCodeId: reasonCodeId ?? null,
    agentId: text(record.agentId) ?? null,
    phoneNumber: text(pick(record, "toAddress", "toAddr")) ?? null,
    // One record shape on both platforms: the seed API's casing, and a contact id (CXone's
    // master contact groups the legs of one interaction; a lone leg is its own master).
    contactId: text(record.masterContactId) ?? id,
    direction: "OUTBOUND",
    tags,
    notes: text(record.dispositionNotes) ?? null,
    dispositionUpdatedAt: text(record.lastUpdateTime) ?? null,
    // The platform's campaign is a reporting group of skills; the domain's campaign is the skill.
    reportingCampaignId: record.campaignId ?? null,
  };
  for (const key of unconsumedKeys(record)) if (Object.hasOwn(record, key)) raw[key] = record[key];
  // Set last: the resolved name wins over a same-named field CXone might send one day.
  if (dispositionName !== undefined) raw.dispositionName = dispositionName;
  return {
    id,
    campaignId,
    startTime,
    endTime,
    durationSeconds,
    dispositionCode,
    ...(dispositionName !== undefined ? { dispositionName } : {}),
    reasonCodeId,
    tags,
    raw,
  };
}
