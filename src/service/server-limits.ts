import type { FastifyServerOptions } from "fastify";
import type { z } from "zod";
import type { serviceHttpSchema } from "../core/config/schema.ts";

export type ServerLimits = z.infer<typeof serviceHttpSchema>;

/**
 * Fastify's options for `service.http`: Node's request and header timeouts (Fastify leaves the
 * request timeout at 0, off) and the keep-alive timeout. Node checks the two timeouts every
 * `connectionsCheckingInterval` (30 s by default), so the interval follows the header timeout:
 * a slow client is cut off within about one and a half times its limit.
 */
export function serverOptions(limits: ServerLimits): FastifyServerOptions {
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2))),
    },
  } as FastifyServerOptions;
}
