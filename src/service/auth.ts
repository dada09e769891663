import { randomBytes } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { clockNowMs } from "../core/clock/now.ts";
import { type ServiceUser, TOKEN_USER_NAME } from "../core/config/index.ts";
import { localOperation, type Store } from "../core/store/index.ts";
import { AnswerError } from "./error-answers.ts";
import { serviceMetrics } from "./metrics.ts";
import { mayAct, Operators, type Role } from "./operators.ts";
import { SESSION_COOKIE, type Session, Sessions, sameSecret, sessionKey } from "./sessions.ts";
import { SignInLimiter } from "./sign-in-limiter.ts";
import type { SseHub } from "./sse-hub.ts";
/**
 * Who is asking, for every request after the transport policy (request-policy.ts):
 *
 * - a script: `Authorization: Bearer <service.accessToken>` — an admin named `access-token`;
 *   a header no other site can make a browser send, so no CSRF token is needed. Wrong tokens are
 *   limited per client address (sign-in-limiter.ts);
 * - a person: the `cxo_session` cookie of a sign-in (HttpOnly, SameSite=Strict, Secure when the
 *   request came over TLS). The session must still match its user's record — same role, same
 *   password — on every request: saving or removing the user ends it. Every action (any method
 *   but GET/HEAD) must carry the session's CSRF token in `x-csrf-token`, checked here against
 *   the session, server-side;
 * - nobody, when neither users nor a token are configured (a loopback-only board, as before):
 *   a viewer. Actions then need a sign-in or the token, which the refusal says.
 *
 * A browser of someone holding the token signs in with a one-time code (`POST /api/session/code`
 * with the token → `/?code=…`, single use, one minute): the token itself never goes in a URL.
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
  interface FastifyContextConfig {
    /**
     * The role a route needs (`config: { role: "operator" }`): checked by the auth plugin before
     * the request is validated, read or acted on; a refusal is a 403 from the error handler.
     */
    role?: Role;
    /**
     * Reached without a sign-in or the access token: the route authenticates its caller itself
     * (CXone's signed webhooks). Route config rather than a path, so it holds under any prefix.
     */
    open?: boolean;
    /** Needs no CSRF token even from a signed-in browser (signing in; a signed webhook sends no cookie). */
    csrfExempt?: boolean;
  }
}

export interface AuthOptions {
  accessToken: string | undefined;
  operators: Operators;
  sessions: Sessions;
  limiter: SignInLimiter;
  /** Where sign-ins are audited. */
  store: Pick<Store, "journal" | "kv">;
  /** The live streams (every tenant's): a session that ends ends its streams. */
  hub: Pick<SseHub, "endSession" | "watchSessions">;
}

/**
 * What a route allows, said in its own config (never in a list of paths beside the routes): every
 * route of the service names a role or is open (test/service/route-config.test.ts).
 */
export const SIGNED_IN = { role: "viewer" } as const satisfies FastifyContextConfig;
/** Reached by anyone: health and readiness, who-am-I and sign-in, the sign-in page and what it loads. */
export const OPEN_TO_ALL = { open: true } as const satisfies FastifyContextConfig;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** A board page: `/`, or a tenant's `/t/NAME/` on a service for several business units. */
const BOARD_PAGE = /^\/(t\/[a-z][a-z0-9-]{0,31}\/?)?$/;
/** The principal of the access token, and the generation its browser sessions carry. */
/** The token acts as this admin (no person may have the name: core/config's userNameProblem). */
const TOKEN_USER = TOKEN_USER_NAME;
const TOKEN_GENERATION = "access-token";
/** One-time sign-in codes: key-value namespace (keyed by the code's digest), lifetime. */
export const SIGN_IN_CODES_NAMESPACE = "service.sign-in-codes";
const CODE_LIFETIME_MS = 60_000;

/**
 * Secure when the browser reached us over TLS: Fastify's protocol, which believes a proxy's
 * X-Forwarded-Proto only when `service.trustProxy` trusts that proxy.
 */
function secure(request: FastifyRequest): boolean {
  return request.protocol === "https";
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Secure over TLS (`maxAgeSeconds` 0: cleared). */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  maxAgeSeconds: number,
) {
  return reply.setCookie(SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: "strict",
    path: "/",
    maxAge: maxAgeSeconds,
    secure: secure(request),
  });
}

/** The refusal of a limited attempt (sign-ins, bearer tokens, webhook signatures), to throw. */
export const tooMany = (waitMs: number, what: string) =>
  new AnswerError(
    429,
    "too_many_attempts",
    `too many ${what}: try again in ${Math.ceil(waitMs / 60_000)} min`,
    {},
    { "retry-after": String(Math.ceil(waitMs / 1000)) },
  );

/** 401 with the challenge a script reads. */
const unauthorized = (message: string) =>
  new AnswerError(401, "unauthorized", message, {}, { "www-authenticate": 'Bearer realm="cxo serve"' });

/** Whether a stored session is still good: its user's record unchanged (or, for the token's, the token still set). */
async function stillCurrent(options: AuthOptions, session: Session): Promise<boolean> {
  if (session.generation === TOKEN_GENERATION)
    return session.user === TOKEN_USER && session.role === "admin" && options.accessToken !== undefined;
  return options.operators.current(session);
}

/** The session keys still good among all stored (one pass over the store: the hub's periodic check). */
export async function liveSessionKeys(options: AuthOptions): Promise<Set<string>> {
  const live = new Set<string>();
  for (const { key, session } of await options.sessions.all())
    if (await stillCurrent(options, session)) live.add(key);
  return live;
}

/** Sign-ins, successful or not, in the audit log: who, from where. */
export function auditSignIn(
  store: Pick<Store, "journal">,
  attempt: { user: string; address: string; ok: boolean },
): Promise<null> {
  const kind = attempt.ok ? "service.sign-in" : "service.sign-in-failed";
  return store.journal.run(
    localOperation<{ user: string; address: string }>(kind, (p) => ({ details: p })),
    {
      target: `user:${attempt.user}`,
      payload: { user: attempt.user, address: attempt.address },
      actor: attempt.ok ? `board:${attempt.user}` : `sign-in@${attempt.address}`,
      idempotencyKey: `cxo-${kind}-${randomBytes(12).toString("base64url")}`,
    },
  );
}

export interface ServiceAuthSettings {
  accessToken: string | undefined;
  /** `service.users` (more in the store, `cxo users add`). */
  users: readonly ServiceUser[];
  sessionHours: number;
  /** service.passwordHashCost: the decoy hash's cost (that of real ones). */
  passwordHashCost: number;
  store: Store;
  hub: Pick<SseHub, "endSession" | "watchSessions">;
}

/** The auth plugin's options from the service's settings (shared with the session routes). */
export function serviceAuth(settings: ServiceAuthSettings): AuthOptions {
  return {
    accessToken: settings.accessToken,
    operators: new Operators(settings.users, settings.store, { hashCost: settings.passwordHashCost }),
    sessions: new Sessions(settings.store, settings.sessionHours * 3600_000),
    limiter: new SignInLimiter(),
    store: settings.store,
    hub: settings.hub,
  };
}

/**
 * The auth plugin (fastify-plugin: its hook covers every route of the app it is registered on,
 * registered before the route groups). Cookies are parsed by @fastify/cookie. The live streams
 * of a session that ended (signed out, user changed) are closed by the hub's periodic check.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthOptions) => {
    await app.register(fastifyCookie);
    installAuth(app, options);
    app.addHook("preValidation", requireRole);
    options.hub.watchSessions(() => liveSessionKeys(options));
  },
  { name: "cxo-auth", fastify: "5.x" },
);

function installAuth(app: FastifyInstance, options: AuthOptions): void {
  const { accessToken, operators, sessions, limiter } = options;
  app.decorateRequest("principal", null);

  app.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?", 1)[0] ?? "/";
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? "")?.[1];
    if (bearer !== undefined) {
      const attempt = limiter.beginToken(request.ip);
      if (!attempt.allowed) {
        serviceMetrics.refusedRequests.inc({ reason: "token" });
        throw tooMany(attempt.waitMs, "wrong access tokens from this address");
      }
      if (accessToken && sameSecret(bearer, accessToken)) {
        attempt.succeed();
        // Whoever holds the token holds the whole service: an admin, on every tenant.
        request.principal = { user: TOKEN_USER, role: "admin", via: "token" };
        return;
      }
      attempt.fail();
      serviceMetrics.refusedRequests.inc({ reason: "token" });
      throw unauthorized("the access token is not this service's");
    }
    const query = request.query as Record<string, unknown> | undefined;
    if (path === "/" && typeof query?.code === "string") {
      if (!accessToken || !(await takeSignInCode(options.store, query.code))) {
        serviceMetrics.refusedRequests.inc({ reason: "sign-in-code" });
        throw new AnswerError(
          401,
          "unauthorized",
          "this sign-in code is unknown, used or expired: ask for another",
        );
      }
      const { id } = await sessions.create(TOKEN_USER, "admin", TOKEN_GENERATION);
      return setSessionCookie(request, reply, id, sessions.lifetimeSeconds).redirect("/", 303);
    }
    const id = request.cookies[SESSION_COOKIE];
    let session = id === undefined ? undefined : await sessions.get(id);
    if (id !== undefined && session && !(await stillCurrent(options, session))) {
      // The user was removed, demoted or given a new password since: the session is over.
      await sessions.end(id);
      options.hub.endSession(sessionKey(id));
      session = undefined;
    }
    if (id !== undefined && session) {
      request.principal = { user: session.user, role: session.role, via: "session", session, sessionId: id };
      if (!SAFE_METHODS.has(request.method) && !request.routeOptions.config.csrfExempt) {
        const given = request.headers["x-csrf-token"];
        if (typeof given !== "string" || !sameSecret(given, session.csrf)) {
          serviceMetrics.refusedRequests.inc({ reason: "csrf" });
          throw new AnswerError(
            403,
            "csrf",
            "this action needs the CSRF token of your session (x-csrf-token)",
          );
        }
      }
      return;
    }
    if (request.routeOptions.config.open) {
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
    if (BOARD_PAGE.test(path) && signInNeeded) return reply.redirect("/sign-in", 303);
    throw unauthorized("sign in, or send this service's access token (Bearer)");
  });
}

/**
 * The one role check (a hook of the auth plugin, for every route whose config names a role):
 * before the request is validated, so a viewer learns nothing about what a well-formed action
 * looks like, and nothing is read or sent. Only operators act.
 */
async function requireRole(request: FastifyRequest): Promise<void> {
  const needed = request.routeOptions.config.role;
  if (needed === undefined || needed === "viewer") return;
  const principal = request.principal;
  // An admin (every tenant of a service for several) acts as an operator does.
  if (needed === "operator" ? mayAct(principal?.role) : principal?.role === needed) return;
  throw new AnswerError(
    403,
    "forbidden",
    principal?.via === "open"
      ? "sign in as an operator to act (nobody signs in to this board yet: add service.users or `cxo users add`), or use the access token"
      : "a viewer cannot act: sign in as an operator",
  );
}

/** Mints a one-time sign-in code (kept by its digest, like sessions), valid for a minute. */
export async function mintSignInCode(store: Pick<Store, "kv">): Promise<{ code: string; expiresAt: string }> {
  const code = randomBytes(24).toString("base64url");
  const expiresAt = new Date(clockNowMs() + CODE_LIFETIME_MS).toISOString();
  await store.kv.set(SIGN_IN_CODES_NAMESPACE, sessionKey(code), { expiresAt });
  return { code, expiresAt };
}

/** Uses a code up: true once, for an unexpired code (of two instances taking it, one wins). */
async function takeSignInCode(store: Pick<Store, "kv">, code: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(code)) return false;
  const key = sessionKey(code);
  const found = await store.kv.get<{ expiresAt: string }>(SIGN_IN_CODES_NAMESPACE, key);
  if (!found || !(await store.kv.delete(SIGN_IN_CODES_NAMESPACE, key))) return false;
  return Date.parse(found.expiresAt) > clockNowMs();
}
