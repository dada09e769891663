import { pathOf } from "../../../core/http/http-client.ts";
import { isObject, listOf, pick, type Raw, text } from "../tolerant.ts";
import { evidenceOf, ok } from "./probe-call.ts";
import { get, type Observation, type ReadContext, seen, untold } from "./read-context.ts";

/**
 * Issue 75 §4: the answer shapes the public sources disagree on, as this tenant sends them. The
 * adapter reads every documented shape either way (answer-shapes.ts); the profile records which
 * one the tenant uses, so the production emulator can serve it (`--profile`) and a team sees a
 * shape nobody documented before a sync or a check depends on it. Read-only; the evidence shows
 * key names and counts only (never a number or a name).
 */

/** Where an answer holds its list or object: `resultSet` (either casing) or the top. */
function containerOf(body: unknown): { where: "resultSet" | "flat"; value: Raw } | undefined {
  if (!isObject(body)) return undefined;
  if (isObject(body.resultSet)) return { where: "resultSet", value: body.resultSet };
  if (isObject(body.resultset)) return { where: "resultSet", value: body.resultset };
  return { where: "flat", value: body };
}

const keysOf = (body: unknown) => {
  const c = containerOf(body);
  return c ? { where: c.where, keys: Object.keys(c.value).slice(0, 12) } : { where: null, keys: [] };
};

/**
 * DNC groups: the envelope of `GET /dnc-groups/{id}` (`resultSet` as calljacob and DZ show it, or
 * `flat`) and the key of its records' array (`dncRecords` or `dncGroupRecords`), read on the
 * first groups of the listing (a group with no record tells the key apart only by its 204).
 */
export async function probeDncShapes(ctx: ReadContext): Promise<Observation[]> {
  const listing = await get(ctx, "/dnc-groups", "GET /dnc-groups", { top: 100, skip: 0 });
  const groups = listOf(listing.body, "dncGroups");
  const evidence = [evidenceOf(listing, ok(listing) ? { dncGroups: groups.length } : undefined)];
  if (!ok(listing) || groups.length === 0) {
    const why = ok(listing)
      ? "the business unit has no DNC group"
      : `GET /dnc-groups answered ${listing.status}`;
    return [untold("dncEnvelope", why, evidence), untold("dncRecordsKey", why, evidence)];
  }
  const out: Observation[] = [];
  const first = text(pick(groups[0] as Raw, "dncGroupId", "groupId", "id"));
  if (first === undefined)
    out.push(untold("dncEnvelope", "the listing's first group has no dncGroupId", evidence));
  else {
    const one = await get(ctx, pathOf`/dnc-groups/${first}`, "GET /dnc-groups/{groupId}");
    const shape = keysOf(one.body);
    const holds = (value: Raw | undefined) => value !== undefined && "dncGroups" in value;
    const envelope = !ok(one)
      ? null
      : isObject(one.body) && holds(isObject(one.body.resultSet) ? one.body.resultSet : undefined)
        ? "resultSet"
        : isObject(one.body) && holds(one.body)
          ? "flat"
          : null;
    out.push(
      envelope === null && ok(one)
        ? untold("dncEnvelope", "GET /dnc-groups/{groupId} answered in neither documented envelope", [
            ...evidence,
            evidenceOf(one, shape),
          ])
        : seen("dncEnvelope", envelope, [...evidence, evidenceOf(one, shape)]),
    );
  }
  const recordEvidence = [...evidence];
  for (const group of groups.slice(0, 3)) {
    const groupId = text(pick(group, "dncGroupId", "groupId", "id"));
    if (groupId === undefined) continue;
    const records = await get(
      ctx,
      pathOf`/dnc-groups/${groupId}/records`,
      "GET /dnc-groups/{groupId}/records",
      {
        skip: 0,
        top: 1,
      },
    );
    const shape = keysOf(records.body);
    recordEvidence.push(evidenceOf(records, ok(records) && records.status !== 204 ? shape : undefined));
    if (!ok(records) || records.status === 204) continue;
    const container = containerOf(records.body)?.value ?? {};
    const key = Array.isArray(container.dncRecords)
      ? "dncRecords"
      : Array.isArray(container.dncGroupRecords)
        ? "dncGroupRecords"
        : undefined;
    if (key === undefined)
      return [
        ...out,
        untold(
          "dncRecordsKey",
          "the records answered under neither dncRecords nor dncGroupRecords",
          recordEvidence,
        ),
      ];
    return [...out, seen("dncRecordsKey", key, recordEvidence)];
  }
  return [...out, untold("dncRecordsKey", "no record in the first three DNC groups", recordEvidence)];
}

/** A downloaded call-list record's layout: `phoneNumber`/`customFields`, or `destinations[]`/`otherFields[]`. */
export function listRecordLayoutOf(record: Raw): "flat" | "destinations" | undefined {
  if (pick(record, "phoneNumber", "PhoneNumber") !== undefined) return "flat";
  if (Array.isArray(pick(record, "destinations", "Destinations"))) return "destinations";
  return undefined;
}

/** The key naming a `timeZoneSettings` row's zone in the combined parameters read. */
export function zoneNameKeyOf(parameters: unknown): "name" | "standardName" | "timeZone" | undefined {
  const rows = isObject(parameters) ? parameters.timeZoneSettings : undefined;
  const row = Array.isArray(rows) ? rows.find(isObject) : undefined;
  if (!row) return undefined;
  for (const key of ["name", "standardName", "timeZone"] as const) if (row[key] !== undefined) return key;
  return undefined;
}
