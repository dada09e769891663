import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { serviceMetrics } from "./metrics.ts";
import type { Operators, Role } from "./operators.ts";
import { SESSION_COOKIE, type Session, type Sessions, sameSecret } from "./sessions.ts";
import type { SignInLimiter } from "./sign-in-limiter.ts";

/**
 * Who is asking, for every request after the transport policy (request-policy.ts):
 *
 * - a script: `Authorization: Bearer <service.accessToken>` — an operator named `access-token`;
 *   a header no other site can make a browser send, so no CSRF token is needed;
 * - a person: the `cxo_session` cookie of a sign-in (HttpOnly, SameSite=Strict, Secure when the
 *   request came over TLS). Every action (any method but GET/HEAD) must carry the session's CSRF
 *   token in `x-csrf-token`, checked here against the session, server-side;
 * - nobody, when neither users nor a token are configured (a loopback-only board, as before):
 *   a viewer. Actions then need a sign-in or the token, which the refusal says.
 *
 * The old browser login `/?access_token=<token>` still works: it starts a session for
 * `access-token` (an operator) and redirects to `/`, so the token leaves the address bar.
 */
export interface Principal {
  user: string;
  role: Role;
  via: "token" | "session" | "open";
  session?: Session;
  sessionId?: string;
}

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface AuthOptions {
  accessToken: string | undefined;
  operators: Operators;
  sessions: Sessions;
  limiter: SignInLimiter;
  /** Routes anyone may reach (health, the sign-in page and what it loads, the signed webhook). */
  openPaths: ReadonlySet<string>;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Signing in has no session yet; CXone's webhooks are signed instead (and send no cookie). */
const CSRF_EXEMPT = new Set(["POST /api/session", "POST /webhooks/cxone"]);

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      try {
        return decodeURIComponent(rest.join("="));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Secure when the browser reached us over TLS (directly, or through a proxy that says so). */
function secure(request: FastifyRequest): boolean {
  return request.protocol === "https" || request.headers["x-forwarded-proto"] === "https";
}

export function sessionCookie(request: FastifyRequest, id: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure(request) ? "; Secure" : ""}`;
}

const clearCookie = (request: FastifyRequest) =>
  `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure(request) ? "; Secure" : ""}`;

const refuse = (reply: FastifyReply, status: number, error: string, message: string) =>
  reply.code(status).send({ error, message });

export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  const { accessToken, operators, sessions } = options;
  app.decorateRequest("principal", null);

  app.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?", 1)[0] ?? "/";
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? "")?.[1];
    if (bearer !== undefined) {
      if (accessToken && sameSecret(bearer, accessToken)) {
        request.principal = { user: "access-token", role: "operator", via: "token" };
        return;
      }
      serviceMetrics.refusedRequests.inc({ reason: "token" });
      return reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="cxo serve"')
        .send({ error: "unauthorized", message: "the access token is not this service's" });
    }
    const query = request.query as Record<string, unknown> | undefined;
    if (path === "/" && accessToken && typeof query?.access_token === "string") {
      if (!sameSecret(query.access_token, accessToken))
        return refuse(reply, 401, "unauthorized", "the access token is not this service's");
      const { id } = await sessions.create("access-token", "operator");
      return reply
        .header("set-cookie", sessionCookie(request, id, sessions.lifetimeSeconds))
        .redirect("/", 303);
    }
    const id = cookieValue(request.headers.cookie, SESSION_COOKIE);
    const session = id === undefined ? undefined : await sessions.get(id);
    if (id !== undefined && session) {
      request.principal = { user: session.user, role: session.role, via: "session", session, sessionId: id };
      if (!SAFE_METHODS.has(request.method) && !CSRF_EXEMPT.has(`${request.method} ${path}`)) {
        const given = request.headers["x-csrf-token"];
        if (typeof given !== "string" || !sameSecret(given, session.csrf)) {
          serviceMetrics.refusedRequests.inc({ reason: "csrf" });
          return refuse(
            reply,
            403,
            "csrf",
            "this action needs the CSRF token of your session (x-csrf-token)",
          );
        }
      }
      return;
    }
    if (options.openPaths.has(path)) {
      // Who-am-I on a board nobody signs in to: the read-only viewer (the page then shows no sign-in).
      if (path === "/api/session" && !accessToken && !(await operators.any()))
        request.principal = { user: "anonymous", role: "viewer", via: "open" };
      return;
    }
    const signInNeeded = await operators.any();
    if (!accessToken && !signInNeeded) {
      request.principal = { user: "anonymous", role: "viewer", via: "open" };
      return;
    }
    serviceMetrics.refusedRequests.inc({ reason: "unauthenticated" });
    if (path === "/" && signInNeeded) return reply.redirect("/sign-in", 303);
    return reply
      .code(401)
      .header("www-authenticate", 'Bearer realm="cxo serve"')
      .send({ error: "unauthorized", message: "sign in, or send this service's access token (Bearer)" });
  });
}

const signInBody = z.object({
  user: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

/** Sign-in, who-am-I and sign-out: `POST|GET|DELETE /api/session`. */
export function sessionRoutes(app: FastifyInstance, options: AuthOptions): void {
  const { operators, sessions, limiter } = options;

  app.post("/api/session", async (request, reply) => {
    // JSON only: a form on another site cannot post JSON without asking first (and its Origin
    // is refused before this): no signing a victim in to an attacker's account.
    if (!String(request.headers["content-type"] ?? "").startsWith("application/json"))
      return refuse(reply, 415, "unsupported_media_type", "send the sign-in as application/json");
    const body = signInBody.safeParse(request.body);
    if (!body.success)
      return reply.code(400).send({
        error: "invalid_request",
        field: String(body.error.issues[0]?.path[0] ?? ""),
        rule: "user and password are required",
      });
    const keys = [`ip:${request.ip}`, `user:${body.data.user.toLowerCase()}`];
    const wait = limiter.waitMs(keys);
    if (wait > 0)
      return reply
        .code(429)
        .header("retry-after", String(Math.ceil(wait / 1000)))
        .send({
          error: "too_many_attempts",
          message: `too many failed sign-ins: try again in ${Math.ceil(wait / 60_000)} min`,
        });
    const user = await operators.verify(body.data.user, body.data.password);
    if (!user) {
      limiter.fail(keys);
      serviceMetrics.refusedRequests.inc({ reason: "sign-in" });
      return refuse(reply, 401, "invalid_credentials", "unknown user or wrong password");
    }
    limiter.succeed(keys);
    const { id, session } = await sessions.create(user.name, user.role);
    return reply.header("set-cookie", sessionCookie(request, id, sessions.lifetimeSeconds)).send({
      user: session.user,
      role: session.role,
      csrfToken: session.csrf,
      expiresAt: session.expiresAt,
    });
  });

  app.get("/api/session", async (request, reply) => {
    const p = request.principal;
    if (!p) return refuse(reply, 401, "unauthorized", "not signed in");
    return {
      user: p.user,
      role: p.role,
      via: p.via,
      csrfToken: p.session?.csrf ?? null,
      expiresAt: p.session?.expiresAt ?? null,
    };
  });

  app.delete("/api/session", async (request, reply) => {
    const p = request.principal;
    if (p?.sessionId) await sessions.end(p.sessionId);
    return reply.header("set-cookie", clearCookie(request)).code(204).send();
  });
}
