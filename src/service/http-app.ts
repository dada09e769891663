import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Fastify, { type FastifyInstance } from "fastify";
import { z } from "zod";
import { readAcknowledgements } from "../campaigns/watchdog/acknowledge.ts";
import type { Incident } from "../campaigns/watchdog/state.ts";
import type { InternalClient } from "../client.ts";
import type { ServiceSettings, ServiceUser } from "../core/config/index.ts";
import { NotFoundError } from "../core/http/errors.ts";
import { InputError } from "../core/input-error.ts";
import { LOCALE_GUARD_JS } from "../core/locale-guard.ts";
import { type Logger, scrubSecrets } from "../core/logging/index.ts";
import { metricsRegistry } from "../core/metrics/index.ts";
import type { Store } from "../core/store/index.ts";
import type { CampaignLiveMetrics } from "../platform/types.ts";
import { actionRoutes } from "./actions.ts";
import { type AuthOptions, authPlugin, liveSessionKeys } from "./auth.ts";
import type { CampaignBoard } from "./campaign-board.ts";
import type { CxoneStatus } from "./cxone-status.ts";
import { AnswerError, installErrorAnswers } from "./error-answers.ts";
import type { Leadership } from "./leadership.ts";
import type { MetricsPoller } from "./metrics-poller.ts";
import { Operators } from "./operators.ts";
import { readiness } from "./readiness.ts";
import { installRequestPolicy } from "./request-policy.ts";
import { sessionRoutes } from "./routes/session.ts";
import { limitConnectionsPerAddress, type ServerLimits, serverOptions } from "./server-limits.ts";
import { Sessions, sessionKey } from "./sessions.ts";
import { SignInLimiter } from "./sign-in-limiter.ts";
import type { SseHub } from "./sse-hub.ts";
import { auditView, bulkJobsView, outboxView } from "./store-views.ts";
import { UnseenCampaignBudget } from "./unseen-campaigns.ts";
import { hasFailedOver, type WatchdogSet } from "./watchdogs.ts";
import { WEBHOOK_PATH, webhookReceiver } from "./webhook-receiver.ts";

/**
 * The service's HTTP surface: the dashboard (static files + uPlot from node_modules, no CDN),
 * the JSON API it reads, server-sent events, Prometheus /metrics and the CXone webhook
 * receiver. Handlers only read the board and the store; nothing here calls CXone except
 * /api/campaigns/:id/health for a campaign the service has not seen yet (two GETs).
 */
export interface HttpAppDeps {
  board: CampaignBoard;
  /** The CXone client the board's actions use (none without credentials: actions answer 503). */
  client: InternalClient | undefined;
  store: Store;
  hub: SseHub;
  cxone: CxoneStatus;
  poller: MetricsPoller | undefined;
  watchdogs: WatchdogSet;
  leadership: Leadership;
  destinations: readonly string[];
  accessToken: string | undefined;
  /** `service.users`: people who sign in (more in the store, `cxo users add`). */
  users: readonly ServiceUser[];
  sessionHours: number;
  /** service.passwordHashCost: the decoy hash's cost (that of real ones). */
  passwordHashCost: number;
  webhookSecret: string | undefined;
  allowUnsignedWebhooks: boolean;
  /** Transport policy: the bind address and service.allowedHosts (request-policy.ts). */
  bindHost: string;
  allowedHosts: readonly string[];
  observe: (metrics: CampaignLiveMetrics) => void;
  logger: Logger;
  startedAt: number;
  /** The business unit's zone the board shows times in (service.timeZone, else this machine's). */
  timeZone: string;
  /** service.http: timeouts and the connection caps (server-limits.ts). */
  limits: ServerLimits;
  /** service.trustProxy: the proxies whose X-Forwarded-For/-Proto are believed (false: none). */
  trustProxy: ServiceSettings["trustProxy"];
}

const require = createRequire(import.meta.url);
const here = new URL("./static/", import.meta.url);

function asset(file: string, type: string): { body: Buffer; type: string } {
  return { body: readFileSync(file), type };
}

/** The board's plain ES modules (no bundler): served as they are. */
const PAGE_MODULES = [
  "dashboard.js",
  "dom.js",
  "state.js",
  "cards.js",
  "panels.js",
  "format.js",
  "charts.js",
  "session.js",
  "sign-in.js",
  "actions.js",
];
/** What the sign-in page loads, open to everyone. */
const SIGN_IN_ASSETS = ["/static/sign-in.js", "/static/dashboard.css", "/static/locale-guard.js"];

function assets(): Record<string, { body: Buffer; type: string }> {
  return {
    "/": asset(new URL("index.html", here).pathname, "text/html; charset=utf-8"),
    "/sign-in": asset(new URL("sign-in.html", here).pathname, "text/html; charset=utf-8"),
    ...Object.fromEntries(
      PAGE_MODULES.map((file) => [
        `/static/${file}`,
        asset(new URL(file, here).pathname, "text/javascript; charset=utf-8"),
      ]),
    ),
    "/static/locale-guard.js": { body: Buffer.from(LOCALE_GUARD_JS), type: "text/javascript; charset=utf-8" },
    "/static/dashboard.css": asset(new URL("dashboard.css", here).pathname, "text/css; charset=utf-8"),
    "/vendor/uplot/uPlot.iife.min.js": asset(
      require.resolve("uplot/dist/uPlot.iife.min.js"),
      "text/javascript; charset=utf-8",
    ),
    "/vendor/uplot/uPlot.min.css": asset(
      require.resolve("uplot/dist/uPlot.min.css"),
      "text/css; charset=utf-8",
    ),
  };
}

const campaignId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "letters, digits, . _ : - (1-128)");
const idParams = z.object({ id: campaignId });
const auditQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/** Sent on every answer: no other page may frame this service's (CSP for today's browsers, XFO for older). */
const NO_FRAMING_CSP = "frame-ancestors 'none'";
const NO_FRAMING_HEADERS = { "content-security-policy": NO_FRAMING_CSP, "x-frame-options": "DENY" };

function badRequest(error: z.ZodError) {
  const issue = error.issues[0];
  return { error: "invalid_request", field: issue?.path.join(".") ?? "", rule: issue?.message ?? "invalid" };
}

export function buildHttpApp(deps: HttpAppDeps): FastifyInstance {
  const unseen = new UnseenCampaignBudget();
  // The client's address and protocol come from Fastify alone, which believes X-Forwarded-* only
  // from the proxies service.trustProxy names.
  const app = Fastify({ logger: false, ...serverOptions(deps.limits, deps.trustProxy) });
  app.server.maxConnections = deps.limits.maxConnections;
  limitConnectionsPerAddress(app.server, deps.limits.maxConnectionsPerAddress);
  const files = assets();
  // No page of this service may be framed (clickjacking): on every answer, refusals included.
  app.addHook("onRequest", async (_request, reply) => {
    reply.headers(NO_FRAMING_HEADERS);
  });
  installErrorAnswers(app, deps.logger);
  installRequestPolicy(app, { bindHost: deps.bindHost, allowedHosts: deps.allowedHosts });
  const open = new Set(["/api/health", "/api/ready", "/api/session", "/sign-in", ...SIGN_IN_ASSETS]);
  // CXone authenticates with the webhook's signature; without a secret, with the access token.
  if (deps.webhookSecret || !deps.accessToken) open.add(WEBHOOK_PATH);
  const auth: AuthOptions = {
    accessToken: deps.accessToken,
    operators: new Operators(deps.users, deps.store, { hashCost: deps.passwordHashCost }),
    sessions: new Sessions(deps.store, deps.sessionHours * 3600_000),
    limiter: new SignInLimiter(),
    store: deps.store,
    hub: deps.hub,
    openPaths: open,
  };
  app.register(authPlugin, auth);
  app.register(sessionRoutes, auth);
  deps.hub.watchSessions(() => liveSessionKeys(auth));
  app.addHook("onSend", async (_request, reply) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
  });

  for (const [route, file] of Object.entries(files)) {
    app.get(route, async (_request, reply) =>
      reply
        .type(file.type)
        .header(
          "content-security-policy",
          `default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; ${NO_FRAMING_CSP}`,
        )
        .send(file.body),
    );
  }

  app.get("/api/health", async () => {
    let store: { ok: boolean; backend: string; auditRecords?: number; error?: string };
    let schemaTooNew: Error | null = null;
    try {
      store = { ok: true, backend: deps.store.backend, auditRecords: (await deps.store.audit.head()).seq };
      schemaTooNew = await deps.store.schemaTooNew();
    } catch (error) {
      // Scrubbed: a store error can carry its connection string (the password is registered).
      store = { ok: false, backend: deps.store.backend, error: scrubSecrets((error as Error).message) };
    }
    const leadership = deps.leadership.state();
    return {
      service: "ok",
      instance: { id: deps.store.instance.id, name: deps.store.instance.name },
      roles: leadership.leader ? ["leader", "dispatcher", "webhooks"] : ["dispatcher", "webhooks"],
      leader: { self: leadership.leader, token: leadership.token, holder: leadership.leaderId },
      ready: readiness(store.ok, leadership, schemaTooNew),
      uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
      store,
      cxone: deps.cxone.snapshot(),
      watchdogs: { available: deps.watchdogs.available, running: deps.watchdogs.watchdogs.length },
    };
  });

  // For a load balancer: 200 while this instance can take work (its store answers, with a schema
  // this build knows), else 503.
  app.get("/api/ready", async (_request, reply) => {
    let answers = true;
    let schemaTooNew: Error | null = null;
    try {
      schemaTooNew = await deps.store.schemaTooNew();
    } catch {
      answers = false;
    }
    const answer = readiness(answers, deps.leadership.state(), schemaTooNew);
    return reply.code(answer.ready ? 200 : 503).send(answer);
  });

  app.get("/api/campaigns", async () => ({ campaigns: deps.board.views() }));

  app.get("/api/campaigns/:id/health", async (request, reply) => {
    const params = idParams.safeParse(request.params);
    if (!params.success) return reply.code(400).send(badRequest(params.error));
    const id = params.data.id;
    if (!deps.board.has(id)) {
      if (!deps.poller)
        return reply.code(404).send({ error: "not_found", message: `campaign ${id} is not watched` });
      if (unseen.knownMissing(id))
        return reply.code(404).send({ error: "not_found", message: `campaign ${id} does not exist` });
      if (!unseen.take())
        return reply.code(429).header("retry-after", "60").send({
          error: "rate_limited",
          message:
            "too many campaigns this service does not watch were asked for: each costs CXone requests; add them to service.campaigns, or try again in a minute",
        });
      deps.board.add(id);
      const error = await deps.poller.pollOne(id);
      if (error) {
        deps.board.remove(id);
        if (error instanceof NotFoundError) {
          unseen.rememberMissing(id);
          return reply.code(404).send({ error: "not_found", message: `campaign ${id} does not exist` });
        }
        // Refused locally (a malformed id on this platform, an inbound skill): nothing was sent.
        if (error instanceof InputError)
          return reply.code(400).send({ error: "bad_request", message: error.message });
        throw new AnswerError(502, "cxone_unavailable", (error as Error).message);
      }
    }
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

  app.get("/api/campaigns/:id/series", async (request, reply) => {
    const params = idParams.safeParse(request.params);
    if (!params.success) return reply.code(400).send(badRequest(params.error));
    if (!deps.board.has(params.data.id)) return reply.code(404).send({ error: "not_found" });
    return { campaignId: params.data.id, points: deps.board.series(params.data.id) };
  });

  app.get("/api/dashboard", async () => ({
    generatedAt: new Date().toISOString(),
    timeZone: deps.timeZone,
    campaigns: deps.board.views().map((view) => ({ ...view, series: deps.board.series(view.id) })),
    watchdogs: { available: deps.watchdogs.available, states: deps.watchdogs.states() },
  }));

  app.get("/api/outbox", async () => ({ destinations: await outboxView(deps.store, deps.destinations) }));

  app.get("/api/audit", async (request, reply) => {
    const query = auditQuery.safeParse(request.query);
    if (!query.success) return reply.code(400).send(badRequest(query.error));
    return { records: await auditView(deps.store, query.data.limit) };
  });

  app.get("/api/jobs", async () => ({ jobs: await bulkJobsView(deps.store) }));

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

  actionRoutes(app, {
    store: deps.store,
    client: deps.client,
    board: deps.board,
    watchdogs: deps.watchdogs,
    leadership: deps.leadership,
    hub: deps.hub,
    logger: deps.logger,
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

  app.get("/metrics", async (_request, reply) =>
    reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics()),
  );

  app.register(webhookReceiver, {
    board: deps.board,
    secret: deps.webhookSecret,
    allowUnsigned: deps.allowUnsignedWebhooks,
    seenIds: deps.store.seenIds,
    observe: deps.observe,
    logger: deps.logger,
  });

  return app;
}
