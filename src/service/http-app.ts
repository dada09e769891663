import { randomBytes } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import type { ServiceSettings, ServiceUser } from "../core/config/index.ts";
import { sellerPeers } from "../core/config/seller.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import { authPlugin, serviceAuth } from "./auth.ts";
import { errorAnswers } from "./error-answers.ts";
import { requestPolicy } from "./request-policy.ts";
import { actionRoutes } from "./routes/actions.ts";
import { boardRoutes } from "./routes/board.ts";
import { healthRoutes } from "./routes/health.ts";
import { pageRoutes } from "./routes/pages.ts";
import { sessionRoutes } from "./routes/session.ts";
import { installationRoutes, TENANT_PREFIX, tenantScope } from "./routes/tenants.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { schemaCompilers } from "./schema-compilers.ts";
import { securityHeaders } from "./security-headers.ts";
import { connectionLimits, type ServerLimits, serverOptions } from "./server-limits.ts";
import type { SignInLimiter } from "./sign-in-limiter.ts";
import type { TenantRuntime } from "./tenant-runtime.ts";
import { WEBHOOK_ID_RETENTION_MS, WebhookIdLedger } from "./webhook-id-ledger.ts";

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
  /** Configured tenants sharing the served one's seller that this service does not serve (scope `all` refused). */
  unservedSellerTenants?: readonly string[];
}

/** What every business unit's routes share: the service's limiter, the installation's webhook ids. */
interface SharedRouteDeps {
  limiter: SignInLimiter;
  installationIds: WebhookIdLedger | undefined;
}

/** The route groups of one business unit (at the root, or under its prefix), given its runtime. */
function tenantRoutes(
  app: FastifyInstance,
  runtime: TenantRuntime,
  deps: HttpAppDeps,
  shared: SharedRouteDeps,
): void {
  const routeDeps = { ...runtime, logger: deps.logger, startedAt: deps.startedAt };
  app.register(healthRoutes, { ...routeDeps, metrics: runtime.name === undefined });
  app.register(boardRoutes, routeDeps);
  app.register(actionRoutes, routeDeps);
  app.register(webhookRoutes, {
    board: runtime.board,
    // The business unit's own secret: a delivery signed for another never verifies here.
    secret: runtime.settings.service.webhookSecret,
    allowUnsigned: deps.allowUnsignedWebhooks,
    accessTokenSet: deps.accessToken !== undefined,
    seenIds: runtime.store.seenIds,
    installationIds: shared.installationIds,
    limiter: shared.limiter,
    poller: runtime.poller,
    unseen: runtime.unseen,
    observe: runtime.observe,
    logger: deps.logger,
    tenant: runtime.name,
    consent: {
      tenant: runtime.name,
      store: runtime.store,
      cxoneGroupId: runtime.settings.consent.cxoneDncGroup,
      campaigns: () => runtime.board.ids(),
      // Scope `all`: the other business units served with this one's seller (issue 78 §1).
      sellerPeers: () =>
        sellerPeers(runtime, deps.runtimes, (r: TenantRuntime) => ({
          name: r.name,
          consent: r.settings.consent,
        })).map((r) => ({
          tenant: r.name as string,
          store: r.store,
          cxoneGroupId: r.settings.consent.cxoneDncGroup,
        })),
      // One business unit served while the seller has others (cxo serve --tenant): `all` refused.
      unservedPeers: deps.runtimes.length === 1 ? (deps.unservedSellerTenants ?? []) : [],
    },
  });
}

/**
 * The app: the service-wide plugins (fastify-plugin, each covering every route: in the order
 * they act on a request; the schema compilers once, for every route), then one plugin per route
 * group (service/routes/), each given what it needs in its options. What a route allows (open,
 * CSRF-exempt, a role) is in its own config, read by the hooks; no list of paths here.
 */
export function buildHttpApp(deps: HttpAppDeps): FastifyInstance {
  // The client's address and protocol come from Fastify alone, which believes X-Forwarded-* only
  // from the proxies service.trustProxy names.
  const app = Fastify({ logger: false, ...serverOptions(deps.limits, deps.trustProxy) });
  app.register(connectionLimits, deps.limits);
  app.register(securityHeaders);
  app.register(errorAnswers, { logger: deps.logger });
  app.register(schemaCompilers, { logger: deps.logger });
  app.register(requestPolicy, { bindHost: deps.bindHost, allowedHosts: deps.allowedHosts });
  const hubs = deps.runtimes.map((runtime) => runtime.hub);
  // A session that ends ends its streams on every tenant's hub.
  const hub = {
    endSession: (key: string) => {
      for (const each of hubs) each.endSession(key);
    },
    watchSessions: (live: () => Promise<ReadonlySet<string>>) => {
      for (const each of hubs) each.watchSessions(live);
    },
  };
  const auth = serviceAuth({ ...deps, hub });
  app.register(authPlugin, auth);
  app.register(sessionRoutes, auth);

  const several = deps.runtimes.some((runtime) => runtime.name !== undefined);
  app.register(pageRoutes, { boardAtRoot: !several });
  if (!several) {
    tenantRoutes(app, deps.runtimes[0]!, deps, { limiter: auth.limiter, installationIds: undefined });
    return app;
  }
  // A webhook id applied for any business unit is refused for every other (issue 63 N1).
  const installationIds = new WebhookIdLedger(deps.store.seenIds, {
    scope: "cxone.installation",
    retentionMs: WEBHOOK_ID_RETENTION_MS,
    logger: deps.logger,
  });
  app.addHook("onClose", async () => installationIds.close());
  const shared = { limiter: auth.limiter, installationIds };
  app.register(installationRoutes, {
    names: deps.runtimes.map((runtime) => runtime.name!),
    runtimes: deps.runtimes,
    operators: auth.operators,
    store: deps.store,
    startedAt: deps.startedAt,
    webhook: {
      // A tenant nobody configured answers like a real one: a signature check that nothing passes
      // when the tenants check signatures (a key nobody knows), the unsigned refusal otherwise.
      secret: deps.runtimes.some((runtime) => runtime.settings.service.webhookSecret)
        ? `whsec_${randomBytes(32).toString("base64")}`
        : undefined,
      allowUnsigned: deps.allowUnsignedWebhooks,
      accessTokenSet: deps.accessToken !== undefined,
      limiter: auth.limiter,
      logger: deps.logger,
    },
  });
  for (const runtime of deps.runtimes)
    app.register(
      async (scope) => {
        tenantScope(scope, runtime.name!, auth.operators);
        tenantRoutes(scope, runtime, deps, shared);
      },
      { prefix: `${TENANT_PREFIX}${runtime.name}` },
    );
  return app;
}
