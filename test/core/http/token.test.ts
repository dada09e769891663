import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeadlineExceededError } from "../../../src/core/deadline-error.ts";
import type { CxoneHttp } from "../../../src/core/http/create.ts";
import { AuthError, RateLimitError } from "../../../src/core/http/errors.ts";
import type { HttpEvent } from "../../../src/core/http/events.ts";
import { httpFor } from "../../support/http-fixture.ts";
import {
  type ScriptedServer,
  startScriptedServer,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from "../../support/scripted-server.ts";
import { VirtualClock } from "../../support/virtual-clock.ts";
import { waitUntil } from "../../support/wait-until.ts";

let server: ScriptedServer;
let core: CxoneHttp;

beforeEach(async () => {
  server = await startScriptedServer();
});
afterEach(async () => {
  await core?.close();
  await server.close();
});

const get = (path = "/api/v2/outbound/calls/c-1") =>
  core.http.request({ method: "GET", path, group: "dispositions" });

describe("OAuth2 token handling", () => {
  it("50 concurrent calls with no token make exactly one token request", async () => {
    server.token.delayMs = 100; // all 50 callers arrive while the fetch is in flight
    core = httpFor(server.url);
    const results = await Promise.all(Array.from({ length: 50 }, () => get()));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(server.tokenRequests).toHaveLength(1);
    expect(new Set(server.apiRequests.map((r) => r.headers.authorization))).toEqual(
      new Set([`Bearer ${server.issued[0]}`]),
    );
  });

  it("renews a token that expires mid-run, before it is used expired", async () => {
    server.token.expiresIn = 1; // margin becomes half the life: renewed after 0.5 s
    const clock = new VirtualClock();
    core = httpFor(server.url, { clock });
    await get();
    clock.advance(700);
    await get();
    expect(server.tokenRequests).toHaveLength(2);
    const used = server.apiRequests.map((r) => r.headers.authorization);
    expect(used).toEqual([`Bearer ${server.issued[0]}`, `Bearer ${server.issued[1]}`]);
  });

  it("a 401 drops the token, fetches one new token and retries once", async () => {
    core = httpFor(server.url);
    await get();
    server.revoked.add(server.issued[0]!);
    const response = await Promise.all(Array.from({ length: 10 }, () => get()));
    expect(response.every((r) => r.status === 200)).toBe(true);
    // One refresh for all ten callers that saw the same revoked token.
    expect(server.tokenRequests).toHaveLength(2);
  });

  it("a 401 refresh is told as a retry with no wait (cause 401), the token invalidated and fetched, then attempt 2", async () => {
    core = httpFor(server.url, { http: { maxAttempts: 1 } });
    await get();
    server.revoked.add(server.issued[0]!);
    const events: HttpEvent[] = [];
    core.http.on((event) => events.push(event));
    const answer = await get();
    expect(answer.status).toBe(200);
    // Two requests went out: the refused one and the re-send; maxAttempts 1 did not stop the refresh.
    expect(answer.attempts).toBe(2);
    expect(
      events.map((e) =>
        e.type === "token"
          ? ["token", e.action, e.requestNo]
          : e.type === "throttle"
            ? ["throttle"]
            : [e.type, e.group, e.requestNo, e.attempt, e.type === "response" ? e.status : undefined],
      ),
    ).toEqual([
      ["request", "dispositions", 3, 1, undefined],
      ["response", "dispositions", 3, 1, 401],
      // Invalidated on call 3's 401 (its number), fetched by call 4 (the fetch's own).
      ["token", "invalidated", 3],
      ["retry", "dispositions", 3, 1, undefined],
      ["request", "token", 4, 1, undefined],
      ["response", "token", 4, 1, 200],
      ["token", "fetched", 4],
      ["request", "dispositions", 3, 2, undefined],
      ["response", "dispositions", 3, 2, 200],
    ]);
    const retry = events.find((e) => e.type === "retry");
    expect(retry).toMatchObject({
      delayMs: 0,
      cause: { status: 401 },
      reason: "status 401: token refused, refreshed",
    });
  });

  it("one attempt context per core: the one it hands out numbers and clocks its requests and token fetches", async () => {
    const clock = new VirtualClock();
    core = httpFor(server.url, { clock });
    const events: HttpEvent[] = [];
    core.http.on((event) => events.push(event));
    await get(); // call 1, its token fetch call 2
    expect(core.attempts.clock).toBe(clock);
    expect(core.http.clock).toBe(clock);
    expect(core.attempts.requestNumbers()).toBe(3);
    await get();
    // The core's own listeners hear what is emitted on its context.
    core.attempts.emit({ type: "token", action: "invalidated", requestNo: 4 });
    const numbers = events.flatMap((e) => (e.type === "request" ? [[e.group, e.requestNo]] : []));
    // The token fetch is told first: call 1 waits for it before its request goes out.
    expect(numbers).toEqual([
      ["token", 2],
      ["dispositions", 1],
      ["dispositions", 4],
    ]);
    expect(events.at(-1)).toEqual({ type: "token", action: "invalidated", requestNo: 4 });
  });

  describe("the login's bounds: its own, lowered by the client's http settings, never a caller's per-call ones", () => {
    it("http.maxAttempts below the login's 4 bounds the token fetch's attempts", async () => {
      server.token.answer = () => ({ status: 503 });
      core = httpFor(server.url, { http: { maxAttempts: 2 } });
      const error = await get().catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 503, attempts: 2 });
      expect(server.tokenRequests).toHaveLength(2);
    });

    it("http.maxAttempts above 4 does not raise the login's", async () => {
      server.token.answer = () => ({ status: 503 });
      core = httpFor(server.url, { http: { maxAttempts: 10 } });
      const error = await get().catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 503, attempts: 4 });
      expect(server.tokenRequests).toHaveLength(4);
    });

    it("http.deadlineMs below the login's 60 s bounds it: a Retry-After past it is not waited for", async () => {
      server.token.answer = () => ({ status: 503, headers: { "retry-after": "30" } });
      core = httpFor(server.url, { http: { deadlineMs: 20_000 } });
      const error = await get().catch((e: unknown) => e);
      // The login's own error at once, not the request's deadline passing while the login slept.
      expect(error).not.toBeInstanceOf(DeadlineExceededError);
      expect(error).toMatchObject({ status: 503, attempts: 1 });
      expect(server.tokenRequests).toHaveLength(1);
    });

    it("a call's own maxAttempts does not shape the shared login", async () => {
      let n = 0;
      server.token.answer = () => (++n === 1 ? { status: 503 } : undefined);
      core = httpFor(server.url);
      const answer = await core.http.request({
        method: "GET",
        path: "/api/v2/outbound/calls/c-1",
        group: "dispositions",
        maxAttempts: 1,
      });
      expect(answer.status).toBe(200);
      expect(server.tokenRequests).toHaveLength(2);
    });
  });

  it("a retried token fetch is told like any request: request, response and retry under one requestNo, from the client's own count", async () => {
    let refused = 0;
    server.token.answer = () => (refused++ < 2 ? { status: 503 } : undefined);
    core = httpFor(server.url);
    const events: HttpEvent[] = [];
    core.http.on((event) => events.push(event));
    await get();
    await get();
    const numbered = events.flatMap((e) => (e.type === "token" || e.type === "throttle" ? [] : [e]));
    expect(
      numbered.map((e) => [e.type, e.group, e.requestNo, e.type === "response" ? e.status : e.attempt]),
    ).toEqual([
      ["request", "token", 2, 1],
      ["response", "token", 2, 503],
      ["retry", "token", 2, 1],
      ["request", "token", 2, 2],
      ["response", "token", 2, 503],
      ["retry", "token", 2, 2],
      ["request", "token", 2, 3],
      ["response", "token", 2, 200],
      ["request", "dispositions", 1, 1],
      ["response", "dispositions", 1, 200],
      ["request", "dispositions", 3, 1],
      ["response", "dispositions", 3, 200],
    ]);
    // The token request's events name it as every request's do: its method and path.
    expect(new Set(numbered.filter((e) => e.group === "token").map((e) => e.endpoint))).toEqual(
      new Set(["POST /oauth/token"]),
    );
    // A retry's cause, for a metrics label: the status (or a network failure's code), not prose.
    const retries = numbered.flatMap((e) => (e.type === "retry" ? [e] : []));
    expect(retries.map((e) => e.cause)).toEqual([{ status: 503 }, { status: 503 }]);
    expect(retries.map((e) => e.reason)).toEqual(["status 503", "status 503"]);
  });

  it("a refused login is told: its request and the 401, one requestNo, nothing retried", async () => {
    server.token.answer = () => ({ status: 401, body: { error: "invalid_client" } });
    core = httpFor(server.url);
    const events: HttpEvent[] = [];
    core.http.on((event) => events.push(event));
    await expect(get()).rejects.toBeInstanceOf(AuthError);
    const login = events.flatMap((e) =>
      e.type !== "token" && e.type !== "throttle" && e.group === "token" ? [e] : [],
    );
    expect(login.map((e) => [e.type, e.requestNo, e.type === "response" ? e.status : e.attempt])).toEqual([
      ["request", 2, 1],
      ["response", 2, 401],
    ]);
    // No token, secret, header or body in any event.
    const text = JSON.stringify(events);
    expect(text).not.toContain(TEST_CLIENT_SECRET);
    expect(text).not.toMatch(/authorization|basic|bearer|invalid_client|secret/i);
  });

  it("a token request that gets no answer is told as a network error, its code the retry's cause", async () => {
    let n = 0;
    server.token.answer = () => (++n === 1 ? "reset" : undefined);
    core = httpFor(server.url);
    const events: HttpEvent[] = [];
    core.http.on((event) => events.push(event));
    await get();
    const login = events.flatMap((e) =>
      e.type !== "token" && e.type !== "throttle" && e.group === "token" ? [e] : [],
    );
    expect(login.map((e) => e.type)).toEqual(["request", "network-error", "retry", "request", "response"]);
    const failed = login.find((e) => e.type === "network-error");
    const retry = login.find((e) => e.type === "retry");
    expect(retry?.type === "retry" && retry.cause).toEqual({
      code: failed?.type === "network-error" && failed.code,
    });
    expect(new Set(login.map((e) => e.requestNo)).size).toBe(1);
  });

  it("a second 401 with a fresh token fails clearly with AuthError", async () => {
    core = httpFor(server.url);
    server.setApi(() => ({ status: 401, body: { error: "invalid_token" } }));
    const error = await get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toMatch(/freshly issued token/);
    expect(server.tokenRequests).toHaveLength(2);
    expect(server.apiRequests).toHaveLength(2);
  });

  it("a rejected token request is an AuthError naming the settings to check, not retried", async () => {
    server.token.answer = () => ({ status: 401, body: { error: "invalid_client" } });
    core = httpFor(server.url);
    const error = await get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/invalid_client.*client id and secret/);
    expect(server.tokenRequests).toHaveLength(1);
    expect(server.apiRequests).toHaveLength(0);
  });

  it("retries the token request on 503 and on a reset", async () => {
    let n = 0;
    server.token.answer = () => (++n === 1 ? { status: 503 } : n === 2 ? "reset" : undefined);
    core = httpFor(server.url);
    expect((await get()).status).toBe(200);
    expect(server.tokenRequests).toHaveLength(3);
  });

  describe("every auth style of the seeds is configuration", () => {
    it("Basic header + form body (seeds 000, 004)", async () => {
      core = httpFor(server.url, {
        auth: { credentials: "basic", encoding: "form", scopes: ["outbound:calls:read"] },
      });
      await get();
      const request = server.tokenRequests[0]!;
      expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      const basic = Buffer.from(
        String(request.headers.authorization).replace("Basic ", ""),
        "base64",
      ).toString();
      expect(basic).toBe(`${TEST_CLIENT_ID}:${TEST_CLIENT_SECRET}`);
      const form = new URLSearchParams(request.body);
      expect(Object.fromEntries(form)).toEqual({
        grant_type: "client_credentials",
        scope: "outbound:calls:read",
      });
    });

    it("credentials in a form body with scopes (seeds 001, 002)", async () => {
      core = httpFor(server.url, {
        auth: { credentials: "body", encoding: "form", scopes: ["interactions:write", "dispositions:read"] },
      });
      await get();
      const request = server.tokenRequests[0]!;
      expect(request.headers.authorization).toBeUndefined();
      expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
        grant_type: "client_credentials",
        client_id: TEST_CLIENT_ID,
        client_secret: TEST_CLIENT_SECRET,
        scope: "interactions:write dispositions:read",
      });
    });

    it("credentials in a JSON body (seed 003)", async () => {
      core = httpFor(server.url, { auth: { credentials: "body", encoding: "json" } });
      await get();
      const request = server.tokenRequests[0]!;
      expect(request.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(request.body)).toEqual({
        grant_type: "client_credentials",
        client_id: TEST_CLIENT_ID,
        client_secret: TEST_CLIENT_SECRET,
      });
    });

    it("a token URL on another host and path than the API (seed 004)", async () => {
      const login = await startScriptedServer();
      try {
        core = httpFor(server.url, { tokenUrl: `${login.url}/api/v2/oauth/token` });
        // The API server accepts the tokens the login server issues.
        server.issued = login.issued;
        await get();
        expect(login.tokenRequests).toHaveLength(1);
        expect(login.tokenRequests[0]!.path).toBe("/api/v2/oauth/token");
        expect(server.tokenRequests).toHaveLength(0);
      } finally {
        await login.close();
      }
    });
  });
});

/** Resolves when the token provider reports its first retry (it then sleeps Retry-After). */
const retrySleepStarted = () =>
  new Promise<void>((resolve) => {
    const off = core.http.on((event) => {
      if (event.type === "retry" && event.group === "token") {
        off();
        resolve();
      }
    });
  });

describe("the shared token fetch and callers' signals", () => {
  it("one caller aborting leaves the others' shared fetch running", async () => {
    server.token.delayMs = 150;
    core = httpFor(server.url);
    const leaver = new AbortController();
    const first = core.tokens.getToken(leaver.signal);
    const second = core.tokens.getToken(); // no signal: nothing may cancel it
    const third = core.tokens.getToken(new AbortController().signal);
    // The first caller leaves while the server holds the shared fetch (150 ms from its arrival).
    await waitUntil(() => server.tokenRequests.length === 1, { what: "the token request at the server" });
    leaver.abort(new Error("first caller left"));
    await expect(first).rejects.toThrow("first caller left");
    expect(await second).toBe(server.issued[0]);
    expect(await third).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(1);
  });

  it("a token request given up on after a 429 says when to come back (retryAfterMs)", async () => {
    // Retry-After: 120 would pass the token request's deadline: given up at once, CXone's wait kept.
    server.token.answer = () => ({ status: 429, headers: { "retry-after": "120" } });
    core = httpFor(server.url, { clock: new VirtualClock() });
    const error = (await core.tokens.getToken().catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(120_000);
  });

  it("a caller that aborts during the retry sleep leaves at once", async () => {
    server.token.answer = () => ({ status: 503, headers: { "retry-after": "30" } });
    // The retry sleep on a virtual clock that never moves: only the abort can end it (a call
    // that ignored the abort would hang until the test's timeout).
    // A deadline the 30 s wait fits in (the login's is the client's http.deadlineMs when shorter).
    core = httpFor(server.url, { clock: new VirtualClock(), http: { deadlineMs: 120_000 } });
    const controller = new AbortController();
    const pending = core.tokens.getToken(controller.signal);
    await retrySleepStarted(); // first attempt answered 503: now sleeping 30 s
    controller.abort(new Error("gave up"));
    await expect(pending).rejects.toThrow("gave up");
  });

  it("when every caller has left, the shared fetch stops (no 30 s sleep left behind)", async () => {
    server.token.answer = () => ({ status: 503, headers: { "retry-after": "30" } });
    core = httpFor(server.url, { http: { deadlineMs: 120_000 } });
    const controller = new AbortController();
    const pending = core.tokens.getToken(controller.signal).catch(() => undefined);
    await retrySleepStarted();
    controller.abort();
    await pending;
    // A new caller starts a fresh fetch rather than joining the abandoned one.
    server.token.answer = undefined;
    expect(await core.tokens.getToken()).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(2);
  });
});
