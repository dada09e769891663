import { DateTime } from "luxon";
import { ConflictError, CxoneError } from "../../core/http/errors.ts";
import { pathOf } from "../../core/http/http-client.ts";
import { zonedInstantText } from "../../core/instant-input.ts";
import type {
  ListAttempt,
  ListsPort,
  RetrySettings,
  TimedListRecord,
  TimedListRequest,
} from "../ports/lists.ts";
import { queryInstants } from "../query-instants.ts";
import type { ProductionApi } from "./api.ts";
import { removalVerdictOf } from "./batch-answer.ts";
import { downloadList, wirePhoneOf } from "./call-lists.ts";
import { listAttemptPages } from "./list-attempts.ts";
import { findUploadJob, startListUpload, waitForListUpload } from "./list-upload.ts";
import { allItems } from "./paging.ts";
import { checkReadBack, putParameterBlock, readParameterBlocks, wholeBlocks } from "./parameter-blocks.ts";
import { cxoneListZoneName } from "./time-zones.ts";
import { bool, idOfAnswer, isObject, num, pick, type Raw, text } from "./tolerant.ts";

/**
 * A plan handed to the dialer on the production API (issue 55 §3, reworked by issue 76 §3).
 * Planned attempts go in as ORDINARY records — predictive work CXone paces — never with a
 * call-request time: NICE's "Timed Call Requests" help page says a record with one is a
 * callback (confirmation-required, capped per skill at 50 per 15 minutes plus 100 per agent
 * logged in, an upload over the cap rejected whole). An ordinary record's timing is what PC
 * documents for records: an allowable time range of the day (NICE help "Set the Allowable Time
 * Range for Proactive Dialing or SMS Messaging": per record, applied once the record has a time
 * zone) holding the planned window in the record's zone, and a per-record expiration at the
 * window's end (the mapping's `expirationDateColumn`, NICE help "Upload Calling List: Field
 * Mapping Page"), so no retry outlives it. The range recurs daily, so the push sends only records
 * whose window opens within the next day (src/strategy/push-horizon.ts). Real callbacks (a row
 * marked `callback`) keep the call-request time and stale minutes (FULL's `callRequestTime`,
 * `callRequestStaleMins`).
 *
 * Not public, so settled per tenant by `cxo doctor` (fact `recordTimeRangeColumns`): the custom
 * fields' names for the range (default `AllowedStart`/`AllowedEnd`, `HH:mm` local to the
 * record's zone). The list is created with the mapping query GEN's AdminListsService names.
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
  expires: "ExpirationDate",
  zip: "Zip",
  /** Issue 100: every debt of a record whose number is listed for several (a custom field the agent sees). */
  debts: "Debts",
} as const;

/** The custom fields carrying a record's allowable time range (doctor fact `recordTimeRangeColumns`). */
export interface TimeRangeColumns {
  start: string;
  end: string;
}

export const DEFAULT_TIME_RANGE_COLUMNS: TimeRangeColumns = { start: "AllowedStart", end: "AllowedEnd" };

/** The range columns a doctor run recorded for this tenant, else the defaults. */
export function timeRangeColumnsOf(facts: Record<string, unknown>): TimeRangeColumns {
  const fact = facts.recordTimeRangeColumns as Partial<TimeRangeColumns> | undefined;
  return typeof fact?.start === "string" && typeof fact.end === "string" && fact.start !== fact.end
    ? { start: fact.start, end: fact.end }
    : DEFAULT_TIME_RANGE_COLUMNS;
}

/** Records per removal request. */
const REMOVE_BATCH = 1000;

const s = (signal?: AbortSignal) => (signal ? { signal } : {});

/** A skill's retry settings as read (the retry block, else general settings, which also hold them). */
function retryOf(parameters: Raw): RetrySettings {
  const block = (key: string) => (isObject(parameters[key]) ? (parameters[key] as Raw) : {});
  const retry = block("retrySettings");
  const general = block("generalSettings");
  return {
    maximumAttempts: num(retry.maximumAttempts ?? general.maximumAttempts),
    minimumRetryMinutes: num(retry.minimumRetryMinutes ?? general.minimumRetryMinutes),
    loadNonFresh: bool(retry.loadNonFresh ?? general.loadNonFresh),
  };
}

/**
 * The list's optional columns: a ZIP column only when some record has a ZIP code, call-request
 * columns only when some record is a real callback (a push sent in batches says for them all).
 */
function columnsOf(request: Pick<TimedListRequest, "records" | "columns">): {
  zip: boolean;
  callbacks: boolean;
  debts?: boolean | undefined;
} {
  return (
    request.columns ?? {
      zip: request.records.some((r) => r.zip !== undefined),
      callbacks: request.records.some((r) => r.callback === true),
      debts: request.records.some((r) => (r.debts?.length ?? 0) > 1),
    }
  );
}

/**
 * A record's `callAt` as RFC 3339 text, read by the one rule for a date-time with a zone: a
 * raw-port caller (`portOf`) meets it as the SDK's push does (which checks first); luxon alone
 * would take week and ordinal dates the rule refuses. Otherwise an InputError naming the record.
 */
function callAtOf(record: TimedListRecord): string {
  return (
    zonedInstantText(record.callAt) ??
    String(queryInstants({ [`record ${record.externalId}: callAt`]: record.callAt }))
  );
}

/**
 * An ordinary record's window as CXone can hold it: the local time range of the day in its zone
 * and the expiration at the window's end (ISO 8601 in the row's own offset). A window the range
 * cannot express (no zone, or one crossing local midnight) is refused here: sent, it would be
 * dialable at any hour until it expires.
 */
export function ordinaryTiming(record: TimedListRecord): { start: string; end: string; expires: string } {
  const from = DateTime.fromISO(callAtOf(record), { setZone: true });
  const until = from.plus({ minutes: record.staleMinutes });
  if (record.timeZone === "" || !from.isValid)
    throw new CxoneError(
      `record ${record.externalId}: no time zone, so CXone would not apply its time range (push refuses such records first)`,
    );
  const localFrom = from.setZone(record.timeZone);
  const localUntil = until.setZone(record.timeZone);
  if (!localFrom.hasSame(localUntil, "day") && !(localUntil.hour === 0 && localUntil.minute === 0))
    throw new CxoneError(
      `record ${record.externalId}: its window ${localFrom.toFormat("HH:mm")}–${localUntil.toFormat("HH:mm")} crosses local midnight in ${record.timeZone}: a time range of the day cannot hold it`,
    );
  return {
    start: localFrom.toFormat("HH:mm"),
    // A range ends on its minute: the window's last minute is still inside it.
    end: localUntil.hour === 0 && localUntil.minute === 0 ? "23:59" : localUntil.toFormat("HH:mm"),
    expires: until.toISO({ suppressMilliseconds: true }) ?? record.callAt,
  };
}

/**
 * The records as the upload's CSV file, made a slice at a time (issue 88 L13): a slice's cells
 * and text are garbage once its bytes are kept, so a large push holds the file's bytes, not
 * every record's row of strings beside them. The bytes are those one pass would write (each
 * slice ends with its record delimiter; the header is the first slice's).
 */
const CSV_SLICE = 10_000;

async function recordsCsv(
  records: readonly TimedListRecord[],
  range: TimeRangeColumns,
  { zip, callbacks, debts }: { zip: boolean; callbacks: boolean; debts?: boolean | undefined },
): Promise<Buffer> {
  const { csvText } = await import("../../core/csv-cell.ts");
  const columns = [
    COLUMNS.externalId,
    COLUMNS.phone,
    COLUMNS.score,
    COLUMNS.timeZone,
    COLUMNS.expires,
    range.start,
    range.end,
    ...(callbacks ? [COLUMNS.callAt, COLUMNS.stale] : []),
    ...(zip ? [COLUMNS.zip] : []),
    ...(debts ? [COLUMNS.debts] : []),
  ];
  // Records share their window's text (a plan's hours and zones are few): each worked out once
  // (luxon took a minute over a million records; issue 88 L13).
  const timings = new Map<string, ReturnType<typeof ordinaryTiming>>();
  const timingOf = (r: TimedListRecord) => {
    const key = `${r.callAt} ${r.staleMinutes} ${r.timeZone}`;
    let timing = timings.get(key);
    if (timing === undefined) {
      timing = ordinaryTiming(r);
      timings.set(key, timing);
    }
    return timing;
  };
  const cellsOf = (r: TimedListRecord) => {
    const timing = r.callback === true ? undefined : timingOf(r);
    return [
      r.externalId,
      // NANP as its ten digits; a UK number as 44 and its national digits (call-lists.ts).
      wirePhoneOf(r.phone),
      String(r.score),
      // CXone names zones its own way ("Eastern Standard Time"); none known: left to its default.
      cxoneListZoneName(r.timeZone) ?? "",
      timing?.expires ?? "",
      timing?.start ?? "",
      timing?.end ?? "",
      ...(callbacks
        ? [r.callback === true ? r.callAt : "", r.callback === true ? String(r.staleMinutes) : ""]
        : []),
      ...(zip ? [r.zip ?? ""] : []),
      ...(debts ? [(r.debts ?? []).join(";")] : []),
    ];
  };
  const parts: Buffer[] = [];
  for (let i = 0; i === 0 || i < records.length; i += CSV_SLICE)
    parts.push(
      Buffer.from(
        // Read by CXone, not a spreadsheet: the cells go as they are (a quote would join the record's id).
        csvText(records.slice(i, i + CSV_SLICE).map(cellsOf), {
          header: i === 0,
          columns,
          recordDelimiter: "windows",
          formulas: "keep",
        }),
      ),
    );
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
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
  columns: { zip: boolean; callbacks: boolean },
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
      scoreColumn: COLUMNS.score,
      timeZoneColumn: COLUMNS.timeZone,
      expirationDateColumn: COLUMNS.expires,
      ...(columns.callbacks
        ? { callRequestTimeColumn: COLUMNS.callAt, callRequestStaleColumn: COLUMNS.stale }
        : {}),
      ...(columns.zip ? { zipColumn: COLUMNS.zip } : {}),
    },
    body: { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: COLUMNS.phone }] },
    ...s(signal),
  });
  return idOfAnswer(created, "listId", "POST /lists/call-lists");
}

export function productionLists(api: ProductionApi, facts: Record<string, unknown> = {}): ListsPort {
  const range = timeRangeColumnsOf(facts);
  return {
    async pushTimed(request: TimedListRequest, signal?: AbortSignal) {
      // Every record's time checked before anything is sent (a list made, then refused, is left).
      for (const record of request.records) callAtOf(record);
      const existing = await findListByName(api, request.listName, signal);
      if (existing !== undefined && request.adopt !== true)
        throw new ConflictError(
          `a calling list named "${request.listName}" already exists (list ${existing}) and this push did not make it: choose another list name`,
          { status: 409, body: { error: "list_exists" } },
        );
      const columns = columnsOf(request);
      const listId = existing ?? (await createTimedList(api, request.listName, columns, signal));
      const earlierJob = existing ? await findUploadJob(api, listId, signal, request.knownJobs) : undefined;
      // Nothing to send (every record of a batch blocked since) and no earlier upload: no job.
      if (earlierJob === undefined && request.records.length === 0)
        return {
          listId,
          listName: request.listName,
          jobId: "",
          created: existing === undefined,
          uploaded: false,
          records: 0,
        };
      const jobId =
        earlierJob ??
        (await startListUpload(
          api,
          listId,
          {
            csv: await recordsCsv(request.records, range, columns),
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
        // Read per record (batch-answer.ts): an id not named as removed is not removed.
        const verdict = removalVerdictOf(part, answer.body, endpoint);
        removed.push(...verdict.removed);
        failed.push(...verdict.failed);
      }
      return failed.length === 0
        ? { removed, failed }
        : confirmOut(api, request.listId, removed, failed, signal);
    },

    async setRetrySettings(skillId, change, signal) {
      const endpoint = "PUT /skills/{skillId}/parameters/retry-settings";
      const read = await readParameterBlocks(api, skillId, "campaigns", ["retry-settings"], signal);
      const body = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
      const sent = wholeBlocks(read.fullest, [["retry-settings", { retrySettings: body }]]);
      for (const [block, whole] of sent)
        await putParameterBlock(api, skillId, "campaigns", block, whole, signal);
      const after = await readParameterBlocks(api, skillId, "campaigns", ["retry-settings"], signal);
      checkReadBack(after.fullest, sent, endpoint);
      return { before: retryOf(read.fullest), after: retryOf(after.fullest) };
    },

    async attempts(listId, signal) {
      const all: ListAttempt[] = [];
      for await (const page of listAttemptPages(api, listId, { signal })) all.push(...page);
      return all;
    },

    attemptPages: (listId, options = {}) => listAttemptPages(api, listId, options),
  };
}

/**
 * A removal CXone answered as failed is asked of the list itself: an id the list no longer
 * holds is out (a removal repeated after a lost answer is refused as "not found"), one it still
 * holds stays failed — pending, to be taken out by the next push (strategy/push-run.ts).
 */
async function confirmOut(
  api: ProductionApi,
  listId: string,
  removed: string[],
  failed: Array<{ externalId: string; reason: string }>,
  signal?: AbortSignal,
): Promise<{ removed: string[]; failed: Array<{ externalId: string; reason: string }> }> {
  const held = new Set(
    (await downloadList(api, listId, signal)).flatMap((r) => text(pick(r, "externalId", "ExternalId")) ?? []),
  );
  return {
    removed: [...removed, ...failed.filter((f) => !held.has(f.externalId)).map((f) => f.externalId)],
    failed: failed.filter((f) => held.has(f.externalId)),
  };
}
