import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { CxoneContext } from "../context.ts";
import { invalid, parseOr400 } from "../errors.ts";
import { apiRoute, sendEmpty, sendJson } from "../http.ts";
import { bothWays } from "../request-types.ts";
import { skillOr404 } from "./skills.ts";

/**
 * A skill's tags (issue 90 §5): the tags an agent may put on the skill's contacts.
 *
 * - `GET skills/{id}/tags` → `{resultSet: {skillId, tags: [{tagId, tagName, isActive, notes}]}}`,
 *   204 when the skill has none: NICE's agent SDK reads `response.data.resultSet.tags` and skips
 *   a 204 (nice-devone/nice-cxone-agent-sdk `dist/agent-sdk/src/lib/disposition/disposition-service.js`
 *   getTags, v12.0); NICE's QA expects 200 (walterplaza/protractor
 *   `src/test-data/inContact/apis/Admin/skill-campaign-management/returns-tags-for-a-skill/returns-tags-for-a-skill-v12.0.json`).
 * - `POST` and `DELETE skills/{id}/tags` with `{"tags":[{"tagId":"5"}]}` (QA's body, the id quoted:
 *   walterplaza/protractor `src/apis/admin/skill-campaign-management/skill-campaign-management-v12.ts`
 *   assignsATagToASkill, removesTagsFromASkill) → 200 (QA's test data expects 200), empty body
 *   (assumed: no source shows one). An unknown tag is a 400 naming it (assumed); removing one the
 *   skill does not hold changes nothing.
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
    return sendJson(ctx, call.reply, { resultSet: { skillId: skill.skillId, tags } });
  });

  for (const method of ["POST", "DELETE"] as const) {
    apiRoute(app, { method, path: "/skills/:skillId/tags", group: "tags" }, (call) => {
      const skill = skillOr404(state, call);
      const body = parseOr400(tagsBody[state.knobs.requestTypes], call.body, "body");
      const ids = body.tags.map((tag) => tag.tagId);
      const unknown = ids.find((id) => !state.tags.has(id));
      if (unknown !== undefined) throw invalid("tagId", `${unknown} is not a tag of the business unit`);
      const tags = held(skill.skillId);
      for (const id of ids) method === "POST" ? tags.add(id) : tags.delete(id);
      return sendEmpty(call.reply, 200);
    });
  }
}
