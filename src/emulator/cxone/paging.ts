import { clockNowDate } from "../../core/clock/now.ts";
import type { CxoneContext } from "./context.ts";
import { invalid } from "./errors.ts";
import { type ApiCall, integer, originOf, sendEmpty, sendJson } from "./http.ts";
/**
 * `skip`/`top` paging as the platform does it (reference §C1): `top` defaults to 100 and is
 * capped (knobs `topCap`, `topOverCap`), `_links.next` is an absolute URL with `skip`
 * advanced (null on the last page), and a page with no items is a bare 204.
 */
export interface Page {
  skip: number;
  top: number;
}

export function pageOf(ctx: CxoneContext, query: Record<string, unknown>): Page {
  const skip = ctx.state.knobs.ignoreSkip ? 0 : (integer(query, "skip", 0) ?? 0);
  let top = integer(query, "top", 1) ?? 100;
  const { topCap, topOverCap } = ctx.state.knobs;
  if (top > topCap) {
    if (topOverCap === "reject") throw invalid("top", `is above the maximum of ${topCap}`);
    top = topCap;
  }
  return { skip, top };
}

function linkWith(call: ApiCall, skip: number): string {
  const url = new URL(call.request.originalUrl, originOf(call.request));
  url.searchParams.set("skip", String(skip));
  return `${originOf(call.request)}${url.pathname}${url.search}`;
}

export function links(call: ApiCall, total: number, count: number, page: Page) {
  const self = `${originOf(call.request)}${call.request.originalUrl}`;
  const next = page.skip + count < total ? linkWith(call, page.skip + count) : null;
  const previous = page.skip > 0 ? linkWith(call, Math.max(0, page.skip - page.top)) : null;
  return { self, next, previous };
}

/** Sends one page: 204 when it is empty, else the envelope with `arrayKey`. */
export function sendPage(
  ctx: CxoneContext,
  call: ApiCall,
  arrayKey: string,
  items: unknown[],
  total: number,
  page: Page,
  extra: Record<string, unknown> = {},
) {
  if (items.length === 0) return sendEmpty(call.reply, 204);
  return sendJson(ctx, call.reply, {
    totalRecords: total,
    businessUnitId: ctx.state.businessUnitId,
    lastPollTime: clockNowDate().toISOString(),
    ...(ctx.state.knobs.pageLinks ? { _links: links(call, total, items.length, page) } : {}),
    ...extra,
    [arrayKey]: items,
  });
}

/**
 * Pages an in-memory list (the admin catalogues: dispositions, skills, tags, lists…); a `top`
 * above `adminTopCap` is silently capped (MCP: admin lists page at most 100).
 */
export function sendListPage(
  ctx: CxoneContext,
  call: ApiCall,
  arrayKey: string,
  all: unknown[],
  extra: Record<string, unknown> = {},
) {
  const asked = pageOf(ctx, call.query);
  const page = { ...asked, top: Math.min(asked.top, ctx.state.knobs.adminTopCap) };
  return sendPage(ctx, call, arrayKey, all.slice(page.skip, page.skip + page.top), all.length, page, extra);
}
