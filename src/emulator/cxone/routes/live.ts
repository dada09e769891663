import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowMs } from "../../../core/clock/now.ts";
import { ADMIN_PREFIX } from "../../pipeline.ts";
import type { CxoneContext } from "../context.ts";
import { forbidden, invalid, notFound, parseOr400, parseStrictOr400, skillNotFound } from "../errors.ts";
import { apiRoute, bool, integer, sendJson } from "../http.ts";
import { controlSkill, isLiveSkill, skillActivity, skillSummary } from "../live.ts";
import { parseDate } from "./dates.ts";

/**
 * Reference §4, real-time: `GET /skills/activity` (tenant-wide; `updatedSince` returns only
 * skills whose activity changed since, and 304 when none did; `isOutbound`, `mediaTypeId`),
 * `GET /skills/{id}/activity`, `POST /skills/activity/search` (`skillIds`), `GET
 * /skills/summary` and `GET /skills/{id}/summary` (`startDate`, `endDate`). Faults: the
 * `skills` group. Admin: `POST /_emulator/skills/:skillId/live`.
 */
const searchBody = z
  .object({
    skillIds: z.array(z.coerce.number().int().positive()).optional(),
    isOutbound: z.boolean().optional(),
  })
  .loose();

const controlBody = z.strictObject({
  agentsLoggedOut: z.boolean().optional(),
  // Round 7: agents logged in to the skill while staffed (null: the seeded count again).
  agentsLoggedIn: z.number().int().min(0).max(10_000).nullable().optional(),
  // Issue 65: agents stay logged in but none is available (all unavailable).
  agentsUnavailable: z.boolean().optional(),
  // Issue 65: the skill's own state (ACD > Skills: active; started/stopped).
  isActive: z.boolean().optional(),
  isRunning: z.boolean().optional(),
  contactsStopped: z.boolean().optional(),
  abandonRate: z.number().min(0).max(1).nullable().optional(),
  today: z
    .strictObject({
      dials: z.number().int().min(0),
      connects: z.number().int().min(0),
      abandons: z.number().int().min(0),
    })
    .refine((t) => t.connects <= t.dials, { message: "connects must not exceed dials", path: ["connects"] })
    .refine((t) => t.abandons <= t.connects, {
      message: "abandons must not exceed connects",
      path: ["abandons"],
    })
    .nullable()
    .optional(),
});

export function registerLiveRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  const skillsOf = (query: Record<string, unknown>) => {
    const isOutbound = bool(query, "isOutbound");
    const mediaTypeId = integer(query, "mediaTypeId", 0);
    return [...state.skills.values()]
      .filter(isLiveSkill)
      .filter((s) => isOutbound === null || s.isOutbound === isOutbound)
      .filter((s) => mediaTypeId === null || s.mediaTypeId === mediaTypeId);
  };
  const envelope = (nowMs: number, items: Array<Record<string, unknown>>) => ({
    businessUnitId: state.businessUnitId,
    lastPollTime: new Date(nowMs).toISOString(),
    skillActivity: items.map(({ changedAtMs: _c, ...rest }) => rest),
  });

  apiRoute(app, { method: "GET", path: "/skills/activity", group: "skills" }, (call) => {
    const now = clockNowMs();
    const since = parseDate(call.query, "updatedSince");
    const items = skillsOf(call.query)
      .map((s) => skillActivity(state, s, now))
      .filter((a) => since === null || a.changedAtMs > since);
    if (since !== null && items.length === 0) return call.reply.code(304).send();
    return sendJson(ctx, call.reply, envelope(now, items));
  });

  apiRoute(app, { method: "POST", path: "/skills/activity/search", group: "skills" }, (call) => {
    const now = clockNowMs();
    const body = parseOr400(searchBody, call.body ?? {}, "body");
    const ids = body.skillIds ? new Set(body.skillIds) : null;
    const items = [...state.skills.values()]
      .filter(isLiveSkill)
      .filter((s) => ids === null || ids.has(s.skillId))
      .filter((s) => body.isOutbound === undefined || s.isOutbound === body.isOutbound)
      .map((s) => skillActivity(state, s, now));
    return sendJson(ctx, call.reply, envelope(now, items));
  });

  apiRoute(app, { method: "GET", path: "/skills/:skillId/activity", group: "skills" }, (call) => {
    const skill = state.skills.get(Number(call.params.skillId));
    if (!skill) throw skillNotFound(call.params.skillId, state.businessUnitId);
    const now = clockNowMs();
    return sendJson(ctx, call.reply, envelope(now, [skillActivity(state, skill, now)]));
  });

  const summaries = (query: Record<string, unknown>, skills: Parameters<typeof skillSummary>[1][]) => {
    const from = parseDate(query, "startDate");
    const to = parseDate(query, "endDate");
    if (from !== null && to !== null && to < from) throw invalid("endDate", "is before startDate");
    const now = clockNowMs();
    return {
      businessUnitId: state.businessUnitId,
      startDate: new Date(from ?? now - 86_400_000).toISOString(),
      endDate: new Date(to ?? now).toISOString(),
      skillSummaries: skills.map((s) => skillSummary(state, s, now)),
    };
  };

  /** Knob summaryStatus: a role or tenant that may not read the summary. */
  const refuseSummary = () => {
    if (state.knobs.summaryStatus === 403) throw forbidden("the role may not read skill summaries");
    if (state.knobs.summaryStatus === 404) throw notFound("skill summary report");
  };

  apiRoute(app, { method: "GET", path: "/skills/summary", group: "skills" }, (call) => {
    refuseSummary();
    return sendJson(ctx, call.reply, summaries(call.query, skillsOf(call.query)));
  });

  apiRoute(app, { method: "GET", path: "/skills/:skillId/summary", group: "skills" }, (call) => {
    refuseSummary();
    const skill = state.skills.get(Number(call.params.skillId));
    if (!skill) throw skillNotFound(call.params.skillId, state.businessUnitId);
    return sendJson(ctx, call.reply, summaries(call.query, [skill]));
  });

  app.post(`${ADMIN_PREFIX}/skills/:skillId/live`, async (request) => {
    const skillId = Number((request.params as { skillId: string }).skillId);
    const skill = state.skills.get(skillId);
    if (!skill || !isLiveSkill(skill)) throw notFound(`outbound skill ${skillId}`);
    const { isActive, isRunning, ...change } = parseStrictOr400(controlBody, request.body ?? {}, "body");
    if (isActive !== undefined) skill.isActive = isActive;
    if (isRunning !== undefined) skill.isRunning = isRunning && skill.isActive;
    if (isActive === false) skill.isRunning = false;
    const control = controlSkill(state, skill, change, clockNowMs());
    return { skillId, isActive: skill.isActive, isRunning: skill.isRunning, ...control };
  });
}
