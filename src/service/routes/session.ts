import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { signInAnswer, signInCodeAnswer, whoAmIAnswer } from "../answers/panels.ts";
import {
  type AuthOptions,
  auditSignIn,
  mintSignInCode,
  OPEN_TO_ALL,
  SIGNED_IN,
  setSessionCookie,
  tooMany,
} from "../auth.ts";
import { AnswerError } from "../error-answers.ts";
import { serviceMetrics } from "../metrics.ts";
import { sessionKey } from "../sessions.ts";

/** The rule a malformed sign-in broke (one wording: it says no more about the limits). */
const REQUIRED = "user and password are required";
const signInBody = z.object(
  {
    user: z.string(REQUIRED).min(1, REQUIRED).max(64, REQUIRED),
    password: z.string(REQUIRED).min(1, REQUIRED).max(1024, REQUIRED),
  },
  REQUIRED,
);

/**
 * Sign-in, who-am-I and sign-out: `POST|GET|DELETE /api/session`; `POST /api/session/code`.
 * The sign-in's body is a zod schema on the route: a malformed one is the error handler's 400.
 * `/api/session` is open to all (its config): signing in needs no session, and no CSRF token.
 */
export async function sessionRoutes(plain: FastifyInstance, options: AuthOptions): Promise<void> {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const { operators, sessions, limiter } = options;

  // JSON only, checked before the body is: a form on another site cannot post JSON without
  // asking first (and its Origin is refused before this): no signing a victim in to an
  // attacker's account.
  const jsonOnly = async (request: { headers: Record<string, unknown> }) => {
    if (!String(request.headers["content-type"] ?? "").startsWith("application/json"))
      throw new AnswerError(415, "unsupported_media_type", "send the sign-in as application/json");
  };

  app.post(
    "/api/session",
    {
      config: { ...OPEN_TO_ALL, csrfExempt: true },
      preValidation: jsonOnly,
      schema: { body: signInBody, response: { 200: signInAnswer } },
    },
    async (request, reply) => {
      const name = request.body.user;
      // Counted before the password is checked: parallel attempts cannot outrun the limit.
      const attempt = limiter.begin(request.ip, name);
      if (!attempt.allowed) {
        serviceMetrics.refusedRequests.inc({ reason: "sign-in" });
        throw tooMany(attempt.waitMs, "failed sign-ins");
      }
      const user = await operators.verify(name, request.body.password);
      if (user === "busy") {
        attempt.succeed(); // not checked: not a failure
        serviceMetrics.refusedRequests.inc({ reason: "sign-in-busy" });
        throw new AnswerError(
          503,
          "busy",
          "too many sign-ins are being checked right now: try again in a few seconds",
          {},
          { "retry-after": "5" },
        );
      }
      if (!user) {
        attempt.fail();
        serviceMetrics.refusedRequests.inc({ reason: "sign-in" });
        await auditSignIn(options.store, { user: name, address: request.ip, ok: false });
        throw new AnswerError(401, "invalid_credentials", "unknown user or wrong password");
      }
      attempt.succeed();
      const { id, session } = await sessions.create(user.name, user.role, user.generation);
      await auditSignIn(options.store, { user: user.name, address: request.ip, ok: true });
      return setSessionCookie(request, reply, id, sessions.lifetimeSeconds).send({
        user: session.user,
        role: session.role,
        csrfToken: session.csrf,
        expiresAt: session.expiresAt,
      });
    },
  );

  app.get(
    "/api/session",
    { config: OPEN_TO_ALL, schema: { response: { 200: whoAmIAnswer } } },
    async (request) => {
      const p = request.principal;
      if (!p) throw new AnswerError(401, "unauthorized", "not signed in");
      return {
        user: p.user,
        role: p.role,
        via: p.via,
        csrfToken: p.session?.csrf ?? null,
        expiresAt: p.session?.expiresAt ?? null,
      };
    },
  );

  app.delete("/api/session", { config: OPEN_TO_ALL }, async (request, reply) => {
    const p = request.principal;
    if (p?.sessionId) {
      await sessions.end(p.sessionId);
      options.hub.endSession(sessionKey(p.sessionId));
    }
    return setSessionCookie(request, reply, "", 0).code(204).send();
  });

  // A one-time code for a browser, asked for with the access token: the token stays out of URLs.
  app.post(
    "/api/session/code",
    { config: SIGNED_IN, schema: { response: { 200: signInCodeAnswer } } },
    async (request) => {
      if (request.principal?.via !== "token")
        throw new AnswerError(403, "forbidden", "a sign-in code is given for the access token (Bearer) only");
      const { code, expiresAt } = await mintSignInCode(options.store);
      return { code, expiresAt, path: `/?code=${code}` };
    },
  );
}
