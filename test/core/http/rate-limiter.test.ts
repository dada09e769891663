import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CxoneHttp } from "../../../src/core/http/create.ts";
import { RateLimitRegistry } from "../../../src/core/http/endpoint-groups.ts";
import { RateLimitGroup } from "../../../src/core/http/rate-limiter.ts";
import { httpFor } from "../../support/http-fixture.ts";
import { type ScriptedServer, startScriptedServer } from "../../support/scripted-server.ts";
import { until, VirtualClock } from "../../support/virtual-clock.ts";

/** Largest number of timestamps inside any half-open window [t, t + windowMs). */
function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let start = 0, end = 0; start < sorted.length; start += 1) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end += 1;
    best = Math.max(best, end - start);
  }
  return best;
}

describe("RateLimitGroup (unit, virtual time)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("grants a burst up to the limit, then one more only when the oldest start leaves the window", async () => {
    const group = new RateLimitGroup("g", { limit: 5, windowMs: 200 });
    const started = performance.now();
    const grants: number[] = [];
    const all = Promise.all(
      Array.from({ length: 10 }, async () => {
        const release = await group.acquire();
        grants.push(performance.now() - started);
        release();
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    await all;
    expect(grants.filter((t) => t === 0)).toHaveLength(5);
    expect(Math.min(...grants.slice(5))).toBe(200);
    expect(maxInAnyWindow(grants, 200)).toBeLessThanOrEqual(5);
  });

  it("free() counts what could go now: tokens cooling, in flight and waited for are not free", async () => {
    const group = new RateLimitGroup("g", { limit: 4, windowMs: 1_000 });
    expect(group.free()).toBe(4);
    const first = await group.acquire();
    expect(group.free()).toBe(3);
    first();
    // Its token cools for a window after its answer.
    expect(group.free()).toBe(3);
    const held = await Promise.all([group.acquire(), group.acquire(), group.acquire()]);
    expect(group.free()).toBe(0);
    const waiting = group.acquire();
    expect(group.free()).toBe(0);
    for (const release of held) release();
    await vi.advanceTimersByTimeAsync(1_000);
    (await waiting)();
    expect(group.free()).toBe(3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(group.free()).toBe(4);
  });

  it("caps concurrency", async () => {
    const group = new RateLimitGroup("g", { limit: 1000, windowMs: 1000, concurrency: 3 });
    let inFlight = 0;
    let peak = 0;
    const all = Promise.all(
      Array.from({ length: 20 }, async () => {
        const release = await group.acquire();
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        release();
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    await all;
    expect(peak).toBe(3);
  });

  it("a throttle pauses every waiting caller, halves the limit, and successes restore it", async () => {
    const group = new RateLimitGroup("g", { limit: 100, windowMs: 1000 });
    group.throttled(300);
    expect(group.state().currentLimit).toBe(50);
    const started = performance.now();
    const grants = Promise.all(
      Array.from({ length: 5 }, async () => {
        const release = await group.acquire();
        release();
        return performance.now() - started;
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(Math.min(...(await grants))).toBe(300);
    for (let i = 0; i < 50; i += 1) group.succeeded();
    expect(group.state().currentLimit).toBe(60);
    for (let i = 0; i < 1000; i += 1) group.succeeded();
    expect(group.state().currentLimit).toBe(100);
  });

  it("an aborted waiter leaves the queue", async () => {
    const group = new RateLimitGroup("g", { limit: 1, windowMs: 10_000 });
    (await group.acquire())();
    const controller = new AbortController();
    const waiting = group.acquire(controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    expect(group.state().waiting).toBe(0);
  });
});

describe("RateLimitRegistry", () => {
  /** How many acquires of the group resolve before one has to wait (none is released). */
  const slotsInFlight = async (group: RateLimitGroup, probe: number) => {
    let granted = 0;
    for (let i = 0; i < probe; i++) void group.acquire().then(() => (granted += 1));
    await new Promise((resolve) => setImmediate(resolve));
    return granted;
  };

  it("scales each group's concurrency cap with the rate scale, as it scales the limit", async () => {
    // Little's law: ten times the rate at the same latency needs ten times the requests in
    // flight. A cap left at 32 held `cxo tag` at 1,000/s to ~0.94 of the limit (32 / 33 ms).
    const scaled = new RateLimitRegistry({}, 10).get("dispositions");
    expect(scaled.state().configuredLimit).toBe(1000);
    expect(await slotsInFlight(scaled, 400)).toBe(320);
    const overridden = new RateLimitRegistry({ outcomes: { limit: 10, per: "second", concurrency: 3 } }, 2);
    expect(await slotsInFlight(overridden.get("outcomes"), 10)).toBe(6);
    expect(await slotsInFlight(new RateLimitRegistry({}, 1).get("dispositions"), 100)).toBe(32);
  });
});

/**
 * Runs HTTP calls to the end in virtual time: whenever every request sent so far has had its
 * answer, the clock moves to its next timer (a limiter window, a pause, a retry's wait).
 * Returns the answers and the virtual time of each request sent.
 */
async function inVirtualTime<T>(
  core: CxoneHttp,
  clock: VirtualClock,
  calls: Array<() => Promise<T>>,
): Promise<{ results: T[]; sends: number[] }> {
  const sends: number[] = [];
  let answers = 0;
  core.http.on((event) => {
    if (event.type === "request") sends.push(clock.now());
    if (event.type === "response" || event.type === "network-error") answers += 1;
  });
  let done = 0;
  const all = Promise.all(
    calls.map((call) =>
      call().finally(() => {
        done += 1;
      }),
    ),
  );
  while (done < calls.length) {
    // A macrotask: the grants of the last advance have become requests (microtasks) by then.
    await new Promise((resolve) => setTimeout(resolve, 1));
    await until(() => answers === sends.length || done === calls.length);
    if (done === calls.length) break;
    const next = Math.min(...clock.pending());
    clock.advance(Number.isFinite(next) ? Math.max(next, 1) : 1);
  }
  return { results: await all, sends };
}

describe("rate limiting over HTTP", () => {
  let server: ScriptedServer;
  let core: CxoneHttp;

  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(async () => {
    await core.close();
    await server.close();
  });

  it("N requests at R/s never exceed R in any 1-second window, and take just over 2 windows (virtual time)", async () => {
    const R = 20;
    // The limiter's time is a virtual clock, moved to its next timer whenever every request sent
    // so far has been answered: what is measured is the limiter's schedule, never the machine's
    // speed (the old test's 1990-3000 ms of wall time failed on a loaded machine).
    const clock = new VirtualClock();
    core = httpFor(server.url, {
      rateLimits: { dispositions: { limit: R, per: "second", concurrency: 50 } },
      clock,
    });
    await core.tokens.getToken();
    const { sends } = await inVirtualTime(
      core,
      clock,
      Array.from(
        { length: 3 * R },
        () => () => core.http.request({ method: "GET", path: "/x", group: "dispositions" }),
      ),
    );
    expect(server.apiRequests).toHaveLength(3 * R);
    expect(sends).toHaveLength(3 * R);
    // What the limiter controls, exactly: no 1-second window of sends holds more than R…
    expect(maxInAnyWindow(sends, 1000)).toBeLessThanOrEqual(R);
    // …and it does not waste the budget: R at once, R a window later, the last R two windows on.
    expect(sends.filter((t) => t === 0)).toHaveLength(R);
    expect(Math.max(...sends)).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...sends)).toBeLessThan(2100);
  });

  it("a 429 pauses every in-flight caller of the group, not just the one that got it (virtual time)", async () => {
    const clock = new VirtualClock();
    core = httpFor(server.url, {
      rateLimits: { dispositions: { limit: 1000, per: "second", concurrency: 4 } },
      clock,
    });
    await core.tokens.getToken();
    let throttledAt = -1;
    server.setApi((_request, index) => {
      if (index === 2) {
        throttledAt = clock.now();
        return { status: 429, headers: { "retry-after": "1" } };
      }
      return { status: 200, body: {} };
    });
    const { results, sends } = await inVirtualTime(
      core,
      clock,
      Array.from(
        { length: 16 },
        () => () => core.http.request({ method: "GET", path: "/x", group: "dispositions" }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    // Requests already sent when the 429 came back are answered; nothing else is sent until
    // Retry-After has passed, and then the rest go.
    expect(throttledAt).toBeGreaterThanOrEqual(0);
    expect(sends.filter((t) => t > throttledAt && t < throttledAt + 1000)).toHaveLength(0);
    expect(sends).toHaveLength(17); // the 16 and the one retry
    expect(sends.filter((t) => t >= throttledAt + 1000).length).toBeGreaterThanOrEqual(10);
    // Another group is not paused.
    expect(core.limits.get("campaigns").state().pausedForMs).toBe(0);
    expect(core.limits.get("dispositions").state().throttles).toBe(1);
  });
});
