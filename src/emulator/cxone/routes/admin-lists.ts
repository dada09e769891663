import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { ADMIN_PREFIX } from "../../pipeline.ts";
import { setBulkDials } from "../bulk-dials.ts";
import type { CxoneContext } from "../context.ts";
import { e164OfKey, groupKeyOf } from "../data/dnc-groups.ts";
import { notFound, parseStrictOr400 } from "../errors.ts";
import { knobsSchema } from "../knobs.ts";
import { advanceListDialer, waitingRecords } from "../list-dialer.ts";

/**
 * Admin (not CXone): `POST /_emulator/lists/:listId/dial {until, timing?}` runs the emulator's
 * dialer over a calling list up to a later instant (its clock never goes back), so a plan's week
 * is dialled in one request: every record due by then is dialled, never before its
 * callRequestTime, and a stale one is skipped (list-dialer.ts). `timing` (`jitter | early | late
 * | random`) is when within each record's window it is dialled, for this request (default: the
 * knob `listDialTiming`); `answer` (`seeded | all | none | {rates: {E.164: p}}`) whether its dials
 * are answered (default: drawn from the seed; `rates`: each number's chance, issue 91's week bench). Answers what the dialer has done so far.
 */
const dialBody = z.strictObject({
  until: z.iso.datetime({ offset: true }),
  timing: knobsSchema.shape.listDialTiming.unwrap().optional(),
  answer: z
    .union([
      z.enum(["seeded", "all", "none"]),
      z.strictObject({ rates: z.record(z.string().regex(/^\+1\d{10}$/), z.number().min(0).max(1)) }),
    ])
    .optional(),
});

/**
 * Admin (not CXone; issue 100 §4): `POST /_emulator/lists/:listId/bulk-dials {count, from,
 * stepSeconds?}` gives the list `count` unanswered dials (at most 5,000,000), one every
 * `stepSeconds` (default 1) from `from`, each to a number of its own, made from their index when
 * the attempts listing asks (bulk-dials.ts): a list of a million dials, cheaply. Replaces the
 * list's earlier bulk dials; `count: 0` takes them away.
 */
const bulkBody = z.strictObject({
  count: z.number().int().min(0).max(5_000_000),
  from: z.iso.datetime({ offset: true }),
  stepSeconds: z.number().positive().max(86_400).default(1),
});

export function registerListAdminRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  app.post(`${ADMIN_PREFIX}/lists/:listId/bulk-dials`, async (request) => {
    const listId = Number((request.params as { listId: string }).listId);
    const list = ctx.state.lists.get(listId);
    if (!list) throw notFound(`calling list ${listId}`);
    const body = parseStrictOr400(bulkBody, request.body ?? {}, "body");
    const fromMs = Date.parse(body.from);
    const stepMs = body.stepSeconds * 1000;
    // Contact ids of their own, past any the emulator will give (its ids count up from small numbers).
    setBulkDials(list, {
      count: body.count,
      fromMs,
      stepMs,
      firstContactId: 900_000_000 + listId * 10_000_000,
    });
    return {
      listId,
      bulkDials: body.count,
      from: new Date(fromMs).toISOString(),
      to: new Date(fromMs + Math.max(0, body.count - 1) * stepMs).toISOString(),
    };
  });
  // Admin (not CXone): a DNC group's numbers with how many POST …/records requests carried each,
  // so a test proves a client sent every number once (issue 62: kill -9 during an import).
  app.get(`${ADMIN_PREFIX}/dnc-groups/:groupId`, async (request) => {
    const groupId = Number((request.params as { groupId: string }).groupId);
    const group = ctx.state.dncGroups.get(groupId);
    if (!group) throw notFound(`DNC group ${groupId}`);
    return {
      groupId,
      records: [...group.records].map(([key, r]) => ({ phone: e164OfKey(key), sent: r.sent ?? 0 })),
    };
  });
  app.post(`${ADMIN_PREFIX}/lists/:listId/dial`, async (request) => {
    const listId = Number((request.params as { listId: string }).listId);
    const list = ctx.state.lists.get(listId);
    if (!list) throw notFound(`calling list ${listId}`);
    const body = parseStrictOr400(dialBody, request.body ?? {}, "body");
    const dialing = advanceListDialer(
      ctx.state,
      list,
      Date.parse(body.until),
      body.timing ?? ctx.state.knobs.listDialTiming,
      body.answer,
    );
    return {
      listId,
      dialedUntil: new Date(dialing.untilMs).toISOString(),
      timing: body.timing ?? ctx.state.knobs.listDialTiming,
      bound: list.skillIds.length > 0,
      attempts: dialing.attempts.length,
      callbacks: dialing.attempts.filter((a) => a.deliveredAsCallback).length,
      stale: dialing.stale,
      waiting: waitingRecords(list),
    };
  });
  // Admin (not CXone; round 7): every dial the list dialer made, the ground truth an independent
  // checker judges call by call (the API's attempts route is what cxo reads; this is not).
  app.get(`${ADMIN_PREFIX}/lists/:listId/dials`, async (request) => {
    const listId = Number((request.params as { listId: string }).listId);
    const list = ctx.state.lists.get(listId);
    if (!list) throw notFound(`calling list ${listId}`);
    const seen = new Map<string, number>();
    const debtsOf = debtsOfRecords(list.records ?? []);
    return {
      listId,
      dials: (list.dialing?.attempts ?? []).map((a) => {
        const attempt = (seen.get(a.externalId) ?? 0) + 1;
        seen.set(a.externalId, attempt);
        const debts = debtsOf.get(a.externalId);
        return {
          externalId: a.externalId,
          phone: e164OfKey(groupKeyOf(a.formattedPhone)),
          at: a.dateOfCall,
          attempt,
          kind: a.deliveredAsCallback ? "callback" : "ordinary",
          deliveredAsCallback: a.deliveredAsCallback,
          confirmReq: a.confirmReq,
          systemClassName: a.systemClassName,
          ...(a.agentDispDesc ? { agentDispDesc: a.agentDispDesc } : {}),
          // Issue 100: the debts the record's `Debts` field names (a number listed for several).
          ...(debts ? { debts } : {}),
        };
      }),
    };
  });
  // Admin (not CXone; round 7): each upload job of the list and what became of it (a rejection
  // over the callback cap names the period and the count).
  app.get(`${ADMIN_PREFIX}/lists/:listId/uploads`, async (request) => {
    const listId = Number((request.params as { listId: string }).listId);
    if (!ctx.state.lists.has(listId)) throw notFound(`calling list ${listId}`);
    const uploads = [...ctx.state.jobs.values()]
      .filter((job) => job.listId === listId)
      .map((job) => ({
        jobId: job.jobId,
        complete: job.isComplete,
        accepted: job.isComplete && job.rejected === undefined,
        records: job.pending.records.length,
        callbacks: job.pending.records.filter((r) => r.callRequestTime !== undefined).length,
        ...(job.rejected ? { rejectedBecause: job.rejected } : {}),
      }));
    return { listId, uploads };
  });
}

/**
 * Each uploaded record's debts, from its `Debts` custom field (`;`-separated, as cxo's push writes
 * a record of a number listed for several debts): one dial of such a record is a call about each.
 */
function debtsOfRecords(
  records: ReadonlyArray<{ externalId: string; customFields?: Record<string, string> | undefined }>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const record of records) {
    const text = record.customFields?.Debts;
    if (text)
      out.set(
        record.externalId,
        text.split(";").filter((d) => d !== ""),
      );
  }
  return out;
}
