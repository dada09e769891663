import { pathOf } from "../../../core/http/http-client.ts";
import type { DoctorEvidence } from "../../ports/doctor.ts";
import { isObject, listOf, pick, text } from "../tolerant.ts";
import { evidenceOf, ok } from "./probe-call.ts";
import { get, type Observation, type ReadContext, seen, type TenantInfo, untold } from "./read-context.ts";

/**
 * The facts `cxo why` (issue 65) depends on that no public source settles, read from the tenant
 * without writing (docs/campaigns.md, "What the public record does not show"):
 * - `listRecordExpiry`: whether a call-list download shows each record's `expirationDate`;
 * - `attemptsFinalized`: what `finalized=true|false` keeps on `GET …/attempts`;
 * - `scheduleTimeZone`: the zone a skill's weekly schedule names, where its block shows one;
 * - `attemptsDeliveredAsCallback`: whether a dial says how CXone delivered it (issue 76).
 * Each says "untold" with the reason when the tenant's data cannot tell (no records, no
 * finalised record dialled twice, no schedule), never a guess.
 */
export async function probeWhyFacts(ctx: ReadContext, info: TenantInfo): Promise<Observation[]> {
  const lists = await get(ctx, "/lists/call-lists", "GET /lists/call-lists", { top: 100 });
  const listIds = listOf(lists.body, "callingLists")
    .flatMap((l) => text(l.listId) ?? [])
    .slice(0, 3);
  const evidence = [evidenceOf(lists, ok(lists) ? { callingLists: listIds.length } : undefined)];
  return [
    await probeExpiry(ctx, listIds, [...evidence]),
    ...(await probeFinalized(ctx, listIds, [...evidence])),
    await probeScheduleZone(ctx, info),
  ];
}

async function probeExpiry(ctx: ReadContext, listIds: string[], evidence: DoctorEvidence[]) {
  for (const listId of listIds) {
    const download = await get(ctx, pathOf`/lists/call-lists/${listId}`, "GET /lists/call-lists/{listId}", {
      includeRecords: true,
    });
    const set = isObject(download.body) && isObject(download.body.resultSet) ? download.body.resultSet : {};
    const records = listOf(set, "contactRecords");
    // Every API upload carries an expirationDate (it is required), so a record without one is a hidden one.
    const shown = records.filter((r) => pick(r, "expirationDate", "ExpirationDate") !== undefined).length;
    evidence.push(evidenceOf(download, { records: records.length, withExpirationDate: shown }));
    if (records.length > 0) return seen("listRecordExpiry", shown > 0 ? "shown" : "hidden", evidence);
  }
  return untold("listRecordExpiry", "no calling list with records among the first three", evidence);
}

async function probeFinalized(ctx: ReadContext, listIds: string[], evidence: DoctorEvidence[]) {
  const read = async (listId: string, finalized?: boolean) => {
    const answer = await get(
      ctx,
      pathOf`/lists/call-lists/${listId}/attempts`,
      "GET /lists/call-lists/{listId}/attempts",
      finalized === undefined ? {} : { finalized },
    );
    const set = isObject(answer.body) && isObject(answer.body.resultSet) ? answer.body.resultSet : {};
    const attempts = listOf(set, "contactAttempts");
    const ids = attempts.map((a) => text(pick(a, "externalId", "ExternalId")) ?? "");
    return { answer, ids, attempts };
  };
  let delivered: Observation | undefined;
  let finalized: Observation | undefined;
  for (const listId of listIds) {
    const all = await read(listId);
    if (all.ids.length === 0) continue;
    // Issue 76 §3: whether a dialled record says how CXone delivered it (a push is checked by it).
    const shown = all.attempts.filter(
      (a) => pick(a, "deliveredAsCallback", "DeliveredAsCallback") !== undefined,
    );
    delivered ??= seen("attemptsDeliveredAsCallback", shown.length > 0 ? "shown" : "hidden", [
      evidenceOf(all.answer, { attempts: all.attempts.length, withDeliveredAsCallback: shown.length }),
    ]);
    const [yes, no] = [await read(listId, true), await read(listId, false)];
    const counts = { all: all.ids.length, finalizedTrue: yes.ids.length, finalizedFalse: no.ids.length };
    evidence.push(evidenceOf(yes.answer, counts));
    const told = tellFinalized(all.ids, yes.ids, no.ids);
    if (told) {
      finalized = seen("attemptsFinalized", told, evidence);
      break;
    }
  }
  return [
    finalized ??
      untold(
        "attemptsFinalized",
        "no list among the first three has a finalised record dialled more than once, so the two readings agree",
        evidence,
      ),
    delivered ??
      untold("attemptsDeliveredAsCallback", "no list among the first three has been dialled", [...evidence]),
  ];
}

/**
 * `ignored`: both answers are the whole listing. `attempts`: a record has attempts on both sides
 * (only its finalising attempt counts as final). `records`: a finalised record dialled more than
 * once has all its attempts on the `true` side. Otherwise the data cannot tell.
 */
export function tellFinalized(
  all: string[],
  yes: string[],
  no: string[],
): "records" | "attempts" | "ignored" | undefined {
  if (yes.length === all.length && no.length === all.length) return "ignored";
  const noSet = new Set(no);
  if (yes.some((id) => noSet.has(id))) return "attempts";
  const dials = new Map<string, number>();
  for (const id of all) dials.set(id, (dials.get(id) ?? 0) + 1);
  return yes.some((id) => (dials.get(id) ?? 0) > 1) ? "records" : undefined;
}

async function probeScheduleZone(ctx: ReadContext, info: TenantInfo): Promise<Observation> {
  const assumed = info.timeZone ?? "the business unit's zone";
  if (!info.skillId) return untold("scheduleTimeZone", "no Personal Connection skill on this tenant");
  const block = await get(
    ctx,
    pathOf`/skills/${info.skillId}/parameters/schedule-settings`,
    "GET /skills/{skillId}/parameters/schedule-settings",
  );
  const body = isObject(block.body) ? block.body : {};
  const zone = text(pick(body, "timeZone", "TimeZone", "timeZoneName"));
  const evidence = [evidenceOf(block, { keys: Object.keys(body) })];
  if (!ok(block)) return untold("scheduleTimeZone", `the schedule block answered ${block.status}`, evidence);
  return zone
    ? seen("scheduleTimeZone", zone, evidence)
    : untold(
        "scheduleTimeZone",
        `the schedule block names no zone: cxo why reads its times in ${assumed}, which CXone does not document; record the zone your tenant uses in the profile (facts.scheduleTimeZone) if it is another`,
        evidence,
      );
}
