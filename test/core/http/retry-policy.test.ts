import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AttemptFailure, decideRetry, type RetryContext } from "../../../src/core/http/retry-policy.ts";
import { fullJitterBackoff, parseRetryAfter } from "../../../src/core/retry/index.ts";

const base: RetryContext = {
  attempt: 1,
  maxAttempts: 5,
  elapsedMs: 0,
  deadlineMs: 60_000,
  method: "GET",
  hasIdempotencyKey: false,
  backoffBaseMs: 100,
  backoffCapMs: 10_000,
  random: () => 0.5,
};

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-21T10:00:00Z");
  it.each([
    ["1", 1000],
    ["0", 0],
    ["2.5", 2500],
    [" 3 ", 3000],
    ["Sat, 21 Nov 2026 10:00:05 GMT", 5000],
    ["Sat, 21 Nov 2026 09:59:00 GMT", 0],
  ])("%j → %d ms", (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
  it.each([[undefined], [null], [""], ["soon"], ["-1"], ["2026-11-21"]])("%j → undefined", (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});

describe("decideRetry", () => {
  const cases: Array<[string, AttemptFailure, Partial<RetryContext>, boolean, number | undefined]> = [
    ["429 honours Retry-After", { kind: "status", status: 429, retryAfterMs: 1500 }, {}, true, 1500],
    ["429 without Retry-After backs off", { kind: "status", status: 429 }, {}, true, 50],
    ["503 honours Retry-After", { kind: "status", status: 503, retryAfterMs: 700 }, {}, true, 700],
    [
      "500 ignores Retry-After and backs off",
      { kind: "status", status: 500, retryAfterMs: 9000 },
      {},
      true,
      50,
    ],
    ["502 retried", { kind: "status", status: 502 }, { attempt: 3 }, true, 200],
    ["504 retried", { kind: "status", status: 504 }, {}, true, 50],
    ["408 retried", { kind: "status", status: 408 }, {}, true, 50],
    ["400 not retried", { kind: "status", status: 400 }, {}, false, undefined],
    [
      "401 not retried here (the client refreshes once)",
      { kind: "status", status: 401 },
      {},
      false,
      undefined,
    ],
    ["403 not retried", { kind: "status", status: 403 }, {}, false, undefined],
    ["404 not retried", { kind: "status", status: 404 }, {}, false, undefined],
    ["409 not retried", { kind: "status", status: 409 }, {}, false, undefined],
    ["412 not retried", { kind: "status", status: 412 }, {}, false, undefined],
    ["501 not retried", { kind: "status", status: 501 }, {}, false, undefined],
    ["reset retried", { kind: "network", code: "ECONNRESET" }, {}, true, 50],
    ["attempt timeout retried", { kind: "network", code: "ATTEMPT_TIMEOUT" }, {}, true, 50],
    ["unknown network failure not retried", { kind: "network", code: "ERR_TLS_CERT" }, {}, false, undefined],
    [
      "POST 503 without key not retried",
      { kind: "status", status: 503 },
      { method: "POST" },
      false,
      undefined,
    ],
    [
      "POST reset without key not retried",
      { kind: "network", code: "ECONNRESET" },
      { method: "POST" },
      false,
      undefined,
    ],
    [
      "PATCH 500 without key not retried",
      { kind: "status", status: 500 },
      { method: "PATCH" },
      false,
      undefined,
    ],
    [
      "POST 503 with key retried",
      { kind: "status", status: 503 },
      { method: "POST", hasIdempotencyKey: true },
      true,
      50,
    ],
    [
      "POST 429 without key retried (not processed)",
      { kind: "status", status: 429 },
      { method: "POST" },
      true,
      50,
    ],
    [
      "POST refused without key retried (not processed)",
      { kind: "network", code: "ECONNREFUSED" },
      { method: "POST" },
      true,
      50,
    ],
    ["PUT reset retried (idempotent)", { kind: "network", code: "ECONNRESET" }, { method: "PUT" }, true, 50],
    ["last attempt not retried", { kind: "status", status: 503 }, { attempt: 5 }, false, undefined],
    [
      "wait past the deadline not started",
      { kind: "status", status: 429, retryAfterMs: 5000 },
      { elapsedMs: 56_000 },
      false,
      undefined,
    ],
  ];
  it.each(cases)("%s", (_name, failure, overrides, retry, delay) => {
    const decision = decideRetry(failure, { ...base, ...overrides });
    expect(decision.retry).toBe(retry);
    if (decision.retry) expect(decision.delayMs).toBe(delay);
    expect(decision.reason.length).toBeGreaterThan(0);
  });

  it("property: a delay never exceeds the cap (or Retry-After) and never crosses the deadline", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.constantFrom(429, 500, 502, 503, 504),
        fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, elapsedMs, status, retryAfterMs, r) => {
          const ctx = { ...base, attempt, maxAttempts: 31, elapsedMs, random: () => r };
          const decision = decideRetry({ kind: "status", status, retryAfterMs }, ctx);
          if (!decision.retry) return;
          expect(elapsedMs + decision.delayMs).toBeLessThan(ctx.deadlineMs);
          const honoured = retryAfterMs !== undefined && (status === 429 || status === 503);
          if (honoured) expect(decision.delayMs).toBe(retryAfterMs);
          else expect(decision.delayMs).toBeLessThanOrEqual(ctx.backoffCapMs);
        },
      ),
    );
  });

  it("property: a non-idempotent request without a key is only repeated when provably not processed", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("POST", "PATCH"),
        fc.constantFrom(408, 500, 502, 503, 504),
        (method, status) => {
          expect(decideRetry({ kind: "status", status }, { ...base, method }).retry).toBe(false);
        },
      ),
    );
  });
});

describe("fullJitterBackoff", () => {
  it("grows exponentially to the cap, scaled by the random draw", () => {
    expect(fullJitterBackoff(1, 100, 10_000, () => 0.999)).toBe(99);
    expect(fullJitterBackoff(4, 100, 10_000, () => 0.5)).toBe(400);
    expect(fullJitterBackoff(20, 100, 10_000, () => 0.5)).toBe(5000);
    expect(fullJitterBackoff(3, 100, 10_000, () => 0)).toBe(0);
  });
});
