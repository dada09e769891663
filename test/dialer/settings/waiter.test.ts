import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { waiterDelayMs, waitFor } from "../../../src/core/waiter.ts";

/** The operation waiter: schedule, deadline, cancellation, errors — in virtual time. */
describe("waiter", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Runs the waiter to its end in virtual time. */
  async function settle<T>(pending: Promise<T>): Promise<T> {
    await vi.runAllTimersAsync();
    return pending;
  }

  it("delays stay within [min, max] and grow with the attempt", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (attempt, min, extra, r) => {
          const max = min + extra;
          const delay = waiterDelayMs(attempt, min, max, () => r);
          expect(delay).toBeGreaterThanOrEqual(min);
          expect(delay).toBeLessThanOrEqual(max);
        },
      ),
    );
    expect(waiterDelayMs(1, 100, 10_000, () => 0.999)).toBeLessThanOrEqual(100);
    expect(waiterDelayMs(5, 100, 10_000, () => 0.999)).toBeGreaterThan(1_500);
  });

  it("returns success with the accepted value after polling until done", async () => {
    let n = 0;
    const result = await settle(
      waitFor(
        async () => (++n >= 3 ? "COMPLETED" : "IN_PROGRESS"),
        (s) => (s === "COMPLETED" ? "success" : "retry"),
        { minDelayMs: 5, maxDelayMs: 10, maxWaitMs: 2_000 },
      ),
    );
    expect(result).toMatchObject({ state: "success", last: "COMPLETED", polls: 3 });
  });

  it("a FAILED value ends the wait at once as failure", async () => {
    const result = await settle(
      waitFor(
        async () => "FAILED",
        (s) => (s === "FAILED" ? "failure" : "retry"),
        { minDelayMs: 5, maxDelayMs: 10, maxWaitMs: 2_000 },
      ),
    );
    expect(result).toMatchObject({ state: "failure", polls: 1 });
  });

  it("stops at the deadline (timeout), never sleeping past it", async () => {
    let polls = 0;
    const started = performance.now();
    const result = await settle(
      waitFor(
        async () => {
          polls++;
          return "IN_PROGRESS";
        },
        () => "retry",
        { minDelayMs: 20, maxDelayMs: 1_000, maxWaitMs: 150 },
      ),
    );
    const took = performance.now() - started;
    expect(result.state).toBe("timeout");
    expect(result.polls).toBe(polls);
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(took).toBe(150);
  });

  it("a slow poll is cut by the deadline", async () => {
    const result = await settle(
      waitFor(
        (signal) =>
          new Promise<string>((_resolve, reject) =>
            signal.addEventListener("abort", () => reject(signal.reason)),
          ),
        () => "retry",
        { minDelayMs: 10, maxDelayMs: 10, maxWaitMs: 80 },
      ),
    );
    expect(result).toMatchObject({ state: "timeout", polls: 0, elapsedMs: 80 });
  });

  it("cancellation stops polling: no poll after the abort", async () => {
    const controller = new AbortController();
    const at: number[] = [];
    const pending = waitFor(
      async () => {
        at.push(performance.now());
        return "IN_PROGRESS";
      },
      () => "retry",
      { minDelayMs: 10, maxDelayMs: 20, maxWaitMs: 10_000, signal: controller.signal },
    );
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    const abortedAt = performance.now();
    const result = await pending;
    const pollsThen = at.length;
    await vi.advanceTimersByTimeAsync(100);
    expect(result.state).toBe("aborted");
    expect(pollsThen).toBeGreaterThanOrEqual(2);
    expect(at.length).toBe(pollsThen);
    expect(at.every((t) => t <= abortedAt)).toBe(true);
    expect(result.elapsedMs).toBe(100);
  });

  it("an already-aborted signal polls nothing; a poll's own error propagates", async () => {
    let polls = 0;
    const result = await waitFor(
      async () => {
        polls++;
        return 1;
      },
      () => "success",
      { minDelayMs: 1, maxDelayMs: 1, maxWaitMs: 100, signal: AbortSignal.abort() },
    );
    expect(result.state).toBe("aborted");
    expect(polls).toBe(0);
    await expect(
      waitFor(
        async () => {
          throw new Error("404 operation");
        },
        () => "retry",
        { minDelayMs: 1, maxDelayMs: 1, maxWaitMs: 100 },
      ),
    ).rejects.toThrow("404 operation");
  });
});
