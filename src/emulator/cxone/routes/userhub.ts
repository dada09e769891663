import type { FastifyInstance, FastifyReply } from "fastify";
import { sameSecret } from "../../client-auth.ts";
import type { CxoneContext } from "../context.ts";
import type { AppClient } from "../data/model.ts";
import { openRoute, sendJson } from "../http.ts";
import { tokensFor } from "./auth.ts";

/**
 * The UserHub alternative of reference §B (auth.mode "userhub"): an access key straight for a
 * token, no registered app, JSON bodies, and a refresh with other key names.
 */
export function registerUserHubRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;

  openRoute(app, "POST", "/authentication/v1/token/access-key", async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const key = state.world.accessKeys.find((k) => k.accessKeyId === body.accessKeyId);
    if (
      !key ||
      typeof body.accessKeySecret !== "string" ||
      !sameSecret(key.accessKeySecret, body.accessKeySecret)
    ) {
      return refuse(reply, "invalid access key id or secret");
    }
    const tokens = tokensFor(ctx, request, state.world.clients[0] as AppClient, key);
    return sendJson(ctx, reply, {
      access_token: tokens.access_token,
      token_type: tokens.token_type,
      expires_in: tokens.expires_in,
      refresh_token: tokens.refresh_token,
      refresh_token_expires_in: ctx.tokens.refreshTtlS,
      id_token: tokens.id_token,
    });
  });

  openRoute(app, "POST", "/public/user/refresh", async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const claims = ctx.tokens.check(typeof body.token === "string" ? body.token : "", "refresh");
    const key =
      typeof claims === "string"
        ? undefined
        : state.world.accessKeys.find((k) => k.accessKeyId === claims.ak);
    if (!key) return refuse(reply, "the refresh token is invalid or expired");
    const tokens = tokensFor(ctx, request, state.world.clients[0] as AppClient, key);
    return sendJson(ctx, reply, {
      token: tokens.access_token,
      tokenExpirationTimeSec: tokens.expires_in,
      refreshToken: tokens.refresh_token,
      refreshTokenExpirationTimeSec: ctx.tokens.refreshTtlS,
      sessionId: (claims as Record<string, unknown>).jti,
    });
  });
}

/** UserHub's refusal of a key or a refresh token: 401 `invalid_grant`, with what was wrong. */
function refuse(reply: FastifyReply, description: string) {
  return reply.code(401).send({ error: "invalid_grant", error_description: description });
}
