import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { startWatchdog, WATCHDOG_DEFAULTS } from "../../src/campaigns/watchdog/watchdog.ts";
import { internalsOf } from "../../src/client.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import * as sdk from "../../src/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { useFakeTimeouts } from "../support/fake-timeouts.ts";
import { until } from "../support/virtual-clock.ts";

/**
 * Issue 52 §1: the SDK's promises, checked on every public method. The methods are found by
 * walking the client's group objects (and the package's exported functions), so a method added
 * later is covered without touching this file.
 */
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = (await startEmulator({ port: 0, calls: 20, metricsIntervalMs: 0 })) as RunningEmulator;
});
afterAll(() => emulator.close());

function client(): sdk.CxoneClient {
  const admin = emulator.fixtures.clients[0]!;
  return sdk.createClient({
    connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-every-")),
  });
}

type Method = { name: string; call: (...args: unknown[]) => unknown };

/** Every function-valued property of every group object of the client: `group.method`. */
function groupMethods(c: sdk.CxoneClient): Method[] {
  const methods: Method[] = [];
  for (const [groupName, group] of Object.entries(c)) {
    if (typeof group !== "object" || group === null) continue;
    for (const [name, value] of Object.entries(group))
      if (typeof value === "function")
        methods.push({ name: `${groupName}.${name}`, call: (...args) => value.apply(group, args) });
  }
  return methods;
}

/**
 * What a call ends with, whichever shape its answer has: the thrown error (at once), the
 * rejection of a promise, or the error of the first step of a list's iteration; `undefined` when
 * it succeeded.
 */
async function failureOf(call: () => unknown): Promise<unknown> {
  try {
    const answer = call();
    if (answer && typeof (answer as PromiseLike<unknown>).then === "function") {
      const value = await answer;
      if (value && typeof (value as { stop?: unknown }).stop === "function")
        await (value as { stop(): Promise<void> }).stop();
      return undefined;
    }
    if (answer && typeof (answer as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
      const iterator = (answer as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      await iterator.next();
      await iterator.return?.();
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Bad inputs every method must refuse with an SDK error, never a TypeError or a RangeError. */
const BAD_ARGUMENTS: Array<{ what: string; args: unknown[] }> = [
  { what: "nulls everywhere", args: [null, null, null, null] },
  { what: "numbers for everything", args: [-1, -1, -1, -1] },
  { what: "a negative deadline as the request options", args: [{}, {}, { deadlineMs: -1 }] },
  // Combinations (issue 68 §1): a plausible first part, then a bad one at each later position.
  { what: "an id, then options with a signal that is not one", args: ["campaign-1", { signal: "stop" }] },
  { what: "an id and params, then options with a signal that is not one", args: ["c", {}, { signal: {} }] },
  { what: "params with a wait that is not an object", args: [{ waitFor: "soon" }, { waitFor: "soon" }] },
];

describe("every public method", () => {
  it("the walk finds every group's methods (a sanity floor)", () => {
    const c = client();
    try {
      const names = groupMethods(c).map((m) => m.name);
      expect(names).toEqual(
        expect.arrayContaining(["access.describe", "dialer.simulate", "dialer.erlang", "campaigns.watch"]),
      );
      expect(names.length).toBeGreaterThanOrEqual(25);
    } finally {
      void c.close();
    }
  });

  it("with bad input, fails with an SDK error (isSdkError), never a raw TypeError or RangeError", async () => {
    const c = client();
    const offenders: string[] = [];
    try {
      for (const method of groupMethods(c))
        for (const { what, args } of BAD_ARGUMENTS) {
          const error = await failureOf(() => method.call(...args));
          if (error !== undefined && !sdk.isSdkError(error))
            offenders.push(`${method.name} (${what}): ${String(error)}`);
        }
    } finally {
      await c.close();
    }
    expect(offenders).toEqual([]);
  });

  it("after close(), every one is refused with ClientClosedError and nothing is sent", async () => {
    const c = client();
    const campaign = emulator.fixtures.campaigns[0]!.id;
    // Warm what a method could answer from without asking CXone: the token, the code matrix.
    await c.access.describe();
    await c.dispositions.codes(campaign);
    await c.close();
    const before = (await adminCall(emulator.url, "GET", "/requests")).requests.length;
    const answers: string[] = [];
    for (const method of groupMethods(c)) {
      for (const args of [[campaign, {}, {}], [{}], []]) {
        const error = await failureOf(() => method.call(...args));
        if (!(error instanceof sdk.ClientClosedError)) answers.push(`${method.name}: ${String(error)}`);
      }
    }
    expect(answers).toEqual([]);
    expect((await adminCall(emulator.url, "GET", "/requests")).requests.length).toBe(before);
  });

  it("the package's exported functions refuse bad input with an SDK error (or accept it)", async () => {
    const offenders: string[] = [];
    for (const [name, value] of Object.entries(sdk)) {
      if (typeof value !== "function" || /^[A-Z]/.test(name)) continue; // classes aside
      for (const { what, args } of BAD_ARGUMENTS) {
        const error = await failureOf(() => (value as (...a: unknown[]) => unknown)(...args));
        if (error !== undefined && !sdk.isSdkError(error))
          offenders.push(`${name} (${what}): ${String(error)}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe("verifyWebhook and simulate, the cases issue 52 names", () => {
  it("a whsec_ secret without key bytes is an InputError naming `secret`", () => {
    expect(() => sdk.verifyWebhook("whsec_", {}, "")).toThrow(sdk.InputError);
    try {
      sdk.verifyWebhook("whsec_", {}, "");
    } catch (error) {
      expect((error as sdk.InputError).problems[0]?.field).toBe("secret");
    }
  });

  it("dialer.simulate(config, { hours: -1 }) is an InputError naming hours", async () => {
    const c = client();
    try {
      const config = parse(readFileSync("examples/dialer.yaml", "utf8"));
      const error = await failureOf(() => c.dialer.simulate(config as never, { hours: -1 }));
      expect(error).toBeInstanceOf(sdk.InputError);
      expect(JSON.stringify((error as sdk.InputError).problems)).toContain("hours");
    } finally {
      await c.close();
    }
  });
});

/** One turn of the event loop (a real setImmediate: the simulation's slices are setImmediates too). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * How many turns of the event loop `running` takes to settle after the test's `stop()`, once
 * it has been seen running for three turns (a simulation gives the loop one turn per slice of
 * 50,000 events): a count of slices, not a time, so a loaded machine changes nothing.
 */
async function turnsToSettle(running: Promise<unknown>, stop: () => void): Promise<number> {
  let settled = false;
  void running.finally(() => {
    settled = true;
  });
  for (let i = 0; i < 3; i++) await turn();
  expect(settled, "the simulation ended before it was stopped").toBe(false);
  stop();
  let turns = 0;
  while (!settled && turns < 1_000) {
    await turn();
    turns += 1;
  }
  return turns;
}

describe("local work is bounded by its signal (issue 80 §2)", () => {
  const config = () => parse(readFileSync("examples/dialer.yaml", "utf8"));
  afterEach(() => {
    vi.useRealTimers();
  });

  // 2,000 simulated hours are thousands of slices: the old code ran them all (10 s+ quiet) first.
  it("dialer.simulate of 2,000 simulated hours rejects with DeadlineExceededError at the slice after its deadline", async () => {
    const c = client();
    try {
      // The deadline's timer on the fake clock (setTimeout only: the slices' setImmediate is real).
      useFakeTimeouts();
      const running = failureOf(() =>
        c.dialer.simulate(config() as never, { hours: 2000 }, { deadlineMs: 1 }),
      );
      expect(await turnsToSettle(running, () => vi.advanceTimersByTime(1))).toBeLessThanOrEqual(2);
      expect(await running).toBeInstanceOf(sdk.DeadlineExceededError);
    } finally {
      vi.useRealTimers();
      await c.close();
    }
  });

  it("dialer.simulate rejects with ClientClosedError at the slice after close()", async () => {
    const c = client();
    const running = failureOf(() => c.dialer.simulate(config() as never, { hours: 2000 }));
    let closing: Promise<void> | undefined;
    expect(
      await turnsToSettle(running, () => {
        closing = c.close();
      }),
    ).toBeLessThanOrEqual(2);
    expect(await running).toBeInstanceOf(sdk.ClientClosedError);
    await closing;
  });

  it("a short simulation still answers, the same figures with and without a signal", async () => {
    const c = client();
    try {
      const plain = await c.dialer.simulate(config() as never, { hours: 1, seed: 7 });
      const bounded = await c.dialer.simulate(
        config() as never,
        { hours: 1, seed: 7 },
        { deadlineMs: 60_000 },
      );
      expect(bounded).toEqual(plain);
    } finally {
      await c.close();
    }
  });
});

describe("what a call started ends with close()", () => {
  it("a watchdog from campaigns.watch stops: close() leaves no timer to wake it, and no event follows", async () => {
    const c = client();
    const [primary, backup] = emulator.fixtures.campaigns;
    // The watchdog's interval on the fake clock: it evaluates when the test moves time.
    useFakeTimeouts();
    try {
      const watchdog = await c.campaigns.watch({
        primary: primary!.id,
        backup: backup!.id,
        intervalSeconds: 0.02,
        judgeLive: false,
      });
      const events: string[] = [];
      let closed = false;
      const seen = (kind: string) => () => {
        if (closed) events.push(kind);
      };
      watchdog.on("evaluation", seen("evaluation"));
      watchdog.on("error", seen("error"));
      let evaluations = 0;
      watchdog.on("evaluation", () => (evaluations += 1));
      // vi.waitFor moves the fake clock by its interval at each look: the watchdog's sleeps end.
      await vi.waitFor(() => expect(evaluations).toBeGreaterThanOrEqual(2), {
        timeout: 60_000,
        interval: 20,
      });
      await c.close();
      closed = true;
      // Nothing left to wake the watchdog (the old one slept on and evaluated again, failing on
      // the closed store); twenty intervals later on the fake clock, no event.
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(400);
      expect(events).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a failed live reading reaches the error listeners as an SDK error keeping its cause", async () => {
    const c = client();
    const [primary, backup] = emulator.fixtures.campaigns;
    const store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-watch-")));
    const boom = new Error("the live endpoint fell over");
    const watchdog = startWatchdog({
      client: internalsOf(c).port.campaigns,
      store,
      config: { ...WATCHDOG_DEFAULTS, primary: primary!.id, backup: backup!.id, intervalSeconds: 0.02 },
      mode: "loop",
      live: { read: () => Promise.reject(boom) } as never,
    });
    const errors: Error[] = [];
    watchdog.on("error", (error) => errors.push(error));
    try {
      await until(() => errors.length > 0);
      expect(sdk.isSdkError(errors[0])).toBe(true);
      expect(errors[0]?.cause).toBe(boom);
    } finally {
      await watchdog.stop();
      await store.close();
      await c.close();
    }
  });
});
