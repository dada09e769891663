import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { clockNowMs } from "../../core/clock/now.ts";
import type { Logger } from "../../core/logging/index.ts";
import { metricsRegistry } from "../../core/metrics/index.ts";
import type { Store } from "../../core/store/index.ts";
import { installationHealthAnswer, readyAnswer, tenantsAnswer } from "../answers/panels.ts";
import { OPEN_TO_ALL, SIGNED_IN } from "../auth.ts";
import { CampaignBoard } from "../campaign-board.ts";
import { AnswerError, RefusalBeforeRoute } from "../error-answers.ts";
import { grantedTenants, type Operators } from "../operators.ts";
import { readiness } from "../readiness.ts";
import type { SignInLimiter } from "../sign-in-limiter.ts";
import type { TenantRuntime } from "../tenant-runtime.ts";
import { sendBoardPage } from "./pages.ts";
import { webhookRoutes } from "./webhooks.ts";
/**
 * A service for several business units: each tenant's board and API live under `/t/NAME/`
 * (http-app.ts registers the same route plugins once per tenant), and this file is what keeps
 * them apart for people:
 *
 * - every request under a tenant's prefix passes its grant check first (`tenantScope`): a user
 *   not granted the tenant gets 403 before any handler reads anything;
 * - a tenant nobody configured answers exactly as one the user is not granted (same status,
 *   same body), so names cannot be probed;
 * - `/api/tenants` lists the tenants the asker is granted (names only), `/` leads to the first;
 * - the installation's own health, readiness and /metrics (whose series cover every tenant: the
 *   access token and admins only).
 */
export const TENANT_PREFIX = "/t/";

/** The one refusal for a tenant that is not the asker's, whether it exists or not. */
function notYours(): AnswerError {
  return new RefusalBeforeRoute(
    403,
    "forbidden",
    "no such business unit on this service, or it is not granted to you",
  );
}

/** The grant check of one tenant's scope (a hook on every route registered in it). */
export function tenantScope(scope: FastifyInstance, name: string, operators: Operators): void {
  scope.addHook("onRequest", async (request) => {
    // A route open to all (the tenant's signed webhook: CXone has no user) has no grant to check.
    if (request.routeOptions.config.open) return;
    const granted = await grantedTenants(operators, request.principal, [name]);
    if (granted.length === 0) throw notYours();
  });
  scope.get("/", { config: SIGNED_IN }, async (_request, reply) => sendBoardPage(reply));
}

export interface InstallationRouteOptions {
  names: readonly string[];
  runtimes: readonly TenantRuntime[];
  operators: Operators;
  store: Store;
  startedAt: number;
  webhook: {
    secret: string | undefined;
    allowUnsigned: boolean;
    accessTokenSet: boolean;
    limiter: SignInLimiter;
    logger: Logger;
  };
}

export async function installationRoutes(
  plain: FastifyInstance,
  options: InstallationRouteOptions,
): Promise<void> {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const { names, operators } = options;
  const granted = (request: FastifyRequest) => grantedTenants(operators, request.principal, names);
  const config = SIGNED_IN;

  app.get("/api/tenants", { config, schema: { response: { 200: tenantsAnswer } } }, async (request) => {
    const mine = new Set(await granted(request));
    return {
      tenants: options.runtimes
        .filter((runtime) => mine.has(runtime.name!))
        .map((runtime) => ({
          name: runtime.name!,
          path: `${TENANT_PREFIX}${runtime.name}/`,
          timeZone: runtime.timeZone,
        })),
    };
  });

  app.get("/", { config }, async (request, reply) => {
    const first = (await granted(request))[0];
    if (first === undefined)
      throw new AnswerError(
        403,
        "no_tenant",
        "no business unit of this service is granted to you: ask an admin (cxo users add … --tenants)",
      );
    return reply.redirect(`${TENANT_PREFIX}${first}/`, 303);
  });

  // A path under a tenant the routes above do not know: the same answer for a tenant nobody
  // configured and one the asker is not granted; a granted tenant's unknown path is a 404.
  const elsewhere = async (request: FastifyRequest<{ Params: { tenant: string } }>) => {
    if (!(await granted(request)).includes(request.params.tenant)) throw notYours();
    throw new AnswerError(404, "not_found", "no such page or API route");
  };
  // A webhook for a tenant nobody configured meets a receiver like a real one's (the same
  // signature check and answers), whose events reach no board.
  app.register(webhookRoutes, {
    ...options.webhook,
    board: new CampaignBoard({ historyPoints: 1 }),
    seenIds: options.store.seenIds,
    observe: () => undefined,
    prefix: "/t/:tenant",
  });
  app.all("/t/:tenant", { config }, elsewhere);
  app.all("/t/:tenant/*", { config }, elsewhere);

  // The installation's health: its own store, and whether every tenant's store answers (no names).
  const probe = { ...OPEN_TO_ALL, anyHost: true };
  app.get(
    "/api/health",
    { config: probe, schema: { response: { 200: installationHealthAnswer } } },
    async () => {
      const tenants = await Promise.all(options.runtimes.map((runtime) => tenantReady(runtime)));
      let store: { ok: boolean; backend: string; error?: string };
      try {
        await options.store.audit.head();
        store = { ok: true, backend: options.store.backend };
      } catch {
        store = {
          ok: false,
          backend: options.store.backend,
          error: "the installation's store does not answer",
        };
      }
      return {
        service: "ok" as const,
        instance: { id: options.store.instance.id, name: options.store.instance.name },
        ready: { ready: store.ok && tenants.every((t) => t.ready), reason: null },
        uptimeSeconds: Math.round((clockNowMs() - options.startedAt) / 1000),
        store,
        tenants: { count: tenants.length, ready: tenants.filter((t) => t.ready).length },
      };
    },
  );

  const ready = { response: { 200: readyAnswer, 503: readyAnswer } };
  app.get("/api/ready", { config: OPEN_TO_ALL, schema: ready }, async (_request, reply) => {
    const tenants = await Promise.all(options.runtimes.map((runtime) => tenantReady(runtime)));
    const notReady = tenants.filter((t) => !t.ready).length;
    const answer = {
      ready: notReady === 0,
      reason: notReady === 0 ? null : `${notReady} business unit(s) not ready`,
    };
    return reply.code(answer.ready ? 200 : 503).send(answer);
  });

  // Prometheus text, not JSON: no response schema.
  app.get("/metrics", { config }, async (request, reply) => {
    // Its series name every tenant's campaigns: for the access token and admins only.
    const asker = request.principal;
    if (asker?.via === "session" && asker.role !== "admin")
      throw new AnswerError(
        403,
        "forbidden",
        "the metrics cover every business unit: an admin's or the access token's",
      );
    return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
}

async function tenantReady(runtime: TenantRuntime): Promise<{ ready: boolean }> {
  try {
    const schemaTooNew = await runtime.store.schemaTooNew();
    return { ready: readiness(true, runtime.leadership.state(), schemaTooNew).ready };
  } catch {
    return { ready: false };
  }
}
