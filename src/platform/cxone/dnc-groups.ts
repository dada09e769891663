import { NotFoundError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { UnreadableAnswerError } from "../errors.ts";
import type {
  DncAddResult,
  DncGroup,
  DncGroupHit,
  DncGroupRecord,
  DncGroupsPort,
} from "../ports/dnc-groups.ts";
import { listIn, oneIn } from "./answer-shapes.ts";
import type { ProductionApi } from "./api.ts";
import { refusedInBatch } from "./batch-answer.ts";
import { e164Of, wirePhoneOf } from "./call-lists.ts";
import { allItems, skipTopPages } from "./paging.ts";
import { bool, num, pick, type Raw, text, utc } from "./tolerant.ts";

/**
 * The tenant's DNC groups (reference §4.4, GEN's AdminDncGroupsService). Numbers are E.164 on our
 * side and ten digits on the wire for NANP (as CXone's lists carry them). They share the
 * `campaigns` rate group (admin reads and writes of the business unit), so a sync never starves
 * tagging; a large group is read 100 records a request (the admin lists' page).
 *
 * Every read here can allow a dial, so each reads every documented shape and nothing else
 * (issue 75 §1, answer-shapes.ts): the group listing and one group in `resultSet` or flat
 * (`resultSet.dncGroups[0]` for one group, calljacob and DZ), records under `dncRecords`
 * (calljacob, DZ) or `dncGroupRecords` (cxo's first reading), inside `resultSet` or not. An
 * answer in none of them, a group without an id, a record or hit without a number, is an
 * UnreadableAnswerError naming the route — never an empty group. Values stay tolerant:
 * `isActive` as a boolean or "True", a number as `phoneNumber` or only `formattedPhone`.
 */
const GROUP_ID = ["dncGroupId", "groupId", "id"];
const RECORD_KEYS = ["dncRecords", "dncGroupRecords"];
const s = (signal?: AbortSignal) => (signal ? { signal } : {});

/** Records per POST: well under what a request body should carry, and a small retry. */
const ADD_BATCH = 1000;

function groupOf(raw: Raw, scrubbedSkillIds: string[], route: string): DncGroup {
  const groupId = text(pick(raw, ...GROUP_ID));
  if (groupId === undefined) throw new UnreadableAnswerError(route, "a dncGroupId on every group");
  return {
    groupId,
    name: text(pick(raw, "dncGroupName", "groupName", "name")) ?? `DNC group ${groupId}`,
    // An unreadable flag counts as active: refusing a number wrongly is the safe mistake.
    active: bool(raw.isActive) ?? true,
    scrubbedSkillIds,
    // The live records (`validRecords`), else the total: what a complete copy reads at least.
    records: num(pick(raw, "validRecords", "totalRecords")),
  };
}

/** A record's or hit's number in E.164 (`phoneNumber`, else the display form `formattedPhone`). */
function phoneOf(raw: Raw): string | undefined {
  const phone = text(pick(raw, "phoneNumber", "formattedPhone", "phone"));
  return phone === undefined ? undefined : e164Of(phone);
}

function expiryOf(raw: Raw): string | undefined {
  const value = text(pick(raw, "expiredDate", "expirationDate"));
  return value === undefined || Number.isNaN(Date.parse(value)) ? undefined : utc(value);
}

async function scrubbedSkillsOf(
  api: ProductionApi,
  groupId: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const response = await api.request({
    method: "GET",
    path: pathOf`/dnc-groups/${groupId}/scrubbed-skills`,
    endpoint: "GET /dnc-groups/{groupId}/scrubbed-skills",
    group: "campaigns",
    ...s(signal),
  });
  const route = "GET /dnc-groups/{groupId}/scrubbed-skills";
  const { items } = listIn(response, route, ["scrubbedSkills", "skills"]);
  return [
    ...new Set(
      items.map((item) => {
        const id = text(pick(item, "skillId", "id"));
        if (id === undefined) throw new UnreadableAnswerError(route, "a skillId on every scrubbed skill");
        return id;
      }),
    ),
  ];
}

export function productionDncGroups(api: ProductionApi): DncGroupsPort {
  return {
    async list(signal) {
      const raws = await allItems(api, {
        path: "/dnc-groups",
        endpoint: "GET /dnc-groups",
        group: "campaigns",
        key: "dncGroups",
        strict: { keys: ["dncGroups"] },
        signal,
      });
      const groups: DncGroup[] = [];
      for (const raw of raws) {
        if (bool(raw.isRemoved) === true) continue;
        const groupId = text(pick(raw, ...GROUP_ID));
        if (groupId === undefined)
          throw new UnreadableAnswerError("GET /dnc-groups", "a dncGroupId on every group");
        groups.push(groupOf(raw, await scrubbedSkillsOf(api, groupId, signal), "GET /dnc-groups"));
      }
      return groups;
    },

    group: (groupId, signal) => readGroup(api, groupId, signal),

    async *records(groupId, signal) {
      for await (const page of skipTopPages(api, {
        path: pathOf`/dnc-groups/${groupId}/records`,
        endpoint: "GET /dnc-groups/{groupId}/records",
        group: "campaigns",
        key: "dncRecords",
        strict: { keys: RECORD_KEYS },
        signal,
      })) {
        for (const raw of page) {
          const phone = phoneOf(raw);
          if (phone === undefined)
            throw new UnreadableAnswerError(
              "GET /dnc-groups/{groupId}/records",
              "a phoneNumber (or formattedPhone) on every record",
            );
          yield { phone, expiresAt: expiryOf(raw) } satisfies DncGroupRecord;
        }
      }
    },

    async search(phone, signal) {
      const response = await api.request({
        method: "POST",
        path: "/dnc-groups/search",
        endpoint: "POST /dnc-groups/search",
        group: "campaigns",
        query: { phoneNumber: wirePhoneOf(phone) },
        // A search changes nothing: safe to retry like a read.
        idempotencyKey: true,
        ...s(signal),
      });
      const route = "POST /dnc-groups/search";
      return listIn(response, route, ["searchResults"]).items.map((raw): DncGroupHit => {
        const groupId = text(pick(raw, "dncGroupId", "groupId"));
        // A hit whose group cannot be told blocks: the number IS in some DNC group.
        if (groupId === undefined)
          throw new UnreadableAnswerError(route, "a dncGroupId on every search result");
        return {
          groupId,
          groupName: text(pick(raw, "dncGroupName", "groupName")) ?? `DNC group ${groupId}`,
          phone: phoneOf(raw) ?? phone,
          expiresAt: expiryOf(raw),
        };
      });
    },

    addRecords: (groupId, records, signal) => addRecordBatches(api, groupId, records, signal),

    async create(name, description, signal) {
      const route = "POST /dnc-groups";
      const response = await api.request({
        method: "POST",
        path: "/dnc-groups",
        endpoint: route,
        group: "campaigns",
        body: { dncGroupName: name, dncGroupDescription: description },
        // Not retried blindly: a lost answer is found again by name (consent/skill-groups.ts).
        ...s(signal),
      });
      return groupOf(oneIn(response, route, ["dncGroups", "dncGroup"], GROUP_ID), [], route);
    },

    async scrubSkill(groupId, skillId, signal) {
      await api.request({
        method: "POST",
        path: pathOf`/dnc-groups/${groupId}/scrubbed-skills/${skillId}`,
        endpoint: "POST /dnc-groups/{groupId}/scrubbed-skills/{skillId}",
        group: "campaigns",
        // Linking a skill the group already scrubs changes nothing.
        idempotencyKey: true,
        ...s(signal),
      });
    },
  };
}

/**
 * `POST …/records` ADD_BATCH numbers at a time. The answer is read record by record
 * (batch-answer.ts): a number CXone refused — `success: false` or an error on its item, inside
 * `resultSet` or not, or an `errorCount` its items do not account for — is answered as refused,
 * never as added.
 */
async function addRecordBatches(
  api: ProductionApi,
  groupId: string,
  records: readonly DncGroupRecord[],
  signal?: AbortSignal,
): Promise<DncAddResult> {
  const refused: DncAddResult["refused"] = [];
  for (let i = 0; i < records.length; i += ADD_BATCH) {
    const batch = records.slice(i, i + ADD_BATCH);
    const response = await api.request({
      method: "POST",
      path: pathOf`/dnc-groups/${groupId}/records`,
      endpoint: "POST /dnc-groups/{groupId}/records",
      group: "campaigns",
      body: {
        dncGroupRecords: batch.map((r) => ({
          phoneNumber: wirePhoneOf(r.phone),
          ...(r.expiresAt ? { expiredDate: utc(r.expiresAt) } : {}),
        })),
      },
      // Re-adding a number the group holds leaves it once: a repeated batch changes nothing.
      idempotencyKey: true,
      ...s(signal),
    });
    const verdict = refusedInBatch(
      batch.map((r) => r.phone),
      response.body,
      { items: "recordResults", keyOf: phoneOf },
    );
    for (const [phone, reason] of verdict) refused.push({ phone, reason });
  }
  return { refused };
}

/**
 * One group, for a live check of the groups a search named. A group that cannot be read (404,
 * or a 204 with nothing) is not "no group": the number IS in a DNC group whose scrubbed skills
 * cxo cannot tell, so the check fails rather than drops the hit (a compliance read that cannot
 * be understood blocks). Only a group CXone shows removed is none.
 */
async function readGroup(
  api: ProductionApi,
  groupId: string,
  signal?: AbortSignal,
): Promise<DncGroup | undefined> {
  const route = "GET /dnc-groups/{groupId}";
  const unreadable = (status: number, body?: unknown) =>
    new UnreadableAnswerError(route, `DNC group ${groupId}, which a search named`, { status, body });
  const response = await api
    .request({
      method: "GET",
      path: pathOf`/dnc-groups/${groupId}`,
      endpoint: route,
      group: "campaigns",
      ...s(signal),
    })
    .catch((error: unknown) => {
      if (error instanceof NotFoundError) throw unreadable(404, error.body);
      throw error;
    });
  if (response.status === 204) throw unreadable(204);
  const raw = oneIn(response, route, ["dncGroups", "dncGroup"], GROUP_ID);
  if (bool(raw.isRemoved) === true) return undefined;
  return groupOf(raw, await scrubbedSkillsOf(api, groupId, signal), route);
}
