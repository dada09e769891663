import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { silentLogger } from "../../src/core/logging/index.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { consentPanel } from "../../src/service/consent-panel.ts";
import { ConsentWatcher } from "../../src/service/consent-watcher.ts";
import { accessKeySettings, cxoneApi } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * CXone's scheduled callbacks from the SDK and the service on the production emulator: the
 * consent watcher deletes a pending callback to a number that revoked consent on its run (an
 * agent may schedule one after the revocation: every run looks), and the board's consent panel
 * says what it could not delete; `strategy.push` counts the skill's pending callbacks as calls
 * (Florida's 3 in 24 hours); the seed platform answers NotSupportedError.
 */
let cxone: RunningCxoneEmulator;
let client: InternalClient;
let store: Store;
let clock: ReturnType<typeof pinClock>;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-callbacks-service-"));

const schedule = async (phone: string, at: string) =>
  String(
    (
      (await cxoneApi(cxone, "POST", "/scheduled-callbacks", {
        phoneNumber: phone.slice(2),
        skillId,
        scheduleDate: at,
      })) as {
        callbackId: number;
      }
    ).callbackId,
  );
const emulatorCallbacks = async () =>
  (await adminCall(cxone.url, "GET", "/scheduled-callbacks")) as {
    callbacks: Array<{ callbackId: number; status: string }>;
    dials: Array<{ phone: string }>;
  };
const statusOf = async (id: string) =>
  (await emulatorCallbacks()).callbacks.find((c) => String(c.callbackId) === id)?.status;
const panel = () =>
  consentPanel(
    store,
    { cxoneDncGroup: undefined, cxoneDncMaxAgeMinutes: 60 },
    { timeZone: "UTC", nowMs: Date.now(), hasDncGroups: false, mask: true },
  );

beforeAll(async () => {
  clock = pinClock();
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 53,
    contacts: 50,
    days: 1,
  })) as RunningCxoneEmulator;
  skillId = String(
    cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)!.skillId,
  );
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(cxone)),
    rateLimits: GENEROUS_LIMITS,
    http: { maxAttempts: 1 },
    dataDir: path.join(dir, "desk"),
  });
  store = await openStore(path.join(dir, "desk"));
});
afterAll(async () => {
  await store?.close();
  await client?.close();
  await cxone?.close();
  clock?.restore();
});

describe("the service's consent watcher and scheduled callbacks", () => {
  it("deletes a callback to a revoked number on its run; a refused deletion is on the board until a later run", async () => {
    const watcher = new ConsentWatcher({
      client,
      store,
      logger: silentLogger,
      intervalMs: 60_000,
      cxoneGroupId: undefined,
    });
    const first = await schedule("+13125550191", "2026-12-02T16:00:00Z");
    await client.consent.revoke({ phone: "+13125550191", channel: "email" });
    await watcher.runNow();
    expect(await statusOf(first)).toBe("deleted");
    expect((await panel()).callbacks).toMatchObject({ toRevoked: 1, cancelled: 1, failed: [] });

    // Scheduled after the revocation (an agent's reschedule): the next run finds it too.
    const second = await schedule("+13125550191", "2026-12-02T17:00:00Z");
    await adminCall(cxone.url, "POST", "/faults", {
      route: "DELETE /scheduled-callbacks/:callbackId",
      errorRate: 1,
      count: 1,
    });
    await watcher.runNow();
    expect(await statusOf(second)).toBe("pending");
    const refused = (await panel()).callbacks;
    expect(refused?.failed).toEqual([
      expect.objectContaining({ callbackId: second, phone: "•••0191", skillId }),
    ]);
    await watcher.runNow();
    expect(await statusOf(second)).toBe("deleted");
    expect((await panel()).callbacks).toMatchObject({ cancelled: 1, failed: [] });

    await adminCall(cxone.url, "POST", "/scheduled-callbacks/dial", { until: "2026-12-02T20:00:00Z" });
    expect((await emulatorCallbacks()).dials.map((d) => d.phone)).not.toContain("+13125550191");
  });

  it("a sweep that can wait goes only while half of the campaigns budget is free; after a new revocation it goes at once", async () => {
    const watcher = new ConsentWatcher({
      client,
      store,
      logger: silentLogger,
      intervalMs: 60_000,
      cxoneGroupId: undefined,
    });
    await client.consent.revoke({ phone: "+13125550193", channel: "email" });
    await watcher.runNow();
    // The campaigns group's window mostly spent (by the autopilot, a push): 60% of it cooling.
    const group = client.core.limits.get("campaigns");
    for (let i = 0; i < Math.ceil(group.state().currentLimit * 0.6); i++) (await group.acquire())();
    const later = await schedule("+13125550193", "2026-12-03T18:00:00Z");
    await watcher.runNow();
    expect(await statusOf(later)).toBe("pending");
    // A revocation reaching the ledger: its callbacks are looked for on this run, budget or not.
    await client.consent.revoke({ phone: "+13125550194", channel: "email" });
    await watcher.runNow();
    await watcher.stop();
    expect(await statusOf(later)).toBe("deleted");
  });
});

describe("strategy.push counts the skill's pending callbacks as calls", () => {
  it("a Florida number with 3 callbacks due later that day is left out (at most 3 calls in 24 hours)", async () => {
    const phone = "+13055550901";
    // After 20:00Z: the callback dialer's clock was moved there above, and never goes back.
    for (const at of ["2026-12-02T20:10:00Z", "2026-12-02T20:20:00Z", "2026-12-02T20:30:00Z"])
      await schedule(phone, at);
    const row = (recordId: string, number: string, zone: string) => ({
      recordId,
      phone: number,
      attemptAt: "2026-12-02T16:00:00Z",
      zone,
      slot: 11,
      attempt: 1,
      estimate: 0.125,
      interval: [0.1, 0.15],
      ruledOut: [],
      campaign: skillId,
      staleMinutes: 59,
    });
    const pushed = await client.strategy.push(
      [row("fl-1", phone, "America/New_York"), row("il-1", "+13125550902", "America/Chicago")],
      { campaign: skillId, listName: "florida callbacks" },
    );
    expect(pushed.records).toBe(1);
    expect(pushed.blocked).toEqual({ frequency_cap: 1 });
  });
});

describe("the seed platform", () => {
  it("has no scheduled callbacks: support answers NotSupportedError before anything is sent", async () => {
    const { SEED_SUPPORT } = await import("../../src/platform/support.ts");
    expect(SEED_SUPPORT.unsupported("scheduledCallbacks")).toMatchObject({
      code: "not_supported_by_platform",
      operation: "scheduledCallbacks",
    });
  });
});
