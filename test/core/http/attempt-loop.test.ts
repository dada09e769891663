import { describe, expect, it, vi } from "vitest";
import { systemClock } from "../../../src/core/clock/clock.ts";
import { settingsSchema } from "../../../src/core/config/schema.ts";
import {
  AGAIN,
  type AttemptContext,
  type AttemptPlan,
  type AttemptState,
  type FailedAttempt,
  runAttempts,
  unwatchedAttempts,
} from "../../../src/core/http/attempt-loop.ts";
import { RateLimitRegistry } from "../../../src/core/http/endpoint-groups.ts";
import { NetworkError } from "../../../src/core/http/errors.ts";
import { type HttpEvent, requestNumbers } from "../../../src/core/http/events.ts";
import { HttpClient, type HttpClientOptions } from "../../../src/core/http/http-client.ts";
import type { RetryDecision } from "../../../src/core/http/retry-policy.ts";
import type { TokenGrant } from "../../../src/core/http/token-grant.ts";
import { OAuthTokenProvider, type TokenProviderOptions } from "../../../src/core/http/token-provider.ts";
import type { RawRequest, RawResponse, Transport } from "../../../src/core/http/transport.ts";
import { until, VirtualClock } from "../../support/virtual-clock.ts";

/**
 * The one attempt loop on its own (src/core/http/attempt-loop.ts): a scripted transport (each
 * send takes the script's next answer, or throws its network failure), a virtual clock (a wait
 * ends when the test moves time), a fixed jitter (random 0.5: a backoff of half its ceiling), and
 * the exact events a listener is told, in order.
 */

type Scripted = { status: number; headers?: Record<string, string> } | { reset: string };

function scriptedTransport(script: Scripted[]): { transport: Transport; sent: RawRequest[] } {
  const sent: RawRequest[] = [];
  const send = async (request: RawRequest): Promise<RawResponse> => {
    sent.push(request);
    const next = script.shift();
    if (next === undefined) throw new Error("the script has no answer left");
    if ("reset" in next) throw Object.assign(new Error("socket hang up"), { code: next.reset });
    return { status: next.status, headers: next.headers ?? {}, text: "" };
  };
  return { transport: { send } as unknown as Transport, sent };
}

/** The error a plan's `giveUp` builds here: what the loop decided, and on which attempt. */
class GaveUp extends Error {
  readonly decision: Extract<RetryDecision, { retry: false }>;
  readonly attempts: number;
  readonly failed: FailedAttempt;
  constructor(decision: Extract<RetryDecision, { retry: false }>, attempts: number, failed: FailedAttempt) {
    super(decision.reason);
    this.decision = decision;
    this.attempts = attempts;
    this.failed = failed;
  }
}

interface Run {
  clock: VirtualClock;
  events: HttpEvent[];
  sent: RawRequest[];
  plan: AttemptPlan<string>;
}

function setup(script: Scripted[], overrides: Partial<AttemptPlan<string>> = {}): Run {
  const clock = new VirtualClock(0);
  const events: HttpEvent[] = [];
  const { transport, sent } = scriptedTransport(script);
  const plan: AttemptPlan<string> = {
    context: {
      clock,
      random: () => 0.5,
      emit: (event) => events.push(event),
      requestNumbers: requestNumbers(),
    },
    group: "dispositions",
    method: "GET",
    endpoint: "GET /calls/{id}",
    transport,
    maxAttempts: 3,
    deadlineMs: 10_000,
    hasIdempotencyKey: false,
    backoffBaseMs: 100,
    backoffCapMs: 1_000,
    attemptTimeoutMs: () => 5_000,
    prepare: () => ({ request: { url: "http://cxone.test/calls/c-1", method: "GET", headers: {} } }),
    answered: (response) => (response.status < 400 ? `answered ${response.status}` : undefined),
    giveUp: (failed, decision, state) => new GaveUp(decision, state.attempt, failed),
    ...overrides,
  };
  return { clock, events, sent, plan };
}

/**
 * Runs the loop to its end, moving virtual time to each wait's end when the loop has nothing
 * else to do (the scripted transport answers at once: every timer left is a wait).
 */
async function settle(run: Run): Promise<{ value: string } | { error: unknown }> {
  let done = false;
  const outcome = runAttempts(run.plan).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  void outcome.finally(() => {
    done = true;
  });
  for (let turn = 0; turn < 50 && !done; turn += 1) {
    await new Promise<void>((next) => setImmediate(next));
    const waits = run.clock.pending();
    if (!done && waits.length > 0) run.clock.advance(Math.min(...waits));
  }
  return outcome;
}

const call = { group: "dispositions", method: "GET", endpoint: "GET /calls/{id}", requestNo: 1 } as const;
const request = (attempt: number): HttpEvent => ({ type: "request", ...call, attempt });
const response = (attempt: number, status: number): HttpEvent => ({
  type: "response",
  ...call,
  attempt,
  status,
  latencyMs: 0,
  requestId: undefined,
});

describe("the attempt loop, told event by event", () => {
  it("a 503 then a 200: the retry names its cause and waits its backoff on the clock", async () => {
    const run = setup([{ status: 503 }, { status: 200 }]);
    const outcome = await settle(run);
    expect(outcome).toEqual({ value: "answered 200" });
    expect(run.events).toEqual([
      request(1),
      response(1, 503),
      { type: "retry", ...call, attempt: 1, delayMs: 50, reason: "status 503", cause: { status: 503 } },
      request(2),
      response(2, 200),
    ]);
    // The backoff was waited on the loop's clock: 50 ms (half of the 100 ms ceiling), no more.
    expect(run.clock.now()).toBe(50);
  });

  it("a network failure then a 200: a network-error, and a retry whose cause is its code", async () => {
    const run = setup([{ reset: "ECONNRESET" }, { status: 200 }]);
    const outcome = await settle(run);
    expect(outcome).toEqual({ value: "answered 200" });
    expect(run.events).toEqual([
      request(1),
      { type: "network-error", ...call, attempt: 1, code: "ECONNRESET", latencyMs: 0 },
      {
        type: "retry",
        ...call,
        attempt: 1,
        delayMs: 50,
        reason: "ECONNRESET",
        cause: { code: "ECONNRESET" },
      },
      request(2),
      response(2, 200),
    ]);
  });

  it("a 401 refreshed (AGAIN): a retry with no wait, its cause the 401; the re-send is attempt 2, not counted against maxAttempts", async () => {
    let refreshed = false;
    const run = setup([{ status: 401 }, { status: 200 }], {
      maxAttempts: 1,
      againReason: "token refused, refreshed",
      answered: (answer) => {
        if (answer.status === 401 && !refreshed) {
          refreshed = true;
          return AGAIN;
        }
        return answer.status < 400 ? `answered ${answer.status}` : undefined;
      },
    });
    const outcome = await settle(run);
    expect(outcome).toEqual({ value: "answered 200" });
    expect(run.events).toEqual([
      request(1),
      response(1, 401),
      {
        type: "retry",
        ...call,
        attempt: 1,
        delayMs: 0,
        reason: "status 401: token refused, refreshed",
        cause: { status: 401 },
      },
      request(2),
      response(2, 200),
    ]);
    expect(run.sent).toHaveLength(2);
    expect(run.clock.now()).toBe(0);
  });

  it("a throttle (429) retried: the group is paused (the throttle names the call), the call itself does not sleep", async () => {
    const throttled = vi.fn();
    const run = setup([{ status: 429, headers: { "retry-after": "1" } }, { status: 200 }], { throttled });
    const outcome = await settle(run);
    expect(outcome).toEqual({ value: "answered 200" });
    expect(run.events).toEqual([
      request(1),
      response(1, 429),
      { type: "throttle", ...call, pauseMs: 1_000 },
      { type: "retry", ...call, attempt: 1, delayMs: 1_000, reason: "status 429", cause: { status: 429 } },
      request(2),
      response(2, 200),
    ]);
    expect(throttled).toHaveBeenCalledTimes(1);
    expect(throttled.mock.calls[0]?.[0]).toBe(1_000);
    // The pause is the group's (its limiter's acquire waits it out): this call slept nothing.
    expect(run.clock.now()).toBe(0);
  });

  it("a throttle given up on past the deadline: the group still paused and told, then the plan's error (deadline)", async () => {
    const throttled = vi.fn();
    const run = setup([{ status: 429, headers: { "retry-after": "5" } }], { throttled, deadlineMs: 3_000 });
    const outcome = await settle(run);
    expect(run.events).toEqual([request(1), response(1, 429), { type: "throttle", ...call, pauseMs: 5_000 }]);
    expect(throttled.mock.calls[0]?.[0]).toBe(5_000);
    expect("error" in outcome && outcome.error).toBeInstanceOf(GaveUp);
    const error = (outcome as { error: GaveUp }).error;
    expect(error.decision).toEqual({
      retry: false,
      reason: "status 429: waiting 5000 ms would pass the 3000 ms deadline",
      deadline: true,
    });
    expect(error.attempts).toBe(1);
    expect(error.failed.response?.status).toBe(429);
  });

  it("`prepare` throwing on the first attempt ends the call with its error, nothing told (nothing was sent)", async () => {
    const refused = new NetworkError("the token endpoint is unreachable", { endpoint: "POST /oauth/token" });
    const run = setup([{ status: 200 }], {
      prepare: () => {
        throw refused;
      },
    });
    const outcome = await settle(run);
    expect(outcome).toEqual({ error: refused });
    expect(run.events).toEqual([]);
    expect(run.sent).toEqual([]);
  });

  it("`prepare` throwing before a retried attempt: the retry was told, no request follows it", async () => {
    const refused = new NetworkError("the token endpoint is unreachable", { endpoint: "POST /oauth/token" });
    const prepare = (state: AttemptState) => {
      if (state.attempt > 1) throw refused;
      return { request: { url: "http://cxone.test/calls/c-1", method: "GET", headers: {} } };
    };
    const run = setup([{ status: 503 }, { status: 200 }], { prepare });
    const outcome = await settle(run);
    expect(outcome).toEqual({ error: refused });
    expect(run.events).toEqual([
      request(1),
      response(1, 503),
      { type: "retry", ...call, attempt: 1, delayMs: 50, reason: "status 503", cause: { status: 503 } },
    ]);
    expect(run.sent).toHaveLength(1);
  });

  it("the signal aborting a wait ends the call at once with the plan's `interrupted` error", async () => {
    const controller = new AbortController();
    const stopped = new Error("the call's deadline passed");
    const run = setup([{ status: 503 }, { status: 200 }], {
      signal: controller.signal,
      interrupted: () => stopped,
    });
    const outcome = runAttempts(run.plan).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    // The loop is waiting out its 50 ms backoff on the clock: the signal ends the wait.
    await until(() => run.clock.pending().includes(50));
    controller.abort(new Error("caller left"));
    expect(await outcome).toEqual({ error: stopped });
    expect(run.events).toEqual([
      request(1),
      response(1, 503),
      { type: "retry", ...call, attempt: 1, delayMs: 50, reason: "status 503", cause: { status: 503 } },
    ]);
    expect(run.sent).toHaveLength(1);
    expect(run.clock.pending()).toEqual([]);
  });

  it("without `interrupted`, an aborted wait ends with the signal's reason", async () => {
    const controller = new AbortController();
    const run = setup([{ status: 503 }], { signal: controller.signal });
    const outcome = runAttempts(run.plan).catch((error: unknown) => error);
    await until(() => run.clock.pending().includes(50));
    const reason = new Error("caller left");
    controller.abort(reason);
    expect(await outcome).toBe(reason);
  });

  it("maxAttempts reached: the last answer told, no retry after it, giveUp given the failure and the count", async () => {
    const run = setup([{ status: 503 }, { status: 503 }], { maxAttempts: 2 });
    const outcome = await settle(run);
    expect(run.events).toEqual([
      request(1),
      response(1, 503),
      { type: "retry", ...call, attempt: 1, delayMs: 50, reason: "status 503", cause: { status: 503 } },
      request(2),
      response(2, 503),
    ]);
    const error = (outcome as { error: GaveUp }).error;
    expect(error).toBeInstanceOf(GaveUp);
    expect(error.decision).toEqual({ retry: false, reason: "status 503 after 2 attempts (the maximum)" });
    expect(error.attempts).toBe(2);
    expect(error.failed.failure).toEqual({ kind: "status", status: 503, retryAfterMs: undefined });
  });

  it("an answer that is not retryable is given up on at once, with no retry told", async () => {
    const run = setup([{ status: 404 }]);
    const outcome = await settle(run);
    expect(run.events).toEqual([request(1), response(1, 404)]);
    expect((outcome as { error: GaveUp }).error.decision).toEqual({
      retry: false,
      reason: "status 404 is not retryable",
    });
  });
});

describe("an HttpClient's and an OAuthTokenProvider's context: the core's, or one of its own, never both", () => {
  const transport = scriptedTransport([]).transport;
  const grant: TokenGrant = { prepare: () => Promise.reject(new Error("not asked")), rejectionHint: "" };
  const settings = settingsSchema.parse({}).http;
  const client = {
    baseUrl: "http://cxone.test",
    transport,
    tokens: new OAuthTokenProvider({ grant, transport }),
    limits: new RateLimitRegistry(),
    settings,
  };

  it("given the core's context, each runs on it; given parts, on a context built from them", () => {
    const shared: AttemptContext = { ...unwatchedAttempts(), clock: new VirtualClock(0) };
    expect(new HttpClient({ ...client, attempts: shared }).clock).toBe(shared.clock);
    const own = new VirtualClock(0);
    expect(new HttpClient({ ...client, clock: own, random: () => 0.5 }).clock).toBe(own);
    expect(new HttpClient(client).clock).toBe(systemClock);
  });

  it("both given is a type error (one would silently win)", () => {
    const attempts = unwatchedAttempts();
    const clock = new VirtualClock(0);
    const count = requestNumbers();
    const apiCore = { ...client, attempts };
    const tokenCore = { grant, transport, attempts };
    // What the compiler refuses below is what this test is about (npm run lint type-checks tests).
    // @ts-expect-error: the core's context and a clock of its own
    const a: HttpClientOptions = { ...apiCore, clock };
    // @ts-expect-error: the core's context and a random source of its own
    const b: HttpClientOptions = { ...apiCore, random: Math.random };
    // @ts-expect-error: the core's context and a count of its own
    const c: HttpClientOptions = { ...apiCore, requestNumbers: count };
    // @ts-expect-error: the core's context and a clock of its own
    const d: TokenProviderOptions = { ...tokenCore, clock };
    // @ts-expect-error: the core's context and a listener of its own
    const e: TokenProviderOptions = { ...tokenCore, events: () => undefined };
    // @ts-expect-error: the core's context and a count of its own
    const f: TokenProviderOptions = { ...tokenCore, requestNumbers: count };
    expect([a, b, c, d, e, f]).toHaveLength(6);
  });
});
