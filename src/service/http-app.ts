import Fastify, { type FastifyInstance } from "fastify";
import type { ServiceSettings, ServiceUser } from "../core/config/index.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import { actionRoutes } from "./actions.ts";
import { type AuthOptions, authPlugin, liveSessionKeys } from "./auth.ts";
import { installErrorAnswers } from "./error-answers.ts";
import { Operators } from "./operators.ts";
import { installRequestPolicy } from "./request-policy.ts";
import { boardRoutes } from "./routes/board.ts";
import { healthRoutes } from "./routes/health.ts";
import { pageRoutes, SIGN_IN_ASSETS } from "./routes/pages.ts";
import { sessionRoutes } from "./routes/session.ts";
import { installationRoutes, TENANT_PREFIX, TENANT_WEBHOOK, tenantScope } from "./routes/tenants.ts";
import { installSecurityHeaders } from "./security-headers.ts";
import { limitConnectionsPerAddress, type ServerLimits, serverOptions } from "./server-limits.ts";
import { Sessions } from "./sessions.ts";
import { SignInLimiter } from "./sign-in-limiter.ts";
import type { TenantRuntime } from "./tenant-runtime.ts";
import { WEBHOOK_PATH, webhookReceiver } from "./webhook-receiver.ts";

/**
 * The service's HTTP surface: the dashboard (static files + uPlot from node_modules, no CDN),
 * the JSON API it reads, server-sent events, Prometheus /metrics and the CXone webhook
 * receiver. Handlers only read the board and the store; nothing here calls CXone except
 * /api/campaigns/:id/health for a campaign the service has not seen yet (two GETs).
 *
 * One business unit: its routes at the root, as always. Several (`tenants:` served together):
 * the same route plugins registered once per tenant under `/t/NAME/`, each with that tenant's
 * runtime in its options, behind the grant check of routes/tenants.ts; sign-in, sessions and the
 * users are the installation's (its own store), and `/api/tenants` lists the tenants granted.
 */
export interface HttpAppDeps {
  /** Each business unit's runtime; one without a name = today's single-tenant service. */
  runtimes: readonly TenantRuntime[];
  /** Where users, sessions and sign-ins live: the installation's store (a single tenant's own). */
  store: Store;
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
  logger: Logger;
  startedAt: number;
  /** service.http: timeouts and the connection caps (server-limits.ts). */
  limits: ServerLimits;
  /** service.trustProxy: the proxies whose X-Forwarded-For/-Proto are believed (false: none). */
  trustProxy: ServiceSettings["trustProxy"];
}

/** The routes of one business unit (at the root, or under its prefix). */
function registerTenantRoutes(app: FastifyInstance, runtime: TenantRuntime, deps: HttpAppDeps): void {
  const routeDeps = { ...runtime, logger: deps.logger, startedAt: deps.startedAt };
  app.register(healthRoutes, { ...routeDeps, metrics: runtime.name === undefined });
  app.register(boardRoutes, routeDeps);
  app.register(async (scope) => actionRoutes(scope, routeDeps));
  app.register(webhookReceiver, {
    board: runtime.board,
    secret: deps.webhookSecret,
    allowUnsigned: deps.allowUnsignedWebhooks,
    seenIds: runtime.store.seenIds,
    observe: runtime.observe,
    logger: deps.logger,
  });
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
  const several = deps.runtimes.some((runtime) => runtime.name !== undefined);
  const paths = new Set(["/api/health", "/api/ready", "/api/session", "/sign-in", ...SIGN_IN_ASSETS]);
  // CXone authenticates with the webhook's signature; without a secret, with the access token.
  // Several tenants: every tenant's webhook path is open alike, a configured one or not (an
  // unknown tenant's answers as a real one's does to a bad signature: names cannot be probed).
  const webhooksOpen = Boolean(deps.webhookSecret || !deps.accessToken);
  if (webhooksOpen) paths.add(WEBHOOK_PATH);
  const open = {
    has: (path: string) => paths.has(path) || (several && webhooksOpen && TENANT_WEBHOOK.test(path)),
  };
  const hubs = deps.runtimes.map((runtime) => runtime.hub);
  const auth: AuthOptions = {
    accessToken: deps.accessToken,
    operators: new Operators(deps.users, deps.store, { hashCost: deps.passwordHashCost }),
    sessions: new Sessions(deps.store, deps.sessionHours * 3600_000),
    limiter: new SignInLimiter(),
    store: deps.store,
    hub: {
      endSession: (key) => {
        for (const hub of hubs) hub.endSession(key);
      },
    },
    openPaths: open,
  };
  app.register(authPlugin, auth);
  app.register(sessionRoutes, auth);
  for (const hub of hubs) hub.watchSessions(() => liveSessionKeys(auth));

  app.register(pageRoutes, { boardAtRoot: !several });
  if (!several) {
    registerTenantRoutes(app, deps.runtimes[0]!, deps);
    return app;
  }
  const names = deps.runtimes.map((runtime) => runtime.name!);
  app.register(installationRoutes, {
    webhook: { secret: deps.webhookSecret, allowUnsigned: deps.allowUnsignedWebhooks, logger: deps.logger },
    names,
    runtimes: deps.runtimes,
    operators: auth.operators,
    store: deps.store,
    startedAt: deps.startedAt,
  });
  for (const runtime of deps.runtimes)
    app.register(
      async (scope) => {
        tenantScope(scope, runtime.name!, { operators: auth.operators, openPaths: open });
        registerTenantRoutes(scope, runtime, deps);
      },
      { prefix: `${TENANT_PREFIX}${runtime.name}` },
    );
  return app;
}
