import { CxoneError, NotFoundError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import type { DncGroup, DncGroupHit, DncGroupRecord, DncGroupsPort } from "../ports/dnc-groups.ts";
import type { ProductionApi } from "./api.ts";
import { e164Of, wirePhoneOf } from "./call-lists.ts";
import { allItems, skipTopPages } from "./paging.ts";
import { bool, listOf, num, pick, type Raw, singleOf, text, utc } from "./tolerant.ts";

/**
 * The tenant's DNC groups (reference §4.4, GEN's AdminDncGroupsService). Numbers are E.164 on our
 * side and ten digits on the wire for NANP (as CXone's lists carry them). The shapes read are
 * the documented ones, tolerantly: the group listing in `resultSet` or flat, `isActive` as a
 * boolean or "True", a record's number as `phoneNumber` or only `formattedPhone`. They share the
 * `campaigns` rate group (admin reads and writes of the business unit), so a sync never starves
 * tagging; a large group is read 100 records a request (the admin lists' page).
 */
const s = (signal?: AbortSignal) => (signal ? { signal } : {});

/** Records per POST: well under what a request body should carry, and a small retry. */
const ADD_BATCH = 1000;

function groupOf(raw: Raw, scrubbedSkillIds: string[]): DncGroup | undefined {
  const groupId = text(pick(raw, "dncGroupId", "groupId", "id"));
  if (groupId === undefined) return undefined;
  return {
    groupId,
    name: text(pick(raw, "dncGroupName", "groupName", "name")) ?? `DNC group ${groupId}`,
    // An unreadable flag counts as active: refusing a number wrongly is the safe mistake.
    active: bool(raw.isActive) ?? true,
    scrubbedSkillIds,
    records: num(pick(raw, "validRecords", "totalRecords")) ?? 0,
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
  if (response.status === 204) return [];
  const items = [...listOf(response.body, "scrubbedSkills"), ...listOf(response.body, "skills")];
  return [...new Set(items.flatMap((item) => text(pick(item, "skillId", "id")) ?? []))];
}

export function productionDncGroups(api: ProductionApi): DncGroupsPort {
  return {
    async list(signal) {
      const raws = await allItems(api, {
        path: "/dnc-groups",
        endpoint: "GET /dnc-groups",
        group: "campaigns",
        key: "dncGroups",
        signal,
      });
      const groups: DncGroup[] = [];
      for (const raw of raws) {
        if (bool(raw.isRemoved) === true) continue;
        const groupId = text(pick(raw, "dncGroupId", "groupId", "id"));
        if (groupId === undefined) {
          api.fallback("GET /dnc-groups", "a group without dncGroupId");
          continue;
        }
        const group = groupOf(raw, await scrubbedSkillsOf(api, groupId, signal));
        if (group) groups.push(group);
      }
      return groups;
    },

    async group(groupId, signal) {
      const response = await api
        .request({
          method: "GET",
          path: pathOf`/dnc-groups/${groupId}`,
          endpoint: "GET /dnc-groups/{groupId}",
          group: "campaigns",
          ...s(signal),
        })
        .catch((error: unknown) => {
          // A group the search named and that is gone since: no group, as the port says.
          if (error instanceof NotFoundError) return undefined;
          throw error;
        });
      if (response === undefined) return undefined;
      if (response.status === 204) return undefined;
      const raw = singleOf(
        response.body,
        ["dncGroups", "dncGroup", "resultSet"],
        "GET /dnc-groups/{groupId}",
      );
      if (bool(raw.isRemoved) === true) return undefined;
      return groupOf(raw, await scrubbedSkillsOf(api, groupId, signal));
    },

    async *records(groupId, signal) {
      for await (const page of skipTopPages(api, {
        path: pathOf`/dnc-groups/${groupId}/records`,
        endpoint: "GET /dnc-groups/{groupId}/records",
        group: "campaigns",
        key: "dncGroupRecords",
        signal,
      })) {
        for (const raw of page) {
          const phone = phoneOf(raw);
          if (phone === undefined) {
            api.fallback("GET /dnc-groups/{groupId}/records", "a record without a number");
            continue;
          }
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
      if (response.status === 204) return [];
      return listOf(response.body, "searchResults").flatMap((raw): DncGroupHit[] => {
        const groupId = text(pick(raw, "dncGroupId", "groupId"));
        if (groupId === undefined) return [];
        return [
          {
            groupId,
            groupName: text(pick(raw, "dncGroupName", "groupName")) ?? `DNC group ${groupId}`,
            phone: phoneOf(raw) ?? phone,
            expiresAt: expiryOf(raw),
          },
        ];
      });
    },

    addRecords: (groupId, records, signal) => addRecordBatches(api, groupId, records, signal),
  };
}

/** `POST …/records` ADD_BATCH numbers at a time; an item CXone refuses fails the call, naming it. */
async function addRecordBatches(
  api: ProductionApi,
  groupId: string,
  records: readonly DncGroupRecord[],
  signal?: AbortSignal,
): Promise<void> {
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
    const failed = listOf(response.body, "recordResults").filter((r) => bool(r.success) === false);
    if (failed.length > 0 || (num((response.body as Raw | undefined)?.errorCount) ?? 0) > 0)
      throw new CxoneError(
        `POST /dnc-groups/{groupId}/records: CXone refused ${failed.length || "some"} of ${batch.length} number(s) for DNC group ${groupId}${failed[0] ? ` (first: ${text(failed[0].formattedPhone) ?? "?"}: ${text(failed[0].error) ?? "no reason given"})` : ""}`,
        { endpoint: "POST /dnc-groups/{groupId}/records", status: response.status, body: response.body },
      );
  }
}
