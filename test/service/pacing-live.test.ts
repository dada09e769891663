import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { type CxoneClient, createClient } from "../../src/index.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { pinClock } from "../support/pinned-clock.ts";
import { until } from "./harness.ts";

/**
 * The live pacing loop end to end: the seed emulator's dialer twin at 600× speed, `cxo serve`
 * pacing a campaign whose spec says `pacing: { mode: auto }`, the answer rate dropping mid-run.
 * The emulator's ground truth (not our own count) must stay within the target, the ratio must
 * have moved through the dialer-settings lifecycle (journaled), and the dashboard's JSON shows
 * the ratio and the window's budget.
 *
 * On the product's clock running at x2 from now (docs/clock.md), which the emulator's twin and the
 * service in this process both follow: the twin's 600 simulated seconds a second of the clock and
 * the pacer's 1-second rounds keep their proportions (a round every 10 simulated minutes), in half
 * the real time.
 */
const clock = pinClock(new Date().toISOString(), 2);
interface Truth {
  simulatedSeconds: number;
  dials: number;
  liveAnswers: number;
  abandons: number;
  dialRatio: number;
}

let emu: RunningEmulator;
let client: CxoneClient;
let service: RunningService;
let dataDir: string;
let campaignId: string;

const truth = async (): Promise<Truth> =>
  (await (await fetch(`${emu.url}/_emulator/dialer/${campaignId}`)).json()) as Truth;

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    rateLimitScale: 1000,
    metricsIntervalMs: 0,
    calls: 1000,
    speed: 600,
    operationDelayMs: 20,
  });
  const admin = emu.fixtures.clients[0];
  if (!admin) throw new Error("no client in the fixtures");
  dataDir = mkdtempSync(path.join(tmpdir(), "cxo-pacing-"));
  const connection = { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret };
  client = createClient({
    connection,
    dataDir,
    http: { rateLimitScale: 1000, backoffBaseMs: 10, backoffCapMs: 100 },
  });
  const created = await client.campaigns.create({
    spec: {
      name: "Paced campaign",
      status: "active",
      contactListId: emu.fixtures.campaigns[0]?.contactListId ?? undefined,
      predictive: { answerRatio: 0.3, maxCallsInFlight: 60, callRate: 5, abandonmentThreshold: 0.03 },
      compliance: {
        timeZone: "America/New_York",
        window: { start: "08:00", end: "21:00" },
        allowedDays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
      },
      pacing: { mode: "auto", target: 0.03, window: "ftc-30d", intervalSeconds: 1 },
    },
  });
  campaignId = created.campaign.id;
  service = await startService({
    settings: settingsSchema.parse({
      cxone: connection,
      dataDir,
      http: { rateLimitScale: 1000, backoffBaseMs: 10, backoffCapMs: 100 },
      service: { port: 0, pollIntervalSeconds: 60 },
    }),
    port: 0,
  });
}, 120_000);

afterAll(async () => {
  await service?.close();
  await client?.close();
  await emu?.close();
  clock.restore();
});

describe("live pacing: cxo serve paces the emulator's dialer twin", () => {
  it("ramps the ratio up, holds abandonment within target through an answer-rate drop, and persists the window", async () => {
    // Warm-up: progressive first, then the controller raises the ratio.
    await until(
      async () => (await truth()).dialRatio > 1.2,
      60_000,
      "the pacer to raise the ratio above 1.2",
    );
    const beforeDrop = await truth();
    await fetch(`${emu.url}/_emulator/dialer/${campaignId}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ answerRate: 0.15 }),
    });
    // Two more simulated hours after the drop.
    await until(
      async () => (await truth()).simulatedSeconds > beforeDrop.simulatedSeconds + 7200,
      60_000,
      "two simulated hours after the drop",
    );
    const end = await truth();
    expect(end.liveAnswers).toBeGreaterThan(500);
    expect(end.abandons / end.liveAnswers).toBeLessThanOrEqual(0.03);

    // The board (the dashboard's JSON and SSE) carries the pacing view.
    const view = service.board.view(campaignId);
    expect(view?.pacing).toMatchObject({ window: "ftc-30d" });
    expect(view?.pacing?.budgetLeft).toBeGreaterThan(0);

    // Every change went through the journaled settings lifecycle, and the window is in the store.
    // The twin takes a new ratio a moment before the round that set it saves its state, so the two
    // are compared between rounds: they must come to agree, not agree at one arbitrary instant.
    const store = await openStore(dataDir);
    try {
      const saved = () =>
        store.kv.get<{ budget: { hours: unknown[] }; ratio: number }>("pacing.state", campaignId);
      await until(
        async () => (await saved())?.ratio === (await truth()).dialRatio,
        30_000,
        "the saved ratio to be the twin's ratio",
      );
      expect((await saved())?.budget.hours.length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 150_000);
});
