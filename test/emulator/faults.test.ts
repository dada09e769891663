import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/emulator/rate-limit.ts";
import { type Harness, harness, json } from "./helpers.ts";

const post = (h: Harness, path: string, body?: unknown) =>
  fetch(`${h.url}/_emulator${path}`, {
    method: "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("emulator: fault injection, rate limits, request log, reset", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    // The API's real rate limits are out of the way here (the harness's scale): a test that spends
    // a group's budget would otherwise leave the next test a 429 it did not inject, depending on
    // how fast the machine ran them. The limits themselves are tested below on their own emulator.
    h = await harness();
    token = await h.token();
  });
  beforeEach(async () => {
    await fetch(`${h.url}/_emulator/faults`, { method: "DELETE" });
  });
  afterAll(() => h.close());

  const dispositions = () => h.call("GET", "/api/v1/dispositions", { token });

  it("answers injected 5xx for the next `count` requests of the group, then recovers", async () => {
    const added = await post(h, "/faults", {
      group: "interactions",
      errorRate: 1,
      errorStatus: 502,
      count: 2,
    });
    expect(added.status).toBe(201);
    expect((await dispositions()).status).toBe(502);
    expect((await dispositions()).status).toBe(502);
    expect((await dispositions()).status).toBe(200);
    // Another group was never affected.
    const faults = await json(`${h.url}/_emulator/faults`);
    expect(faults.faults).toEqual([]);
  });

  it("answers 5xx at about the configured rate, deterministically from the seed", async () => {
    await post(h, "/faults", { group: "interactions", errorRate: 0.5, count: 100 });
    let errors = 0;
    for (let i = 0; i < 100; i++) if ((await dispositions()).status === 503) errors++;
    expect(errors).toBeGreaterThan(30);
    expect(errors).toBeLessThan(70);
  });

  it("resets connections", async () => {
    await post(h, "/faults", { group: "interactions", resetRate: 1, count: 1 });
    await expect(dispositions()).rejects.toThrow();
    expect((await dispositions()).status).toBe(200);
    const log = await json(`${h.url}/_emulator/requests`);
    expect(log.requests.some((r: { status: number }) => r.status === 0)).toBe(true);
  });

  it("cuts answers off mid-body: the full Content-Length, half the bytes, then the connection closes", async () => {
    const raw = () =>
      fetch(`${h.url}/api/v1/dispositions`, { headers: { authorization: `Bearer ${token}` } });
    const whole = await (await raw()).arrayBuffer();
    await post(h, "/faults", { group: "interactions", truncateRate: 1, count: 1 });
    const cut = await raw();
    expect(cut.status).toBe(200);
    expect(Number(cut.headers.get("content-length"))).toBe(whole.byteLength);
    await expect(cut.arrayBuffer()).rejects.toThrow();
    expect((await (await raw()).arrayBuffer()).byteLength).toBe(whole.byteLength);
    const log = (await json(`${h.url}/_emulator/requests`)).requests as Array<{ truncated?: true }>;
    expect(log.filter((r) => r.truncated)).toHaveLength(1);
    expect(log.at(-1)?.truncated).toBeUndefined();
  });

  it("sends a 429 burst with Retry-After in seconds, as an HTTP date, or not at all", async () => {
    await post(h, "/faults", { group: "interactions", burst429: 2, retryAfter: 3 });
    const first = await dispositions();
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("3");
    expect((await dispositions()).status).toBe(429);
    expect((await dispositions()).status).toBe(200);

    await post(h, "/faults", { group: "all", burst429: 1, retryAfter: 2, retryAfterFormat: "http-date" });
    const dated = await dispositions();
    expect(dated.status).toBe(429);
    const when = Date.parse(dated.headers.get("retry-after") ?? "");
    expect(when - Date.now()).toBeGreaterThan(500);
    expect(when - Date.now()).toBeLessThanOrEqual(3000);

    await post(h, "/faults", { burst429: 1, retryAfterFormat: "none" });
    const bare = await dispositions();
    expect(bare.status).toBe(429);
    expect(bare.headers.get("retry-after")).toBeNull();
  });

  it("adds latency", async () => {
    await post(h, "/faults", { group: "interactions", latencyMs: 120, count: 1 });
    const started = Date.now();
    expect((await dispositions()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("expires every issued token until a new one is fetched", async () => {
    const old = await h.token(h.reader);
    await post(h, "/faults", { expireTokens: true });
    h.forgetTokens();
    const denied = await h.call("GET", "/api/v1/dispositions", { token: old });
    expect(denied.status).toBe(401);
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: h.reader.clientId,
      client_secret: h.reader.clientSecret,
    });
    const fresh = await h.call("POST", "/oauth/token", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect((await h.call("GET", "/api/v1/dispositions", { token: fresh.body.access_token })).status).toBe(
      200,
    );
    token = (
      await h.call("POST", "/oauth/token", {
        body: {
          grant_type: "client_credentials",
          client_id: h.admin.clientId,
          client_secret: h.admin.clientSecret,
        },
      })
    ).body.access_token;
  });

  it("the bucket: exactly the burst of 100 at one instant, then one more per 600 ms (100 per minute), in explicit time", () => {
    const limiter = new RateLimiter(1);
    const t0 = 1_000_000;
    const waits = Array.from({ length: 101 }, () => limiter.take("campaigns", "client-a", t0));
    expect(waits.filter((w) => w === 0)).toHaveLength(100);
    expect(waits[100]).toBe(600);
    expect(limiter.take("campaigns", "client-b", t0)).toBe(0); // every client has its own bucket
    expect(limiter.take("campaigns", "client-a", t0 + 599)).toBeGreaterThan(0);
    expect(limiter.take("campaigns", "client-a", t0 + 1_200)).toBe(0);
  });

  it("rejects an invalid fault with 400", async () => {
    expect((await post(h, "/faults", { errorRate: 2 })).status).toBe(400);
    expect((await post(h, "/faults", { group: "nope" })).status).toBe(400);
    expect((await post(h, "/faults", { errorStatus: 418, errorRate: 1 })).status).toBe(400);
  });

  it("logs API requests (not admin ones) and clears the log", async () => {
    await fetch(`${h.url}/_emulator/requests`, { method: "DELETE" });
    await h.call("GET", "/api/v1/dispositions?x=1", { token });
    await h.call("GET", "/nowhere", { token });
    const { requests } = await json(`${h.url}/_emulator/requests`);
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      method: "GET",
      path: "/api/v1/dispositions",
      query: { x: "1" },
      status: 200,
      clientId: h.admin.clientId,
      group: "interactions",
    });
    expect(Date.parse(requests[0].at)).not.toBeNaN();
    expect(requests[1]).toMatchObject({ path: "/nowhere", status: 404, group: null });
  });

  it("restores the seeded state on reset", async () => {
    const campaign = h.fixtures.campaigns[4];
    await post(h, "/reset");
    const reader = await h.token(h.reader);
    const before = await h.call("GET", `/api/v2/omnichannel/campaigns/${campaign?.id}`, { token: reader });
    expect(before.body.status).toBe(campaign?.status);
    const call = h.fixtures.calls[3]?.id;
    await h.call("PUT", `/api/v2/outbound/calls/${call}/disposition`, {
      token,
      body: { dispositionCodeId: "BUSY" },
    });
    const tagged = await h.call("GET", `/api/v2/outbound/calls/${call}`, { token: reader });
    expect(tagged.body.dispositionCode).toBe("BUSY");
    expect((await post(h, "/reset")).status).toBe(204);
    const untagged = await h.call("GET", `/api/v2/outbound/calls/${call}`, { token: reader });
    expect(untagged.body.tags).toEqual([]);
    expect(untagged.body.notes).toBeUndefined();
  });

  it("serves an OpenAPI document listing every endpoint", async () => {
    const doc = await json(`${h.url}/_emulator/openapi.json`);
    expect(doc.openapi).toBe("3.1.0");
    for (const path of [
      "/oauth/token",
      "/api/v2/outbound/calls/{callId}/disposition",
      "/api/v1/interactions/{interactionId}",
      "/api/v2/omnichannel/contactlists/{contactListId}/contacts",
      "/api/v1/dialer/settings",
      "/api/v2/outbound/calls",
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
    expect(doc.paths["/api/v1/dialer/settings"].put.requestBody).toBeDefined();
  });
});

describe("emulator: the API's own rate limits", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await harness({ rateLimitScale: 1 });
    token = await h.token();
  });
  afterAll(() => h.close());

  it("rate-limits a group per client with a Retry-After in whole seconds", async () => {
    // campaigns: 100 per minute per client.
    const campaign = h.fixtures.campaigns[0]?.id ?? "";
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    // Until the first 429: the bucket refills one request every 600 ms of wall time, so on a
    // loaded machine a few more than the burst of 100 may pass first (the exact count in virtual
    // time is the RateLimiter unit test below).
    for (let i = 0; i < 200 && retryAfter === null; i++) {
      const answer = await h.call("GET", `/api/v2/omnichannel/campaigns/${campaign}`, { token });
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter = answer.headers.get("retry-after");
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(100);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // The read-only client has its own budget.
    const reader = await h.token(h.reader);
    expect((await h.call("GET", `/api/v2/omnichannel/campaigns/${campaign}`, { token: reader })).status).toBe(
      200,
    );
  });
});
