import { UnreadableAnswerError } from "../../core/http/errors.ts";
import { isoString } from "../../core/iso-time.ts";
import { callerIdNumberOf } from "../../core/phone-number.ts";
import { objectBuilder, RecordShapes } from "../../core/record-shape.ts";
import { callDetailsOf } from "../call-details.ts";
import { CALL_RECORD_FIELDS, type OutboundCall } from "../types.ts";
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
 * The fields of a call's `raw` that every record has, in order: the domain's record (one record
 * shape on both platforms, CALL_RECORD_FIELDS), then the platform's reporting campaign. CXone's
 * other fields follow them.
 */
const RAW_FIELDS = [...CALL_RECORD_FIELDS, "reportingCampaignId"] as const;

const DOMAIN_NAMES = new Set<string>(RAW_FIELDS);

/**
 * A CXone field named like one of the domain's (`id`, `startTime`, `phoneNumber`…) that no
 * mapping consumed: kept under this name, so the validated value keeps the domain's name (and
 * `startTime` keeps choosing the Parquet partition) and nothing CXone sent is lost.
 */
export const clashingName = (key: string): string => `cxone.${key}`;

/**
 * Per record shape, the function that builds `raw`: RAW_FIELDS (passed in that order), then the
 * record's fields that are not mapped to a domain field, in the record's order; fields that
 * clash with a domain name are listed apart (`clashing`) and renamed.
 */
const rawBuilders = new RecordShapes((keys) => {
  const unmapped = keys.filter((key) => !CONSUMED.has(key));
  return {
    build: objectBuilder(
      RAW_FIELDS,
      unmapped.filter((key) => !DOMAIN_NAMES.has(key)),
    ),
    clashing: unmapped.filter((key) => DOMAIN_NAMES.has(key)),
  };
});

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

/**
 * The caller id of an outbound contact (`fromAddress`, v23 `fromAddr`) as E.164: CXone writes
 * NANP numbers as their 10 digits. Undefined for an inbound contact (its from address is the
 * customer) and for a value that is not a phone number (a SIP URI, "Anonymous"): then only the
 * field as sent, kept under `extra`, carries it.
 */
export function callerIdOf(record: Raw): string | undefined {
  if (!isOutboundRecord(record)) return undefined;
  return callerIdNumberOf(text(pick(record, "fromAddress", "fromAddr")));
}

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
  if (!isObject(record))
    throw new UnreadableAnswerError(endpoint, "a contact record that is an object", { body: record });
  const id = text(record.contactId);
  if (id === undefined) throw new UnreadableAnswerError(endpoint, "a contactId in a contact record");
  const startTime = startOf(record);
  const startMs = startTime === undefined ? Number.NaN : Date.parse(startTime);
  if (startTime === undefined || Number.isNaN(startMs))
    throw new UnreadableAnswerError(endpoint, `a valid contactStartDate for contact ${id}`);
  const campaignId = text(record.skillId) ?? "";
  const durationSeconds = num(record.totalDurationSeconds);
  const endTime = durationSeconds === undefined ? undefined : isoString(startMs + durationSeconds * 1000);
  const dispositionCode = dispositionIdOf(record.primaryDispositionId);
  const dispositionName = nameOf?.(dispositionCode);
  const reasonCodeId = dispositionIdOf(record.secondaryDispositionId);
  const tags = tagNamesOf(record.tags);
  const callerId = callerIdOf(record);
  const agentId = text(record.agentId);
  // One record shape on both platforms: the seed API's casing, and a contact id (CXone's master
  // contact groups the legs of one interaction; a lone leg is its own master).
  const contactId = text(record.masterContactId) ?? id;
  const phoneNumber = text(pick(record, "toAddress", "toAddr"));
  const dispositionUpdatedAt = text(record.lastUpdateTime);
  // The values of RAW_FIELDS, in its order.
  const { build, clashing } = rawBuilders.of(record);
  const raw = build(
    record,
    id,
    campaignId,
    startTime,
    endTime ?? null,
    durationSeconds ?? null,
    dispositionCode ?? null,
    reasonCodeId ?? null,
    agentId ?? null,
    contactId,
    phoneNumber ?? null,
    "OUTBOUND",
    tags,
    text(record.dispositionNotes) ?? null,
    dispositionUpdatedAt ?? null,
    // `fromAddress` itself stays in `extra` as sent (exports before issue 66 carried it there).
    callerId ?? null,
    // The platform's campaign is a reporting group of skills; the domain's campaign is the skill.
    record.campaignId ?? null,
  );
  for (const key of clashing) raw[clashingName(key)] = record[key];
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
    ...(agentId !== undefined ? { agentId } : {}),
    contactId,
    ...(phoneNumber !== undefined ? { phoneNumber } : {}),
    direction: "OUTBOUND",
    ...(dispositionUpdatedAt !== undefined ? { dispositionUpdatedAt } : {}),
    ...(callerId !== undefined ? { callerId } : {}),
    // How the call went (`endReason`, `abandoned`, `attestation`, `safeHarborMessage`…), modelled.
    ...callDetailsOf(record),
    raw,
  };
}
