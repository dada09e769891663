import { z } from "zod";
import { jsonNumber } from "../../core/json-number.ts";

/**
 * The board's JSON, as zod schemas: the response schemas of /api/campaigns, /api/dashboard and
 * /api/campaigns/:id/series (Fastify serialises with them), the server-sent events' campaigns,
 * and — as types only — what the console's modules read (src/service/static/, JSDoc
 * `import("./board.ts")`). One source: campaign-board.ts's views are checked against
 * these (test/service/answer-schemas.test.ts), and a field missing here would be dropped by the
 * serializer, which that test shows it is not.
 *
 * This file imports zod only: the console's type-check (a browser program) reads it.
 */

const isoTime = z.string();

export const metricPoint = z.object({
  t: jsonNumber(),
  successRate: jsonNumber().nullable(),
  activeCalls: jsonNumber(),
  abandonmentRate: jsonNumber().nullable(),
});

export const liveDayCounts = z.object({
  dials: jsonNumber().optional(),
  connects: jsonNumber().optional(),
  rightPartyConnects: jsonNumber().optional(),
  abandons: jsonNumber().optional(),
  abandonRate: jsonNumber().optional(),
  since: isoTime,
  observedAt: isoTime,
  source: z.string(),
});

export const liveView = z.object({
  campaignId: z.string(),
  running: z.boolean().optional(),
  agentsLoggedIn: jsonNumber().optional(),
  agentsAvailable: jsonNumber().optional(),
  agentsWorking: jsonNumber().optional(),
  agentsInWrap: jsonNumber().optional(),
  contactsActive: jsonNumber().optional(),
  queued: jsonNumber().optional(),
  observedAt: isoTime,
  source: z.string(),
  today: liveDayCounts.optional(),
  ageSeconds: jsonNumber(),
});

export const pacingPoint = z.object({
  t: jsonNumber(),
  ratio: jsonNumber().nullable(),
  abandonment: jsonNumber(),
});

export const outsideChange = z.object({
  inForce: jsonNumber(),
  lastSet: jsonNumber(),
  at: isoTime,
  action: z.enum(["handed-over", "re-asserted"]),
});

export const pacingAutomation = z.object({
  state: z.enum(["stopped", "automatic"]),
  by: z.string(),
  at: isoTime,
  reason: z.string().optional(),
});

/** The abandonment ledger's figure for the campaign's regime (issue 67; dialer/abandonment/board-figure.ts). */
export const ledgerAnswer = z.object({
  regime: z.string(),
  words: z.string(),
  rate: jsonNumber().nullable(),
  interval95: z.tuple([jsonNumber(), jsonNumber()]).nullable(),
  abandoned: jsonNumber(),
  live: jsonNumber(),
  limit: jsonNumber(),
  headroom: jsonNumber(),
  estimatedPeople: jsonNumber(),
  worst: z.object({ rate: jsonNumber(), from: isoTime, to: isoTime }).nullable(),
});

export const pacingView = z.object({
  mode: z.enum(["auto", "guard"]),
  window: z.string(),
  target: jsonNumber(),
  ratio: jsonNumber().nullable(),
  ratioReadAt: isoTime.nullish(),
  wish: jsonNumber().nullish(),
  lastSet: jsonNumber().nullish(),
  outside: outsideChange.nullish(),
  notPaced: z.string().nullish(),
  tenantWide: z.boolean().optional(),
  onOutsideChange: z.enum(["hand-over", "reassert"]).optional(),
  cap: jsonNumber().nullable(),
  atCap: z.boolean(),
  abandonTarget: jsonNumber().nullable(),
  abandonment: jsonNumber(),
  liveAnswers: jsonNumber(),
  budgetLeft: jsonNumber(),
  reason: z.string(),
  at: isoTime,
  history: z.array(pacingPoint),
  automation: pacingAutomation.nullish(),
  ledger: ledgerAnswer.nullish(),
});

export const rateFigure = z.object({
  id: z.enum(["success", "abandonment-recent", "abandonment-window", "abandonment-today"]),
  label: z.string(),
  window: z.string(),
  rate: jsonNumber().nullable(),
  count: z.object({ of: jsonNumber(), per: jsonNumber(), unit: z.string() }).nullable(),
  sample: z.enum(["enough", "too-few", "not-counted", "none"]),
  minimum: jsonNumber(),
  limit: jsonNumber().nullable(),
  alarm: z.boolean(),
  differsFrom: z.string().optional(),
});

export const idleView = z.object({
  dialing: z.boolean(),
  dialableNow: jsonNumber(),
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
  successRate: jsonNumber().nullable(),
  callsInWindow: jsonNumber().nullable(),
  windowMinutes: jsonNumber().nullable(),
  activeCalls: jsonNumber().nullable(),
  abandonmentRate: jsonNumber().nullable(),
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
    successRate: jsonNumber(),
    callsInWindow: jsonNumber().nullable(),
    threshold: jsonNumber(),
    minSample: jsonNumber(),
    breaches: jsonNumber(),
  }),
  phase: incidentPhase,
  failedOverAt: isoTime.nullable(),
  closedAt: isoTime.nullable(),
  closedBy: z.enum(["fail-back", "primary-resumed"]).nullable(),
});

const metricsSnapshot = z.object({
  campaignId: z.string(),
  successRate: jsonNumber(),
  callsInWindow: jsonNumber().nullable(),
  activeCalls: jsonNumber(),
  at: isoTime,
});

export const evaluation = z.object({
  at: isoTime,
  source: z.enum(["poll", "webhook", "live"]),
  primary: metricsSnapshot.nullable(),
  verdict: z.enum(["breach", "healthy", "insufficient"]).nullable(),
  breaches: jsonNumber(),
  healthy: jsonNumber(),
  action: z.enum(["none", "failover", "fail-back", "closed"]),
  incident: z.object({ id: z.string(), phase: incidentPhase }).nullable(),
  backup: metricsSnapshot.nullable(),
  error: z.string().nullable(),
  live: z
    .object({
      rule: z.string().nullable(),
      reason: z.string().nullable(),
      streak: jsonNumber(),
      observedAt: isoTime,
      source: z.string(),
    })
    .optional(),
});

export const watchdogState = z.object({
  primary: z.string(),
  backup: z.string(),
  breaches: jsonNumber(),
  healthy: jsonNumber(),
  evaluations: jsonNumber(),
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
  active_calls: jsonNumber(),
  success_rate: jsonNumber(),
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
export type LedgerAnswer = z.output<typeof ledgerAnswer>;
export type PacingPointAnswer = z.output<typeof pacingPoint>;
export type RateAnswer = z.output<typeof rateFigure>;
export type IdleAnswer = z.output<typeof idleView>;
export type IncidentAnswer = z.output<typeof incident>;
export type WatchdogStateAnswer = z.output<typeof watchdogState>;
export type DashboardAnswer = z.output<typeof dashboardAnswer>;
