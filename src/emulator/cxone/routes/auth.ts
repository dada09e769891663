import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { parseBasic, sameSecret } from "../../client-auth.ts";
import { formFieldsOf } from "../body.ts";
import type { CxoneContext } from "../context.ts";
import type { AccessKey, AppClient } from "../data/model.ts";
import { metaOf, openRoute, originOf, sendJson } from "../http.ts";
import { jwks } from "../jwt.ts";

/**
 * The issuer half of the origin (reference §B, §C2 #1–5): OpenID discovery, the tenant's
 * `cxone-configuration`, the token endpoint (password grant with an access key, refresh grant;
 * client auth Basic or in the form) and the JWKS. (UserHub's endpoints: `userhub.ts`.)
 */

function tokenError(
  ctx: CxoneContext,
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
) {
  return reply
    .code(status)
    .header("cache-control", "no-store")
    .send({ error, [ctx.state.knobs.tokenErrorDescriptionKey]: description });
}

export function registerAuthRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;

  openRoute(app, "GET", "/.well-known/openid-configuration", async (request, reply) => {
    const origin = originOf(request);
    return sendJson(ctx, reply, {
      issuer: origin,
      authorization_endpoint: `${origin}/auth/authorize`,
      token_endpoint: `${origin}/auth/token`,
      jwks_uri: `${origin}/auth/jwks`,
      userinfo_endpoint: `${origin}/auth/userinfo`,
      response_types_supported: ["code", "id_token", "token id_token"],
      grant_types_supported: ["password", "refresh_token", "authorization_code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      token_endpoint_auth_methods_supported:
        state.knobs.advertisedClientAuth === "both"
          ? ["client_secret_basic", "client_secret_post"]
          : [`client_secret_${state.knobs.advertisedClientAuth}`],
      scopes_supported: ["openid"],
      claims_supported: [
        "sub",
        "iss",
        "aud",
        "iat",
        "exp",
        "tenantId",
        "tenant",
        "icAgentId",
        "icBUId",
        "icClusterId",
        "teamId",
        "name",
        "role",
      ],
    });
  });

  openRoute(app, "GET", "/.well-known/cxone-configuration", async (request, reply) => {
    const tenantId = (request.query as Record<string, unknown>).tenantId;
    if (typeof tenantId !== "string" || tenantId === "") {
      return reply.code(400).send({ error: "invalid_request", error_description: "tenantId is required" });
    }
    const known = tenantId.toLowerCase() === state.world.tenant.tenantId;
    if (!known && state.knobs.unknownTenant === "404") {
      return reply
        .code(404)
        .send({ error: "NotFound", error_description: `tenant ${tenantId} was not found` });
    }
    const origin = originOf(request);
    return sendJson(ctx, reply, {
      private: false,
      area: state.world.tenant.area,
      cluster: state.world.tenant.clusterId,
      domain: "niceincontact.com",
      acdDomain: "nice-incontact.com",
      uhDomain: "nice-incontact.com",
      ui_endpoint: origin,
      auth_endpoint: origin,
      api_endpoint: origin,
      tenantId: known ? state.world.tenant.tenantId : tenantId,
    });
  });

  openRoute(app, "GET", "/auth/jwks", async (_request, reply) => sendJson(ctx, reply, jwks()));

  openRoute(app, "POST", "/auth/token", (request, reply) => token(ctx, request, reply));
}

/** `POST /auth/token`: the password grant with an access key, or the refresh grant. */
function token(ctx: CxoneContext, request: FastifyRequest, reply: FastifyReply) {
  const { state } = ctx;
  // A form whatever its label: NICE's refresh grant is a form labelled application/json (body.ts).
  const form = formFieldsOf(request.headers["content-type"], request.body);
  if (!form) {
    return tokenError(
      ctx,
      reply,
      400,
      "invalid_request",
      "the body must be a form (application/x-www-form-urlencoded)",
    );
  }
  const basic = parseBasic(request.headers.authorization);
  if (form.grant_type === "refresh_token" && !basic && form.client_id === undefined)
    return publicRefresh(ctx, request, reply, form);
  if (basic && form.client_id !== undefined && form.client_id !== basic.id) {
    return tokenError(ctx, reply, 400, "invalid_request", "client credentials given twice, and they differ");
  }
  const id = basic?.id ?? form.client_id;
  const secret = basic?.secret ?? form.client_secret;
  const client = state.world.clients.find((c) => c.clientId === id);
  if (!client || secret === undefined || !sameSecret(client.clientSecret, secret)) {
    if (basic) reply.header("www-authenticate", 'Basic realm="cxone-emulator"');
    return tokenError(ctx, reply, 401, "invalid_client", "unknown client or wrong client secret");
  }
  const registered = state.knobs.appClientAuth;
  if (registered !== "any" && (registered === "basic") !== Boolean(basic)) {
    if (basic) reply.header("www-authenticate", 'Basic realm="cxone-emulator"');
    return tokenError(
      ctx,
      reply,
      401,
      "invalid_client",
      `the application is registered for client_secret_${registered}`,
    );
  }
  const meta = metaOf(request);
  if (meta) meta.clientId = client.clientId;
  const grant = form.grant_type;
  let key: AccessKey | undefined;
  if (grant === "password") {
    key = state.world.accessKeys.find((k) => k.accessKeyId === form.username);
    if (!key || form.password === undefined || !sameSecret(key.accessKeySecret, form.password)) {
      return tokenError(ctx, reply, 400, "invalid_grant", "invalid access key id or secret");
    }
  } else if (grant === "refresh_token") {
    const claims = ctx.tokens.check(form.refresh_token ?? "", "refresh");
    if (typeof claims === "string" || claims.aud !== client.clientId) {
      return tokenError(ctx, reply, 400, "invalid_grant", "the refresh token is invalid or expired");
    }
    key = state.world.accessKeys.find((k) => k.accessKeyId === claims.ak);
    if (!key)
      return tokenError(ctx, reply, 400, "invalid_grant", "the refresh token's user no longer exists");
  } else {
    return tokenError(
      ctx,
      reply,
      400,
      "unsupported_grant_type",
      "grant_type must be password or refresh_token",
    );
  }
  return issue(ctx, request, reply, client, key);
}

/**
 * The refresh grant with no client credentials, as NICE's agent SDK sends it
 * (`grant_type=refresh_token&scope=openid&refresh_token=…`; `cxone-auth.js:742-746`): its login
 * was a public client's (no secret), so the refresh token alone names the client and the user.
 */
function publicRefresh(
  ctx: CxoneContext,
  request: FastifyRequest,
  reply: FastifyReply,
  form: Record<string, string>,
) {
  const claims = ctx.tokens.check(form.refresh_token ?? "", "refresh");
  const client =
    typeof claims === "string" ? undefined : ctx.state.world.clients.find((c) => c.clientId === claims.aud);
  const key =
    typeof claims === "string"
      ? undefined
      : ctx.state.world.accessKeys.find((k) => k.accessKeyId === claims.ak);
  if (!client || !key)
    return tokenError(ctx, reply, 400, "invalid_grant", "the refresh token is invalid or expired");
  const meta = metaOf(request);
  if (meta) meta.clientId = client.clientId;
  return issue(ctx, request, reply, client, key);
}

/** Tokens for an access key through a client, issued by this origin. */
export function tokensFor(ctx: CxoneContext, request: FastifyRequest, client: AppClient, key: AccessKey) {
  const meta = metaOf(request);
  if (meta) meta.apiUser = key.accessKeyId;
  const teamId = ctx.state.world.agents.find((a) => a.agentId === key.agentId)?.teamId;
  return ctx.tokens.issue(originOf(request), ctx.state.world.tenant, ctx.state.businessUnitId, {
    client,
    key,
    ...(teamId !== undefined ? { teamId } : {}),
  });
}

function issue(
  ctx: CxoneContext,
  request: FastifyRequest,
  reply: FastifyReply,
  client: AppClient,
  key: AccessKey,
) {
  reply.header("cache-control", "no-store");
  return sendJson(ctx, reply, tokensFor(ctx, request, client, key));
}
