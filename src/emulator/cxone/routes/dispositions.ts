import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowDate } from "../../../core/clock/now.ts";
import type { CxoneContext } from "../context.ts";
import type { Disposition } from "../data/model.ts";
import { forbidden, parseOr400, skillNotFound } from "../errors.ts";
import { apiRoute, bool, pathId, sendEmpty, sendJson, text } from "../http.ts";
import { sendListPage } from "../paging.ts";
import { bothWays } from "../request-types.ts";
import { parseDate } from "./dates.ts";

/**
 * §C2 #6–7: a skill's dispositions (the matrix) and the tenant-wide catalogue. Knob
 * `skillDispositionsVersion: v12.0` is an API role without the Skills View permission: the
 * matrix at v33.0 and later is a 403, earlier versions (NICE's agent SDK reads v12.0) serve it.
 */
const SKILLS_VIEW_FROM_VERSION = 33;

/**
 * `POST dispositions` as NICE's QA sends it (walterplaza/protractor
 * `src/apis/admin/skill-campaign-management/skill-campaign-management-v12.ts` createANewDisposition:
 * `{"dispositions":[{"dispositionName","isPreviewDisposition":false,"classificationId":1}]}`).
 */
const createBody = bothWays((t) =>
  z.strictObject({
    dispositions: z
      .array(
        z.strictObject({
          dispositionName: z.string().trim().min(1).max(100),
          classificationId: t.optional(t.id()),
          isPreviewDisposition: t.optional(t.bool()),
          notes: t.optional(z.string().max(500)),
        }),
      )
      .min(1)
      .max(100),
  }),
);

/**
 * The answer (assumed: no source shows it): the batch shape of `POST skills` (CJ), one result per
 * item, a name already used refused item by item.
 */
function registerDispositionCreate(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  apiRoute(app, { method: "POST", path: "/dispositions", group: "dispositions" }, (call) => {
    const body = parseOr400(createBody[state.knobs.requestTypes], call.body, "body");
    const now = clockNowDate().toISOString();
    const dispositionResults = body.dispositions.map((item) => {
      const taken = [...state.dispositions.values()].some(
        (d) => d.dispositionName.toLowerCase() === item.dispositionName.toLowerCase(),
      );
      if (taken) return { success: false, dispositionId: null, error: "Disposition name already exists" };
      const dispositionId = Math.max(0, ...state.dispositions.keys()) + 1;
      state.dispositions.set(dispositionId, {
        dispositionId,
        dispositionName: item.dispositionName,
        classification: "Custom",
        classificationId: item.classificationId ?? 1,
        reportingGroup: "Custom",
        systemOutcome: "Custom",
        isActive: true,
        rightParty: false,
        noAgent: false,
        notes: item.notes ?? "",
        lastUpdated: now,
      });
      return { success: true, dispositionId, error: null };
    });
    const errorCount = dispositionResults.filter((r) => !r.success).length;
    return sendJson(ctx, call.reply, { errorCount, dispositionResults });
  });
}
export function registerDispositionRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  registerDispositionCreate(app, ctx);

  apiRoute(app, { method: "GET", path: "/skills/:skillId/dispositions", group: "dispositions" }, (call) => {
    if (state.knobs.skillDispositionsVersion === "v12.0" && call.version >= SKILLS_VIEW_FROM_VERSION)
      throw forbidden(
        `the API user's role lacks the Skills View permission that v${call.version}.0 of this resource needs`,
      );
    const skill = state.skills.get(pathId(call.params, "skillId"));
    if (!skill) throw skillNotFound(call.params.skillId, state.businessUnitId);
    const assigned = skill.dispositionIds
      .map((id) => state.dispositions.get(id))
      .filter((d): d is Disposition => d !== undefined);
    if (assigned.length === 0) return sendEmpty(call.reply, 204);
    return sendJson(ctx, call.reply, {
      totalRecords: assigned.length,
      _links: { self: null, next: null, previous: null },
      skillId: skill.skillId,
      skillName: skill.skillName,
      dispositions: assigned.map((d, i) => ({
        dispositionId: d.dispositionId,
        dispositionName: d.dispositionName,
        displayOrder: i + 1,
        classification: d.classification,
        reportingGroup: d.reportingGroup,
        systemOutcome: d.systemOutcome,
        requireCommitmentAmount: false,
        requireRescheduleDate: d.dispositionName === "Callback Requested",
        agentSpecific: false,
        isPreviewDisposition: false,
        ...(call.version >= 34 ? { dispositionCategoryName: d.classification } : {}),
      })),
    });
  });

  apiRoute(app, { method: "GET", path: "/dispositions", group: "dispositions" }, (call) => {
    const search = text(call.query, "searchString")?.toLowerCase() ?? null;
    const isActive = bool(call.query, "isActive");
    const since = parseDate(call.query, "updatedSince");
    const all = [...state.dispositions.values()]
      .filter((d) => search === null || d.dispositionName.toLowerCase().includes(search))
      .filter((d) => isActive === null || d.isActive === isActive)
      .filter((d) => since === null || Date.parse(d.lastUpdated) >= since)
      .map((d) => ({
        dispositionId: d.dispositionId,
        dispositionName: d.dispositionName,
        notes: d.notes,
        lastUpdated: d.lastUpdated,
        classificationId: d.classificationId,
        systemOutcome: d.systemOutcome,
        isActive: d.isActive,
        isPreviewDisposition: false,
      }));
    return sendListPage(ctx, call, "dispositions", all);
  });
}
