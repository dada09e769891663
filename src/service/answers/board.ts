import { z } from "zod";

/**
 * The board's JSON, as zod schemas: the response schemas of /api/campaigns, /api/dashboard and
 * /api/campaigns/:id/series (Fastify serialises with them), the server-sent events' campaigns,
 * and — as types only — what the console's modules read (src/service/static/, JSDoc
 * `import("../answers/board.ts")`). One source: campaign-board.ts's views are checked against
 * these (test/service/answer-schemas.test.ts), and a field missing here would be dropped by the
 * serializer, which that test shows it is not.
 *
 * This file imports zod only: the console's type-check (a browser program) reads it.
 */

const isoTime = z.string();

export const metricPoint = z.object({
  t: z.number(),
  successRate: z.number().nullable(),
  activeCalls: z.number(),
  abandonmentRate: z.number().nullable(),
});

export const liveDayCounts = z.object({
  dials: z.number().optional(),
  connects: z.number().optional(),
  rightPartyConnects: z.number().optional(),
  abandons: z.number().optional(),
  abandonRate: z.number().optional(),
  since: isoTime,
  observedAt: isoTime,
  source: z.string(),
});

export const liveView = z.object({
  campaignId: z.string(),
  running: z.boolean().optional(),
  agentsLoggedIn: z.number().optional(),
  agentsAvailable: z.number().optional(),
  agentsWorking: z.number().optional(),
  agentsInWrap: z.number().optional(),
  contactsActive: z.number().optional(),
  queued: z.number().optional(),
  observedAt: isoTime,
  source: z.string(),
  today: liveDayCounts.optional(),
  ageSeconds: z.number(),
});

export const pacingPoint = z.object({
  t: z.number(),
  ratio: z.number().nullable(),
  abandonment: z.number(),
});

export const outsideChange = z.object({
  inForce: z.number(),
  lastSet: z.number(),
  at: isoTime,
  action: z.enum(["handed-over", "re-asserted"]),
});

export const pacingAutomation = z.object({
  state: z.enum(["stopped", "automatic"]),
  by: z.string(),
  at: isoTime,
  reason: z.string().optional(),
});

export const pacingView = z.object({
  mode: z.enum(["auto", "guard"]),
  window: z.string(),
  target: z.number(),
  ratio: z.number().nullable(),
  ratioReadAt: isoTime.nullish(),
  wish: z.number().nullish(),
  lastSet: z.number().nullish(),
  outside: outsideChange.nullish(),
  notPaced: z.string().nullish(),
  tenantWide: z.boolean().optional(),
  onOutsideChange: z.enum(["hand-over", "reassert"]).optional(),
  cap: z.number().nullable(),
  atCap: z.boolean(),
  abandonTarget: z.number().nullable(),
  abandonment: z.number(),
  liveAnswers: z.number(),
  budgetLeft: z.number(),
  reason: z.string(),
  at: isoTime,
  history: z.array(pacingPoint),
  automation: pacingAutomation.nullish(),
});

export const rateFigure = z.object({
  id: z.enum(["success", "abandonment-recent", "abandonment-window", "abandonment-today"]),
  label: z.string(),
  window: z.string(),
  rate: z.number().nullable(),
  count: z.object({ of: z.number(), per: z.number(), unit: z.string() }).nullable(),
  sample: z.enum(["enough", "too-few", "not-counted", "none"]),
  minimum: z.number(),
  limit: z.number().nullable(),
  alarm: z.boolean(),
  differsFrom: z.string().optional(),
});

export const idleView = z.object({
  dialing: z.boolean(),
  dialableNow: z.number(),
  cause: z
    .object({ code: z.string(), title: z.string(), fix: z.string(), until: isoTime.nullable() })
    .nullable(),
  summary: z.string(),
  runsDryAt: isoTime.nullable(),
  idleSince: isoTime.nullable(),
  shouldDial: z.boolean(),
  checkedAt: isoTime,
});

export const campaignView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  status: z.enum(["active", "paused", "stopped", "unknown"]),
  successRate: z.number().nullable(),
  callsInWindow: z.number().nullable(),
  windowMinutes: z.number().nullable(),
  activeCalls: z.number().nullable(),
  abandonmentRate: z.number().nullable(),
  failoverTriggered: z.boolean(),
  lastMetricUpdate: isoTime.nullable(),
  lastSource: z.enum(["poll", "webhook"]).nullable(),
  lastError: z.string().nullable(),
  live: liveView.nullable(),
  pacing: pacingView.nullable(),
  rates: z.array(rateFigure),
  idle: idleView.nullable(),
});

const incidentPhase = z.enum(["failing-over", "failed-over", "failing-back", "closed"]);

export const incident = z.object({
  id: z.string(),
  primary: z.string(),
  backup: z.string(),
  openedAt: isoTime,
  trigger: z.object({
    rule: z.enum(["success-rate", "agents-logged-out", "contacts-stopped", "abandon-rate"]).optional(),
    reason: z.string().optional(),
    successRate: z.number(),
    callsInWindow: z.number().nullable(),
    threshold: z.number(),
    minSample: z.number(),
    breaches: z.number(),
  }),
  phase: incidentPhase,
  failedOverAt: isoTime.nullable(),
  closedAt: isoTime.nullable(),
  closedBy: z.enum(["fail-back", "primary-resumed"]).nullable(),
});

const metricsSnapshot = z.object({
  campaignId: z.string(),
  successRate: z.number(),
  callsInWindow: z.number().nullable(),
  activeCalls: z.number(),
  at: isoTime,
});

export const evaluation = z.object({
  at: isoTime,
  source: z.enum(["poll", "webhook", "live"]),
  primary: metricsSnapshot.nullable(),
  verdict: z.enum(["breach", "healthy", "insufficient"]).nullable(),
  breaches: z.number(),
  healthy: z.number(),
  action: z.enum(["none", "failover", "fail-back", "closed"]),
  incident: z.object({ id: z.string(), phase: incidentPhase }).nullable(),
  backup: metricsSnapshot.nullable(),
  error: z.string().nullable(),
  live: z
    .object({
      rule: z.string().nullable(),
      reason: z.string().nullable(),
      streak: z.number(),
      observedAt: isoTime,
      source: z.string(),
    })
    .optional(),
});

export const watchdogState = z.object({
  primary: z.string(),
  backup: z.string(),
  breaches: z.number(),
  healthy: z.number(),
  evaluations: z.number(),
  openIncidentId: z.string().nullable(),
  incidents: z.array(incident),
  lastEvaluation: evaluation.nullable(),
  updatedAt: isoTime,
});

/** `GET /api/campaigns`. */
export const campaignsAnswer = z.object({ campaigns: z.array(campaignView) });

/** `GET /api/campaigns/:id/series`. */
export const seriesAnswer = z.object({ campaignId: z.string(), points: z.array(metricPoint) });

/** `GET /api/dashboard`: the page's first picture. */
export const dashboardAnswer = z.object({
  generatedAt: isoTime,
  timeZone: z.string(),
  campaigns: z.array(campaignView.extend({ series: z.array(metricPoint) })),
  watchdogs: z.object({ available: z.boolean(), states: z.array(watchdogState) }),
});

/** `GET /api/campaigns/:id/health`: seed 002's shape. */
export const campaignHealthAnswer = z.object({
  campaign_id: z.string(),
  status: z.string(),
  active_calls: z.number(),
  success_rate: z.number(),
  failover_triggered: z.boolean(),
  last_metric_update: z.string(),
});

/**
 * The live stream's board events (`/api/events`: `metrics`, `state`, `live`, `removed`), each
 * the data of the server-sent event of its kind, as campaign-board.ts emits them (the stream has
 * no serializer: test/service/answer-schemas.test.ts checks the server's events fit this type).
 */
export type BoardEvent =
  | { kind: "metrics"; campaignId: string; point: MetricPoint; campaign: CampaignAnswer }
  | { kind: "state"; campaignId: string; campaign: CampaignAnswer }
  | { kind: "live"; campaignId: string; campaign: CampaignAnswer }
  | { kind: "removed"; campaignId: string };

export type MetricPoint = z.output<typeof metricPoint>;
export type CampaignAnswer = z.output<typeof campaignView>;
export type LiveAnswer = z.output<typeof liveView>;
export type PacingAnswer = z.output<typeof pacingView>;
export type PacingPointAnswer = z.output<typeof pacingPoint>;
export type RateAnswer = z.output<typeof rateFigure>;
export type IdleAnswer = z.output<typeof idleView>;
export type IncidentAnswer = z.output<typeof incident>;
export type WatchdogStateAnswer = z.output<typeof watchdogState>;
export type DashboardAnswer = z.output<typeof dashboardAnswer>;
