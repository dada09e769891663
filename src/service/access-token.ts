import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/**
 * Bearer-token access to the service. API clients send `Authorization: Bearer <token>`; a
 * browser opens `/?access_token=<token>` once, which sets an HttpOnly cookie (EventSource and
 * page loads cannot send headers) and redirects to `/` so the token leaves the address bar.
 * /api/health stays open for load balancers; the webhook route is open when a webhook secret
 * is configured, because CXone authenticates with the signature instead.
 */
export const ACCESS_COOKIE = "cxo_access";

const digest = (value: string) => createHash("sha256").update(value).digest();

export function sameToken(given: string, expected: string): boolean {
  // Equal-length digests, so the comparison time says nothing about the token.
  return timingSafeEqual(digest(given), digest(expected));
}

function cookieToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === ACCESS_COOKIE) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

export function installAccessToken(
  app: FastifyInstance,
  token: string,
  options: { openPaths: ReadonlySet<string> },
): void {
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split("?", 1)[0] ?? "/";
    if (options.openPaths.has(path)) return;
    const query = request.query as Record<string, unknown> | undefined;
    const fromQuery =
      path === "/" && typeof query?.access_token === "string" ? query.access_token : undefined;
    if (fromQuery !== undefined && sameToken(fromQuery, token)) {
      return reply
        .header(
          "set-cookie",
          `${ACCESS_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        )
        .redirect("/", 303);
    }
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? "")?.[1];
    const given = bearer ?? cookieToken(request.headers.cookie);
    if (given !== undefined && sameToken(given, token)) return;
    return reply
      .code(401)
      .header("www-authenticate", 'Bearer realm="cxo serve"')
      .send({ error: "unauthorized", message: "this service requires its access token (Bearer)" });
  });
}
