import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowMs } from "../../../core/clock/now.ts";
import type { CxoneContext } from "../context.ts";
import { invalid, notFound, parseOr400 } from "../errors.ts";
import { apiRoute, bool, sendJson, text } from "../http.ts";
import { sendListPage } from "../paging.ts";
import { contactFactsOr404 } from "./contacts.ts";

/**
 * §C2 #8–9: the tag catalogue (list, create by query string) and tagging a contact, with a
 * result per tag (`resultSet.errorCount` + `tagResults`). `errorCount` is text ("0") by
 * default: NICE's agent SDK counts a tagging done only when `resultSet.errorCount === '0'`
 * (`disposition-service.js:47`); knob `tagErrorCount: number` sends the number instead. A tag
 * item may carry NICE's `CXoneTag` fields (`tagName, isActive, notes`) beside its id: only the
 * id is read.
 * Tagging is an upsert: a tag already on the contact succeeds again. A live contact takes tags
 * (NICE's agent UI posts them during the disposition step) unless knob `liveContactTags` is "reject".
 */
const tagBody = z.strictObject({
  tags: z
    .array(
      z.strictObject({
        tagId: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
        tagName: z.string().nullable().optional(),
        isActive: z.union([z.boolean(), z.string()]).nullable().optional(),
        notes: z.string().nullable().optional(),
      }),
    )
    .min(1)
    .max(100),
});

export function registerTagRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;

  apiRoute(app, { method: "GET", path: "/tags", group: "tags" }, (call) => {
    const search = text(call.query, "searchString")?.toLowerCase() ?? null;
    const isActive = bool(call.query, "isActive");
    const all = [...state.tags.values()]
      .filter((t) => search === null || t.tagName.toLowerCase().includes(search))
      .filter((t) => isActive === null || t.isActive === isActive)
      .map((t) => ({ tagId: t.tagId, tagName: t.tagName, isActive: t.isActive, notes: t.notes }));
    return sendListPage(ctx, call, "tags", all);
  });

  apiRoute(app, { method: "POST", path: "/tags", group: "tags" }, (call) => {
    const name = text(call.query, "tagName")?.trim() ?? "";
    if (name === "" || name.length > 50) throw invalid("tagName");
    if ([...state.tags.values()].some((t) => t.tagName.toLowerCase() === name.toLowerCase())) {
      throw invalid("tagName", "already exists");
    }
    const tagId = state.nextId("tag");
    state.tags.set(tagId, { tagId, tagName: name, isActive: true, notes: text(call.query, "notes") ?? "" });
    return sendJson(ctx, call.reply, { tagId });
  });

  apiRoute(app, { method: "POST", path: "/contacts/:contactId/tags", group: "tags" }, (call) => {
    const { contactId, facts, active } = contactFactsOr404(state, call);
    if (!facts && state.knobs.liveContactTags === "reject") throw notFound(`completed contact ${contactId}`);
    const body = parseOr400(tagBody, call.body, "body");
    const current = new Set(facts ? facts.tagIds : (state.activeTags.get(contactId) ?? []));
    const results = body.tags.map(({ tagId }) => {
      const id = Number(tagId);
      const tag = state.tags.get(id);
      if (!tag?.isActive) return { success: false, tagId: id, error: "Invalid TagId" };
      current.add(id);
      return { success: true, tagId: id, error: null };
    });
    if (active) state.activeTags.set(contactId, [...current]);
    else {
      const override = state.warehouse.overrides.get(contactId) ?? { lastUpdateMs: 0 };
      override.tagIds = [...current];
      override.lastUpdateMs = clockNowMs();
      state.warehouse.overrides.set(contactId, override);
    }
    return sendJson(ctx, call.reply, {
      resultSet: {
        errorCount: errorCountOf(ctx, results.filter((r) => !r.success).length),
        tagResults: results,
      },
    });
  });
}

/** The failed items' count as the knob `tagErrorCount` writes it (text by default, as NICE reads it). */
function errorCountOf(ctx: CxoneContext, failed: number): number | string {
  return ctx.state.knobs.tagErrorCount === "number" ? failed : String(failed);
}
