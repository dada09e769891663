import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { clockNowMs } from "../../core/clock/now.ts";
import type { EmulatorContext } from "../context.ts";
import type { Campaign } from "../data/model.ts";
import { parseClientDateTime } from "../datetime.ts";
import { badRequest, notFound, parseOr400 } from "../errors.ts";
import { apiRoute, lastValue } from "../http.ts";
import { decodePageToken, encodePageToken, fingerprint } from "../page-token.ts";
import { hashString, unit3 } from "../random.ts";
import { SCOPES } from "../scopes.ts";

/**
 * Seed 003: dialer analytics and the audit log, both paged with `nextPageToken` → `pageToken`.
 * Analytics rows are a pure function of (seed, campaign, bucket); the token pins the time
 * window, so pages stay consistent while the clock moves. Audit pages walk newest → oldest by
 * position, so entries written during paging never shift a page.
 */
const METRICS = ["efficiency", "abandonmentRate", "answerRate", "averageWaitTime"] as const;
type Metric = (typeof METRICS)[number];
const BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;
const DEFAULT_SPAN_MS = { hour: 7 * 86_400_000, day: 30 * 86_400_000 } as const;

const metricsQuery = z.object({
  campaignId: z.preprocess(lastValue, z.string().min(1).optional()),
  metrics: z.union([z.string(), z.array(z.string())]).optional(),
  groupBy: z.preprocess(lastValue, z.enum(["hour", "day"]).default("hour")),
  startTime: z.preprocess(lastValue, z.string().optional()),
  endTime: z.preprocess(lastValue, z.string().optional()),
  pageSize: z.preprocess(lastValue, z.coerce.number().int().min(1).max(1000).default(100)),
  pageToken: z.preprocess(lastValue, z.string().min(1).optional()),
});

const auditQuery = z.object({
  entity: z.preprocess(lastValue, z.enum(["dialer", "campaign"]).optional()),
  pageSize: z.preprocess(lastValue, z.coerce.number().int().min(1).max(500).default(50)),
  pageToken: z.preprocess(lastValue, z.string().min(1).optional()),
});

/** `metrics` as repeated keys, a comma list, or both; unknown names are a 400. */
function requestedMetrics(raw: string | string[] | undefined): Metric[] {
  if (raw === undefined) return [...METRICS];
  const names = (Array.isArray(raw) ? raw : [raw])
    .flatMap((value) => value.split(","))
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(METRICS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw badRequest(`unknown metrics: ${unknown.join(", ")} (known: ${METRICS.join(", ")})`);
  return [...new Set(names)] as Metric[];
}

function metricRow(
  seed: number,
  campaign: Campaign,
  bucketStart: number,
  bucketMs: number,
  wanted: Metric[],
) {
  const key = Math.floor(bucketStart / bucketMs);
  const salt = hashString(campaign.id) & 0xffff;
  const values: Record<Metric, number> = {
    efficiency: Math.round((0.55 + 0.35 * unit3(seed, key, salt + 1)) * 1000) / 1000,
    abandonmentRate: Math.round((0.004 + 0.034 * unit3(seed, key, salt + 2)) * 10_000) / 10_000,
    answerRate: Math.round((0.18 + 0.3 * unit3(seed, key, salt + 3)) * 1000) / 1000,
    averageWaitTime: Math.round((0.8 + 11 * unit3(seed, key, salt + 4)) * 10) / 10,
  };
  const row: Record<string, unknown> = {
    timestamp: new Date(bucketStart).toISOString(),
    campaignId: campaign.id,
  };
  for (const metric of wanted) row[metric] = values[metric];
  return row;
}

export function registerAnalyticsRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const { state } = ctx;

  apiRoute(
    app,
    ctx,
    {
      method: "GET",
      url: "/api/v1/analytics/dialer/metrics",
      group: "analytics",
      scopes: SCOPES.analyticsRead,
      summary: "Dialer metrics per campaign and hour/day, paged",
      query: metricsQuery,
      responses: {
        "200":
          "{results:[{timestamp, campaignId, efficiency, abandonmentRate, answerRate, averageWaitTime}], nextPageToken}",
        "400": "unknown metric, bad time range or page token",
        "404": "unknown campaign",
      },
    },
    (request) => {
      const query = parseOr400(metricsQuery, request.query, "query");
      const wanted = requestedMetrics(query.metrics);
      let campaigns = [...state.campaigns.values()];
      if (query.campaignId) {
        const campaign = state.campaigns.get(query.campaignId);
        if (!campaign) throw notFound("campaign", query.campaignId);
        campaigns = [campaign];
      }
      const bucketMs = BUCKET_MS[query.groupBy];
      const print = fingerprint([
        "metrics",
        query.campaignId ?? null,
        wanted,
        query.groupBy,
        query.startTime,
        query.endTime,
      ]);
      let offset = 0;
      let fromMs: number;
      let toMs: number;
      if (query.pageToken) {
        const token = decodePageToken<{ o: number; s: number; e: number }>(
          query.pageToken,
          print,
          "pageToken",
        );
        ({ o: offset, s: fromMs, e: toMs } = token);
      } else {
        const now = clockNowMs();
        const end = query.endTime === undefined ? now : parseClientDateTime(query.endTime);
        if (end === null) throw badRequest("endTime is not an ISO 8601 date-time", { field: "endTime" });
        const start =
          query.startTime === undefined
            ? end - DEFAULT_SPAN_MS[query.groupBy]
            : parseClientDateTime(query.startTime);
        if (start === null)
          throw badRequest("startTime is not an ISO 8601 date-time", { field: "startTime" });
        if (start >= end) throw badRequest("startTime must be before endTime", { field: "startTime" });
        fromMs = Math.floor(start / bucketMs) * bucketMs;
        toMs = Math.floor(end / bucketMs) * bucketMs;
      }
      const buckets = Math.max(0, Math.round((toMs - fromMs) / bucketMs));
      const total = buckets * campaigns.length;
      const results = [];
      for (let row = offset; row < Math.min(total, offset + query.pageSize); row++) {
        const campaign = campaigns[Math.floor(row / buckets)] as Campaign;
        results.push(
          metricRow(ctx.options.seed, campaign, fromMs + (row % buckets) * bucketMs, bucketMs, wanted),
        );
      }
      const next = offset + query.pageSize;
      return {
        results,
        nextPageToken: next < total ? encodePageToken({ o: next, s: fromMs, e: toMs, f: print }) : null,
      };
    },
  );

  apiRoute(
    app,
    ctx,
    {
      method: "GET",
      url: "/api/v1/audit/logs",
      group: "analytics",
      scopes: SCOPES.auditRead,
      summary: "Dialer and campaign audit entries, newest first, paged",
      query: auditQuery,
      responses: {
        "200": "{logs:[{id, timestamp, entity, action, actor, versionTag, details}], nextPageToken}",
        "400": "bad entity or page token",
      },
    },
    (request) => {
      const query = parseOr400(auditQuery, request.query, "query");
      const print = fingerprint(["audit", query.entity ?? null]);
      // `before` is a position in the append-only audit array: this page starts just below it.
      let before = state.audit.length;
      if (query.pageToken) before = decodePageToken<{ b: number }>(query.pageToken, print, "pageToken").b;
      const logs = [];
      let position = Math.min(before, state.audit.length) - 1;
      for (; position >= 0 && logs.length < query.pageSize; position--) {
        const entry = state.audit[position];
        if (entry && (!query.entity || entry.entity === query.entity)) logs.push(entry);
      }
      let more = false;
      for (let p = position; p >= 0; p--) {
        if (!query.entity || state.audit[p]?.entity === query.entity) {
          more = true;
          break;
        }
      }
      return { logs, nextPageToken: more ? encodePageToken({ b: position + 1, f: print }) : null };
    },
  );
}
