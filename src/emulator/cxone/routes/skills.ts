import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowDate, clockNowMs } from "../../../core/clock/now.ts";
import type { CxoneContext } from "../context.ts";
import { defaultParameters } from "../data/default-parameters.ts";
import type { Skill } from "../data/model.ts";
import { invalid, parseOr400, skillNotFound } from "../errors.ts";
import { type ApiCall, apiRoute, bool, integer, pathId, sendEmpty, sendJson, text } from "../http.ts";
import { sendListPage } from "../paging.ts";
import type { CxoneState } from "../state.ts";
import { parseDate } from "./dates.ts";
/**
 * §C2 #16–19: skills (Personal Connection skills are the outbound "campaigns"): list and search,
 * batch create with per-item results, get (flat, or wrapped by knob), update, start and stop.
 */
export function skillJson(state: CxoneState, skill: Skill): Record<string, unknown> {
  return {
    skillId: skill.skillId,
    skillName: skill.skillName,
    mediaTypeId: skill.mediaTypeId,
    mediaTypeName: skill.mediaTypeName,
    isOutbound: skill.isOutbound,
    outboundStrategy: skill.outboundStrategy,
    isRunning: skill.isRunning,
    isActive: skill.isActive,
    campaignId: skill.campaignId,
    campaignName: state.campaigns.get(skill.campaignId)?.name ?? "",
    notes: skill.notes,
    requireDisposition: skill.requireDisposition,
    // The caller id its calls present (calljacob/nice-cxone-api AdminSkillsService.ts
    // `getSkillsId`); knob `skillCallerIdField: absent` models a tenant that leaves it out.
    ...(state.knobs.skillCallerIdField === "callerIdOverride" ? { callerIdOverride: skill.callerId } : {}),
    lastUpdateTime: skill.lastUpdateTime,
  };
}

/**
 * `orderBy=<field> [asc|desc][,…]` on the skills listing (NICE's agent SDK sends
 * `orderby=skillName`, `skill-service.js:147`): by any field of a skill, the later keys breaking
 * ties; a field skills do not have is a 400.
 */
function ordered(items: Record<string, unknown>[], orderBy: string | null): Record<string, unknown>[] {
  if (orderBy === null) return items;
  const keys = orderBy.split(",").map((term) => {
    const [named = "", direction = "asc", ...rest] = term.trim().split(/\s+/);
    const field = SKILL_FIELDS.find((f) => f.toLowerCase() === named.toLowerCase());
    if (!field || rest.length > 0 || !/^(asc|desc)$/i.test(direction)) throw invalid("orderBy");
    return { field, sign: direction.toLowerCase() === "desc" ? -1 : 1 };
  });
  const compare = (a: unknown, b: unknown) =>
    typeof a === "number" && typeof b === "number" ? a - b : String(a ?? "").localeCompare(String(b ?? ""));
  return [...items].sort((a, b) => {
    for (const { field, sign } of keys) {
      const order = compare(a[field], b[field]) * sign;
      if (order !== 0) return order;
    }
    return 0;
  });
}

/** The fields of a skill as listed (`skillJson`), which an `orderBy` may name. */
const SKILL_FIELDS = [
  "skillId",
  "skillName",
  "mediaTypeId",
  "mediaTypeName",
  "isOutbound",
  "outboundStrategy",
  "isRunning",
  "isActive",
  "campaignId",
  "campaignName",
  "notes",
  "requireDisposition",
  "lastUpdateTime",
] as const;

export function skillOr404(state: CxoneState, call: ApiCall): Skill {
  const skill = state.skills.get(pathId(call.params, "skillId"));
  if (!skill) throw skillNotFound(call.params.skillId, state.businessUnitId);
  return skill;
}

const newSkill = z.object({
  skillName: z.string().trim().min(1).max(100),
  mediaTypeId: z.number().int().min(1).max(20),
  isOutbound: z.boolean().optional(),
  outboundStrategy: z.string().nullable().optional(),
  campaignId: z.number().int().positive().optional(),
  requireDisposition: z.boolean().optional(),
  notes: z.string().max(1000).optional(),
  callerIdOverride: z.string().max(30).optional(),
});

const createBody = z.strictObject({ skills: z.array(z.unknown()).min(1).max(100) });

const updateBody = z.strictObject({
  skill: z.strictObject({
    skillName: z.string().trim().min(1).max(100).optional(),
    isActive: z.boolean().optional(),
    notes: z.string().max(1000).optional(),
    campaignId: z.number().int().positive().optional(),
    requireDisposition: z.boolean().optional(),
    callerIdOverride: z.string().max(30).optional(),
  }),
});

export function registerSkillRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;

  apiRoute(app, { method: "GET", path: "/skills", group: "skills" }, (call) => {
    const q = call.query;
    const mediaTypeId = integer(q, "mediaTypeId", 0);
    const strategy = text(q, "outboundStrategy")?.toLowerCase() ?? null;
    const search = text(q, "searchString")?.toLowerCase() ?? null;
    const isActive = bool(q, "isActive");
    const isOutbound = bool(q, "isOutbound");
    const since = parseDate(q, "updatedSince");
    const all = [...state.skills.values()]
      .filter((s) => mediaTypeId === null || s.mediaTypeId === mediaTypeId)
      .filter((s) => strategy === null || (s.outboundStrategy ?? "").toLowerCase() === strategy)
      .filter((s) => search === null || s.skillName.toLowerCase().includes(search))
      .filter((s) => isActive === null || s.isActive === isActive)
      .filter((s) => isOutbound === null || s.isOutbound === isOutbound)
      .filter((s) => since === null || Date.parse(s.lastUpdateTime) >= since)
      .map((s) => skillJson(state, s));
    return sendListPage(ctx, call, "skills", ordered(all, text(q, "orderBy")));
  });

  apiRoute(app, { method: "POST", path: "/skills", group: "skills" }, (call) => {
    const body = parseOr400(createBody, call.body, "body");
    const results = body.skills.map((item) => createOne(state, item));
    return sendJson(ctx, call.reply, {
      errorCount: results.filter((r) => !r.success).length,
      skillsResults: results,
    });
  });

  apiRoute(app, { method: "GET", path: "/skills/:skillId", group: "skills" }, (call) => {
    const json = skillJson(state, skillOr404(state, call));
    return sendJson(ctx, call.reply, state.knobs.skillWrapped ? { skills: [json] } : json);
  });

  apiRoute(app, { method: "PUT", path: "/skills/:skillId", group: "skills" }, (call) => {
    const skill = skillOr404(state, call);
    const change = parseOr400(updateBody, call.body, "body").skill;
    if (change.campaignId !== undefined && !state.campaigns.has(change.campaignId))
      throw invalid("skill.campaignId");
    if (change.skillName !== undefined && nameTaken(state, change.skillName, skill.skillId)) {
      throw invalid("skill.skillName", "already exists");
    }
    if (change.isActive === false && skill.isRunning)
      throw invalid("skill.isActive", "cannot be false while the skill is running");
    const { callerIdOverride, ...rest } = change;
    Object.assign(skill, rest, { lastUpdateTime: clockNowDate().toISOString() });
    if (callerIdOverride !== undefined) skill.callerId = callerIdOverride.trim();
    return sendJson(ctx, call.reply, { success: true, skillId: skill.skillId });
  });

  apiRoute(app, { method: "POST", path: "/skills/:skillId/start", group: "skills" }, (call) => {
    const skill = skillOr404(state, call);
    if (skill.outboundStrategy !== "Personal Connection")
      throw invalid("skillId", "is not a Personal Connection skill");
    if (!skill.isActive) throw invalid("skillId", "is not active");
    if (skill.isRunning && state.knobs.startWhenRunning === "reject")
      throw invalid("skillId", "is already running");
    if (!skill.isRunning) {
      skill.isRunning = true;
      skill.lastUpdateTime = clockNowDate().toISOString();
      // The dialer starts placing calls: two agents pick up right away.
      const agents = state.world.agents;
      for (let i = 0; i < 2; i++) {
        state.addActive(
          skill.skillId,
          (agents[(skill.skillId + i) % agents.length] as { agentId: number }).agentId,
          clockNowMs(),
          (skill.skillId * 7 + i) % 10_000,
        );
      }
    }
    return sendEmpty(call.reply, state.knobs.startStopStatus);
  });

  apiRoute(app, { method: "POST", path: "/skills/:skillId/stop", group: "skills" }, (call) => {
    const skill = skillOr404(state, call);
    if (skill.outboundStrategy !== "Personal Connection")
      throw invalid("skillId", "is not a Personal Connection skill");
    const force = bool(call.query, "force") ?? false;
    skill.isRunning = false;
    skill.lastUpdateTime = clockNowDate().toISOString();
    if (force && state.knobs.forceEndsActive) {
      for (const contact of [...state.active.values()]) {
        if (contact.skillId === skill.skillId) state.endActive(contact.contactId);
      }
    }
    return sendEmpty(call.reply, state.knobs.startStopStatus);
  });
}

function nameTaken(state: CxoneState, name: string, except: number | null): boolean {
  const lower = name.trim().toLowerCase();
  return [...state.skills.values()].some((s) => s.skillId !== except && s.skillName.toLowerCase() === lower);
}

function createOne(
  state: CxoneState,
  item: unknown,
): { success: boolean; error: string | null; skillId?: number } {
  const parsed = newSkill.safeParse(item);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join(".") || "skill";
    return { success: false, error: `${field} is invalid` };
  }
  const spec = parsed.data;
  if (spec.campaignId === undefined) return { success: false, error: "CampaignId is required" };
  if (!state.campaigns.has(spec.campaignId)) return { success: false, error: "Invalid CampaignId" };
  if (nameTaken(state, spec.skillName, null)) return { success: false, error: "Skill name already exists" };
  const pc = spec.outboundStrategy === "Personal Connection";
  if (pc && spec.isOutbound === false)
    return { success: false, error: "Personal Connection skills must be outbound" };
  const skillId = state.nextId("skill");
  const skill: Skill = {
    skillId,
    skillName: spec.skillName.trim(),
    mediaTypeId: spec.mediaTypeId,
    mediaTypeName: spec.mediaTypeId === 4 ? "Phone Call" : "Other",
    isOutbound: spec.isOutbound ?? pc,
    outboundStrategy: spec.outboundStrategy ?? null,
    isRunning: false,
    isActive: true,
    campaignId: spec.campaignId,
    notes: spec.notes ?? "",
    requireDisposition: spec.requireDisposition ?? false,
    callerId: spec.callerIdOverride?.trim() ?? `800555${String(skillId % 10_000).padStart(4, "0")}`,
    dispositionIds: [],
    parameters: null,
    callingListIds: [],
    lastUpdateTime: clockNowDate().toISOString(),
  };
  if (pc) {
    skill.parameters = defaultParameters();
    // New PC skills get the tenant's default dispositions, as the admin UI assigns them.
    skill.dispositionIds = [...state.dispositions.values()]
      .filter((d) => d.isActive)
      .map((d) => d.dispositionId);
  }
  state.skills.set(skillId, skill);
  return state.knobs.skillCreateReturnsId
    ? { success: true, error: null, skillId }
    : { success: true, error: null };
}
