import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "../../../src/core/clock/clock.ts";
import { productionApiSchema } from "../../../src/core/config/schema.ts";
import { DeadlineExceededError } from "../../../src/core/deadline-error.ts";
import { ValidationError } from "../../../src/core/http/errors.ts";
import type { ProductionApi } from "../../../src/platform/cxone/api.ts";
import { FIND_CREATED_WAIT, productionCampaignCreate } from "../../../src/platform/cxone/campaign-create.ts";
import { LIST_UPLOAD_WAIT, waitForListUpload } from "../../../src/platform/cxone/list-upload.ts";

/**
 * CXone's polled operations, in fake time (core/waiter.ts under each). The call-list upload job's
 * wait: bounded in time (not in a count of polls),
 * with jitter between polls, ended at once by an abort, and typed at its ends — a job that never
 * completes is a DeadlineExceededError once the bound has passed on the clock; one CXone
 * cancelled is a ValidationError in CXone's words. A just-created skill looked for by its
 * marker: not found within its bound, a DeadlineExceededError saying to run the create again.
 */
type Job = Record<string, unknown>;

/** An API handle whose job polls answer `job(n)` (n = 1, 2, …), logging when each came. */
function jobApi(job: (n: number) => Job, polls: number[]): ProductionApi {
  return {
    async request() {
      polls.push(performance.now());
      return { status: 200, headers: {}, body: { uploadJobs: [job(polls.length)] }, attempts: 1 };
    },
    clock: () => systemClock,
    sleep: (ms: number, signal?: AbortSignal) => systemClock.sleep(ms, signal),
  } as unknown as ProductionApi;
}

const settled = <T>(promise: Promise<T>) => {
  const state: { done: boolean; error?: unknown } = { done: false };
  promise.then(
    () => {
      state.done = true;
    },
    (error: unknown) => {
      state.done = true;
      state.error = error;
    },
  );
  return state;
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("waitForListUpload", () => {
  it("a job that never completes: DeadlineExceededError once its time bound has passed, not before", async () => {
    const polls: number[] = [];
    const started = performance.now();
    const wait = settled(
      waitForListUpload(
        jobApi(() => ({ isComplete: false }), polls),
        "j1",
      ),
    );
    await vi.advanceTimersByTimeAsync(LIST_UPLOAD_WAIT.maxWaitMs - 1);
    expect(wait.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.done).toBe(true);
    expect(wait.error).toBeInstanceOf(DeadlineExceededError);
    // The wait's own bound, not a request's deadline (http.deadlineMs) nor the caller's.
    expect(wait.error).toMatchObject({
      code: "deadline_exceeded",
      deadlineMs: LIST_UPLOAD_WAIT.maxWaitMs,
      scope: "wait",
    });
    expect((wait.error as Error).message).toMatch(
      /upload job j1 did not complete within 113000 ms, the wait's bound \(\d+ polls; not a request's deadline\)/,
    );
    expect(polls.length).toBeGreaterThan(10);
    expect(performance.now() - started).toBe(LIST_UPLOAD_WAIT.maxWaitMs);
  });

  it("the pauses between polls vary with the random source (jitter), within 100 ms … 2 s", async () => {
    const gaps = async (random: () => number) => {
      const polls: number[] = [];
      const wait = waitForListUpload(
        jobApi((n) => ({ isComplete: n >= 8 }), polls),
        "j1",
        undefined,
        { random },
      );
      await vi.runAllTimersAsync();
      await wait;
      return polls.slice(1).map((at, i) => at - polls[i]!);
    };
    const low = await gaps(() => 0);
    const high = await gaps(() => 0.999);
    expect(low).toHaveLength(7);
    expect(low.every((g) => g === 100)).toBe(true);
    expect(high).not.toEqual(low);
    expect(Math.max(...high)).toBeLessThanOrEqual(2_000);
    expect(high.at(-1)).toBeGreaterThan(1_500);
  });

  it("an abort between polls ends the wait at once, with the signal's reason", async () => {
    const polls: number[] = [];
    const controller = new AbortController();
    const wait = settled(
      waitForListUpload(
        jobApi(() => ({ isComplete: false }), polls),
        "j1",
        controller.signal,
      ),
    );
    await vi.advanceTimersByTimeAsync(350);
    const seen = polls.length;
    expect(seen).toBeGreaterThan(1);
    const reason = new Error("stopped by the caller");
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(wait.done).toBe(true);
    expect(wait.error).toBe(reason);
    expect(polls.length).toBe(seen);
  });

  it("a job CXone cancelled: ValidationError with CXone's words, no further poll", async () => {
    const polls: number[] = [];
    const wait = settled(
      waitForListUpload(
        jobApi(
          (n) => (n < 3 ? { isComplete: false } : { isCancelled: true, errorMessage: "list over the cap" }),
          polls,
        ),
        "j1",
      ),
    );
    await vi.runAllTimersAsync();
    expect(wait.error).toBeInstanceOf(ValidationError);
    expect(wait.error).toMatchObject({
      code: "cxone_validation_failed",
      cxoneDescription: "list over the cap",
    });
    expect((wait.error as Error).message).toMatch(/upload job j1 was cancelled: list over the cap/);
    expect(polls).toHaveLength(3);
  });
});

describe("campaign create: looking for the skill just created (POST /skills answers no id)", () => {
  it("not found within its bound: DeadlineExceededError at 7.5 s on the clock, saying to run the create again", async () => {
    const looks: number[] = [];
    const api = {
      fallback() {},
      async request(options: { method: string; path: string }) {
        const answer = (body: unknown) => ({ status: 200, headers: {}, body, attempts: 1 });
        if (options.path === "/timezones")
          return answer({ timeZones: [{ standardName: "Eastern Standard Time" }] });
        if (options.method === "POST" && options.path === "/skills") return answer({ skillsResults: [{}] });
        if (options.method === "GET" && options.path === "/skills") {
          looks.push(performance.now());
          return answer({ totalRecords: 0, skills: [] });
        }
        throw new Error(`not scripted: ${options.method} ${options.path}`);
      },
      clock: () => systemClock,
      sleep: (ms: number, signal?: AbortSignal) => systemClock.sleep(ms, signal),
      now: () => performance.now(),
    } as unknown as ProductionApi;
    const create = productionCampaignCreate(api, productionApiSchema.parse({ reportingCampaignId: "9" }), {
      readSkill: async () => ({}),
      written: async () => ({}) as never,
    });
    const definition = {
      name: "Spring",
      status: "paused",
      contactListId: "L1",
      compliance: {
        timeZone: "America/New_York",
        allowedDays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
      },
    } as unknown as Parameters<typeof create>[0];
    const started = performance.now();
    const run = settled(create(definition, "key-1"));
    await vi.advanceTimersByTimeAsync(FIND_CREATED_WAIT.maxWaitMs - 1);
    expect(run.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(run.done).toBe(true);
    expect(run.error).toBeInstanceOf(DeadlineExceededError);
    expect(run.error).toMatchObject({
      code: "deadline_exceeded",
      deadlineMs: FIND_CREATED_WAIT.maxWaitMs,
      scope: "wait",
    });
    expect((run.error as Error).message).toMatch(
      /skill "Spring" was not found within 7500 ms .*run the same create again/,
    );
    // The look before the create, then the looks after it until the bound.
    expect(looks.length).toBeGreaterThan(2);
    expect(performance.now() - started).toBe(FIND_CREATED_WAIT.maxWaitMs);
  });
});
