import Fastify, { type FastifyInstance } from "fastify";
import type { InternalClient } from "../client.ts";
import type { ServiceSettings, ServiceUser } from "../core/config/index.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import type { CampaignLiveMetrics } from "../platform/types.ts";
import { authPlugin, serviceAuth } from "./auth.ts";
import type { CampaignBoard } from "./campaign-board.ts";
import type { CxoneStatus } from "./cxone-status.ts";
import { errorAnswers } from "./error-answers.ts";
import type { Leadership } from "./leadership.ts";
import type { MetricsPoller } from "./metrics-poller.ts";
import { requestPolicy } from "./request-policy.ts";
import { actionRoutes } from "./routes/actions.ts";
import { boardRoutes } from "./routes/board.ts";
import { healthRoutes } from "./routes/health.ts";
import { pageRoutes, SIGN_IN_ASSETS } from "./routes/pages.ts";
import { sessionRoutes } from "./routes/session.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { securityHeaders } from "./security-headers.ts";
import { connectionLimits, type ServerLimits, serverOptions } from "./server-limits.ts";
import type { SseHub } from "./sse-hub.ts";
import type { WatchdogSet } from "./watchdogs.ts";

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

/** Paths anyone may reach: health and readiness, who-am-I and sign-in, the sign-in page and what it loads. */
const OPEN_PATHS = new Set(["/api/health", "/api/ready", "/api/session", "/sign-in", ...SIGN_IN_ASSETS]);

/**
 * The app: the service-wide plugins (fastify-plugin, each covering every route: in the order
 * they act on a request), then one plugin per route group (service/routes/), each given what it
 * needs in its options.
 */
export function buildHttpApp(deps: HttpAppDeps): FastifyInstance {
  // The client's address and protocol come from Fastify alone, which believes X-Forwarded-* only
  // from the proxies service.trustProxy names.
  const app = Fastify({ logger: false, ...serverOptions(deps.limits, deps.trustProxy) });
  app.register(connectionLimits, deps.limits);
  app.register(securityHeaders);
  app.register(errorAnswers, { logger: deps.logger });
  app.register(requestPolicy, { bindHost: deps.bindHost, allowedHosts: deps.allowedHosts });
  const auth = serviceAuth({ ...deps, openPaths: OPEN_PATHS });
  app.register(authPlugin, auth);

  app.register(sessionRoutes, auth);
  app.register(pageRoutes);
  app.register(healthRoutes, deps);
  app.register(boardRoutes, deps);
  app.register(actionRoutes, deps);
  app.register(webhookRoutes, {
    board: deps.board,
    secret: deps.webhookSecret,
    allowUnsigned: deps.allowUnsignedWebhooks,
    accessTokenSet: deps.accessToken !== undefined,
    seenIds: deps.store.seenIds,
    observe: deps.observe,
    logger: deps.logger,
  });
  return app;
}
