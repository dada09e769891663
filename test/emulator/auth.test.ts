import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RateLimiter } from "../../src/emulator/rate-limit.ts";
import { basic, type Harness, harness } from "./helpers.ts";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe("emulator: tokens and scopes", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.close());

  const paths = ["/oauth/token", "/v1/oauth/token", "/api/v2/oauth/token"];

  it.each(paths)("issues tokens at %s in every auth style", async (path) => {
    const { clientId, clientSecret } = h.admin;
    const styles = [
      {
        headers: { ...FORM, authorization: basic(clientId, clientSecret) },
        body: "grant_type=client_credentials",
      },
      {
        headers: FORM,
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: clientId,
          client_secret: clientSecret,
        }).toString(),
      },
      {
        headers: {},
        body: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
      },
    ];
    for (const style of styles) {
      const answer = await h.call("POST", path, style);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
      expect(typeof answer.body.access_token).toBe("string");
      // No scope asked: every scope of the client.
      expect(answer.body.scope.split(" ").sort()).toEqual([...h.admin.scopes].sort());
    }
  });

  it("grants exactly the scopes asked, and refuses scopes outside the client's set", async () => {
    const form = (scope: string) =>
      new URLSearchParams({
        grant_type: "client_credentials",
        client_id: h.reader.clientId,
        client_secret: h.reader.clientSecret,
        scope,
      }).toString();
    const ok = await h.call("POST", "/v1/oauth/token", {
      headers: FORM,
      body: form("dispositions:read outbound:call:read"),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.scope).toBe("dispositions:read outbound:call:read");
    const bad = await h.call("POST", "/v1/oauth/token", {
      headers: FORM,
      body: form("interactions:write dispositions:read"),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("invalid_scope");
  });

  it("answers 401 invalid_client for a wrong secret or unknown client, 400 for a bad grant", async () => {
    const wrong = await h.call("POST", "/oauth/token", {
      headers: { ...FORM, authorization: basic(h.admin.clientId, "nope") },
      body: "grant_type=client_credentials",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("invalid_client");
    const unknown = await h.call("POST", "/oauth/token", {
      body: { grant_type: "client_credentials", client_id: "ghost", client_secret: "x" },
    });
    expect(unknown.status).toBe(401);
    const grant = await h.call("POST", "/oauth/token", {
      headers: { ...FORM, authorization: basic(h.admin.clientId, h.admin.clientSecret) },
      body: "grant_type=password",
    });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe("unsupported_grant_type");
  });

  it("answers 401 for a missing or unknown bearer token", async () => {
    const missing = await h.call("GET", "/api/v1/dispositions");
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    const unknown = await h.call("GET", "/api/v1/dispositions", { token: "not-a-token" });
    expect(unknown.status).toBe(401);
  });

  it("answers 403 insufficient_scope naming the scopes, for the read-only client writing", async () => {
    const token = await h.token(h.reader);
    const campaign = h.fixtures.campaigns[0]?.id;
    const answer = await h.call("PUT", `/api/v2/omnichannel/campaigns/${campaign}`, {
      token,
      body: { status: "paused" },
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({
      error: "insufficient_scope",
      requiredScopes: ["omnichannel:campaigns:write"],
    });
  });

  it("accepts every spelling of a scope the seeds use", async () => {
    const call = h.fixtures.calls[0]?.id;
    for (const scope of ["outbound:calls:read", "outbound:call:read"]) {
      const token = await h.token(h.admin, scope);
      expect((await h.call("GET", `/api/v2/outbound/calls/${call}`, { token })).status).toBe(200);
    }
    const narrow = await h.token(h.admin, "dispositions:read");
    expect((await h.call("GET", `/api/v2/outbound/calls/${call}`, { token: narrow })).status).toBe(403);
  });

  it("expires tokens after their TTL", async () => {
    const short = await harness({ tokenTtlS: 1 });
    try {
      const token = await short.token();
      expect((await short.call("GET", "/api/v1/dispositions", { token })).status).toBe(200);
      // The emulator (in this process) reads its token clock from Date.now(): moved 1.1 s on.
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 1_100);
      const expired = await short.call("GET", "/api/v1/dispositions", { token });
      expect(expired.status).toBe(401);
      expect(expired.body.message).toContain("expired");
    } finally {
      vi.useRealTimers();
      await short.close();
    }
  });

  it("limits token requests to 10 per second per client", async () => {
    const strict = await harness({ rateLimitScale: 1 });
    try {
      const statuses: number[] = [];
      // Until the first 429: the bucket refills one request every 100 ms of wall time, so on a
      // loaded machine a few more than the burst of 10 may pass first (the exact count in
      // explicit time is the RateLimiter test below).
      for (let i = 0; i < 100 && statuses.at(-1) !== 429; i++) {
        const answer = await strict.call("POST", "/oauth/token", {
          headers: { ...FORM, authorization: basic(strict.admin.clientId, strict.admin.clientSecret) },
          body: "grant_type=client_credentials",
        });
        statuses.push(answer.status);
        if (answer.status === 429)
          expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      }
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(10);
      expect(statuses.at(-1)).toBe(429);
      // Another client has its own budget.
      const other = await strict.call("POST", "/oauth/token", {
        headers: { ...FORM, authorization: basic(strict.reader.clientId, strict.reader.clientSecret) },
        body: "grant_type=client_credentials",
      });
      expect(other.status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it("the token bucket: exactly 10 at one instant, then one more per 100 ms, in explicit time", () => {
    const limiter = new RateLimiter(1);
    const t0 = 5_000_000;
    const waits = Array.from({ length: 12 }, () => limiter.take("token", "client-a", t0));
    expect(waits.filter((w) => w === 0)).toHaveLength(10);
    expect(waits[10]).toBeGreaterThan(0);
    expect(limiter.take("token", "client-b", t0)).toBe(0); // every client has its own bucket
    expect(limiter.take("token", "client-a", t0 + 1_000)).toBe(0); // a second later: refilled
  });
});
