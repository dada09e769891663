import { createPublicKey, verify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, type CxoneHarness, claimsOf, cxoneHarness, fetchAnswer } from "./helpers.ts";

let h: CxoneHarness;
beforeAll(async () => {
  h = await cxoneHarness({ seed: 7, contacts: 1000 });
});
afterAll(() => h.close());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = (extra: Record<string, string> = {}) => ({
  "content-type": "application/x-www-form-urlencoded",
  ...extra,
});

describe("production-API emulator: the auth flow of reference §B", () => {
  it("discovery → password grant (Basic) → claims → cxone-configuration → an API call", async () => {
    const oidc = await fetchAnswer(`${h.url}/.well-known/openid-configuration`, {});
    expect(oidc.status).toBe(200);
    expect(oidc.body).toMatchObject({
      issuer: h.url,
      token_endpoint: `${h.url}/auth/token`,
      jwks_uri: `${h.url}/auth/jwks`,
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      scopes_supported: ["openid"],
    });
    const key = h.fixtures.accessKeys[0]!;
    // Access keys end in "====": a client must form-encode them.
    expect(key.accessKeyId.endsWith("====")).toBe(true);
    const token = await fetchAnswer(oidc.body.token_endpoint, {
      method: "POST",
      headers: formHeaders({
        authorization: basicAuth(h.fixtures.client.clientId, h.fixtures.client.clientSecret),
      }),
      body: form({ grant_type: "password", username: key.accessKeyId, password: key.accessKeySecret }),
    });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({
      token_type: "Bearer",
      expires_in: 3600,
      issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
    });
    expect(token.body.scope).toBeUndefined();
    const claims = claimsOf(token.body.access_token);
    expect(claims).toMatchObject({
      tenantId: h.fixtures.tenant.tenantId,
      icBUId: h.fixtures.tenant.businessUnitId,
      icClusterId: h.fixtures.tenant.clusterId,
      role: { legacyId: "Administrator", secondaryRoles: [] },
      iss: h.url,
      aud: h.fixtures.client.clientId,
    });
    expect(String(claims.sub)).toMatch(/^user:[0-9a-f-]{36}$/);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    const refresh = claimsOf(token.body.refresh_token);
    expect(Number(refresh.exp) - Number(refresh.iat)).toBe(7200);

    const config = await fetchAnswer(
      `${h.url}/.well-known/cxone-configuration?tenantId=${claims.tenantId}`,
      {},
    );
    expect(config.body).toMatchObject({
      api_endpoint: h.url,
      auth_endpoint: h.url,
      tenantId: claims.tenantId,
    });
    const time = await fetchAnswer(`${config.body.api_endpoint}/inContactAPI/services/v25.0/server-time`, {
      headers: { authorization: `Bearer ${token.body.access_token}`, accept: "application/json" },
    });
    expect(time.status).toBe(200);
    expect(Date.parse(time.body.ServerTime)).toBeGreaterThan(0);
  });

  it("takes client_secret_post and the refresh grant; refuses what RFC 6749 refuses", async () => {
    const { client, accessKeys } = h.fixtures;
    const key = accessKeys[0]!;
    const post = await h.call("POST", "/auth/token", {
      headers: formHeaders(),
      body: form({
        grant_type: "password",
        username: key.accessKeyId,
        password: key.accessKeySecret,
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }),
    });
    expect(post.status).toBe(200);
    const refreshed = await h.call("POST", "/auth/token", {
      headers: formHeaders({ authorization: basicAuth(client.clientId, client.clientSecret) }),
      body: form({ grant_type: "refresh_token", refresh_token: post.body.refresh_token }),
    });
    expect(refreshed.status).toBe(200);
    expect(claimsOf(refreshed.body.access_token).tenantId).toBe(h.fixtures.tenant.tenantId);

    const basic = { authorization: basicAuth(client.clientId, client.clientSecret) };
    const cases: [Record<string, string>, Record<string, string>, number, string][] = [
      [
        { authorization: basicAuth(client.clientId, "wrong") },
        { grant_type: "password", username: key.accessKeyId, password: key.accessKeySecret },
        401,
        "invalid_client",
      ],
      [basic, { grant_type: "password", username: key.accessKeyId, password: "wrong" }, 400, "invalid_grant"],
      [basic, { grant_type: "client_credentials" }, 400, "unsupported_grant_type"],
      [basic, { grant_type: "refresh_token", refresh_token: post.body.access_token }, 400, "invalid_grant"],
    ];
    for (const [headers, fields, status, error] of cases) {
      const answer = await h.call("POST", "/auth/token", {
        headers: formHeaders(headers),
        body: form(fields),
      });
      expect({ status: answer.status, error: answer.body.error }).toEqual({ status, error });
      expect(answer.body.error_description).toEqual(expect.any(String));
    }
    const unknownTenant = await fetchAnswer(`${h.url}/.well-known/cxone-configuration?tenantId=nope`, {});
    expect(unknownTenant.status).toBe(404);
  });

  it("guards every API route: 401 invalid_token, 406 without a JSON Accept, 403 for a read-only role", async () => {
    const none = await h.api("GET", "skills", { token: null });
    expect(none.status).toBe(401);
    // GEN's error model, with the words also in the icStatusDescription header (TAP).
    expect(none.body).toEqual({ error: "invalid_token", errorDescription: "Token is expired or invalid" });
    expect(none.headers.get("icstatusdescription")).toBe("Token is expired or invalid");
    const forged = await h.api("GET", "skills", { token: "a.b.c" });
    expect(forged.status).toBe(401);
    await h.admin("POST", "/knobs", { errorBody: "message" });
    expect((await h.api("GET", "skills", { token: null })).body).toEqual({
      message: "Token is expired or invalid",
    });
    await h.admin("POST", "/knobs", { errorBody: "header" });
    const bare = await h.api("GET", "skills", { token: null });
    expect({ status: bare.status, text: bare.text }).toEqual({ status: 401, text: "" });
    expect(bare.headers.get("icstatusdescription")).toBe("Token is expired or invalid");
    await h.admin("POST", "/knobs", { errorBody: "oauth" });
    expect((await h.api("GET", "skills", { token: null })).body).toEqual({
      error: "invalid_token",
      error_description: "Token is expired or invalid",
    });
    const html = await h.api("GET", "skills", { headers: { accept: "text/html" } });
    expect(html.status).toBe(406);
    expect(html.text).toBe("No known way to render data");
    const readOnly = await h.login(1);
    const read = await h.api("GET", "skills", { token: readOnly });
    expect(read.status).toBe(200);
    const write = await h.api("POST", "tags?tagName=x", { token: readOnly });
    expect(write.status).toBe(403);
    expect(write.body.error).toBe("Forbidden");
  });

  it("matches inContactAPI and the version in any case, serves v2–v34 only, echoes CorrelationId, sends no ETag", async () => {
    const token = await h.token();
    const headers = {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      CorrelationId: "corr-123",
    };
    const mixed = await fetchAnswer(`${h.url}/InContactAPI/services/V27.0/skills`, { headers });
    expect(mixed.status).toBe(200);
    expect(mixed.headers.get("correlationid")).toBe("corr-123");
    expect(mixed.headers.get("etag")).toBeNull();
    const generated = await h.api("GET", "skills");
    expect(generated.headers.get("correlationid")).toMatch(/^[0-9a-f-]{36}$/);
    for (const version of ["v1.0", "v35.0"]) {
      expect((await h.api("GET", "skills", { version })).status).toBe(404);
    }
    expect((await h.api("GET", "skills", { version: "v2.0" })).status).toBe(200);
  });

  it("signs tokens with the key of /auth/jwks (RS256), and serves the UserHub access-key flow", async () => {
    const token = await h.login();
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const { kid, alg } = JSON.parse(Buffer.from(header, "base64url").toString());
    expect(alg).toBe("RS256");
    const jwks = await fetchAnswer(`${h.url}/auth/jwks`, {});
    const jwk = jwks.body.keys.find((k: { kid: string }) => k.kid === kid);
    const key = createPublicKey({ key: jwk, format: "jwk" });
    expect(
      verify("sha256", Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, "base64url")),
    ).toBe(true);

    const { accessKeyId, accessKeySecret } = h.fixtures.accessKeys[0]!;
    const uh = await h.call("POST", "/authentication/v1/token/access-key", {
      body: { accessKeyId, accessKeySecret },
    });
    expect(uh.body).toMatchObject({ token_type: "Bearer", expires_in: 3600, refresh_token_expires_in: 7200 });
    const renewed = await h.call("POST", "/public/user/refresh", { body: { token: uh.body.refresh_token } });
    expect(renewed.body).toMatchObject({ tokenExpirationTimeSec: 3600, refreshTokenExpirationTimeSec: 7200 });
    expect((await h.api("GET", "skills", { token: renewed.body.token })).status).toBe(200);
    const wrong = await h.call("POST", "/authentication/v1/token/access-key", {
      body: { accessKeyId, accessKeySecret: "x" },
    });
    expect(wrong.status).toBe(401);
  });

  it("expires tokens on a fault (a refresh token still works) and shortens their lifetime on request", async () => {
    const { client, accessKeys } = h.fixtures;
    const issued = await h.call("POST", "/auth/token", {
      headers: formHeaders({ authorization: basicAuth(client.clientId, client.clientSecret) }),
      body: form({
        grant_type: "password",
        username: accessKeys[0]!.accessKeyId,
        password: accessKeys[0]!.accessKeySecret,
      }),
    });
    const token = issued.body.access_token as string;
    expect((await h.api("GET", "skills", { token })).status).toBe(200);
    expect((await h.admin("POST", "/faults", { expireTokens: true })).status).toBe(201);
    expect((await h.api("GET", "skills", { token })).status).toBe(401);
    const refreshed = await h.call("POST", "/auth/token", {
      headers: formHeaders({ authorization: basicAuth(client.clientId, client.clientSecret) }),
      body: form({ grant_type: "refresh_token", refresh_token: issued.body.refresh_token }),
    });
    expect((await h.api("GET", "skills", { token: refreshed.body.access_token })).status).toBe(200);
    await h.admin("POST", "/faults", { tokenTtlS: 1 });
    const short = await h.login();
    const claims = claimsOf(short);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(1);
    await h.admin("DELETE", "/faults");
    h.forgetToken();
    expect(claimsOf(await h.login()).exp).toBeGreaterThan(Number(claims.exp) + 3000);
  });
});
