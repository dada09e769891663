import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Fastify, { type FastifyInstance } from "fastify";
import type { InternalClient } from "../client.ts";
import type { ServiceSettings, ServiceUser } from "../core/config/index.ts";
import { LOCALE_GUARD_JS } from "../core/locale-guard.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import type { CampaignLiveMetrics } from "../platform/types.ts";
import { actionRoutes } from "./actions.ts";
import { type AuthOptions, authPlugin, liveSessionKeys } from "./auth.ts";
import type { CampaignBoard } from "./campaign-board.ts";
import type { CxoneStatus } from "./cxone-status.ts";
import { installErrorAnswers } from "./error-answers.ts";
import type { Leadership } from "./leadership.ts";
import type { MetricsPoller } from "./metrics-poller.ts";
import { Operators } from "./operators.ts";
import { installRequestPolicy } from "./request-policy.ts";
import { boardRoutes } from "./routes/board.ts";
import { healthRoutes } from "./routes/health.ts";
import { sessionRoutes } from "./routes/session.ts";
import { installSecurityHeaders, NO_FRAMING_CSP } from "./security-headers.ts";
import { limitConnectionsPerAddress, type ServerLimits, serverOptions } from "./server-limits.ts";
import { Sessions } from "./sessions.ts";
import { SignInLimiter } from "./sign-in-limiter.ts";
import type { SseHub } from "./sse-hub.ts";
import type { WatchdogSet } from "./watchdogs.ts";
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
const PAGE_MODULES = ["dashboard.js", "format.js", "charts.js", "session.js", "sign-in.js", "actions.js"];
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

export function buildHttpApp(deps: HttpAppDeps): FastifyInstance {
  // The client's address and protocol come from Fastify alone, which believes X-Forwarded-* only
  // from the proxies service.trustProxy names.
  const app = Fastify({ logger: false, ...serverOptions(deps.limits, deps.trustProxy) });
  app.server.maxConnections = deps.limits.maxConnections;
  limitConnectionsPerAddress(app.server, deps.limits.maxConnectionsPerAddress);
  const files = assets();
  installSecurityHeaders(app);
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

  app.register(healthRoutes, deps);
  app.register(boardRoutes, deps);
  app.register(async (scope) => actionRoutes(scope, deps));

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
