import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { parseBasic, sameSecret } from "../client-auth.ts";
import type { EmulatorContext } from "../context.ts";
import { apiRoute, metaOf } from "../http.ts";
import { throttle } from "../pipeline.ts";

/**
 * OAuth2 client credentials at every token path the seeds use, in every style they use:
 * HTTP Basic + form (000, 004), client_id/client_secret in a form (001, 002) or in JSON (003).
 * Errors follow RFC 6749 (`error`, `error_description`), plus `message` like every other error.
 */
export const TOKEN_PATHS = ["/oauth/token", "/v1/oauth/token", "/api/v2/oauth/token"] as const;

const tokenBody = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  scope: z.string().optional(),
});

function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply
    .code(status)
    .header("cache-control", "no-store")
    .send({ error, error_description: description, message: description });
}

export function registerTokenRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  for (const url of TOKEN_PATHS) {
    apiRoute(
      app,
      ctx,
      {
        method: "POST",
        url,
        group: "token",
        scopes: null,
        summary: "OAuth2 client credentials grant (Basic header or body credentials; form or JSON)",
        body: tokenBody,
        responses: {
          "200": "{access_token, expires_in, token_type: Bearer, scope}",
          "400": "invalid_request | unsupported_grant_type | invalid_scope",
          "401": "invalid_client",
          "429": "more than 10 token requests per second for this client",
        },
      },
      async (request, reply) => {
        const raw = request.body ?? {};
        const parsed = tokenBody.safeParse(raw);
        if (!parsed.success || typeof raw !== "object") {
          return oauthError(
            reply,
            400,
            "invalid_request",
            "the body must be a form or JSON object of strings",
          );
        }
        const body = parsed.data;
        const basic = parseBasic(request.headers.authorization);
        if (basic && body.client_id !== undefined && body.client_id !== basic.id) {
          return oauthError(reply, 400, "invalid_request", "client credentials given twice, and they differ");
        }
        const id = basic?.id ?? body.client_id;
        const secret = basic?.secret ?? body.client_secret;
        if (body.grant_type === undefined)
          return oauthError(reply, 400, "invalid_request", "grant_type is required");
        if (body.grant_type !== "client_credentials") {
          return oauthError(
            reply,
            400,
            "unsupported_grant_type",
            "only grant_type=client_credentials is supported",
          );
        }
        if (id === undefined || secret === undefined) {
          return oauthError(
            reply,
            401,
            "invalid_client",
            "no client credentials (Basic header or client_id/client_secret)",
          );
        }
        const client = ctx.state.clients.get(id);
        if (!client || !sameSecret(client.clientSecret, secret)) {
          if (basic) reply.header("www-authenticate", 'Basic realm="cxone-emulator"');
          return oauthError(reply, 401, "invalid_client", "unknown client or wrong secret");
        }
        const meta = metaOf(request);
        if (meta) meta.clientId = client.clientId;
        if (throttle(ctx, reply, "token", client.clientId)) return reply;

        const asked = (body.scope ?? "").split(/\s+/).filter(Boolean);
        const outside = asked.filter((scope) => !client.scopes.includes(scope));
        if (outside.length > 0) {
          return oauthError(
            reply,
            400,
            "invalid_scope",
            `scopes not granted to this client: ${outside.join(" ")}`,
          );
        }
        const granted = asked.length > 0 ? [...new Set(asked)] : [...client.scopes];
        const issued = ctx.tokens.issue(client.clientId, granted);
        return reply.header("cache-control", "no-store").send({
          access_token: issued.token,
          expires_in: issued.expiresIn,
          token_type: "Bearer",
          scope: granted.join(" "),
        });
      },
    );
  }
}
