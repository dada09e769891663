import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { clockNowDate } from "../../core/clock/now.ts";
import { ApiError } from "../errors.ts";
import { injectedFault } from "../fault-stage.ts";
import { type LoggedMeta, logRequest } from "../kernel.ts";
import { ADMIN_PREFIX } from "../pipeline.ts";
import { pathOf } from "../request-log.ts";
import type { RndContext } from "./state.ts";

/**
 * Every API request of the RND emulator, before its handler: latency and injected faults
 * (reset, 429, 5xx), then the bearer token (401). Admin requests (`/_emulator`) skip it all and
 * are not logged. Errors are `{error, message}` (assumed: the real API's error shape is not public).
 */
interface RouteConfig {
  group?: string;
  api?: boolean;
  auth?: boolean;
}

const metas = new WeakMap<FastifyRequest, LoggedMeta>();
const isAdmin = (url: string) => url === ADMIN_PREFIX || url.startsWith(`${ADMIN_PREFIX}/`);

export function installRndPipeline(app: FastifyInstance, ctx: RndContext): void {
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    if (isAdmin(request.url)) return;
    const config = (request.routeOptions.config ?? {}) as RouteConfig;
    const meta: LoggedMeta = { group: config.group ?? null, clientId: null, at: clockNowDate() };
    metas.set(request, meta);
    if (!config.api) return;
    const env = { faults: ctx.faults, latencyMs: ctx.options.latencyMs, log: ctx.log };
    const answered = await injectedFault(env, request, reply, meta, config.group ?? "", (action, r) => {
      const status = action.kind === "throttle" ? 429 : action.status;
      return r.code(status).send({
        error: status === 429 ? "rate_limited" : "unavailable",
        message: status === 429 ? "too many queries" : "the database is unavailable",
      });
    });
    if (answered) return answered;
    if (!config.auth) return;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
    const check = match ? ctx.tokens.check(match[1] as string) : null;
    if (!check?.ok) {
      reply.header("www-authenticate", 'Bearer error="invalid_token"');
      return reply
        .code(401)
        .send({ error: "invalid_token", message: "the token is missing, unknown or expired" });
    }
    meta.clientId = check.grant.clientId;
  });

  app.addHook("onResponse", async (request, reply) => {
    const meta = metas.get(request);
    if (isAdmin(request.url) || !meta || meta.logged) return;
    logRequest(ctx.log, request, meta, {
      status: reply.statusCode,
      replayed: (request as { rndReplayed?: boolean }).rndReplayed === true,
    });
  });

  app.setErrorHandler((error: unknown, _request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).send(error.body);
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500)
      return reply
        .code(400)
        .send({ error: "invalid_request", message: "the request body is not valid JSON" });
    return reply.code(500).send({ error: "internal", message: "emulator error" });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: "not_found",
      message: `no resource at ${request.method} ${pathOf(request.originalUrl)}`,
    }),
  );
}
