import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { FastifyInstance, RouteOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { RunningService } from "../../src/service/index.ts";
import { type ServiceHarness, serviceHarness } from "./harness.ts";

/**
 * Issue 68 §3: every route of `cxo serve` says in its own config what it allows — a role, or
 * `open` — (no list of paths beside the routes); every JSON route has a response schema
 * (Fastify serialises with it); and every 4xx the service answers, whoever refuses (the
 * transport policy, the auth plugin, a route's schema, the route itself, Fastify's own 404), has
 * the one shape `{error, message, …}`. The routes are collected as the service registers them
 * (an `onRoute` hook on every Fastify app made while the test starts them — Fastify's
 * `fastify.initialization` diagnostics channel — the emulator's set apart by port).
 */
const registered = new Map<FastifyInstance, RouteOptions[]>();
const collect = (message: unknown) => {
  const app = (message as { fastify: FastifyInstance }).fastify;
  const routes: RouteOptions[] = [];
  registered.set(app, routes);
  app.addHook("onRoute", (route) => {
    routes.push(route);
  });
};

/** The one shape of a refusal (error-answers.ts): a stable code and a sentence, extras allowed. */
const oneShape = z.looseObject({ error: z.string().regex(/^[a-z][a-z0-9_]*$/), message: z.string().min(1) });

/** Routes whose answer is not JSON: pages, static files, Prometheus text, the event stream. */
const NOT_JSON = [
  /^\/$/,
  /^\/sign-in$/,
  /^\/static\//,
  /^\/vendor\/uplot\//,
  /\/metrics$/,
  /\/api\/events$/,
  /^\/t\/:tenant(\/\*)?$/,
  /^\/t\/[a-z]+\/$/,
  /^\/t\/[a-z]+$/,
  /^\/api\/session$/, // DELETE: 204, no body (GET and POST have their schemas: checked below)
];
/** The methods fired at each route (`app.all` routes take every method Node knows). */
const FETCHED = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
const TOKEN = "route-config-test-token-0123456789";

function methodsOf(route: RouteOptions): string[] {
  return (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== "HEAD");
}

function serviceRoutes(svc: RunningService): RouteOptions[] {
  for (const [app, routes] of registered) {
    const address = app.server.address();
    if (address && typeof address === "object" && address.port === svc.port) return routes;
  }
  throw new Error("the service's app was not seen");
}

describe("every route's config, response schema and error shape", () => {
  let h: ServiceHarness;
  let single: RunningService;
  let several: RunningService;

  beforeAll(async () => {
    subscribe("fastify.initialization", collect);
    h = await serviceHarness();
    single = await h.start({ accessToken: TOKEN });
    several = await h.start({
      accessToken: TOKEN,
      tenants: [
        { name: "acme", settings: h.settings({}, { dataDir: `${h.dataDir}-acme` }) },
        { name: "globex", settings: h.settings({}, { dataDir: `${h.dataDir}-globex` }) },
      ],
      settings: h.settings({}, { dataDir: `${h.dataDir}-installation` }),
    });
    unsubscribe("fastify.initialization", collect);
  }, 60_000);
  afterAll(() => h.close());

  it("every route names a role or is open, and every JSON route has a response schema", () => {
    for (const svc of [single, several]) {
      const routes = serviceRoutes(svc);
      expect(routes.length).toBeGreaterThan(25);
      const missing: string[] = [];
      for (const route of routes) {
        const name = `${methodsOf(route).join(",")} ${route.url}`;
        const config = (route.config ?? {}) as { role?: string; open?: boolean };
        if (config.role === undefined && config.open !== true) missing.push(`${name}: no role and not open`);
        const response = route.schema?.response as Record<string, unknown> | undefined;
        const json = !NOT_JSON.some((pattern) => pattern.test(route.url)) || response !== undefined;
        if (json && !response) missing.push(`${name}: no response schema`);
        else if (response && !("200" in response || "204" in response))
          missing.push(`${name}: no schema for its success`);
      }
      expect(missing).toEqual([]);
    }
  });

  it("every 4xx of every route has the one shape {error, message}", async () => {
    const bodies: Array<{ what: string; status: number; body: unknown }> = [];
    for (const svc of [single, several]) {
      const urls = new Set<string>();
      for (const route of serviceRoutes(svc))
        for (const method of methodsOf(route).filter((m) => FETCHED.has(m)))
          for (const id of ["c-1", "-bad-", "evt_x"])
            urls.add(
              `${method} ${route.url.replaceAll(":id", id).replace(":tenant", "nobody").replace("*", "x")}`,
            );
      urls.add("GET /no/such/route");
      urls.add("POST /api/no/such/route");
      // A wrong token last: after five the address waits (429), whatever it sends.
      const variants: Array<[string, Record<string, string>]> = [
        ["the token", { authorization: `Bearer ${TOKEN}` }],
        ["a foreign origin", { authorization: `Bearer ${TOKEN}`, origin: "https://evil.example" }],
        ["text/plain", { authorization: `Bearer ${TOKEN}`, "content-type": "text/plain" }],
        ["no credentials", {}],
        ["a wrong token", { authorization: "Bearer not-the-token" }],
      ];
      for (const [variant, headers] of variants)
        for (const entry of urls) {
          const [method, url] = entry.split(" ") as [string, string];
          // The event stream, let in, never ends: asked only where it is refused.
          if (url.endsWith("/api/events") && (variant === "the token" || variant === "text/plain")) continue;
          const withBody = method === "POST" || method === "PUT" || method === "PATCH";
          const response = await fetch(`${svc.url}${url}`, {
            method,
            headers: {
              ...(withBody && !headers["content-type"] ? { "content-type": "application/json" } : {}),
              ...headers,
            },
            ...(withBody ? { body: headers["content-type"] ? "x" : "{}" } : {}),
            redirect: "manual",
          });
          const text = await response.text();
          if (response.status < 400 || response.status >= 500) continue;
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: reported below
          }
          bodies.push({ what: `${entry} (${variant})`, status: response.status, body });
        }
    }
    expect(bodies.length).toBeGreaterThan(100);
    const wrong = bodies.filter((b) => !oneShape.safeParse(b.body).success);
    expect(wrong).toEqual([]);
    // The refusals seen include every kind: the policy's, the auth plugin's, a schema's, Fastify's 404.
    const codes = new Set(bodies.map((b) => (b.body as { error?: string }).error));
    for (const code of ["cross_origin", "unauthorized", "too_many_attempts", "invalid_request", "not_found"])
      expect(codes, code).toContain(code);
  }, 120_000);
});
