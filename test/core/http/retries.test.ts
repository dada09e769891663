import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeadlineExceededError } from "../../../src/core/deadline-error.ts";
import type { CxoneHttp } from "../../../src/core/http/create.ts";
import {
  ConflictError,
  NetworkError,
  RateLimitError,
  ScopeError,
  ServerError,
  ValidationError,
} from "../../../src/core/http/errors.ts";
import type { RequestOptions } from "../../../src/core/http/http-client.ts";
import { httpFor } from "../../support/http-fixture.ts";
import {
  type ScriptedAnswer,
  type ScriptedServer,
  startScriptedServer,
} from "../../support/scripted-server.ts";
import { until, VirtualClock } from "../../support/virtual-clock.ts";

let server: ScriptedServer;
let core: CxoneHttp;

beforeEach(async () => {
  server = await startScriptedServer();
  core = httpFor(server.url);
});
afterEach(async () => {
  await core.close();
  await server.close();
});

const call = (options: Partial<RequestOptions> = {}) =>
  core.http.request({ method: "GET", path: "/api/thing", group: "dispositions", ...options });

/** Answers `first` for the first n API requests, then 200. */
function failFirst(n: number, first: ScriptedAnswer) {
  server.setApi((_request, index) => (index < n ? first : { status: 200, body: { ok: true } }));
}

describe("retries", () => {
  it("429 with Retry-After: 1 waits a second, then succeeds", async () => {
    // Virtual time: the second request goes once the clock reaches the server's second, not
    // before (a 1,600 ms wall-clock bound failed at load 20: 2,008 ms, 2026-11-28).
    const clock = new VirtualClock();
    core = httpFor(server.url, { clock });
    failFirst(1, { status: 429, headers: { "retry-after": "1" } });
    const answer = call();
    await until(() => server.apiRequests.length === 1 && clock.pending().includes(1000));
    clock.advance(999);
    expect(server.apiRequests).toHaveLength(1);
    clock.advance(1);
    const response = await answer;
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(2);
    expect(server.apiRequests).toHaveLength(2);
    expect(clock.now()).toBe(1000);
  });

  it("429 with an HTTP-date Retry-After waits until that date", async () => {
    // HTTP dates have whole seconds: aim 2 s ahead so the wait is between 1 and 2 s.
    server.setApi((_r, index) =>
      index === 0
        ? { status: 429, headers: { "retry-after": new Date(Date.now() + 2000).toUTCString() } }
        : { status: 200, body: {} },
    );
    const response = await call();
    expect(response.status).toBe(200);
    const gap = server.apiRequests[1]!.at - server.apiRequests[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(gap).toBeLessThan(2200);
  });

  it("429 without Retry-After backs off on its own and succeeds", async () => {
    failFirst(2, { status: 429 });
    const response = await call();
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(3);
  });

  it("503 then success", async () => {
    failFirst(1, { status: 503, body: { message: "maintenance" } });
    const response = await call();
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(2);
    expect(response.attemptLatenciesMs).toHaveLength(2);
  });

  it("a connection reset then success", async () => {
    failFirst(1, "reset");
    const response = await call({ method: "PUT", body: { a: 1 } });
    expect(response.status).toBe(200);
    expect(server.apiRequests).toHaveLength(2);
  });

  it("a per-attempt timeout is retried", async () => {
    core = httpFor(server.url, { http: { timeoutMs: 150 } });
    failFirst(1, { status: 200, delayMs: 1000, body: {} });
    const response = await call();
    expect(response.attempts).toBe(2);
  });

  it("an overall deadline stops retrying even with attempts left", async () => {
    // Virtual time: the deadline and the backoffs run on the test's clock, so how busy the
    // machine is cannot move the result (on the wall clock this once took 1,055 ms of 600).
    const clock = new VirtualClock();
    core = httpFor(server.url, {
      http: { deadlineMs: 600, timeoutMs: 5_000, maxAttempts: 20, backoffBaseMs: 100, backoffCapMs: 200 },
      clock,
    });
    server.setApi(() => ({ status: 503 }));
    // The token first: its attempt's timeout is the login's (within the 600 ms), which the
    // timers below would take for a backoff.
    await core.tokens.getToken();
    let settled = false;
    const outcome = call()
      .catch((e: unknown) => e)
      .finally(() => {
        settled = true;
      });
    // Between attempts the core waits on two timers, the deadline and the backoff; during an
    // attempt, on the deadline and the attempt's timeout (5 s, virtual time standing still).
    // Each backoff is skipped to its end.
    const backingOff = () => clock.pending().length === 2 && !clock.pending().includes(5_000);
    for (;;) {
      await until(() => settled || backingOff());
      if (settled) break;
      clock.advance(Math.min(...clock.pending()));
    }
    const error = await outcome;
    // The client's http.deadlineMs: the same DeadlineExceededError as a per-call deadline,
    // caused by the last answer.
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as DeadlineExceededError).cause).toBeInstanceOf(ServerError);
    expect((error as DeadlineExceededError).status).toBe(503);
    expect((error as Error).message).toMatch(/503/);
    expect(clock.now()).toBeLessThanOrEqual(600);
    expect(server.apiRequests.length).toBeGreaterThan(1);
    expect(server.apiRequests.length).toBeLessThan(20);
  });

  it("stops at the maximum attempt count", async () => {
    core = httpFor(server.url, { http: { maxAttempts: 3 } });
    server.setApi(() => ({ status: 502 }));
    const error = (await call().catch((e: unknown) => e)) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.attempts).toBe(3);
    expect(server.apiRequests).toHaveLength(3);
  });

  it("a retry that would wait past the deadline is not started", async () => {
    // On a clock nobody advances: a retry that slept would never end (the test would time out).
    const clock = new VirtualClock();
    core = httpFor(server.url, { http: { deadlineMs: 2000 }, clock });
    server.setApi(() => ({ status: 429, headers: { "retry-after": "30" } }));
    await expect(call()).rejects.toThrow(/429/);
    expect(clock.now()).toBe(0);
    expect(server.apiRequests).toHaveLength(1);
  });

  it("a 429 that ends the request says when CXone wants it back: retryAfterMs on the RateLimitError and the deadline's error", async () => {
    const clock = new VirtualClock();
    core = httpFor(server.url, { http: { deadlineMs: 60_000 }, clock });
    server.setApi(() => ({ status: 429, headers: { "retry-after": "120", "x-request-id": "req-429" } }));
    const error = (await call().catch((e: unknown) => e)) as DeadlineExceededError;
    // Waiting 120 s would pass the 60 s deadline: given up at once, CXone's 120 s kept.
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.requestId).toBe("req-429");
    const limited = error.cause as RateLimitError;
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited.retryAfterMs).toBe(120_000);
    expect(limited.toJSON()).toMatchObject({ code: "rate_limited", status: 429, retryAfterMs: 120_000 });
    expect(server.apiRequests).toHaveLength(1);
  });

  it("a 503 that says Retry-After keeps it on its ServerError; one that does not, and other errors, have none", async () => {
    // A 503 that said nothing, and a 409 (Retry-After means nothing on it), have none…
    server.setApi(() => ({ status: 503 }));
    const silent = (await call({ method: "POST", body: {} }).catch((e: unknown) => e)) as ServerError;
    expect(silent).toBeInstanceOf(ServerError);
    expect(silent.retryAfterMs).toBeUndefined();
    server.setApi(() => ({ status: 409, headers: { "retry-after": "30" } }));
    const conflict = (await call().catch((e: unknown) => e)) as ConflictError;
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict.retryAfterMs).toBeUndefined();
    // …and a 503 that said when, on a POST not repeated (it may have been applied), keeps it.
    server.setApi(() => ({ status: 503, headers: { "retry-after": "30" } }));
    const said = (await call({ method: "POST", body: {} }).catch((e: unknown) => e)) as ServerError;
    expect(said).toBeInstanceOf(ServerError);
    expect(said.retryAfterMs).toBe(30_000);
    expect(server.apiRequests).toHaveLength(3);
  });

  it("a deadline passing during a 429 pause: the DeadlineExceededError carries the last Retry-After", async () => {
    // Virtual time. Two requests of one group in flight: /a gets 429 Retry-After: 5 and means to
    // come back at 5 s; /b's 429 (Retry-After: 120, answered a little later) pauses the group
    // to 120 s, so /a's 10 s deadline passes while it waits in the pause.
    const clock = new VirtualClock();
    core = httpFor(server.url, { http: { deadlineMs: 300_000 }, clock });
    await core.tokens.getToken();
    const seen = { a: 0, b: 0 };
    server.setApi((request) => {
      const which = request.path.endsWith("/a") ? "a" : "b";
      seen[which] += 1;
      if (seen[which] > 1) return { status: 200, body: {} };
      return which === "a"
        ? { status: 429, headers: { "retry-after": "5" } }
        : { status: 429, headers: { "retry-after": "120" }, delayMs: 50 };
    });
    const a = call({ path: "/api/a", deadlineMs: 10_000 }).catch((e: unknown) => e);
    const b = call({ path: "/api/b" }).catch((e: unknown) => e);
    // Both 429s taken in (whichever came first), the group paused to 120 s.
    const group = () => core.limits.get("dispositions").state();
    await until(() => group().throttles === 2 && group().pausedForMs >= 119_000);
    expect(server.apiRequests).toHaveLength(2);
    clock.advance(10_000);
    const error = (await a) as DeadlineExceededError;
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error.scope).toBe("request");
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(5_000);
    expect((error.cause as RateLimitError).retryAfterMs).toBe(5_000);
    // /a was not sent again: the pause held it until its deadline.
    expect(server.apiRequests).toHaveLength(2);
    clock.advance(110_000);
    expect(await b).toMatchObject({ status: 200 });
  });

  it("a POST without an idempotency key is not retried after a 503 (it may have been applied)", async () => {
    failFirst(1, { status: 503 });
    await expect(call({ method: "POST", body: {} })).rejects.toBeInstanceOf(ServerError);
    expect(server.apiRequests).toHaveLength(1);
  });

  it("a POST with an idempotency key is retried, with the same key on every attempt", async () => {
    failFirst(2, "reset");
    const response = await call({ method: "POST", body: { name: "x" }, idempotencyKey: true });
    expect(response.status).toBe(200);
    const keys = server.apiRequests.map((r) => r.headers["x-idempotency-key"]);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe(response.idempotencyKey);
  });

  it("a POST is retried after a 429 even without a key: the server did not act on it", async () => {
    failFirst(1, { status: 429, headers: { "retry-after": "0" } });
    expect((await call({ method: "POST", body: {} })).status).toBe(200);
  });

  it("4xx answers are not retried and become typed errors with status, endpoint and request id", async () => {
    server.setApi(() => ({
      status: 400,
      headers: { "x-request-id": "req-42" },
      body: { message: "reasonCodeId does not belong" },
    }));
    const error = (await call({ endpoint: "GET /api/thing" }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(400);
    expect(error.requestId).toBe("req-42");
    expect(error.endpoint).toBe("GET /api/thing");
    expect(error.message).toMatch(/reasonCodeId does not belong/);
    expect(server.apiRequests).toHaveLength(1);

    server.setApi(() => ({ status: 409, body: { message: "locked" } }));
    await expect(call()).rejects.toBeInstanceOf(ConflictError);
  });

  it("403 raises a ScopeError naming the scopes the endpoint needs", async () => {
    server.setApi(() => ({ status: 403, body: { error: "insufficient_scope" } }));
    const error = (await call({ requiredScopes: ["outbound:campaign:read"] }).catch(
      (e: unknown) => e,
    )) as ScopeError;
    expect(error).toBeInstanceOf(ScopeError);
    expect(error.requiredScopes).toEqual(["outbound:campaign:read"]);
    expect(error.message).toMatch(/needs scope outbound:campaign:read/);
  });

  it("a refused connection ends as a NetworkError after the allowed attempts", async () => {
    await server.close();
    core = httpFor("http://127.0.0.1:1", { http: { maxAttempts: 2 } });
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
  });

  it("a body sink gets each attempt afresh: an answer cut off mid-body is retried and its half discarded", async () => {
    const page = { calls: Array.from({ length: 200 }, (_, i) => ({ id: `c-${i}` })), nextPageToken: "n" };
    server.setApi((_r, index) => ({ status: 200, body: page, truncate: index === 0 }));
    const received: Buffer[] = [];
    let begun = 0;
    const response = await call({
      group: "outcomes",
      bodySink: {
        begin: () => {
          begun += 1;
          received.length = 0;
        },
        write: (chunk) => received.push(Buffer.from(chunk)),
      },
    });
    expect(response.attempts).toBe(2);
    expect(response.body).toBeUndefined();
    expect(begun).toBe(2);
    expect(JSON.parse(Buffer.concat(received).toString("utf8"))).toEqual(page);
  });

  it("a body sink never sees an error answer: the error is typed from its parsed body", async () => {
    server.setApi(() => ({ status: 409, body: { error: "locked", message: "disposition is locked" } }));
    let written = 0;
    await expect(
      call({
        bodySink: {
          begin: () => {},
          write: () => {
            written += 1;
          },
        },
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(written).toBe(0);
  });
});
