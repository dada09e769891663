import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowDate, clockNowMs } from "../../../core/clock/now.ts";
import { bulkDial, bulkDialsOf, firstBulkDialAtOrAfter } from "../bulk-dials.ts";
import { callbackCapBreach, callbackCapMessage } from "../callback-cap.ts";
import type { CxoneContext } from "../context.ts";
import { recordJson, recordsFromCsv, seededRecords } from "../data/list-records.ts";
import type { CallingList, ListRecord, UploadJob } from "../data/model.ts";
import { CXONE_TIME_ZONES } from "../data/vocabulary.ts";
import { invalid, notFound, parseOr400 } from "../errors.ts";
import { apiRoute, bool, pathId, sendJson, text } from "../http.ts";
import { advanceListDialer, dialingOf, finalizedIds } from "../list-dialer.ts";
import { sendListPage } from "../paging.ts";
import { bothWays } from "../request-types.ts";
import type { CxoneState } from "../state.ts";

/**
 * §C2 #23–26: calling lists. Create (column mappings and, in the query, the id, call-request and
 * score columns), upload a base64 CSV as an asynchronous job that completes on the Nth poll
 * (option `uploadJobPolls`) and only then changes the list and binds it to the skill, the jobs
 * listing, download the whole list (`includeRecords`), and the attempts the emulator's dialer
 * made on its records (list-dialer.ts: never before a record's callRequestTime, never stale).
 */
const createBody = z.strictObject({
  destinationMappings: z
    .array(z.strictObject({ fieldName: z.string().min(1), fieldValue: z.string().min(1) }))
    .min(1)
    .max(100),
});

/**
 * The upload (GEN's model). `expirationDate` is required by NICE's upload model (conformance §3,
 * GEN); under `requestTypes: lenient` it may also be a date alone (the MCP's live upload) or `""`
 * (NICE's QA, which expects 202 for it: no expiry then), and every other value may come quoted.
 */
const uploadBody = bothWays((t) =>
  z.strictObject({
    listFile: z.string().min(1),
    fileName: t.optional(z.string().min(1).max(255)),
    skillId: t.optional(t.id()),
    defaultTimeZone: t.optional(z.string()),
    forceOverwrite: t.optional(t.bool()),
    expirationDate: t.mode === "strict" ? t.instant() : t.optional(t.instant()),
    startSkill: t.optional(t.bool()),
    sendEmail: t.optional(t.bool()),
  }),
);

export function recordsOf(state: CxoneState, list: CallingList): ListRecord[] {
  list.records ??= seededRecords(state.options.seed, list, state.world.dncPhones);
  return list.records;
}

/** The list's records still in it (those `removeProspects` took out are kept for the dialer's indexes). */
const presentRecords = (state: CxoneState, list: CallingList) =>
  recordsOf(state, list).filter((r) => r.removedAtMs === undefined);

/** `externalId` is text; a JSON number under `requestTypes: lenient` (GEN types it as a number). */
const removeBody = bothWays((t) =>
  z.strictObject({
    prospectsToRemove: z
      .array(z.strictObject({ externalId: t.key() }))
      .min(1)
      .max(10_000),
  }),
);

export function registerListRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  registerListCreate(app, ctx);
  registerListUpload(app, ctx);
  registerListJobs(app, ctx);
  registerListReads(app, ctx);
  registerListRemoval(app, ctx);
  registerListDelete(app, ctx);
}

/**
 * `DELETE /lists/call-lists/{listId}` (GEN's AdminListsService): the list is gone, unbound from
 * its skills and never dialled again (issue 76: `cxo doctor` deletes the scratch list it made).
 * The query's `forceInactive`/`deleteFile` are accepted and not modelled.
 */
function registerListDelete(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  apiRoute(app, { method: "DELETE", path: "/lists/call-lists/:listId", group: "lists" }, (call) => {
    const list = listOr404(state, call.params);
    state.lists.delete(list.listId);
    for (const skillId of list.skillIds) {
      const skill = state.skills.get(skillId);
      if (skill) skill.callingListIds = skill.callingListIds.filter((id) => id !== list.listId);
    }
    return sendJson(ctx, call.reply, { listId: list.listId, deleted: true });
  });
}

/**
 * `DELETE /lists/call-lists/{sourceName}/removeProspects` (CJ): records taken out by external id.
 * The list is named by its name (`sourceName`; its id is accepted too). The dialer is brought up to
 * now first, so what it would have dialled before the removal stays dialled.
 */
function registerListRemoval(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  apiRoute(
    app,
    { method: "DELETE", path: "/lists/call-lists/:sourceName/removeProspects", group: "lists" },
    (call) => {
      const name = String(call.params.sourceName ?? "");
      const list = [...state.lists.values()].find(
        (l) => l.listName.toLowerCase() === name.toLowerCase() || String(l.listId) === name,
      );
      if (!list) throw notFound(`calling list ${name}`);
      const body = parseOr400(removeBody[state.knobs.requestTypes], call.body, "body");
      const nowMs = clockNowMs();
      advanceListDialer(state, list, nowMs);
      const dialing = dialingOf(list, nowMs);
      const records = recordsOf(state, list);
      const successfulRecords: Array<{ externalId: string }> = [];
      const failedRecords: Array<{ externalId: string; error: string; resultCode?: string }> = [];
      for (const { externalId } of body.prospectsToRemove) {
        // A removal fault (`failRemovals`): the record stays in the list, answered as failed.
        const refused = state.refusals.removals.get(externalId);
        if (refused !== undefined) {
          failedRecords.push({ externalId, error: refused, resultCode: refused });
          continue;
        }
        let found = false;
        records.forEach((record, index) => {
          if (record.externalId !== externalId || record.removedAtMs !== undefined) return;
          record.removedAtMs = nowMs;
          dialing.done.add(index);
          found = true;
        });
        if (found) successfulRecords.push({ externalId });
        else failedRecords.push({ externalId, error: "Record not found" });
      }
      list.updateDate = new Date(nowMs).toISOString();
      return sendJson(ctx, call.reply, { successfulRecords, failedRecords });
    },
  );
}

const listOr404 = (state: CxoneState, params: Record<string, string>) => {
  const list = state.lists.get(pathId(params, "listId"));
  if (!list) throw notFound(`calling list ${params.listId}`);
  return list;
};

/** GET /lists/call-lists's summary of one list (GEN's callingLists[] item). */
function listSummary(list: CallingList) {
  const total = list.records?.filter((r) => r.removedAtMs === undefined).length ?? list.seededSize;
  return {
    listId: list.listId,
    listName: list.listName,
    status: list.status,
    totalRecords: total,
    validRecords: total,
    invalidRecords: 0,
    finalizedRecords: 0,
    prospectiveContactCount: total,
    createDate: list.createDate,
    uploadDate: list.uploadDate,
    updateDate: list.updateDate,
    removeDate: null,
    skills: list.skillIds.map((skillId) => ({ skillId })),
  };
}

/** The create's query: the list's name, its id column and the special columns (GEN's query). */
const createQuery = z.object({
  listName: z.string().trim().min(1).max(100),
  externalIdColumn: z.string().min(1).optional(),
  callRequestTimeColumn: z.string().min(1).optional(),
  callRequestStaleColumn: z.string().min(1).optional(),
  scoreColumn: z.string().min(1).optional(),
  priorityColumn: z.string().min(1).optional(),
  // Issue 62 §3: the record's time zone and ZIP code, so that the skill's own windows apply.
  timeZoneColumn: z.string().min(1).optional(),
  zipColumn: z.string().min(1).optional(),
  // Round 7 (calljacob's create query): a per-record expiration, which wins over the upload's.
  expirationDateColumn: z.string().min(1).optional(),
});

function registerListCreate(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  apiRoute(app, { method: "POST", path: "/lists/call-lists", group: "lists" }, (call) => {
    const flat = Object.fromEntries(
      Object.keys(createQuery.shape).flatMap((k) =>
        text(call.query, k) === null ? [] : [[k, text(call.query, k)]],
      ),
    );
    const query = parseOr400(createQuery, flat, "query");
    const name = query.listName;
    if ([...state.lists.values()].some((l) => l.listName.toLowerCase() === name.toLowerCase())) {
      throw invalid("listName", "already exists");
    }
    const body = parseOr400(createBody, call.body, "body");
    if (!body.destinationMappings.some((m) => m.fieldName.toLowerCase() === "phonenumber")) {
      throw invalid("destinationMappings", "must map PhoneNumber");
    }
    const listId = state.nextId("list");
    const now = clockNowDate().toISOString();
    state.lists.set(listId, {
      listId,
      listName: name,
      status: "Active",
      externalIdColumn: query.externalIdColumn ?? "ExternalId",
      mappings: body.destinationMappings,
      columns: {
        ...(query.callRequestTimeColumn ? { callRequestTime: query.callRequestTimeColumn } : {}),
        ...(query.callRequestStaleColumn ? { callRequestStale: query.callRequestStaleColumn } : {}),
        ...(query.scoreColumn ? { score: query.scoreColumn } : {}),
        ...(query.priorityColumn ? { priority: query.priorityColumn } : {}),
        ...(query.timeZoneColumn ? { timeZone: query.timeZoneColumn } : {}),
        ...(query.zipColumn ? { zip: query.zipColumn } : {}),
        ...(query.expirationDateColumn ? { expirationDate: query.expirationDateColumn } : {}),
      },
      records: [],
      seededSize: 0,
      seededIndex: -1,
      skillIds: [],
      createDate: now,
      uploadDate: null,
      updateDate: now,
    });
    return sendJson(ctx, call.reply, { listId });
  });
}

function registerListUpload(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  apiRoute(app, { method: "POST", path: "/lists/call-lists/:listId/upload", group: "lists" }, (call) => {
    const list = listOr404(state, call.params);
    const body = parseOr400(uploadBody[state.knobs.requestTypes], call.body, "body");
    if (!/^[A-Za-z0-9+/=\s]+$/.test(body.listFile)) throw invalid("listFile", "is not base64");
    let parsed: { records: ListRecord[]; invalid: number };
    try {
      parsed = recordsFromCsv(
        Buffer.from(body.listFile, "base64").toString("utf8"),
        list,
        state.knobs.uploadTimeZoneNames === "cxone" ? CXONE_TIME_ZONES.map((z) => z.standardName) : undefined,
      );
    } catch {
      throw invalid("listFile", "is not a CSV file");
    }
    if (
      body.defaultTimeZone !== undefined &&
      state.knobs.uploadTimeZoneNames === "cxone" &&
      !CXONE_TIME_ZONES.some((z) => z.standardName === body.defaultTimeZone)
    )
      throw invalid("defaultTimeZone", "is not a time zone name CXone knows (GET /timezones)");
    if (body.skillId !== undefined) {
      const skill = state.skills.get(body.skillId);
      if (skill?.outboundStrategy !== "Personal Connection") throw invalid("skillId");
    }
    const jobId = state.nextId("job");
    state.jobs.set(jobId, {
      jobId,
      listId: list.listId,
      polls: 0,
      submitDate: clockNowDate().toISOString(),
      completedDate: null,
      isComplete: false,
      pending: {
        records: parsed.records,
        forceOverwrite: body.forceOverwrite ?? false,
        skillId: body.skillId ?? null,
        startSkill: body.startSkill ?? false,
        expirationDate: body.expirationDate,
      },
    });
    // 202 "Accepted. Upload job queued", as NICE's QA expects it (knob listUploadStatus).
    return sendJson(ctx, call.reply, { jobId }, state.knobs.listUploadStatus);
  });
}

function jobJson(state: CxoneState, job: UploadJob) {
  return {
    jobId: job.jobId,
    listId: job.listId,
    listName: state.lists.get(job.listId)?.listName ?? "",
    startDate: job.submitDate,
    submitDate: job.submitDate,
    isComplete: job.isComplete,
    // Round 7: an upload rejected whole (over the callback cap) ends cancelled, with CXone's
    // words (the field names are assumed: no public model of the job carries an error).
    isCancelled: job.rejected !== undefined,
    completedDate: job.completedDate,
    ...(job.rejected ? { errorMessage: job.rejected.reason } : {}),
  };
}

/** An upload job completes on its Nth poll (option `uploadJobPolls`); the jobs listing polls none. */
function registerListJobs(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  apiRoute(app, { method: "GET", path: "/lists/call-lists/jobs", group: "lists" }, (call) => {
    const jobs = [...state.jobs.values()].map((job) => jobJson(state, job));
    return sendJson(ctx, call.reply, { totalRecords: jobs.length, uploadJobs: jobs });
  });

  apiRoute(app, { method: "GET", path: "/lists/call-lists/jobs/:jobId", group: "lists" }, (call) => {
    const job = state.jobs.get(pathId(call.params, "jobId"));
    if (!job) throw notFound(`upload job ${call.params.jobId}`);
    job.polls += 1;
    if (!job.isComplete && job.polls >= state.options.uploadJobPolls) complete(state, job.jobId);
    return sendJson(ctx, call.reply, { uploadJobs: [jobJson(state, job)] });
  });
}

/** The attempts listing's query (DZ's sample: updatedSince, finalized, fields, skip, top, orderBy). */
const attemptsQuery = z.object({
  finalized: z.enum(["true", "false"]).optional(),
  updatedSince: z.iso.datetime({ offset: true }).optional(),
  skip: z.coerce.number().int().min(0).optional(),
  top: z.coerce.number().int().min(1).max(10_000).optional(),
});

function registerListReads(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  apiRoute(app, { method: "GET", path: "/lists/call-lists", group: "lists" }, (call) =>
    sendListPage(ctx, call, "callingLists", [...state.lists.values()].map(listSummary)),
  );

  apiRoute(app, { method: "GET", path: "/lists/call-lists/:listId", group: "lists" }, (call) => {
    const list = listOr404(state, call.params);
    const include = bool(call.query, "includeRecords") ?? false;
    const records = presentRecords(state, list);
    const cap = state.knobs.listDownloadCap;
    if (include && cap > 0 && records.length > cap)
      throw invalid("includeRecords", `is refused above ${cap} records`);
    return sendJson(ctx, call.reply, {
      resultSet: {
        listId: list.listId,
        listName: list.listName,
        status: list.status,
        totalRecords: records.length,
        externalIdColumn: list.externalIdColumn,
        destinationMappings: list.mappings,
        ...(include
          ? {
              contactRecords: records.map((r) =>
                recordJson(
                  r,
                  state.knobs.listRecordKeys,
                  state.knobs.listRecordExpiry,
                  state.knobs.listRecordLayout,
                ),
              ),
            }
          : {}),
      },
    });
  });

  apiRoute(app, { method: "GET", path: "/lists/call-lists/:listId/attempts", group: "lists" }, (call) => {
    const list = listOr404(state, call.params);
    const flat = Object.fromEntries(
      ["finalized", "updatedSince", "skip", "top"].flatMap((k) =>
        text(call.query, k) === null ? [] : [[k, text(call.query, k)]],
      ),
    );
    const query = parseOr400(attemptsQuery, flat, "query");
    const dialing = advanceListDialer(state, list, clockNowMs());
    const since = query.updatedSince ? Date.parse(query.updatedSince) : Number.NEGATIVE_INFINITY;
    const final = finalizedAttempt(state.knobs.attemptsFinalized, query.finalized, list, dialing.attempts);
    const attempts = dialing.attempts.filter(
      (a, i) =>
        Date.parse(a.dateOfCall) >= since &&
        (final === undefined || final(a, i) === (query.finalized === "true")),
    );
    // A list's bulk dials (admin) follow its dialer's, made from their index for the page asked:
    // never finalised (unanswered, retries left), so `finalized=true` keeps none of them.
    const bulk = bulkDialsOf(list);
    const bulkFrom = bulk ? firstBulkDialAtOrAfter(bulk, since) : 0;
    const bulkCount =
      bulk && !(final !== undefined && query.finalized === "true") ? bulk.count - bulkFrom : 0;
    const total = attempts.length + bulkCount;
    // Knob ignoreSkip: a tenant that answers the first page whatever `skip` asks.
    const skip = state.knobs.ignoreSkip ? 0 : (query.skip ?? 0);
    const end = Math.min(total, skip + (query.top ?? total));
    const page = attempts.slice(skip, end);
    for (let i = Math.max(skip, attempts.length); i < end && bulk; i++)
      page.push(bulkDial(bulk, bulkFrom + i - attempts.length));
    return sendJson(ctx, call.reply, {
      resultSet: {
        ...listSummary(list),
        totalRecords: total,
        contactAttempts: page.map((a) => {
          if (state.knobs.attemptsDeliveredAsCallback === "shown") return a;
          const { deliveredAsCallback: _d, confirmReq: _c, ...rest } = a;
          return rest;
        }),
      },
    });
  });
}

function complete(state: CxoneState, jobId: number): void {
  const job = state.jobs.get(jobId);
  const list = job ? state.lists.get(job.listId) : undefined;
  if (!job || !list) return;
  const now = clockNowDate().toISOString();
  job.isComplete = true;
  job.completedDate = now;
  const loadedAtMs = Date.parse(now);
  const target = job.pending.skillId === null ? undefined : state.skills.get(job.pending.skillId);
  const bound = target ?? state.skills.get(list.skillIds[0] ?? Number.NaN);
  const breach = callbackCapBreach(
    state,
    bound,
    list,
    job.pending.records,
    job.pending.forceOverwrite,
    loadedAtMs,
  );
  if (breach) {
    // Rejected whole: nothing loaded, the list and its skill as they were.
    job.rejected = { reason: callbackCapMessage(breach), ...breach };
    return;
  }
  const current = recordsOf(state, list);
  const expires = job.pending.expirationDate;
  const arriving = job.pending.records.map((r) => ({
    ...r,
    loadedAtMs,
    ...(expires && !r.ownExpiration ? { expirationDate: expires } : {}),
  }));
  list.records = job.pending.forceOverwrite ? arriving : [...current, ...arriving];
  // Overwritten records are new records to the dialer; what it dialled stays dialled.
  if (job.pending.forceOverwrite && list.dialing) {
    list.dialing.done = new Set();
    list.dialing.tries = new Map();
  }
  list.uploadDate = now;
  list.updateDate = now;
  const skill = job.pending.skillId === null ? undefined : state.skills.get(job.pending.skillId);
  if (skill) {
    if (!list.skillIds.includes(skill.skillId)) list.skillIds.push(skill.skillId);
    if (!skill.callingListIds.includes(list.listId)) skill.callingListIds.push(list.listId);
    if (job.pending.startSkill && skill.isActive) skill.isRunning = true;
  }
}

/**
 * Which attempts `finalized=true` keeps (knob `attemptsFinalized`): those of records the dialer
 * has finalised, only each finalised record's last attempt, or — where the tenant ignores the
 * parameter — no filter at all (undefined).
 */
function finalizedAttempt(
  meaning: "records" | "attempts" | "ignored",
  asked: "true" | "false" | undefined,
  list: CallingList,
  attempts: Array<{ externalId: string }>,
): ((attempt: { externalId: string }, index: number) => boolean) | undefined {
  if (asked === undefined || meaning === "ignored") return undefined;
  const done = finalizedIds(list);
  if (meaning === "records") return (a) => done.has(a.externalId);
  const last = new Map<string, number>();
  for (const [i, a] of attempts.entries()) last.set(a.externalId, i);
  return (a, i) => done.has(a.externalId) && last.get(a.externalId) === i;
}
