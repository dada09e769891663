import type { IncomingMessage } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { EmulatorContext } from "./context.ts";
import type { Group } from "./groups.ts";

/**
 * The route helper every API route file uses: it attaches the route's group and scopes (read by
 * the request pipeline), records the route for the OpenAPI document, and hands the handler the
 * authenticated client.
 */
export interface RequestMeta {
  group: Group | null;
  clientId: string | null;
  scopes: string[];
  at: Date;
  /** A `truncateRate` fault picked this request: its 2xx answer is cut off mid-body. */
  truncate?: boolean;
  /** Already in the request log (a truncated answer is logged when it is cut). */
  logged?: boolean;
}

const metas = new WeakMap<IncomingMessage, RequestMeta>();

export function setMeta(request: FastifyRequest, meta: RequestMeta): void {
  metas.set(request.raw, meta);
}

export function metaOf(request: FastifyRequest): RequestMeta | undefined {
  return metas.get(request.raw);
}

export interface RouteConfig {
  group: Group;
  scopes: readonly string[] | null;
}

export interface Caller {
  clientId: string;
  scopes: string[];
}

export interface RouteSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  group: Group;
  /** Any one of these grants access; null = no bearer token (the token endpoints). */
  scopes: readonly string[] | null;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  responses: Record<string, string>;
}

export type Handler = (request: FastifyRequest, reply: FastifyReply, caller: Caller) => unknown;

export function apiRoute(
  app: FastifyInstance,
  ctx: EmulatorContext,
  spec: RouteSpec,
  handler: Handler,
): void {
  const config: RouteConfig = { group: spec.group, scopes: spec.scopes };
  ctx.routes.push({
    method: spec.method,
    url: spec.url,
    group: spec.group,
    scopes: spec.scopes,
    summary: spec.summary,
    body: spec.body ? safeJsonSchema(spec.body) : undefined,
    query: spec.query ? safeJsonSchema(spec.query) : undefined,
    responses: spec.responses,
  });
  app.route({
    method: spec.method,
    url: spec.url,
    config,
    handler: async (request, reply) => {
      const meta = metaOf(request);
      return handler(request, reply, { clientId: meta?.clientId ?? "", scopes: meta?.scopes ?? [] });
    },
  });
}

function safeJsonSchema(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  } catch {
    return {};
  }
}

/** Query values arrive as string | string[]; single-valued parameters take the last one. */
export function lastValue(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}
