import type { FastifyInstance } from "fastify";
import { validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { readAcknowledgements } from "../../campaigns/watchdog/acknowledge.ts";
import type { Incident } from "../../campaigns/watchdog/state.ts";
import { ID_PATTERN, ID_RULE } from "../../core/ids.ts";
import type { Store } from "../../core/store/index.ts";
import { storedCallerIdHealth } from "../callerid-check.ts";
import type { CampaignBoard } from "../campaign-board.ts";
import { AnswerError } from "../error-answers.ts";
import type { MetricsPoller } from "../metrics-poller.ts";
import { NO_FRAMING_HEADERS } from "../security-headers.ts";
import { sessionKey } from "../sessions.ts";
import type { SseHub } from "../sse-hub.ts";
import { auditView, bulkJobsView, outboxView } from "../store-views.ts";
import { admitCampaign, type UnseenCampaignBudget } from "../unseen-campaigns.ts";
import { hasFailedOver, type WatchdogSet } from "../watchdogs.ts";

/**
 * What the board reads: campaigns, a campaign's health and series, the dashboard, outbox,
 * audit, bulk jobs, incidents, and the live event stream. Parameters are zod schemas on the
 * routes (fastify-type-provider-zod): a malformed one is the error handler's 400.
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
}

const campaignId = z.string().regex(ID_PATTERN, ID_RULE);
const idParams = z.object({ id: campaignId });
const auditQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export async function boardRoutes(plain: FastifyInstance, deps: BoardDeps): Promise<void> {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);

  app.get("/api/campaigns", async () => ({ campaigns: deps.board.views() }));

  app.get("/api/campaigns/:id/health", { schema: { params: idParams } }, async (request, reply) => {
    const id = request.params.id;
    const admission = await admitCampaign(id, deps);
    if (admission.outcome === "missing")
      return reply.code(404).send({
        error: "not_found",
        message: deps.poller ? `campaign ${id} does not exist` : `campaign ${id} is not watched`,
      });
    if (admission.outcome === "busy")
      return reply.code(429).header("retry-after", "60").send({
        error: "rate_limited",
        message:
          "too many campaigns this service does not watch were asked for: each costs CXone requests; add them to service.campaigns, or try again in a minute",
      });
    if (admission.outcome === "refused")
      return reply.code(400).send({ error: "bad_request", message: admission.error.message });
    if (admission.outcome === "unavailable")
      throw new AnswerError(502, "cxone_unavailable", admission.error.message);
    const view = deps.board.view(id);
    if (!view) return reply.code(404).send({ error: "not_found", message: `campaign ${id} is not watched` });
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

  app.get("/api/campaigns/:id/series", { schema: { params: idParams } }, async (request, reply) => {
    if (!deps.board.has(request.params.id)) return reply.code(404).send({ error: "not_found" });
    return { campaignId: request.params.id, points: deps.board.series(request.params.id) };
  });

  app.get("/api/dashboard", async () => ({
    generatedAt: new Date().toISOString(),
    timeZone: deps.timeZone,
    campaigns: deps.board.views().map((view) => ({ ...view, series: deps.board.series(view.id) })),
    watchdogs: { available: deps.watchdogs.available, states: deps.watchdogs.states() },
  }));

  app.get("/api/outbox", async () => ({ destinations: await outboxView(deps.store, deps.destinations) }));

  app.get("/api/audit", { schema: { querystring: auditQuery } }, async (request) => {
    return { records: await auditView(deps.store, request.query.limit) };
  });

  app.get("/api/jobs", async () => ({ jobs: await bulkJobsView(deps.store) }));

  // Numbers under watch or suspect (issue 66), from the leader's last daily check.
  app.get("/api/callerid", async () => {
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

  app.get("/api/incidents", async () => {
    const acks = await readAcknowledgements(deps.store);
    return {
      available: deps.watchdogs.available,
      incidents: ((await deps.watchdogs.incidents()) as Incident[]).map((incident) => ({
        ...incident,
        acknowledged: acks.get(incident.id) ?? null,
      })),
    };
  });

  app.get("/api/events", (request, reply) => {
    reply.hijack();
    const id = request.principal?.sessionId;
    deps.hub.add(reply.raw, {
      ...(id !== undefined ? { sessionKey: sessionKey(id) } : {}),
      headers: NO_FRAMING_HEADERS,
    });
    request.raw.on("close", () => reply.raw.end());
  });
}
