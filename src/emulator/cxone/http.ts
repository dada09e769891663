import type { IncomingMessage } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { lastValue } from "../http.ts";
import { UnreadBody } from "./body.ts";
import type { CxoneContext, CxoneGroup } from "./context.ts";
import { CxoneError, invalid } from "./errors.ts";
import type { AccessGrant } from "./tokens.ts";

/**
 * The route helper of the production-API emulator. API routes live under
 * `/inContactAPI/services/:version/…` (the pipeline folds the prefix's case first); the helper
 * records the route's group, minimum version and whether it writes, which the pipeline reads.
 */
export const API_PREFIX = "/inContactAPI/services";
export const MIN_VERSION = 2;
export const MAX_VERSION = 34;

// @fastify/swagger (a type dependency of fastify-type-provider-zod, used by the service) adds
// optional keys to FastifyContextConfig; this one makes our route config one of its shapes.
declare module "fastify" {
  interface FastifyContextConfig {
    cxone?: true;
  }
}

export interface CxoneRouteConfig {
  cxone: true;
  group: CxoneGroup;
  /** Null = no bearer token (discovery, token endpoint). */
  auth: boolean;
  minVersion: number;
  write: boolean;
}

export interface CxoneMeta {
  group: CxoneGroup | null;
  clientId: string | null;
  /** The access key of the token (or of the login), for the request log. */
  apiUser?: string | null;
  grant: AccessGrant | null;
  version: number;
  at: Date;
  /** A `truncateRate` fault picked this request: its 2xx answer is cut off mid-body. */
  truncate?: boolean;
  logged?: boolean;
}

const metas = new WeakMap<IncomingMessage, CxoneMeta>();
export const setMeta = (request: FastifyRequest, meta: CxoneMeta) => metas.set(request.raw, meta);
export const metaOf = (request: FastifyRequest) => metas.get(request.raw);

export interface ApiCall {
  request: FastifyRequest;
  reply: FastifyReply;
  version: number;
  grant: AccessGrant;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface ApiRoute {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** After `/inContactAPI/services/vNN.0`, e.g. `/skills/:skillId`. */
  path: string;
  group: CxoneGroup;
  minVersion?: number;
}

export function apiRoute(app: FastifyInstance, spec: ApiRoute, handler: (call: ApiCall) => unknown): void {
  const config: CxoneRouteConfig = {
    cxone: true,
    group: spec.group,
    auth: true,
    minVersion: spec.minVersion ?? MIN_VERSION,
    write: spec.method !== "GET",
  };
  app.route({
    method: spec.method,
    url: `${API_PREFIX}/:version${spec.path}`,
    config,
    handler: async (request, reply) => {
      const meta = metaOf(request) as CxoneMeta;
      // Neither JSON nor empty (body.ts): the platform's 400, as a malformed JSON body always was.
      if (request.body instanceof UnreadBody)
        throw new CxoneError(400, "InvalidParameter", "request body is invalid");
      const { version: _v, ...params } = request.params as Record<string, string>;
      return handler({
        request,
        reply,
        version: meta.version,
        grant: meta.grant as AccessGrant,
        params,
        query: (request.query ?? {}) as Record<string, unknown>,
        body: request.body,
      });
    },
  });
}

/** Routes outside the API prefix (discovery, token), still logged and subject to faults. */
export function openRoute(
  app: FastifyInstance,
  method: "GET" | "POST",
  url: string,
  handler: (request: FastifyRequest, reply: FastifyReply) => unknown,
): void {
  const config: CxoneRouteConfig = { cxone: true, group: "auth", auth: false, minVersion: 0, write: false };
  app.route({ method, url, config, handler });
}

// ---- answers ------------------------------------------------------------------------------

/**
 * The platform's loose typing, on API answers only (knobs): `stringly` sends `True`/`False` and
 * `errorCount: "0"` (as the SDK's tolerant parsers expect); `numbersAsStrings` every number
 * as text.
 */
function loosen(value: unknown, knobs: { stringly: boolean; numbersAsStrings: boolean }, key = ""): unknown {
  if (typeof value === "boolean") return knobs.stringly ? (value ? "True" : "False") : value;
  if (typeof value === "number") {
    return knobs.numbersAsStrings || (knobs.stringly && key === "errorCount") ? String(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => loosen(item, knobs));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = loosen(v, knobs, k);
    return out;
  }
  return value;
}

/**
 * Sent as bytes, not as a string: Node writes a multi-megabyte string to the socket through a
 * slow per-character UTF-8 conversion, while Buffer.from converts it in bulk (a 3.4 MB page of
 * 5,000 completed contacts: ~20 → ~10 ms of CPU, server and client together). Same bytes.
 */
export function sendJson(ctx: CxoneContext, reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  const { knobs } = ctx.state;
  const api = (reply.request.routeOptions.config as Partial<CxoneRouteConfig> | undefined)?.auth === true;
  const payload = api && (knobs.stringly || knobs.numbersAsStrings) ? loosen(body, knobs) : body;
  return reply
    .code(status)
    .header("content-type", "application/json; charset=utf-8")
    .send(Buffer.from(JSON.stringify(payload), "utf8"));
}

export function sendEmpty(reply: FastifyReply, status: number): FastifyReply {
  return reply.code(status).send();
}

// ---- query values -------------------------------------------------------------------------

/** Set on a request's query object under knob `queryNameCase: exact` (not enumerable: never a name). */
export const EXACT_QUERY_NAMES: unique symbol = Symbol("exact query names");

/**
 * A query parameter by name, whatever the case it was sent in: NICE's own SDK sends `orderby`
 * where the documents say `orderBy` (independent-clients.md rows 9 and 23), and the platform
 * answers it; a name sent in its exact case wins over another spelling of it.
 */
export function queryValue(query: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(query, name)) return query[name];
  // Knob queryNameCase: exact (pipeline.ts marks the request's query): only the documented spelling.
  if ((query as Record<symbol, unknown>)[EXACT_QUERY_NAMES] === true) return undefined;
  const folded = name.toLowerCase();
  const spelling = Object.keys(query).find((key) => key.toLowerCase() === folded);
  return spelling === undefined ? undefined : query[spelling];
}

export function text(query: Record<string, unknown>, name: string): string | null {
  const value = lastValue(queryValue(query, name));
  return typeof value === "string" && value !== "" ? value : null;
}

export function integer(
  query: Record<string, unknown>,
  name: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number | null {
  const value = text(query, name);
  if (value === null) return null;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw invalid(name);
  return n;
}

export function bool(query: Record<string, unknown>, name: string): boolean | null {
  const value = text(query, name);
  if (value === null) return null;
  if (/^(true|1)$/i.test(value)) return true;
  if (/^(false|0)$/i.test(value)) return false;
  throw invalid(name);
}

export function pathId(params: Record<string, string>, name: string): number {
  const value = params[name] ?? "";
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw invalid(name);
  return n;
}

/** The origin the client used (discovery documents and `_links` point back at it). */
export function originOf(request: FastifyRequest): string {
  return `http://${request.headers.host ?? "127.0.0.1"}`;
}
