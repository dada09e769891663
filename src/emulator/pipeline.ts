import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { clockNowDate } from "../core/clock/now.ts";
import type { EmulatorContext } from "./context.ts";
import { ApiError } from "./errors.ts";
import { injectedFault } from "./fault-stage.ts";
import { retryAfterHeader } from "./faults.ts";
import type { Group } from "./groups.ts";
import { metaOf, type RequestMeta, type RouteConfig, setMeta } from "./http.ts";
import { logRequest } from "./kernel.ts";
import { pathOf } from "./request-log.ts";
import { truncatedPayload } from "./truncate.ts";
/**
 * What happens to every API request before its handler, in gateway order: fixed latency and
 * injected faults (latency, reset, 429 burst, 5xx), then the bearer token (401), its scopes
 * (403) and the client's rate limit (429). Admin requests (`/_emulator`) skip all of it and
 * are not logged.
 */
export const ADMIN_PREFIX = "/_emulator";

const isAdmin = (url: string) => url === ADMIN_PREFIX || url.startsWith(`${ADMIN_PREFIX}/`);

export function sendThrottled(
  reply: FastifyReply,
  seconds: number,
  format: "seconds" | "http-date" | "none",
  message: string,
): FastifyReply {
  const header = retryAfterHeader(seconds, format);
  if (header !== null) reply.header("retry-after", header);
  return reply.code(429).send({ error: "rate_limited", message, retryAfterSeconds: seconds });
}

/** Rate limit for one client in one group; answers true when a 429 was sent. */
export function throttle(ctx: EmulatorContext, reply: FastifyReply, group: Group, clientId: string): boolean {
  const waitMs = ctx.limiter.take(group, clientId);
  if (waitMs === 0) return false;
  sendThrottled(
    reply,
    Math.max(1, Math.ceil(waitMs / 1000)),
    ctx.faults.retryAfterFormat(group),
    `rate limit of the ${group} group exceeded`,
  );
  return true;
}

function unauthorized(reply: FastifyReply, message: string): FastifyReply {
  return reply
    .code(401)
    .header("www-authenticate", 'Bearer error="invalid_token"')
    .send({ error: "invalid_token", message });
}

export function installPipeline(app: FastifyInstance, ctx: EmulatorContext): void {
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    if (isAdmin(request.url)) return;
    const config = request.routeOptions.config as Partial<RouteConfig> | undefined;
    const group = config?.group ?? null;
    const meta: RequestMeta = { group, clientId: null, scopes: [], at: clockNowDate() };
    setMeta(request, meta);
    if (group === null) return;

    const env = { faults: ctx.faults, latencyMs: ctx.options.latencyMs, log: ctx.log };
    const answered = await injectedFault(
      env,
      request,
      reply,
      meta,
      group,
      (action, r) =>
        action.kind === "throttle"
          ? r.code(429).send({
              error: "rate_limited",
              message: "injected 429 burst",
              retryAfterSeconds: action.retryAfter,
            })
          : r.code(action.status).send({ error: "server_error", message: `injected ${action.status}` }),
      () => {
        meta.truncate = true;
      },
    );
    if (answered) return answered;

    const scopes = config?.scopes;
    if (!scopes) return; // token endpoints authenticate the client themselves
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) return unauthorized(reply, "missing bearer token (Authorization: Bearer <token>)");
    const check = ctx.tokens.check(match[1] as string);
    if (!check.ok) return unauthorized(reply, `bearer token ${check.reason}`);
    meta.clientId = check.grant.clientId;
    meta.scopes = check.grant.scopes;
    if (!scopes.some((scope) => check.grant.scopes.includes(scope))) {
      return reply.code(403).send({
        error: "insufficient_scope",
        message: `this endpoint needs one of the scopes: ${scopes.join(", ")}`,
        requiredScopes: [...scopes],
      });
    }
    if (throttle(ctx, reply, group, check.grant.clientId)) return reply;
  });

  app.addHook("onSend", async (request, reply, payload) => {
    if (!metaOf(request)?.truncate || reply.statusCode >= 300) return payload;
    const cut = truncatedPayload(request, reply, payload);
    if (!cut) return payload;
    // Logged here: a response that never finishes does not reach onResponse.
    logRequest(ctx.log, request, metaOf(request), { status: reply.statusCode, truncated: true });
    return cut;
  });

  app.addHook("onResponse", async (request, reply) => {
    if (isAdmin(request.url) || metaOf(request)?.logged) return;
    // A replayed idempotent answer is logged as such: the request reached us, its effect did not
    // happen again (so a test can count effects, not just requests).
    logRequest(ctx.log, request, metaOf(request), {
      status: reply.statusCode,
      replayed: reply.getHeader("idempotent-replayed") === "true",
    });
  });

  app.setErrorHandler((error: unknown, _request, reply) => {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return reply.code(error.status).send(error.body);
    }
    const status = (error as { statusCode?: number }).statusCode;
    const message = error instanceof Error ? error.message : String(error);
    if (typeof status === "number" && status >= 400 && status < 500) {
      return reply
        .code(status)
        .send({ error: status === 415 ? "unsupported_media_type" : "invalid_request", message });
    }
    return reply.code(500).send({ error: "server_error", message });
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: "not_found", message: `no route ${request.method} ${pathOf(request.url)}` }),
  );
}
