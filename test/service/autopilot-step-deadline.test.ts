import { afterEach, describe, expect, it, vi } from "vitest";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { DeadlineExceededError } from "../../src/core/deadline-error.ts";
import type { Logger } from "../../src/core/logging/index.ts";
import { runCall } from "../../src/sdk/call.ts";
import {
  AutopilotTask,
  type AutopilotTaskClient,
  STEP_DEADLINE_FLOOR_MS,
  stepDeadlineMs,
} from "../../src/service/autopilot-task.ts";
import { useFakeTimeouts } from "../support/fake-timeouts.ts";

/**
 * Issue 101 §2: `cxo serve` gave an autopilot step no deadline, so a CXone call that never
 * answers held the leader's autopilot for good (no later step, no day report). A step now has a
 * default deadline — its interval on the clock in real time, never under two minutes — and a step
 * past it is abandoned through the SDK call's own signal and deadline plumbing (`runCall`); the
 * next step runs at its interval. Time moves only on fake timeouts: nothing here waits on the wall.
 */
afterEach(() => {
  vi.useRealTimers();
});

function settings() {
  return settingsSchema.parse({
    service: { timeZone: "America/New_York" },
    autopilot: {
      intervalMinutes: 5,
      campaigns: [{ campaign: "703", kind: "collections", list: "./list.csv", model: "./model.json" }],
    },
  });
}

/** A client whose every step hangs on CXone until the step's signal ends it (the SDK's plumbing). */
function hungClient() {
  const steps: Array<{ deadlineMs: number | undefined; ended?: unknown }> = [];
  const client = {
    autopilot: {
      run: (_job: unknown, options?: { signal?: AbortSignal; deadlineMs?: number }) => {
        const step: { deadlineMs: number | undefined; ended?: unknown } = { deadlineMs: options?.deadlineMs };
        steps.push(step);
        return runCall(
          undefined,
          options,
          (signal) =>
            new Promise<never>((_, reject) =>
              signal?.addEventListener("abort", () => {
                step.ended = signal.reason;
                reject(signal.reason);
              }),
            ),
        );
      },
    },
    close: async () => undefined,
  } as unknown as AutopilotTaskClient;
  return { client, steps };
}

function logger() {
  const warnings: string[] = [];
  const log = {
    warn: (_o: unknown, text: string) => void warnings.push(text),
    info: () => undefined,
    error: () => undefined,
    debug: () => undefined,
    child: () => log,
  } as unknown as Logger;
  return { log, warnings };
}

describe("cxo serve's autopilot step deadline", () => {
  it("is the interval on the clock in real time, never under two minutes", () => {
    expect(stepDeadlineMs(5)).toBe(300_000);
    expect(stepDeadlineMs(1)).toBe(STEP_DEADLINE_FLOOR_MS);
    expect(stepDeadlineMs(60)).toBe(3_600_000);
  });

  it("a step hung on CXone is abandoned at its deadline and the next step runs at its interval", async () => {
    useFakeTimeouts();
    const { client, steps } = hungClient();
    const { log, warnings } = logger();
    const task = new AutopilotTask({ settings: settings(), logger: log, client });
    task.start();
    try {
      await vi.advanceTimersByTimeAsync(0);
      expect(steps).toHaveLength(1);
      expect(steps[0]?.deadlineMs).toBe(300_000);
      // Just before its deadline the step still waits on CXone.
      await vi.advanceTimersByTimeAsync(299_999);
      expect(steps[0]?.ended).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(steps[0]?.ended).toBeInstanceOf(DeadlineExceededError);
      expect(warnings.join("\n")).toMatch(/passed its deadline \(300 s of real time\) and was abandoned/);
      // The next step, an interval after the abandoned one ended.
      await vi.advanceTimersByTimeAsync(300_000);
      expect(steps).toHaveLength(2);
    } finally {
      await task.stop();
    }
  });
});
