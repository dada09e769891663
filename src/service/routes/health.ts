import type { FastifyContextConfig, FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { clockNowMs } from "../../core/clock/now.ts";
import { scrubSecrets } from "../../core/logging/index.ts";
import { metricsRegistry } from "../../core/metrics/index.ts";
import type { Store } from "../../core/store/index.ts";
import { healthAnswer, readyAnswer } from "../answers/panels.ts";
import { OPEN_TO_ALL, SIGNED_IN } from "../auth.ts";
import type { CxoneStatus } from "../cxone-status.ts";
import type { Leadership } from "../leadership.ts";
import { readiness } from "../readiness.ts";
import type { WatchdogSet } from "../watchdogs.ts";
/** `/api/health` (for people and probes), `/api/ready` (for a load balancer), `/metrics` (Prometheus). */
export interface HealthDeps {
  store: Store;
  cxone: CxoneStatus;
  leadership: Leadership;
  watchdogs: WatchdogSet;
  startedAt: number;
  /**
   * The service's own (one business unit, at the root): /metrics is served here, health and
   * readiness are open to all and answered whatever the Host (load balancers probe by IP). In a
   * tenant's scope: no /metrics (its series cover every tenant), and health and readiness are
   * for those granted the tenant.
   */
  metrics?: boolean;
}

export async function healthRoutes(plain: FastifyInstance, deps: HealthDeps): Promise<void> {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const atRoot = deps.metrics !== false;
  const probe: FastifyContextConfig = atRoot ? { ...OPEN_TO_ALL, anyHost: true } : SIGNED_IN;
  const readyConfig: FastifyContextConfig = atRoot ? OPEN_TO_ALL : SIGNED_IN;
  const ready = { response: { 200: readyAnswer, 503: readyAnswer } };
  app.get("/api/health", { config: probe, schema: { response: { 200: healthAnswer } } }, async () => {
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
      service: "ok" as const,
      instance: { id: deps.store.instance.id, name: deps.store.instance.name },
      roles: leadership.leader ? ["leader", "dispatcher", "webhooks"] : ["dispatcher", "webhooks"],
      leader: { self: leadership.leader, token: leadership.token, holder: leadership.leaderId },
      ready: readiness(store.ok, leadership, schemaTooNew),
      uptimeSeconds: Math.round((clockNowMs() - deps.startedAt) / 1000),
      store,
      cxone: deps.cxone.snapshot(),
      watchdogs: { available: deps.watchdogs.available, running: deps.watchdogs.watchdogs.length },
    };
  });

  // For a load balancer: 200 while this instance can take work (its store answers, with a schema
  // this build knows), else 503.
  app.get("/api/ready", { config: readyConfig, schema: ready }, async (_request, reply) => {
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

  if (!atRoot) return;
  // Prometheus text, not JSON: no response schema.
  app.get("/metrics", { config: SIGNED_IN }, async (_request, reply) =>
    reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics()),
  );
}
