import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import {
  type CxoneClient,
  createClient,
  DeadlineExceededError,
  type DialerConfigInput,
  InputError,
} from "../../src/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * Issue 43 §2, one call signature: every SDK method ends with `options?: RequestOptions`
 * (`signal`, `deadlineMs`, `maxAttempts`, `idempotencyKey`) and nothing else, `deadlineMs` bounds
 * the whole call everywhere, and the client's `http.deadlineMs` raises the same
 * DeadlineExceededError. What is not a request option is a param: dialer.apply waits with
 * `waitFor: { maxWaitMs, minDelayMs, maxDelayMs }`. Issue 52 §1: the older one-object forms are
 * gone (0.x), so a key never means one thing in one form and another in the other.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let emulator: RunningEmulator;
const admin$ = (method: string, route: string, body?: unknown) =>
  adminCall(emulator.url, method, route, body);
const clientOn = (http: Record<string, number> = {}) => {
  const admin = emulator.fixtures.clients[0]!;
  return createClient({
    connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-call-shape-")),
    http: { rateLimitScale: 1000, backoffBaseMs: 5, backoffCapMs: 20, ...http },
  });
};
/** The example dialer config, for the tenant-wide seed settings. */
const dialerConfig = (dialRatio: number): DialerConfigInput => {
  const { campaignId: _c, ...config } = parse(
    readFileSync(path.join(ROOT, "examples", "dialer.yaml"), "utf8"),
  );
  return { ...config, algorithm: { ...config.algorithm, dialRatio } };
};

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    calls: 300,
    rateLimitScale: 1000,
    metricsIntervalMs: 0,
    operationDelayMs: 600,
  });
});
afterAll(() => emulator.close());

/** How many requests the emulator has seen (tokens included). */
const requestCount = async () =>
  ((await admin$("GET", "/requests")) as { requests: unknown[] }).requests.length;

/** Polls until CXone's settings operation has ended (no fixed sleep: a loaded machine is slow). */
async function settled(cxo: CxoneClient): Promise<void> {
  await waitUntil(async () => (await cxo.dialer.settings()).pendingOperationId === null, {
    what: "CXone's settings operation to end",
    intervalMs: 25,
  });
}

describe("request options come last, params before them", () => {
  it("status, list, describe and settings take (params, options)", async () => {
    await using cxo = clientOn();
    const campaignId = emulator.fixtures.campaigns[0]!.id;
    const controller = new AbortController();
    const report = await cxo.campaigns.status(campaignId, { windowMinutes: 5 }, { deadlineMs: 10_000 });
    expect(report.campaign.id).toBe(campaignId);
    expect(await cxo.campaigns.list({}, { maxAttempts: 2 }).toArray()).toEqual([]);
    expect((await cxo.access.describe({}, { deadlineMs: 10_000 })).clientId).toBe(
      emulator.fixtures.clients[0]!.clientId,
    );
    const settings = await cxo.dialer.settings({}, { deadlineMs: 10_000 });
    expect(settings.versionTag).toBeTruthy();
    // An aborted signal stops each of them.
    controller.abort(new Error("stop"));
    await expect(cxo.campaigns.status(campaignId, {}, { signal: controller.signal })).rejects.toThrow("stop");
    await expect(cxo.dialer.settings({}, { signal: controller.signal })).rejects.toThrow("stop");
  });

  it("a call that takes no idempotency key refuses one (it was silently ignored): InputError, nothing sent", async () => {
    await using cxo = clientOn();
    const campaignId = emulator.fixtures.campaigns[0]!.id;
    for (const call of [
      () => cxo.campaigns.status(campaignId, {}, { idempotencyKey: "k-1" }),
      () => cxo.dispositions.codes(campaignId, { idempotencyKey: "k-1" }),
      () => cxo.dialer.settings({}, { idempotencyKey: "k-1" }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems[0]?.field).toBe("idempotencyKey");
    }
  });

  it("create takes ({ spec, contactListId }, options); a bare spec is refused (InputError), nothing sent", async () => {
    await using cxo = clientOn();
    const spec = {
      name: "Call shape",
      predictive: { answerRatio: 0.85, maxCallsInFlight: 50, callRate: 12, abandonmentThreshold: 0.03 },
      compliance: {
        timeZone: "America/New_York",
        window: { start: "08:00", end: "21:00" },
        allowedDays: ["Monday" as const],
      },
    };
    const contactListId = emulator.fixtures.contactLists[0]!.id;
    const key = `call-shape-${Date.now()}`;
    const created = await cxo.campaigns.create({ spec, contactListId }, { idempotencyKey: key });
    expect(created.idempotencyKey).toBe(key);
    const again = await cxo.campaigns.create({ spec, contactListId }, { idempotencyKey: key });
    expect(again.campaign.id).toBe(created.campaign.id);
    const before = await requestCount();
    const bare = await cxo.campaigns.create(spec as never, { idempotencyKey: key }).catch((e: unknown) => e);
    expect(bare).toBeInstanceOf(InputError);
    expect((bare as InputError).problems[0]?.field).toBe("spec");
    expect(await requestCount()).toBe(before);
    const missing = await cxo.campaigns.create({ spec }).catch((e: unknown) => e);
    expect((missing as InputError).problems[0]?.field).toBe("contactListId");
  });
});

describe("campaigns.watch takes its config and how it runs as params", () => {
  it("mode, judgeLive and stopSignal are params beside the config (whose live rules stay its own)", async () => {
    await using cxo = clientOn();
    const pair = emulator.fixtures.failoverPairs[0]!;
    const live = {
      agentsLoggedOut: true,
      contactsStopped: false,
      maxAbandonRate: 0.04,
      minConnects: 5,
      breaches: 7,
    };
    const stop = new AbortController();
    const watchdog = await cxo.campaigns.watch({
      primary: pair.primaryId,
      backup: pair.backupId,
      live,
      mode: "manual",
      judgeLive: false,
      stopSignal: stop.signal,
    });
    expect(watchdog.config.live).toEqual(live);
    expect(watchdog.config).not.toHaveProperty("mode");
    await watchdog.ready;
    stop.abort();
    await watchdog.stop();
  });

  it("honours its request options: an aborted signal refuses to start it, a bad deadline is an InputError", async () => {
    await using cxo = clientOn();
    const pair = emulator.fixtures.failoverPairs[0]!;
    const controller = new AbortController();
    controller.abort(new Error("not now"));
    const params = { primary: pair.primaryId, backup: pair.backupId, mode: "manual" as const };
    await expect(cxo.campaigns.watch(params, { signal: controller.signal })).rejects.toThrow("not now");
    const bad = await cxo.campaigns.watch(params, { deadlineMs: -1 }).catch((e: unknown) => e);
    expect((bad as InputError).problems[0]?.field).toBe("deadlineMs");
  });
});

describe("dialer.apply waits with waitFor; deadlineMs is the whole call", () => {
  it("waitFor bounds the wait for CXone's operation (then rolls back)", async () => {
    await using cxo = clientOn();
    const waitFor = { maxWaitMs: 150, minDelayMs: 20, maxDelayMs: 40 };
    const result = await cxo.dialer.apply(dialerConfig(2.1), { waitFor });
    expect(result.outcome).toBe("rolled_back");
    await settled(cxo);
    const applied = await cxo.dialer.apply(dialerConfig(2.3), {
      waitFor: { minDelayMs: 50, maxDelayMs: 100 },
    });
    expect(applied.outcome).toBe("applied");
  });

  it("stopSignal stops the wait (cancelled); the request options' deadline rejects the call", async () => {
    await using cxo = clientOn();
    const stop = new AbortController();
    // Stopped once validated (before the PUT), so the wait is cancelled whatever the machine's
    // speed: a timer could fire after CXone's operation had already ended on a loaded machine.
    const cancelled = await cxo.dialer.apply(dialerConfig(2.4), {
      waitFor: { minDelayMs: 20, maxDelayMs: 40 },
      stopSignal: stop.signal,
      onValidated: () => stop.abort(),
    });
    expect(cancelled.outcome).toBe("cancelled");
    await settled(cxo); // the operation (600 ms) ends on CXone
    const error = await cxo.dialer
      .apply(dialerConfig(2.5), { waitFor: { minDelayMs: 20, maxDelayMs: 40 } }, { deadlineMs: 250 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ scope: "call", deadlineMs: 250 });
    await settled(cxo);
  });

  it("bad waits are InputErrors naming the field; nothing is sent", async () => {
    await using cxo = clientOn();
    const error = await cxo.dialer
      .apply(dialerConfig(2.6), { waitFor: { maxWaitMs: -1 } })
      .catch((e: unknown) => e);
    expect((error as InputError).problems[0]?.field).toBe("waitFor.maxWaitMs");
  });

  it("waitFor is checked as a whole before the PUT: a minimum over the maximum is an InputError, nothing sent", async () => {
    await using cxo = clientOn();
    const puts = async () =>
      ((await admin$("GET", "/requests")) as { requests: Array<{ method: string }> }).requests.filter(
        (r) => r.method === "PUT",
      ).length;
    const before = await puts();
    const error = await cxo.dialer
      .apply(dialerConfig(2.7), { waitFor: { minDelayMs: 6000, maxDelayMs: 1000 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]?.field).toBe("waitFor");
    expect(await puts()).toBe(before);
    // Issue 80 §2: validated after the defaults are merged. A maximum alone under the default
    // minimum (500 ms) sent the PUT, then threw a raw RangeError from the waiter.
    for (const waitFor of [{ maxDelayMs: 100 }, { maxDelayMs: 100, maxWaitMs: 1000 }]) {
      const merged = await cxo.dialer.apply(dialerConfig(2.2), { waitFor }).catch((e: unknown) => e);
      expect(merged).toBeInstanceOf(InputError);
      expect((merged as InputError).problems[0]?.field).toBe("waitFor");
      expect((merged as InputError).message).toMatch(/minDelayMs \(\d+\) must not exceed waitFor.maxDelayMs/);
      expect(await puts()).toBe(before);
    }
  });
});

describe("one DeadlineExceededError", () => {
  it("the client's http.deadlineMs and the per-call deadlineMs raise the same class", async () => {
    await admin$("POST", "/faults", { group: "dispositions", latencyMs: 1500 });
    try {
      const campaignId = emulator.fixtures.campaigns[2]!.id;
      await using perCall = clientOn();
      const call = await perCall.dispositions.codes(campaignId, { deadlineMs: 200 }).catch((e: unknown) => e);
      await using perRequest = clientOn({ deadlineMs: 200, timeoutMs: 5000 });
      const request = await perRequest.dispositions.codes(campaignId).catch((e: unknown) => e);
      expect(call).toBeInstanceOf(DeadlineExceededError);
      expect(request).toBeInstanceOf(DeadlineExceededError);
      expect(call).toMatchObject({ code: "deadline_exceeded", deadlineMs: 200, scope: "call" });
      expect(request).toMatchObject({ code: "deadline_exceeded", deadlineMs: 200, scope: "request" });
    } finally {
      await admin$("DELETE", "/faults");
    }
  });
});
