import { ConflictError, CxoneError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import type { ListAttempt, ListsPort, TimedListRecord, TimedListRequest } from "../ports/lists.ts";
import type { ProductionApi } from "./api.ts";
import { e164Of } from "./call-lists.ts";
import { findUploadJob, startListUpload, waitForListUpload } from "./list-upload.ts";
import { allItems } from "./paging.ts";
import { cxoneListZoneName } from "./time-zones.ts";
import { bool, listOf, type Raw, text } from "./tolerant.ts";

/**
 * Issue 55 §3 on the production API: a plan handed to the dialer as a calling list whose
 * records carry their time. The list is created with the column mapping query GEN's
 * AdminListsService names (`externalIdColumn`, `callRequestTimeColumn`, `callRequestStaleColumn`,
 * `scoreColumn`, and issue 62 §3's `timeZoneColumn` and — when a record has a ZIP code —
 * `zipColumn`, so that CXone's own calling windows apply to each record), the records uploaded (list-upload.ts) to the campaign's skill, the job polled.
 * FULL's contact records carry `callRequestTime` (string) and `callRequestStaleMins` (number):
 * the stale column is in minutes. Not public: the time format the upload parses (we send ISO
 * 8601 with the offset, as the plan has it) and whether a stale request is skipped or dialled
 * as an ordinary record (the emulator skips it; docs/platforms.md).
 *
 * Runs again safely: the list is found by its name (a name is unique in a business unit), and
 * an upload an earlier run sent is found in the jobs listing and waited for, never sent twice.
 */
const COLUMNS = {
  externalId: "ExternalId",
  phone: "PhoneNumber",
  callAt: "CallRequestTime",
  stale: "CallRequestStale",
  score: "Score",
  timeZone: "TimeZone",
  zip: "Zip",
} as const;

/** Records per removal request. */
const REMOVE_BATCH = 1000;

const s = (signal?: AbortSignal) => (signal ? { signal } : {});

/** NANP numbers go in as their ten digits (as CXone lists carry them); others keep theirs. */
const listPhone = (e164: string) => (e164.startsWith("+1") ? e164.slice(2) : e164.replace(/^\+/, ""));

/** Whether the list gets a ZIP column: only when some record has a ZIP code. */
const withZip = (records: readonly TimedListRecord[]) => records.some((r) => r.zip !== undefined);

async function recordsCsv(records: readonly TimedListRecord[]): Promise<string> {
  const { csvText } = await import("../../core/csv-cell.ts");
  const zip = withZip(records);
  // Read by CXone, not a spreadsheet: the cells go as they are (a quote would join the record's id).
  return csvText(
    records.map((r) => [
      r.externalId,
      listPhone(r.phone),
      r.callAt,
      String(r.staleMinutes),
      String(r.score),
      // CXone names zones its own way ("Eastern Standard Time"); none known: left to its default.
      cxoneListZoneName(r.timeZone) ?? "",
      ...(zip ? [r.zip ?? ""] : []),
    ]),
    {
      header: true,
      columns: [
        COLUMNS.externalId,
        COLUMNS.phone,
        COLUMNS.callAt,
        COLUMNS.stale,
        COLUMNS.score,
        COLUMNS.timeZone,
        ...(zip ? [COLUMNS.zip] : []),
      ],
      recordDelimiter: "windows",
      formulas: "keep",
    },
  );
}

async function findListByName(
  api: ProductionApi,
  name: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const lists = await allItems(api, {
    path: "/lists/call-lists",
    endpoint: "GET /lists/call-lists",
    group: "campaigns",
    key: "callingLists",
    signal,
  });
  const found = lists.find((l) => (text(l.listName) ?? "").toLowerCase() === name.toLowerCase());
  return text(found?.listId);
}

async function createTimedList(
  api: ProductionApi,
  name: string,
  zip: boolean,
  signal?: AbortSignal,
): Promise<string> {
  const created = await api.request({
    method: "POST",
    path: "/lists/call-lists",
    endpoint: "POST /lists/call-lists",
    group: "campaigns",
    query: {
      listName: name,
      externalIdColumn: COLUMNS.externalId,
      callRequestTimeColumn: COLUMNS.callAt,
      callRequestStaleColumn: COLUMNS.stale,
      scoreColumn: COLUMNS.score,
      timeZoneColumn: COLUMNS.timeZone,
      ...(zip ? { zipColumn: COLUMNS.zip } : {}),
    },
    body: { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: COLUMNS.phone }] },
    ...s(signal),
  });
  const listId = text((created.body as { listId?: unknown } | undefined)?.listId);
  if (!listId) throw new CxoneError("POST /lists/call-lists: no listId in the answer");
  return listId;
}

function attemptOf(raw: Raw): ListAttempt {
  const phone = text(raw.formattedPhone);
  return {
    recordId: text(raw.externalId) ?? "",
    phone: phone ? e164Of(phone) : "",
    at: text(raw.dateOfCall) ?? "",
    requestedAt: text(raw.callRequestDate),
    outcome: text(raw.systemClassName),
    disposition: text(raw.agentDispDesc),
    agentId: text(raw.agentId),
    contactId: text(raw.contactId),
    deliveredAsCallback: bool(raw.deliveredAsCallback ?? raw.icDeliveredAsCallback),
  };
}

export function productionLists(api: ProductionApi): ListsPort {
  return {
    async pushTimed(request: TimedListRequest, signal?: AbortSignal) {
      const existing = await findListByName(api, request.listName, signal);
      if (existing !== undefined && request.adopt !== true)
        throw new ConflictError(
          `a calling list named "${request.listName}" already exists (list ${existing}) and this push did not make it: choose another list name`,
          { status: 409, body: { error: "list_exists" } },
        );
      const listId =
        existing ?? (await createTimedList(api, request.listName, withZip(request.records), signal));
      const earlierJob = existing ? await findUploadJob(api, listId, signal) : undefined;
      const jobId =
        earlierJob ??
        (await startListUpload(
          api,
          listId,
          {
            csv: await recordsCsv(request.records),
            fileName: `${request.listName}.csv`,
            skillId: request.campaignId,
            expirationDate: request.expiresAt,
          },
          signal,
        ));
      await waitForListUpload(api, jobId, signal);
      return {
        listId,
        listName: request.listName,
        jobId,
        created: existing === undefined,
        uploaded: earlierJob === undefined,
        records: request.records.length,
      };
    },

    async removeRecords(request, signal) {
      const removed: string[] = [];
      const failed: Array<{ externalId: string; reason: string }> = [];
      const endpoint = "DELETE /lists/call-lists/{sourceName}/removeProspects";
      for (let i = 0; i < request.externalIds.length; i += REMOVE_BATCH) {
        const part = request.externalIds.slice(i, i + REMOVE_BATCH);
        const answer = await api.request({
          method: "DELETE",
          path: pathOf`/lists/call-lists/${request.listName}/removeProspects`,
          endpoint,
          group: "campaigns",
          body: { prospectsToRemove: part.map((externalId) => ({ externalId })) },
          ...s(signal),
        });
        const body = answer.body as Raw | undefined;
        // A compliance path (round 7): an answer without its two lists is not read as "removed".
        if (!body || !Array.isArray(body.successfulRecords) || !Array.isArray(body.failedRecords))
          throw new CxoneError(`${endpoint}: the answer has no successfulRecords/failedRecords lists`, {
            endpoint,
          });
        const idOf = (item: unknown) =>
          typeof item === "string" || typeof item === "number"
            ? String(item)
            : text((item as Raw | null)?.externalId);
        for (const item of body.successfulRecords as unknown[]) {
          const id = idOf(item);
          if (id !== undefined) removed.push(id);
        }
        for (const item of body.failedRecords as unknown[]) {
          const id = idOf(item);
          if (id !== undefined)
            failed.push({ externalId: id, reason: text((item as Raw | null)?.error) ?? "not removed" });
        }
      }
      return { removed, failed };
    },

    async attempts(listId, signal) {
      const answer = await api.request({
        method: "GET",
        path: pathOf`/lists/call-lists/${listId}/attempts`,
        endpoint: "GET /lists/call-lists/{listId}/attempts",
        group: "campaigns",
        ...s(signal),
      });
      return listOf(answer.body, "contactAttempts").map(attemptOf);
    },
  };
}
