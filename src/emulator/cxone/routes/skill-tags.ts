import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { CxoneContext } from "../context.ts";
import { parseOr400 } from "../errors.ts";
import { apiRoute, sendEmpty, sendJson } from "../http.ts";
import { bothWays } from "../request-types.ts";
import { skillOr404 } from "./skills.ts";

/**
 * A skill's tags (issue 90 §5): the tags an agent may put on the skill's contacts.
 *
 * - `GET skills/{id}/tags` → `{resultSet: {skillId, skillName, tags: [{tagId, tagName, isActive, notes}]}}`
 *   (drazenzadravec/projects `nice/sdk/json/Skills/GetTagsResponse.js`), 204 when the skill has none:
 *   NICE's agent SDK reads `response.data.resultSet.tags` and skips a 204
 *   (nice-devone/nice-cxone-agent-sdk `dist/agent-sdk/src/lib/disposition/disposition-service.js`
 *   getTags, v12.0); NICE's QA expects 200 (walterplaza/protractor
 *   `src/test-data/inContact/apis/Admin/skill-campaign-management/returns-tags-for-a-skill/returns-tags-for-a-skill-v12.0.json`).
 * - `POST` and `DELETE skills/{id}/tags` with `{"tags":[{"tagId":5}]}` (drazenzadravec/projects
 *   `nice/sdk/json/Skills/AssignTagRequest.js`; QA quotes the id: walterplaza/protractor
 *   `src/apis/admin/skill-campaign-management/skill-campaign-management-v12.ts` assignsATagToASkill,
 *   removesTagsFromASkill, whose test data expects 200) → 200 `{resultSet: {errorCount,
 *   tagResults: [{success, tagId, error}]}}` (drazenzadravec/projects `AssignTagResponse.js`,
 *   `RemoveTagsResponse.js`). An unknown tag is an item error "Invalid TagId" (the wording
 *   assumed, as `POST contacts/{id}/tags` words it); removing one the skill does not hold succeeds.
 *
 * Seeded (assumed): every Personal Connection skill holds the active tags; a new skill none.
 */
const tagsBody = bothWays((t) =>
  z.strictObject({
    tags: z
      .array(z.object({ tagId: t.id() }))
      .min(1)
      .max(100),
  }),
);

export function registerSkillTagRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;
  const held = (skillId: number) => {
    let tags = state.skillTags.get(skillId);
    if (!tags) {
      tags = new Set();
      state.skillTags.set(skillId, tags);
    }
    return tags;
  };

  apiRoute(app, { method: "GET", path: "/skills/:skillId/tags", group: "tags" }, (call) => {
    const skill = skillOr404(state, call);
    const tags = [...held(skill.skillId)]
      .map((id) => state.tags.get(id))
      .filter((tag) => tag !== undefined)
      .map((tag) => ({ tagId: tag.tagId, tagName: tag.tagName, isActive: tag.isActive, notes: tag.notes }));
    if (tags.length === 0) return sendEmpty(call.reply, 204);
    return sendJson(ctx, call.reply, {
      resultSet: { skillId: skill.skillId, skillName: skill.skillName, tags },
    });
  });

  for (const method of ["POST", "DELETE"] as const) {
    apiRoute(app, { method, path: "/skills/:skillId/tags", group: "tags" }, (call) => {
      const skill = skillOr404(state, call);
      const body = parseOr400(tagsBody[state.knobs.requestTypes], call.body, "body");
      const tags = held(skill.skillId);
      const tagResults = body.tags.map(({ tagId }) => {
        if (!state.tags.has(tagId)) return { success: false, tagId, error: "Invalid TagId" };
        if (method === "POST") tags.add(tagId);
        else tags.delete(tagId);
        return { success: true, tagId, error: "" };
      });
      const errorCount = tagResults.filter((r) => !r.success).length;
      return sendJson(ctx, call.reply, { resultSet: { errorCount, tagResults } });
    });
  }
}
