import Fastify, { type FastifyInstance } from "fastify";
import type { InternalClient } from "../client.ts";
import type { ServiceSettings, ServiceUser } from "../core/config/index.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import type { CampaignLiveMetrics } from "../platform/types.ts";
import { type AuthOptions, authPlugin, liveSessionKeys } from "./auth.ts";
import type { CampaignBoard } from "./campaign-board.ts";
import type { CxoneStatus } from "./cxone-status.ts";
import { installErrorAnswers } from "./error-answers.ts";
import type { Leadership } from "./leadership.ts";
import type { MetricsPoller } from "./metrics-poller.ts";
import { Operators } from "./operators.ts";
import { installRequestPolicy } from "./request-policy.ts";
import { actionRoutes } from "./routes/actions.ts";
import { boardRoutes } from "./routes/board.ts";
import { healthRoutes } from "./routes/health.ts";
import { pageRoutes, SIGN_IN_ASSETS } from "./routes/pages.ts";
import { sessionRoutes } from "./routes/session.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { installSecurityHeaders } from "./security-headers.ts";
import { limitConnectionsPerAddress, type ServerLimits, serverOptions } from "./server-limits.ts";
import { Sessions } from "./sessions.ts";
import { SignInLimiter } from "./sign-in-limiter.ts";
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

export function buildHttpApp(deps: HttpAppDeps): FastifyInstance {
  // The client's address and protocol come from Fastify alone, which believes X-Forwarded-* only
  // from the proxies service.trustProxy names.
  const app = Fastify({ logger: false, ...serverOptions(deps.limits, deps.trustProxy) });
  app.server.maxConnections = deps.limits.maxConnections;
  limitConnectionsPerAddress(app.server, deps.limits.maxConnectionsPerAddress);
  installSecurityHeaders(app);
  installErrorAnswers(app, deps.logger);
  installRequestPolicy(app, { bindHost: deps.bindHost, allowedHosts: deps.allowedHosts });
  const open = new Set(["/api/health", "/api/ready", "/api/session", "/sign-in", ...SIGN_IN_ASSETS]);
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
