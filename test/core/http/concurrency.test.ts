import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../../src/client.ts";
import { settingsSchema } from "../../../src/core/config/schema.ts";
import { DeadlineExceededError } from "../../../src/core/deadline-error.ts";
import { createCxoneHttp } from "../../../src/core/http/create.ts";
import { RateLimitRegistry } from "../../../src/core/http/endpoint-groups.ts";
import { NetworkError } from "../../../src/core/http/errors.ts";
import { HttpClient } from "../../../src/core/http/http-client.ts";
import { RateLimitGroup } from "../../../src/core/http/rate-limiter.ts";
import type { OAuthTokenProvider } from "../../../src/core/http/token-provider.ts";
import type { RawRequest, RawResponse, Transport } from "../../../src/core/http/transport.ts";

/**
 * The HTTP core's concurrency defects of issue 17, each reproduced in virtual time: vitest's fake
 * timers drive setTimeout and performance.now, a scripted transport answers, nothing sleeps.
 */
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

type Answer = (request: RawRequest, index: number) => RawResponse | Promise<RawResponse>;

function scriptedTransport(answer: Answer): Transport & { sent: RawRequest[] } {
  const sent: RawRequest[] = [];
  return {
    sent,
    send: async (request: RawRequest) => {
      sent.push(request);
      return answer(request, sent.length - 1);
    },
    close: async () => undefined,
  } as unknown as Transport & { sent: RawRequest[] };
}

const ok = (): RawResponse => ({ status: 200, headers: {}, text: "" });

/** A transport that answers only when aborted (a server that never replies). */
const hanging: Answer = (request) =>
  new Promise((_resolve, reject) => {
    request.signal?.addEventListener("abort", () => reject(request.signal?.reason), { once: true });
  });

function tokens(delayMs = 0): OAuthTokenProvider {
  return {
    getToken: (signal?: AbortSignal) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => resolve("token-value"), delayMs);
        signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
    invalidate: () => undefined,
  } as unknown as OAuthTokenProvider;
}

function client(
  answer: Answer,
  options: { http?: Record<string, unknown>; limits?: RateLimitRegistry; tokenDelayMs?: number } = {},
) {
  const settings = settingsSchema.parse({
    http: { backoffBaseMs: 100, backoffCapMs: 1_000, ...options.http },
  });
  const transport = scriptedTransport(answer);
  const http = new HttpClient({
    baseUrl: "http://cxone.test",
    transport,
    tokens: tokens(options.tokenDelayMs),
    limits: options.limits ?? new RateLimitRegistry(),
    settings: settings.http,
    random: () => 0.5,
  });
  return { http, transport };
}

/** Settles every promise, recording when (virtual ms from now) each one did. */
function timed<T>(promises: Array<Promise<T>>) {
  const started = performance.now();
  return promises.map((promise) =>
    promise.then(
      (value) => ({ ok: true as const, value, at: performance.now() - started }),
      (error: unknown) => ({ ok: false as const, error, at: performance.now() - started }),
    ),
  );
}

describe("defect 2: the deadline bounds queueing, every retry and every wait", () => {
  it("requests queued in the limiter give up at the deadline, not when a slot frees", async () => {
    const limits = new RateLimitRegistry({ dispositions: { limit: 1, per: "second" } });
    const { http } = client(ok, { limits, http: { deadlineMs: 1_000 } });
    const settled = timed(
      Array.from({ length: 4 }, () => http.request({ method: "GET", path: "/x", group: "dispositions" })),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    const results = await Promise.all(settled);
    expect(results[0]).toMatchObject({ ok: true });
    for (const result of results.slice(1)) {
      expect(result.ok).toBe(false);
      expect(result.at).toBeLessThanOrEqual(1_001);
      // The client's http.deadlineMs raises the same error as a caller's per-call deadline.
      expect(result.ok === false && result.error).toBeInstanceOf(DeadlineExceededError);
      expect(result.ok === false && result.error).toMatchObject({ deadlineMs: 1_000, scope: "request" });
      expect(result.ok === false && (result.error as Error).cause).toBeInstanceOf(NetworkError);
      expect(String(result.ok === false && (result.error as Error).message)).toMatch(/1000 ms deadline/);
    }
  });

  it("the attempt's timeout comes from the time left after queueing and the token wait", async () => {
    // 800 ms waiting for a token, then a server that never answers: the deadline (1 s) ends it,
    // not a timeout computed from the 1 s that remained before the wait.
    const { http } = client(hanging, { tokenDelayMs: 800, http: { deadlineMs: 1_000, timeoutMs: 30_000 } });
    const [settled] = timed([http.request({ method: "GET", path: "/x", group: "dispositions" })]);
    await vi.advanceTimersByTimeAsync(3_000);
    const result = await settled!;
    expect(result.ok).toBe(false);
    expect(result.at).toBeLessThanOrEqual(1_001);
  });

  it("a retry's wait is cut by the deadline", async () => {
    // 500 with backoff: the third wait would cross the deadline; the request ends at it.
    const { http } = client(() => ({ status: 500, headers: {}, text: "" }), {
      http: { deadlineMs: 1_000, backoffBaseMs: 400, backoffCapMs: 400 },
    });
    const [settled] = timed([http.request({ method: "GET", path: "/x", group: "dispositions" })]);
    await vi.advanceTimersByTimeAsync(3_000);
    const result = await settled!;
    expect(result.ok).toBe(false);
    expect(result.at).toBeLessThanOrEqual(1_001);
  });

  it("the caller's own signal still ends it, with the caller's reason", async () => {
    const { http } = client(hanging);
    const controller = new AbortController();
    const [settled] = timed([
      http.request({ method: "GET", path: "/x", group: "dispositions", signal: controller.signal }),
    ]);
    setTimeout(() => controller.abort(new Error("user pressed Ctrl-C")), 200);
    await vi.advanceTimersByTimeAsync(1_000);
    const result = await settled!;
    expect(result.ok === false && (result.error as Error).message).toBe("user pressed Ctrl-C");
  });
});

describe("defect 3: one multiplicative decrease per congestion event", () => {
  it("8 in-flight requests that all get 429 halve the group's rate once, not 8 times", async () => {
    const limits = new RateLimitRegistry({ dispositions: { limit: 100, per: "second", concurrency: 8 } });
    let throttling = true;
    const { http } = client(
      async (): Promise<RawResponse> => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return throttling
          ? { status: 429, headers: { "retry-after": "1" }, text: "" }
          : { status: 200, headers: {}, text: "" };
      },
      { limits },
    );
    const settled = timed(
      Array.from({ length: 8 }, () => http.request({ method: "GET", path: "/x", group: "dispositions" })),
    );
    await vi.advanceTimersByTimeAsync(100);
    throttling = false;
    const state = limits.get("dispositions").state();
    expect(state.throttles).toBe(8);
    expect(state.currentLimit).toBe(50);
    await vi.advanceTimersByTimeAsync(3_000);
    expect((await Promise.all(settled)).every((r) => r.ok)).toBe(true);
  });

  it("a later, separate congestion event halves it again; successes then add back", () => {
    const group = new RateLimitGroup("g", { limit: 100, windowMs: 1_000 });
    group.throttled(0);
    group.throttled(0);
    expect(group.state().currentLimit).toBe(50);
    vi.advanceTimersByTime(1_001);
    group.throttled(0);
    expect(group.state().currentLimit).toBe(25);
    expect(group.state().decreases).toBe(2);
    for (let i = 0; i < 25; i += 1) group.succeeded();
    expect(group.state().currentLimit).toBe(35);
  });

  it("answers to requests sent before the decrease are its echo, however late they come", () => {
    const group = new RateLimitGroup("g", { limit: 100, windowMs: 1_000 });
    const sentAt = performance.now();
    vi.advanceTimersByTime(10);
    group.throttled(0, sentAt);
    vi.advanceTimersByTime(5_000);
    group.throttled(0, sentAt); // a slow answer to a request of the same burst
    expect(group.state().currentLimit).toBe(50);
  });

  it("the Retry-After pause is one event: 429s arriving before it ends do not halve again", () => {
    const group = new RateLimitGroup("g", { limit: 100, windowMs: 1_000 });
    group.throttled(3_000);
    vi.advanceTimersByTime(2_000);
    group.throttled(1_000);
    expect(group.state().currentLimit).toBe(50);
  });
});

describe("defect 4: one limiter per tenant, the token group, typed groups, no timer left behind", () => {
  const connection = (baseUrl: string, clientId = "client-a") => ({
    baseUrl,
    tokenUrl: `${baseUrl}/oauth/token`,
    clientId,
    clientSecret: "not-a-real-secret-value",
    auth: settingsSchema.parse({}).cxone.auth,
  });
  const http = settingsSchema.parse({}).http;

  it("two clients of one tenant in a process share one limiter per group", async () => {
    const a = createCxoneHttp({ connection: connection("http://tenant-one.test"), http });
    const b = createCxoneHttp({ connection: connection("http://tenant-one.test/"), http });
    const other = createCxoneHttp({ connection: connection("http://tenant-one.test", "client-b"), http });
    try {
      expect(b.limits).toBe(a.limits);
      expect(b.limits.get("dispositions")).toBe(a.limits.get("dispositions"));
      expect(other.limits).not.toBe(a.limits);
    } finally {
      await Promise.all([a.close(), b.close(), other.close()]);
    }
  });

  it("SDK clients of one tenant share limiters; createInternalClient takes a registry too", async () => {
    const settings = settingsSchema.parse({
      cxone: { baseUrl: "http://tenant-four.test", clientId: "client-a", clientSecret: "not-a-real-secret" },
    });
    const one = createInternalClient(clientOptionsFromSettings(settings));
    const two = createInternalClient(clientOptionsFromSettings(settings));
    const own = new RateLimitRegistry();
    const three = createInternalClient({ ...clientOptionsFromSettings(settings), limits: own });
    try {
      expect(two.core.limits).toBe(one.core.limits);
      expect(three.core.limits).toBe(own);
      expect(one.core.tenant).toBe(two.core.tenant);
    } finally {
      await Promise.all([one.close(), two.close(), three.close()]);
    }
  });

  it("createCxoneHttp takes a registry to share explicitly", async () => {
    const limits = new RateLimitRegistry();
    const a = createCxoneHttp({ connection: connection("http://tenant-two.test"), http, limits });
    try {
      expect(a.limits).toBe(limits);
    } finally {
      await a.close();
    }
  });

  it("token requests go through the token group, limited to 5/s", async () => {
    const limits = new RateLimitRegistry();
    expect(limits.get("token").state()).toMatchObject({ configuredLimit: 5, windowMs: 1_000 });
    const core = createCxoneHttp({ connection: connection("http://tenant-three.test"), http, limits });
    try {
      // No server: the token request fails fast, but it had to pass the token limiter first.
      await core.tokens.getToken().catch(() => undefined);
      expect(limits.get("token").state().granted).toBeGreaterThanOrEqual(1);
    } finally {
      await core.close();
    }
  });

  it("group names are a closed list: an unknown group in config is a named error", () => {
    const parsed = settingsSchema.safeParse({ rateLimits: { dispostions: { limit: 10 } } });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/dispostions|rateLimits/);
    // @ts-expect-error a group that does not exist is a type error
    new RateLimitRegistry().get("dispostions");
  });

  it("a limiter whose waiters all left holds no timer (the process may exit)", async () => {
    const group = new RateLimitGroup("per-minute", { limit: 1, windowMs: 60_000 });
    (await group.acquire())();
    const controller = new AbortController();
    const waiting = group.acquire(controller.signal).catch(() => "left");
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    expect(await waiting).toBe("left");
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("throttling answers (issue 15's HTTP parts, issue 20 item 12)", () => {
  const throttle = (status: number, retryAfter?: string): RawResponse => ({
    status,
    headers: retryAfter === undefined ? {} : { "retry-after": retryAfter },
    text: "",
  });

  it("a burst of twenty 429s (Retry-After 2 s) at the start is waited out, not 6 attempts and fail", async () => {
    const { http, transport } = client((_request, index) => (index < 20 ? throttle(429, "2") : ok()));
    const [settled] = timed([http.request({ method: "GET", path: "/x", group: "dispositions" })]);
    await vi.advanceTimersByTimeAsync(60_000);
    const result = await settled!;
    expect(result.ok).toBe(true);
    expect(transport.sent).toHaveLength(21);
    expect(result.at).toBeGreaterThanOrEqual(40_000);
  });

  it("…but the deadline still bounds them: DeadlineExceededError, caused by the 429", async () => {
    const { http } = client(() => throttle(429, "2"), { http: { deadlineMs: 9_000 } });
    const [settled] = timed([http.request({ method: "GET", path: "/x", group: "dispositions" })]);
    await vi.advanceTimersByTimeAsync(20_000);
    const result = await settled!;
    expect(result.ok).toBe(false);
    expect(result.at).toBeLessThanOrEqual(9_001);
    expect(result.ok === false && (result.error as Error).name).toBe("DeadlineExceededError");
    expect(result.ok === false && ((result.error as Error).cause as Error).name).toBe("RateLimitError");
    expect(result.ok === false && result.error).toMatchObject({ code: "deadline_exceeded", status: 429 });
  });

  it("a 429 without Retry-After backs off and pauses the whole group", async () => {
    const limits = new RateLimitRegistry({ dispositions: { limit: 100, per: "second" } });
    const { http } = client((_request, index) => (index === 0 ? throttle(429) : ok()), { limits });
    const first = http.request({ method: "GET", path: "/x", group: "dispositions" });
    await vi.advanceTimersByTimeAsync(1);
    const state = limits.get("dispositions").state();
    expect(state.pausedForMs).toBeGreaterThan(0);
    expect(state.throttles).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect((await first).attempts).toBe(2);
  });

  it("a 503 with Retry-After is throttling: it pauses the group like a 429", async () => {
    const limits = new RateLimitRegistry();
    const { http, transport } = client((_request, index) => (index === 0 ? throttle(503, "3") : ok()), {
      limits,
    });
    const [first] = timed([http.request({ method: "GET", path: "/x", group: "dispositions" })]);
    await vi.advanceTimersByTimeAsync(1);
    // Another caller of the group waits out the pause too.
    const [second] = timed([http.request({ method: "GET", path: "/y", group: "dispositions" })]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await first)!.at).toBeGreaterThanOrEqual(3_000);
    expect((await second)!.at).toBeGreaterThanOrEqual(2_990);
    expect(transport.sent).toHaveLength(3);
    expect(limits.get("dispositions").state().throttles).toBe(1);
  });

  it("a bare 503 is a server error: own backoff, no group pause, counted attempts", async () => {
    const limits = new RateLimitRegistry();
    const { http, transport } = client(() => throttle(503), { limits, http: { maxAttempts: 3 } });
    const [settled] = timed([http.request({ method: "GET", path: "/x", group: "dispositions" })]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect((await settled)!.ok).toBe(false);
    expect(transport.sent).toHaveLength(3);
    expect(limits.get("dispositions").state()).toMatchObject({ throttles: 0, currentLimit: 100 });
  });

  it("reads the request id from CorrelationId (the production API) as well", async () => {
    const { http } = client(() => ({ status: 200, headers: { correlationid: "corr-42" }, text: "" }));
    const response = http.request({ method: "GET", path: "/x", group: "dispositions" });
    await vi.advanceTimersByTimeAsync(1);
    expect((await response).requestId).toBe("corr-42");
  });
});
