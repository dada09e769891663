import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type InternalClient as CxoneClient,
  clientOptionsFromSettings,
  createInternalClient as createClient,
} from "../../src/client.ts";
import { loadSettings } from "../../src/core/config/index.ts";
import { type CxoneFixtures, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * The live port (platform/ports/live.ts) on both emulators: tenant-wide reads on the
 * production API (two requests per reading however many skills, 304 honoured), figures that
 * follow the emulator's state and its admin API, absent (not zero) where a platform has none.
 */
const HTTP = { backoffBaseMs: 5, backoffCapMs: 50, rateLimitScale: 100, timeoutMs: 10_000 };

async function requests(url: string): Promise<Array<{ method: string; path: string; status: number }>> {
  return (
    (await adminCall(url, "GET", "/requests")) as {
      requests: Array<{ method: string; path: string; status: number }>;
    }
  ).requests;
}

describe("live figures on the production API's emulator", () => {
  let emu: { url: string; fixtures: CxoneFixtures; close(): Promise<void> };
  let client: CxoneClient;
  let running: string[];
  beforeAll(async () => {
    emu = await startEmulator({ platform: "cxone", port: 0, seed: 11, contacts: 500 });
    const f = emu.fixtures;
    const key = f.accessKeys.find((k) => !k.readOnly)!;
    const settings = loadSettings({
      cwd: "/nonexistent",
      env: {
        CXONE_PLATFORM: "cxone",
        CXONE_ISSUER: emu.url,
        CXONE_CLIENT_ID: f.client.clientId,
        CXONE_CLIENT_SECRET: f.client.clientSecret,
        CXONE_ACCESS_KEY_ID: key.accessKeyId,
        CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
        CXO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "cxo-live-")),
      },
    });
    const options = clientOptionsFromSettings(settings);
    client = createClient({ ...options, http: { ...options.http, ...HTTP } });
    running = f.skills
      .filter((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)
      .map((s) => String(s.skillId));
  });
  afterAll(async () => {
    await client.close();
    await emu.close();
  });

  it("reads every watched skill with one activity and one summary request, then 304 until something changes", async () => {
    expect(running.length).toBeGreaterThan(0);
    const first = await client.port.live.read([...running, "999999"]);
    expect(first.requests).toBe(2);
    expect(first.notModified).toBe(false);
    expect(first.snapshots.map((s) => s.campaignId)).toEqual(running);
    const one = first.snapshots[0]!;
    expect(one).toMatchObject({ running: true, source: "GET /skills/activity" });
    expect(one.agentsLoggedIn).toBeGreaterThan(0);
    expect(one.contactsActive).toBeGreaterThan(0);
    expect(one.agentsWorking! + one.agentsAvailable! + one.agentsInWrap!).toBe(one.agentsLoggedIn);
    expect(one.today).toMatchObject({ source: "GET /skills/summary" });
    expect(one.today!.dials).toBeGreaterThan(0);
    expect(one.today!.abandonRate).toBeLessThan(0.05);

    const second = await client.port.live.read(running);
    expect(second.notModified).toBe(true);
    expect(second.snapshots[0]!.agentsLoggedIn).toBe(one.agentsLoggedIn);
    expect(Date.parse(second.snapshots[0]!.observedAt)).toBeGreaterThanOrEqual(Date.parse(one.observedAt));

    await adminCall(emu.url, "POST", `/skills/${one.campaignId}/live`, {
      agentsLoggedOut: true,
      abandonRate: 0.2,
    });
    const third = await client.port.live.read(running);
    expect(third.notModified).toBe(false);
    const after = third.snapshots.find((s) => s.campaignId === one.campaignId)!;
    expect(after.agentsLoggedIn).toBe(0);
    expect(after.today!.abandonRate).toBeCloseTo(0.2, 1);
    // The others did not change: they are the cached ones, still there.
    expect(third.snapshots).toHaveLength(running.length);

    const log = (await requests(emu.url)).filter((r) => r.path.includes("/skills/activity"));
    expect(log.map((r) => r.status)).toEqual([200, 304, 200]);
  });

  it("campaigns status carries the live figures by name, and a success rate judged before the warehouse lag", async () => {
    const id = running[0]!;
    const report = await client.campaigns.status(id, { windowMinutes: 30 });
    expect(report.live).toMatchObject({ campaignId: id, source: "GET /skills/activity" });
    expect(typeof report.live!.agentsWorking).toBe("number");
    expect(Date.parse(report.live!.observedAt)).toBeGreaterThan(Date.now() - 60_000);
    // The window ends 30 minutes ago (the default lag), where complete data ends.
    const end = Date.parse(report.metrics!.windowEndsAt!);
    expect(Math.abs(end - (Date.now() - 30 * 60_000))).toBeLessThan(60_000);
  });

  it("contacts stop on cue: the active ones end and none are counted", async () => {
    const id = running.at(-1)!;
    await adminCall(emu.url, "POST", `/skills/${id}/live`, { contactsStopped: true });
    const reading = await client.port.live.read([id]);
    expect(reading.snapshots[0]!.contactsActive).toBe(0);
  });
});

describe("live figures on the seed API's emulator", () => {
  it("come from the metrics endpoint, two requests a campaign, agents absent (not 0)", async () => {
    const emu = await startEmulator({
      port: 0,
      seed: 3,
      calls: 200,
      rateLimitScale: 100,
      metricsIntervalMs: 0,
    });
    try {
      const { clientId, clientSecret } = emu.fixtures.clients[0]!;
      const options = clientOptionsFromSettings(
        loadSettings({
          cwd: "/nonexistent",
          env: { CXONE_BASE_URL: emu.url, CXONE_CLIENT_ID: clientId, CXONE_CLIENT_SECRET: clientSecret },
        }),
      );
      const client = createClient({ ...options, http: { ...options.http, ...HTTP } });
      const id = emu.fixtures.campaigns[0]!.id;
      await adminCall(emu.url, "POST", `/campaigns/${id}/metrics`, { successRate: 0.4, activeCalls: 0 });
      const reading = await client.port.live.read([id, "nope"]);
      expect(reading.requests).toBe(4);
      expect(reading.snapshots).toHaveLength(1);
      expect(reading.snapshots[0]).toMatchObject({
        campaignId: id,
        contactsActive: 0,
        // The emulator's metrics carry its dialer twin's counters (20 agents by default).
        agentsLoggedIn: 20,
        today: undefined,
      });
      await client.close();
    } finally {
      await emu.close();
    }
  });
});
