import type { FastifyInstance } from "fastify";
import { clockNowMs } from "../../../core/clock/now.ts";
import type { CxoneContext } from "../context.ts";
import type { CompletedQuery } from "../data/contacts.ts";
import { contactRecord, project } from "../data/wire.ts";
import { invalid } from "../errors.ts";
import { apiRoute, integer, sendEmpty, text } from "../http.ts";
import { pageOf, sendPage } from "../paging.ts";
import { parseDate } from "./dates.ts";
/**
 * §C2 #15 `GET …/contacts/completed`: the warehouse, paged with skip/top, filtered on
 * `contactStartDate` in [startDate, endDate) (knobs change both), only contacts older than
 * the warehouse lag, `fields=` projection, v23 or v33 field names by the path's version, tags
 * only with `tags=true`. `updatedSince` lists what changed since then (in change order with
 * `orderBy=lastUpdateTime asc`), and nothing changed is a 304 (knob unchangedStatus).
 */
export function registerCompletedRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;

  apiRoute(app, { method: "GET", path: "/contacts/completed", group: "completed" }, (call) => {
    const q = call.query;
    const knobs = state.knobs;
    const fromMs = parseDate(q, "startDate");
    const toMs = parseDate(q, "endDate");
    if (fromMs !== null && toMs !== null && toMs < fromMs) throw invalid("endDate", "is before startDate");
    const skillId = integer(q, "skillId", 0);
    const campaignId = integer(q, "campaignId", 0);
    let skillIds: Set<number> | null = null;
    if (skillId !== null || campaignId !== null) {
      skillIds = new Set(
        [...state.skills.values()]
          .filter((s) => skillId === null || s.skillId === skillId)
          .filter((s) => campaignId === null || s.campaignId === campaignId)
          .map((s) => s.skillId),
      );
    }
    const order = orderOf(text(q, "orderBy"), knobs.orderByKeys);
    const fieldsText = text(q, "fields");
    const fields = fieldsText
      ? fieldsText
          .split(",")
          .map((f) => f.trim())
          .filter(Boolean)
      : null;
    const query: CompletedQuery = {
      fromMs,
      toMs,
      endInclusive: knobs.endDateInclusive,
      dateField: knobs.dateFilterField,
      skillIds,
      agentId: integer(q, "agentId", 0),
      mediaTypeId: integer(q, "mediaTypeId", 0),
      updatedSinceMs: parseDate(q, "updatedSince"),
      visibleUntilMs: state.visibleUntilMs(),
      descending: order.descending,
      byLastUpdate: order.key === "lastupdatetime",
    };
    const page = pageOf(ctx, q);
    const { total, positions } = state.warehouse.query(query, page.skip, page.top);
    const look = state.lookups();
    // GEN: tags come only when asked for (`tags=true`); TAP, which never asks, sees none.
    const withTags = (text(q, "tags") ?? "").toLowerCase() === "true";
    const records = positions.map((p) => {
      const record = contactRecord(state.warehouse.facts(p), call.version, look);
      if (!withTags) delete record.tags;
      return project(record, fields);
    });
    // AGENT-SDK polls with updatedSince and reads 304 as "no change" (knob unchangedStatus).
    if (total === 0 && query.updatedSinceMs !== null) return sendEmpty(call.reply, knobs.unchangedStatus);
    // Knob listingChurn: the data moves under an incremental listing, after this page is built.
    if (knobs.listingChurn > 0 && query.updatedSinceMs !== null && query.byLastUpdate)
      state.warehouse.touchListed(query, knobs.listingChurn, state.churnDraw(), clockNowMs());
    return sendPage(ctx, call, "completedContacts", records, total, page);
  });
}

/** v23's name of an order key (NICE's SDK orders its v23.0 listing by `contactStart desc`). */
const ORDER_KEY_ALIASES: Record<string, string> = { contactstart: "contactstartdate" };

/**
 * `orderBy=<key> [asc|desc][,<key> [asc|desc]]…` (keys: knob orderByKeys, or v23's
 * `contactStart`; lastUpdateTime lists in change order); an unknown key is a 400. Several keys
 * are taken (NICE's `…contact-history-request.d.ts` documents "a asc,b desc"): the first orders,
 * and the later ones would only break its ties, which the generated order has none of (equal
 * keys keep position order).
 */
function orderOf(value: string | null, keys: readonly string[]): { key: string; descending: boolean } {
  if (value === null) return { key: "contactstartdate", descending: false };
  const terms = value.split(",").map((term) => term.trim());
  const parsed = terms.map((term) => {
    const [named = "", direction = "asc", ...rest] = term.split(/\s+/);
    const key = ORDER_KEY_ALIASES[named.toLowerCase()] ?? named.toLowerCase();
    const known = keys.some((k) => k.toLowerCase() === key);
    if (!known || rest.length > 0 || !/^(asc|desc)$/i.test(direction)) throw invalid("orderBy");
    return { key, descending: direction.toLowerCase() === "desc" };
  });
  return parsed[0] as { key: string; descending: boolean };
}
