import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { isLoopbackHost } from "../core/loopback.ts";
import { AnswerError } from "./error-answers.ts";
import { serviceMetrics } from "./metrics.ts";

/**
 * Transport policy for every request, before access tokens and routes:
 *
 * - **Host allow-list** (DNS rebinding): a page on evil.example whose name is re-pointed at
 *   127.0.0.1 talks to us as "same origin", but its requests still carry `Host: evil.example`.
 *   Only loopback names, the bind address and `service.allowedHosts` are answered.
 * - **Foreign `Origin`** (cross-site requests): browsers send `Origin` on every cross-origin
 *   fetch and form POST; CXone's server-to-server webhooks send none. A request whose Origin is
 *   not this very service (same scheme-less host:port as its Host header) is refused, so a page
 *   the operator happens to visit cannot POST a "simple request" to the webhook receiver.
 *
 * A route whose config says `anyHost` (the service's `/api/health`: load balancers probe it by
 * IP; it shows no campaign data) is answered whatever its Host. Refusals are thrown to the one
 * error handler.
 */
export interface RequestPolicyOptions {
  /** The address the service listens on. */
  bindHost: string;
  /** `service.allowedHosts`: names, `*.domain`, or `*`. */
  allowedHosts: readonly string[];
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Answered whatever the request's Host (the service's /api/health, for load balancers). */
    anyHost?: boolean;
  }
}

const WILDCARD_BINDS = new Set(["0.0.0.0", "::", "[::]"]);

/** The host name of a Host header (`name:port`, `[v6]:port`), lower-cased, without the port. */
export function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith("[")) return value.slice(0, value.indexOf("]") + 1);
  const colon = value.lastIndexOf(":");
  return colon === -1 ? value : value.slice(0, colon);
}

export function hostAllowed(header: string | undefined, options: RequestPolicyOptions): boolean {
  if (!header) return false;
  const name = hostName(header);
  if (name === "") return false;
  if (isLoopbackHost(name)) return true;
  const bind = options.bindHost.toLowerCase();
  if (!WILDCARD_BINDS.has(bind) && name.replace(/^\[|\]$/g, "") === bind.replace(/^\[|\]$/g, "")) return true;
  return options.allowedHosts.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p === "*") return true;
    if (p.startsWith("*.")) return name.endsWith(p.slice(1));
    return name === p.replace(/:\d+$/, "");
  });
}

/** True when `origin` is this service itself, as reached through `host`. */
export function sameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host === host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed pages, file:) and garbage are foreign
  }
}

/** The policy as a plugin (fastify-plugin: its hook covers every route, before the auth plugin's). */
export const requestPolicy = fp(
  async (app: FastifyInstance, options: RequestPolicyOptions) => installRequestPolicy(app, options),
  { name: "cxo-request-policy", fastify: "5.x" },
);

export function installRequestPolicy(app: FastifyInstance, options: RequestPolicyOptions): void {
  app.addHook("onRequest", async (request) => {
    const host = request.headers.host;
    if (!request.routeOptions.config.anyHost && !hostAllowed(host, options)) {
      serviceMetrics.refusedRequests.inc({ reason: "host" });
      throw new AnswerError(
        403,
        "host_not_allowed",
        `Host "${host ?? ""}" is not served here: add it to service.allowedHosts if this service is reached by that name`,
      );
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !sameOrigin(origin, host)) {
      serviceMetrics.refusedRequests.inc({ reason: "origin" });
      throw new AnswerError(403, "cross_origin", "requests from another web origin are refused");
    }
  });
}
