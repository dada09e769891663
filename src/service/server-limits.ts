import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { FastifyInstance, FastifyServerOptions } from "fastify";
import fp from "fastify-plugin";
import type { z } from "zod";
import type { serviceHttpSchema } from "../core/config/schema.ts";
import { serviceMetrics } from "./metrics.ts";

export type ServerLimits = z.infer<typeof serviceHttpSchema>;

/**
 * Fastify's options for `service.http`: Node's request and header timeouts (Fastify leaves the
 * request timeout at 0, off) and the keep-alive timeout. Node checks the two timeouts every
 * `connectionsCheckingInterval` (30 s by default), so the interval follows the header timeout:
 * a slow client is cut off within about one and a half times its limit. `trustProxy` is
 * service.trustProxy: which proxies' X-Forwarded-For and -Proto Fastify believes.
 */
export function serverOptions(
  limits: ServerLimits,
  trustProxy: number | false | string[] = false,
): FastifyServerOptions {
  return {
    // A hop count, addresses or false (Fastify's types leave out the count its proxy-addr takes).
    trustProxy,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2))),
    },
  } as FastifyServerOptions;
}

/** service.http's connection caps on the app's server, as a plugin (before it listens). */
export const connectionLimits = fp(
  async (app: FastifyInstance, limits: ServerLimits) => {
    app.server.maxConnections = limits.maxConnections;
    limitConnectionsPerAddress(app.server, limits.maxConnectionsPerAddress);
  },
  { name: "cxo-connection-limits", fastify: "5.x" },
);

/**
 * At most `max` open connections from one client address (the socket's: behind a proxy, the
 * proxy's), so one client holding idle sockets cannot take the whole `maxConnections`. A
 * connection past it is closed at once, before any byte is read.
 */
export function limitConnectionsPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "";
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      serviceMetrics.refusedRequests.inc({ reason: "connections-per-address" });
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
