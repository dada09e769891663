import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { readAcknowledgements } from "../../campaigns/watchdog/acknowledge.ts";
import type { Incident } from "../../campaigns/watchdog/state.ts";
import { clockNowDate, clockNowMs } from "../../core/clock/now.ts";
import type { Settings } from "../../core/config/schema.ts";
import { ID_PATTERN, ID_RULE } from "../../core/ids.ts";
import type { Store } from "../../core/store/index.ts";
import { campaignHealthAnswer, campaignsAnswer, dashboardAnswer, seriesAnswer } from "../answers/board.ts";
import {
  auditAnswer,
  autopilotAnswer,
  callerIdAnswer,
  consentAnswer,
  incidentsAnswer,
  jobsAnswer,
  outboxAnswer,
  skillDriftAnswer,
} from "../answers/panels.ts";
import { SIGNED_IN } from "../auth.ts";
import { storedCallerIdHealth } from "../callerid-check.ts";
import type { CampaignBoard } from "../campaign-board.ts";
import { consentPanel, maskPhonesIn } from "../consent-panel.ts";
import { AnswerError } from "../error-answers.ts";
import type { MetricsPoller } from "../metrics-poller.ts";
import { mayAct } from "../operators.ts";
import { NO_FRAMING_HEADERS } from "../security-headers.ts";
import { sessionKey } from "../sessions.ts";
import type { SseHub } from "../sse-hub.ts";
import { auditView, bulkJobsView, outboxView } from "../store-views.ts";
import { admitCampaign, budgetSpent, type UnseenCampaignBudget } from "../unseen-campaigns.ts";
import { hasFailedOver, type WatchdogSet } from "../watchdogs.ts";
/**
 * What the board reads: campaigns, a campaign's health and series, the dashboard, outbox,
 * audit, bulk jobs, incidents, and the live event stream. Parameters are zod schemas on the
 * routes (fastify-type-provider-zod): a malformed one is the error handler's 400. Every answer
 * has its response schema (answers/), which Fastify serialises with; every route is for anyone
 * signed in (`config: SIGNED_IN`); every refusal is thrown to the one error handler.
 */
export interface BoardDeps {
  board: CampaignBoard;
  store: Store;
  hub: SseHub;
  poller: MetricsPoller | undefined;
  /** The tenant's budget of lookups of campaigns the board has not seen (shared with the webhooks). */
  unseen: UnseenCampaignBudget;
  watchdogs: WatchdogSet;
  destinations: readonly string[];
  timeZone: string;
  /** The consent panel's settings (issue 77 §5). */
  settings: {
    consent: { cxoneDncGroup?: string | undefined; cxoneDncMaxAgeMinutes: number };
    /** The autopilot's campaigns (issue 91 §2); absent or empty: the panel says it is not configured. */
    autopilot?: Settings["autopilot"];
    service?: { timeZone?: string | undefined };
  };
  /**
   * The tenant's client: whether its platform has DNC groups (a client without a connection
   * has none: it answers every operation with its refusal).
   */
  client: { unsupported(operation: "dncGroups"): unknown };
}

const campaignId = z.string().regex(ID_PATTERN, ID_RULE);
const idParams = z.object({ id: campaignId });
const auditQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

const zodApp = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();

export async function boardRoutes(plain: FastifyInstance, deps: BoardDeps): Promise<void> {
  const app = zodApp(plain);
  const config = SIGNED_IN;

  app.get("/api/campaigns", { config, schema: { response: { 200: campaignsAnswer } } }, async () => ({
    campaigns: deps.board.views(),
  }));

  const health = { params: idParams, response: { 200: campaignHealthAnswer } };
  app.get("/api/campaigns/:id/health", { config, schema: health }, async (request) => {
    const id = request.params.id;
    const admission = await admitCampaign(id, deps);
    if (admission.outcome === "missing")
      throw new AnswerError(
        404,
        "not_found",
        deps.poller ? `campaign ${id} does not exist` : `campaign ${id} is not watched`,
      );
    if (admission.outcome === "busy")
      throw budgetSpent(
        "too many campaigns this service does not watch were asked for: each costs CXone requests; add them to service.campaigns, or try again in a minute",
      );
    if (admission.outcome === "refused") throw new AnswerError(400, "bad_request", admission.error.message);
    if (admission.outcome === "unavailable")
      throw new AnswerError(502, "cxone_unavailable", admission.error.message);
    const view = deps.board.view(id);
    if (!view) throw new AnswerError(404, "not_found", `campaign ${id} is not watched`);
    const failedOver = deps.watchdogs.states().some((w) => w.primary === id && hasFailedOver(w));
    return {
      campaign_id: id,
      status: view.status,
      active_calls: view.activeCalls ?? 0,
      success_rate: view.successRate ?? 0,
      failover_triggered: view.failoverTriggered || failedOver,
      last_metric_update: view.lastMetricUpdate ?? "",
    };
  });

  const series = { params: idParams, response: { 200: seriesAnswer } };
  app.get("/api/campaigns/:id/series", { config, schema: series }, async (request) => {
    const id = request.params.id;
    if (!deps.board.has(id)) throw new AnswerError(404, "not_found", `campaign ${id} is not watched`);
    return { campaignId: id, points: deps.board.series(id) };
  });

  app.get("/api/dashboard", { config, schema: { response: { 200: dashboardAnswer } } }, async () => ({
    generatedAt: clockNowDate().toISOString(),
    timeZone: deps.timeZone,
    campaigns: deps.board.views().map((view) => ({ ...view, series: deps.board.series(view.id) })),
    watchdogs: { available: deps.watchdogs.available, states: deps.watchdogs.states() },
  }));

  storePanelRoutes(app, deps);

  // Server-sent events, not JSON: no response schema.
  app.get("/api/events", { config }, (request, reply) => {
    reply.hijack();
    const id = request.principal?.sessionId;
    deps.hub.add(reply.raw, {
      ...(id !== undefined ? { sessionKey: sessionKey(id) } : {}),
      headers: NO_FRAMING_HEADERS,
    });
    request.raw.on("close", () => reply.raw.end());
  });
}

/** The store panels: outbox, audit, bulk jobs, caller-ID health, incidents. */
function storePanelRoutes(app: ReturnType<typeof zodApp>, deps: BoardDeps): void {
  const config = SIGNED_IN;
  app.get("/api/outbox", { config, schema: { response: { 200: outboxAnswer } } }, async () => ({
    destinations: await outboxView(deps.store, deps.destinations),
  }));

  const audit = { querystring: auditQuery, response: { 200: auditAnswer } };
  app.get("/api/audit", { config, schema: audit }, async (request) => {
    const records = await auditView(deps.store, request.query.limit);
    // A consumer's number is whole for operators only; viewers see its last four digits (issue 77 §5).
    if (mayAct(request.principal?.role)) return { records };
    return {
      records: records.map((r) => ({ ...r, target: r.target === null ? null : maskPhonesIn(r.target) })),
    };
  });

  // Skills edited behind cxo's back after a push (the watch acts within minutes; until then here).
  app.get("/api/skill-drift", { config, schema: { response: { 200: skillDriftAnswer } } }, async () => {
    const { openDrifts } = await import("../../strategy/skill-watch.ts");
    const drifts = await openDrifts(deps.store);
    return {
      drifts: drifts.map((d) => ({ skill: d.skillId, text: d.text, seenAt: d.seenAt, action: d.action })),
    };
  });

  app.get("/api/autopilot", { config, schema: { response: { 200: autopilotAnswer } } }, async () => {
    const { autopilotPanel } = await import("../autopilot-panel.ts");
    return autopilotPanel(deps.store, deps.settings, deps.timeZone, clockNowMs());
  });

  app.get("/api/consent", { config, schema: { response: { 200: consentAnswer } } }, async (request) =>
    consentPanel(
      deps.store,
      {
        cxoneDncGroup: deps.settings.consent.cxoneDncGroup,
        cxoneDncMaxAgeMinutes: deps.settings.consent.cxoneDncMaxAgeMinutes,
      },
      {
        timeZone: deps.timeZone,
        nowMs: clockNowMs(),
        hasDncGroups: !deps.client.unsupported("dncGroups"),
        mask: !mayAct(request.principal?.role),
      },
    ),
  );

  app.get("/api/jobs", { config, schema: { response: { 200: jobsAnswer } } }, async () => ({
    jobs: await bulkJobsView(deps.store),
  }));

  // Numbers under watch or suspect (issue 66), from the leader's last daily check.
  app.get("/api/callerid", { config, schema: { response: { 200: callerIdAnswer } } }, async () => {
    const stored = await storedCallerIdHealth(deps.store);
    const order = { suspect: 0, watch: 1, ok: 2 } as const;
    return {
      checkedAt:
        stored
          .map((s) => s.checkedAt)
          .sort()
          .at(-1) ?? null,
      campaigns: stored.length,
      numbers: stored
        .flatMap((s) => s.rows)
        .filter((r) => r.status !== "ok")
        .sort((a, b) => order[a.status] - order[b.status] || a.ratio - b.ratio)
        .map((r) => ({
          callerId: r.callerId,
          campaignId: r.campaignId,
          ...(r.carrier !== undefined ? { carrier: r.carrier } : {}),
          status: r.status,
          ratio: r.ratio,
          answerRate: r.answerRate,
          expectedAnswerRate: r.expectedAnswerRate,
          since: r.since ?? null,
          onset: r.onset ?? null,
          calls: r.calls,
        })),
    };
  });

  app.get("/api/incidents", { config, schema: { response: { 200: incidentsAnswer } } }, async () => {
    const acks = await readAcknowledgements(deps.store);
    return {
      available: deps.watchdogs.available,
      incidents: ((await deps.watchdogs.incidents()) as Incident[]).map((incident) => ({
        ...incident,
        acknowledged: acks.get(incident.id) ?? null,
      })),
    };
  });
}
