import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { clockNowDate } from "../../core/clock/now.ts";
import { injectedFault } from "../fault-stage.ts";
import { logRequest } from "../kernel.ts";
import { ADMIN_PREFIX } from "../pipeline.ts";
import { fieldNamesOf, pathOf } from "../request-log.ts";
import { truncatedPayload } from "../truncate.ts";
import { UnreadBody } from "./body.ts";
import type { CxoneContext } from "./context.ts";
import { CxoneError } from "./errors.ts";
import {
  API_PREFIX,
  type CxoneMeta,
  type CxoneRouteConfig,
  EXACT_QUERY_NAMES,
  MAX_VERSION,
  metaOf,
  setMeta,
} from "./http.ts";

/**
 * What happens to every request of the production-API emulator before its handler, in gateway
 * order: latency and injected faults (reset, 429, 5xx), then the API version (404 outside
 * v2–v34 or below the route's minimum), the bearer JWT (401), the `Accept` header (406) and the
 * role (403 for writes by a read-only user). Every answer echoes `CorrelationId`. Admin
 * requests (`/_emulator`) skip all of it and are not logged.
 */
const isAdmin = (url: string) => url === ADMIN_PREFIX || url.startsWith(`${ADMIN_PREFIX}/`);

/** `/incontactapi/services/V27.0/…` → `/inContactAPI/services/v27.0/…` (routing only; the log keeps the original). */
const PREFIX = /^\/incontactapi\/services\/v(\d+)\.0(?=\/|$|\?)/i;
export function canonicalUrl(url: string): string {
  return url.replace(PREFIX, (_m, n: string) => `${API_PREFIX}/v${Number(n)}.0`);
}

function versionOf(url: string): number | null {
  const match = /^\/inContactAPI\/services\/v(\d+)\.0\//.exec(url);
  return match ? Number(match[1]) : null;
}

function acceptsJson(header: string | undefined): boolean {
  if (!header) return false;
  return header
    .split(",")
    .map((part) => (part.split(";")[0] ?? "").trim().toLowerCase())
    .some(
      (type) =>
        type === "application/json" || type === "*/*" || type === "application/*" || type.endsWith("+json"),
    );
}

/**
 * An API error in the shape the `errorBody` knob selects: by default GEN's model
 * `{error, errorDescription}` with the human-readable text also in the `icStatusDescription`
 * header (TAP: it may come only there); `oauth` = `{error, error_description}`, `message` =
 * `{message}`, `header` = no body, the text in the header alone.
 */
export function sendError(
  ctx: CxoneContext,
  reply: FastifyReply,
  status: number,
  code: string,
  description: string,
): FastifyReply {
  const layout = ctx.state.knobs.errorBody;
  reply.code(status);
  if (layout === "cxone" || layout === "header")
    reply.header("icStatusDescription", description.replace(/[^\t\x20-\x7e]/g, "?"));
  if (layout === "header") return reply.send("");
  return reply.send(
    layout === "message"
      ? { message: description }
      : layout === "oauth"
        ? { error: code, error_description: description }
        : { error: code, errorDescription: description },
  );
}

function refuse(ctx: CxoneContext, reply: FastifyReply, error: CxoneError): FastifyReply {
  return sendError(ctx, reply, error.status, error.code, error.message);
}

export function installCxonePipeline(app: FastifyInstance, ctx: CxoneContext): void {
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    if (isAdmin(request.url)) return;
    const config = request.routeOptions.config as Partial<CxoneRouteConfig> | undefined;
    const meta: CxoneMeta = {
      group: config?.group ?? null,
      clientId: null,
      grant: null,
      version: versionOf(request.url) ?? 0,
      at: clockNowDate(),
    };
    setMeta(request, meta);
    reply.header("CorrelationId", firstHeader(request.headers.correlationid) ?? randomUUID());
    if (!config?.cxone) return;

    const env = { faults: ctx.faults, latencyMs: ctx.options.latencyMs, log: ctx.log };
    const answered = await injectedFault(
      env,
      request,
      reply,
      metaOf(request),
      config.group as string,
      // The platform's 429 and 5xx carry no JSON error body.
      (action, r) => {
        const status = action.kind === "throttle" ? 429 : action.status;
        return r
          .code(status)
          .header("content-type", "text/plain; charset=utf-8")
          .send(status === 429 ? "Too Many Requests" : "");
      },
      () => {
        meta.truncate = true;
      },
    );
    if (answered) return answered;
    if (!config.auth) return;

    if (meta.version < (config.minVersion ?? 2) || meta.version > MAX_VERSION) {
      return refuse(
        ctx,
        reply,
        new CxoneError(404, "NotFound", `API version v${meta.version}.0 does not serve this resource`),
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
    const claims = match ? ctx.tokens.check(match[1] as string, "access") : "missing";
    if (typeof claims === "string") {
      reply.header("www-authenticate", 'Bearer error="invalid_token"');
      return sendError(ctx, reply, 401, "invalid_token", "Token is expired or invalid");
    }
    const accessKey = ctx.state.world.accessKeys.find((k) => k.accessKeyId === claims.ak);
    meta.clientId = String(claims.aud);
    meta.apiUser = String(claims.ak);
    meta.grant = {
      clientId: String(claims.aud),
      accessKeyId: String(claims.ak),
      readOnly: accessKey?.readOnly ?? true,
      agentId: accessKey?.agentId ?? 0,
    };
    const label = refusedLabel(ctx, request, reply);
    if (label) return label;
    if (config.write && meta.grant.readOnly) {
      return refuse(
        ctx,
        reply,
        new CxoneError(403, "Forbidden", "the API user's role lacks the permission for this change"),
      );
    }
  });

  app.addHook("onSend", async (request, reply, payload) => {
    if (!metaOf(request)?.truncate) return payload;
    const cut = truncatedPayload(request, reply, payload);
    if (!cut) return payload;
    logRequest(ctx.log, request, metaOf(request), { status: reply.statusCode, truncated: true }); // a cut answer never reaches onResponse
    return cut;
  });

  app.addHook("onResponse", async (request, reply) => {
    if (isAdmin(request.url) || metaOf(request)?.logged) return;
    // Field names of an API body (never values: token routes are not under the API prefix).
    const api =
      PREFIX.test(request.url) &&
      request.body !== null &&
      typeof request.body === "object" &&
      !(request.body instanceof UnreadBody);
    logRequest(ctx.log, request, metaOf(request), {
      status: reply.statusCode,
      ...(api ? { bodyFields: fieldNamesOf(request.body) } : {}),
    });
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof CxoneError) return refuse(ctx, reply, error);
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      // Malformed JSON, a wrong content type…: the platform's 400.
      return sendError(ctx, reply, status === 415 ? 415 : 400, "InvalidParameter", "request body is invalid");
    }
    request.log.error(error);
    return reply.code(500).send("");
  });

  app.setNotFoundHandler((request, reply) =>
    refuse(
      ctx,
      reply,
      new CxoneError(404, "NotFound", `no resource at ${request.method} ${pathOf(request.originalUrl)}`),
    ),
  );
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * What an API request's labels may make the tenant refuse: a missing JSON `Accept` (knob
 * `requireAccept`), and issue 75 §4's knobs, the tenant's reading where the sources disagree: `jsonBodyLabel: json`
 * refuses a body not labelled JSON (the emulator before issue 75); `queryNameCase: exact` marks the
 * query so that the routes read only the documented spelling of a name (http.ts `queryValue`).
 */
function refusedLabel(
  ctx: CxoneContext,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply | undefined {
  // Knob requireAccept: a request that does not accept JSON (§C1, §F8).
  if (ctx.state.knobs.requireAccept && !acceptsJson(request.headers.accept))
    return reply
      .code(ctx.state.knobs.acceptStatus)
      .header("content-type", "text/plain; charset=utf-8")
      .send("No known way to render data");
  if (
    ctx.state.knobs.jsonBodyLabel === "json" &&
    Number(request.headers["content-length"] ?? 0) > 0 &&
    !/^application\/json\b/i.test(request.headers["content-type"] ?? "")
  )
    return sendError(
      ctx,
      reply,
      415,
      "InvalidParameter",
      "request body is invalid: not labelled application/json",
    );
  if (ctx.state.knobs.queryNameCase === "exact" && request.query && typeof request.query === "object")
    Object.defineProperty(request.query, EXACT_QUERY_NAMES, { value: true, enumerable: false });
  return undefined;
}
