import type { FastifyError, FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { escapeHtml } from "../core/html-escape.ts";
import { NotFoundError } from "../core/http/errors.ts";
import { InputError } from "../core/input-error.ts";
import { type Logger, scrubSecrets } from "../core/logging/index.ts";

/**
 * The one place the service turns an error into an answer: every route, hook and plugin throws,
 * this shapes and scrubs; nothing under src/service/ sends a 4xx by hand
 * (test/service/one-error-path.test.ts). Every error answer has ONE shape, `{error, message}` —
 * a stable code and a sentence — with named extras where they say more: `field` and `rule` (a
 * request's schema refused it), `problems` (an InputError), `ok: false` and `auditSeq` (the
 * board's actions). A message leaves only through `scrubSecrets` (a CXone error can quote a URL
 * with a token, a store error its connection string); an error nobody expected answers 500 with
 * no detail and is logged (scrubbed by the logger). `AnswerError` is what a route throws to
 * choose the status, the `error` code, extra fields and headers (`retry-after`,
 * `www-authenticate`).
 */
export class AnswerError extends Error {
  readonly status: number;
  readonly code: string;
  readonly extra: Record<string, unknown>;
  readonly headers: Readonly<Record<string, string>>;
  constructor(
    status: number,
    code: string,
    message: string,
    extra: Record<string, unknown> = {},
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "AnswerError";
    this.status = status;
    this.code = code;
    this.extra = extra;
    this.headers = headers;
  }
}

/**
 * A refusal made before the route was reached, which must not take the route's shape (no `ok`
 * of an action route): a tenant not granted answers the same on every path, as one that does
 * not exist does (routes/tenants.ts).
 */
export class RefusalBeforeRoute extends AnswerError {}

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * The route's answers carry `ok` (the board's actions): its error answers say `ok: false`,
     * whoever refused (the role check, the schema, the action itself).
     */
    okAnswers?: boolean;
  }
}

export interface ErrorAnswer {
  status: number;
  body: { error: string; message: string } & Record<string, unknown>;
  headers?: Readonly<Record<string, string>>;
}

/** The answer for an error (pure: tested alone). */
export function errorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof AnswerError)
    return {
      status: error.status,
      body: { ...error.extra, error: error.code, message: scrubSecrets(error.message) },
      headers: error.headers,
    };
  // A route's zod schema refused the request (params, query or body): the field and the rule.
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0];
    const field = (issue?.instancePath ?? "").replace(/^\//, "").replaceAll("/", ".");
    const rule = issue?.message ?? "invalid";
    return {
      status: 400,
      body: { error: "invalid_request", message: field ? `${field}: ${rule}` : rule, field, rule },
    };
  }
  if (error instanceof InputError)
    return {
      status: 400,
      body: { error: "invalid_request", message: scrubSecrets(error.message), problems: error.problems },
    };
  if (error instanceof NotFoundError)
    return { status: 404, body: { error: "not_found", message: scrubSecrets(error.message) } };
  const fastify = error as Partial<FastifyError>;
  // Fastify's own refusals (a malformed JSON body, one too large, a wrong content type): 4xx.
  if (typeof fastify.statusCode === "number" && fastify.statusCode >= 400 && fastify.statusCode < 500)
    return {
      status: fastify.statusCode,
      body: {
        error: fastify.statusCode === 413 ? "payload_too_large" : "bad_request",
        message: scrubSecrets(String(fastify.message ?? "bad request")),
      },
    };
  // Anything else is the service's fault: logged, no detail.
  return INTERNAL;
}

const INTERNAL: ErrorAnswer = {
  status: 500,
  body: { error: "internal", message: "the service failed to answer: see its log" },
};

/** The one 404 for a path no route serves (Fastify's own answer has another shape). */
function notFound(): never {
  throw new AnswerError(404, "not_found", "no such page or API route");
}

/** The handler as a plugin (fastify-plugin: the app's handler, inherited by every route group). */
export const errorAnswers = fp(
  async (app: FastifyInstance, options: { logger: Logger }) => installErrorAnswers(app, options.logger),
  { name: "cxo-error-answers", fastify: "5.x" },
);

export function installErrorAnswers(app: FastifyInstance, logger: Logger): void {
  app.setNotFoundHandler(async () => notFound());
  app.setErrorHandler((error, request, reply) => {
    const answer = errorAnswer(error);
    if (answer.status >= 500)
      logger.warn({ method: request.method, route: request.routeOptions.url, err: error }, "request failed");
    const routeShaped = request.routeOptions.config.okAnswers && !(error instanceof RefusalBeforeRoute);
    const body = routeShaped ? { ok: false, ...answer.body } : answer.body;
    if (answer.headers) reply.headers(answer.headers);
    // A person who opened a page (another unit's board) gets a page, in the board's look; the
    // JSON API and scripts keep the JSON answer.
    if (answer.status < 500 && wantsPage(request.headers.accept, request.url))
      return reply.code(answer.status).type("text/html; charset=utf-8").send(errorPage(answer));
    return reply.code(answer.status).send(body);
  });
}

/** A browser navigating to a page (Accept: text/html), not a fetch of the JSON API. */
function wantsPage(accept: string | undefined, url: string): boolean {
  if (!accept || !/\btext\/html\b/.test(accept)) return false;
  const path = url.split("?")[0] ?? "";
  return !/(^|\/)(api|webhooks)\//.test(path) && path !== "/metrics";
}

/** What a refusal says to a person: the words for the common ones, CXone's message otherwise. */
function errorPage(answer: ErrorAnswer): string {
  const code = String(answer.body.error ?? "");
  const heading =
    answer.status === 403 && (code === "forbidden" || code === "no_tenant")
      ? "You have no access to this business unit"
      : answer.status === 404
        ? "Nothing here"
        : answer.status === 403
          ? "Not allowed"
          : "This request was refused";
  const said = String(answer.body.message ?? answer.body.rule ?? "");
  const detail = said.charAt(0).toUpperCase() + said.slice(1);
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>cxo — ${escapeHtml(heading)}</title>
  <link rel="stylesheet" href="/static/dashboard.css">
</head>
<body>
  <header class="top"><div><div class="title-line"><h1>Outbound operations</h1></div></div></header>
  <main>
    <section class="refusal" data-role="refusal" data-status="${answer.status}">
      <h2>${escapeHtml(heading)}</h2>
      <p>${escapeHtml(detail)}${detail.endsWith(".") || detail === "" ? "" : "."}</p>
      <p><a href="/">Your business units</a> · <a href="/sign-in">Sign in as someone else</a></p>
    </section>
  </main>
</body>
</html>
`;
}
