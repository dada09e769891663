import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowMs } from "../../core/clock/now.ts";
import type { EmulatorContext } from "../context.ts";
import { parseClientDateTime } from "../datetime.ts";
import { badRequest, notFound, parseOr400 } from "../errors.ts";
import { apiRoute, lastValue } from "../http.ts";
import { decodePageToken, encodePageToken, fingerprint } from "../page-token.ts";
import { ADMIN_PREFIX } from "../pipeline.ts";
import { SCOPES } from "../scopes.ts";
import { RETENTION_MS } from "../state.ts";
/**
 * Seed 004: the outbound call listing. Filters apply to startTime (start inclusive, end
 * exclusive); naive date-times are UTC; a start beyond the 90-day retention or an end in the
 * future is 400, and so is `limit` above 5000. Records come in startTime order. A page may be
 * shorter than `limit` (even empty) and still carry `nextPageToken` when a selective code filter
 * hits the per-request scan budget: clients stop only when `nextPageToken` is null.
 */
export const MAX_LIMIT = 5000;
/** Clock skew tolerated on the retention and future checks. */
const GRACE_MS = 5 * 60_000;

const listQuery = z.object({
  campaignId: z.preprocess(lastValue, z.string().min(1).optional()),
  startDateTime: z.preprocess(lastValue, z.string().min(1).optional()),
  endDateTime: z.preprocess(lastValue, z.string().min(1).optional()),
  dispositionCode: z.union([z.string(), z.array(z.string())]).optional(),
  limit: z.preprocess(lastValue, z.coerce.number().int().min(1).max(MAX_LIMIT).default(1000)),
  nextPageToken: z.preprocess(lastValue, z.string().min(1).optional()),
});

const countsQuery = z.object({
  campaignId: z.preprocess(lastValue, z.string().min(1).optional()),
  startDateTime: z.preprocess(lastValue, z.string().min(1)),
  endDateTime: z.preprocess(lastValue, z.string().min(1)),
});

export function registerOutcomeRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const { state } = ctx;

  // Admin (not CXone): the listing's per-code counts, so tests can check an export against the
  // emulator's own numbers. Same filters as the listing; no auth, not logged.
  app.get(`${ADMIN_PREFIX}/outcomes/counts`, async (request) => {
    const query = parseOr400(countsQuery, request.query, "query");
    let slot: number | null = null;
    if (query.campaignId) {
      if (!state.campaigns.has(query.campaignId)) throw notFound("campaign", query.campaignId);
      slot = state.calls.slotOf(query.campaignId);
    }
    const fromMs = parseClientDateTime(query.startDateTime);
    const toMs = parseClientDateTime(query.endDateTime);
    if (fromMs === null || toMs === null) throw badRequest("startDateTime/endDateTime are not ISO 8601");
    const byCode = slot === -1 ? {} : state.calls.countByCode({ slot, fromMs, toMs });
    const total = Object.values(byCode).reduce((sum, n) => sum + n, 0);
    return { total, byCode };
  });
  apiRoute(
    app,
    ctx,
    {
      method: "GET",
      url: "/api/v2/outbound/calls",
      group: "outcomes",
      scopes: SCOPES.outboundCallRead,
      summary: "Outbound call outcome records by campaign, startTime range and disposition codes, paged",
      query: listQuery,
      responses: {
        "200": "{calls:[...], nextPageToken}",
        "400":
          "bad date-time, start beyond retention, end in the future, limit > 5000, unknown code, bad token",
        "404": "unknown campaign",
      },
    },
    (request) => {
      const query = parseOr400(listQuery, request.query, "query");
      const now = clockNowMs();
      let slot: number | null = null;
      if (query.campaignId) {
        if (!state.campaigns.has(query.campaignId)) throw notFound("campaign", query.campaignId);
        slot = state.calls.slotOf(query.campaignId);
      }
      const fromMs =
        query.startDateTime === undefined ? now - RETENTION_MS : parseClientDateTime(query.startDateTime);
      if (fromMs === null)
        throw badRequest("startDateTime is not an ISO 8601 date-time", { field: "startDateTime" });
      const toMs = query.endDateTime === undefined ? now : parseClientDateTime(query.endDateTime);
      if (toMs === null)
        throw badRequest("endDateTime is not an ISO 8601 date-time", { field: "endDateTime" });
      if (fromMs < now - RETENTION_MS - GRACE_MS) {
        throw badRequest("startDateTime is beyond the 90-day retention", { field: "startDateTime" });
      }
      if (toMs > now + GRACE_MS) throw badRequest("endDateTime is in the future", { field: "endDateTime" });
      if (fromMs > toMs) throw badRequest("startDateTime is after endDateTime", { field: "startDateTime" });

      const raw = query.dispositionCode;
      const names = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
        .flatMap((value) => value.split(","))
        .map((code) => code.trim())
        .filter(Boolean);
      const known = new Set(
        [...state.campaigns.values()].flatMap((c) => c.dispositionCodes.map((code) => code.id)),
      );
      const unknown = names.filter((code) => !known.has(code));
      if (unknown.length > 0)
        throw badRequest(`unknown disposition codes: ${unknown.join(", ")}`, { field: "dispositionCode" });
      const codes = names.length > 0 ? new Set(names) : null;

      // Raw texts, not resolved times: an omitted bound means "now-relative" and must not make
      // the next page's token look like another query.
      const print = fingerprint([
        query.campaignId ?? null,
        query.startDateTime ?? null,
        query.endDateTime ?? null,
        codes ? [...codes].sort() : null,
      ]);
      const cursor = query.nextPageToken
        ? decodePageToken<{ p: number }>(query.nextPageToken, print, "nextPageToken").p
        : null;
      // Campaigns created through the API have no historical calls.
      if (slot === -1) return { calls: [], nextPageToken: null };
      const page = state.calls.page({ slot, fromMs, toMs, codes, limit: query.limit, cursor });
      return {
        calls: page.records,
        nextPageToken: page.next === null ? null : encodePageToken({ p: page.next, f: print }),
      };
    },
  );
}
