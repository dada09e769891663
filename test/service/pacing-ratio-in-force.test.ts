import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInternalClient, type InternalClient } from "../../src/client.ts";
import { silentLogger } from "../../src/core/logging/index.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { PACING_LATEST, type PacingDecision } from "../../src/dialer/live-pacing/latest.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { pacingHostOf } from "../../src/sdk/pacing-host.ts";
import { CampaignBoard } from "../../src/service/campaign-board.ts";
import { startPacing } from "../../src/service/pacing.ts";
import { setAutomation, stoppedCampaigns } from "../../src/service/pacing-automation.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 50 §1: what the board calls the ratio is the one READ BACK from the platform. On the seed
 * emulator's dialer twin, with the loop's rounds driven by hand (one `tick` is one poll):
 * stop the automation, roll the dialer back to its first version (2.50), resume — the board, the
 * stored decision (what `cxo campaigns status` prints) and a restarted service all report the
 * ratio in force within one poll. A rollback while the loop runs is noticed within one poll: the
 * loop hands over (stops, audited as `pacing:<campaign>`) and says so, or writes its ratio back
 * where the spec says `onOutsideChange: reassert`.
 */
interface Truth {
  dialRatio: number;
}

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    rateLimitScale: 1000,
    metricsIntervalMs: 0,
    calls: 200,
    speed: 60,
    operationDelayMs: 10,
  });
}, 60_000);
afterAll(async () => {
  await emu?.close();
});

async function setUp(onOutsideChange?: "reassert") {
  await fetch(`${emu.url}/_emulator/reset`, { method: "POST" });
  const admin = emu.fixtures.clients[0];
  if (!admin) throw new Error("no client in the fixtures");
  const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-ratio-in-force-"));
  const client = createInternalClient({
    connection: { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
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
      pacing: {
        mode: "auto",
        intervalSeconds: 5,
        maxStep: 0.01,
        ...(onOutsideChange ? { onOutsideChange } : {}),
      },
    },
  });
  const store = await openStore(dataDir);
  return { client, store, campaignId: created.campaign.id, dataDir };
}

const truth = async (campaignId: string): Promise<Truth> =>
  (await (await fetch(`${emu.url}/_emulator/dialer/${campaignId}`)).json()) as Truth;

function loopOn(store: Store, client: InternalClient, clock: { now: number }) {
  const board = new CampaignBoard({ historyPoints: 50 });
  const loop = startPacing({
    store,
    host: pacingHostOf(client, store),
    board,
    logger: silentLogger,
    now: () => clock.now,
    timer: false,
  });
  /** One poll: the clock moves past the campaign's interval, and the loop runs a round. */
  const poll = async () => {
    clock.now += 6_000;
    await loop.tick();
  };
  return { board, loop, poll };
}

describe("the ratio in force (issue 50 §1)", () => {
  it("stop → rollback → resume: the board, the stored decision and a restarted service show the ratio read back", async () => {
    const { client, store, campaignId } = await setUp();
    const clock = { now: 1_000_000 };
    let service = loopOn(store, client, clock);
    try {
      const first = (await truth(campaignId)).dialRatio;
      expect(first).toBeGreaterThan(1);
      // Warm-up: the loop takes the dialer progressive (1.00).
      await service.poll();
      expect((await truth(campaignId)).dialRatio).toBe(1);
      expect(service.board.view(campaignId)?.pacing?.ratio).toBe(1);

      // An operator stops the automation and rolls the dialer back to the first version.
      await setAutomation(store, campaignId, { state: "stopped", by: "board:olivia", at: "t1" }, "k-stop-1");
      const versions = await client.dialer.history();
      const v1 = versions.find((v) => v.settings.algorithm.dialRatio === first);
      expect(v1).toBeDefined();
      await client.dialer.rollback({ to: v1?.versionTag as string });
      expect((await truth(campaignId)).dialRatio).toBe(first);

      // `cxo campaigns status` reads it back at once, whatever the loop remembers.
      const status = await client.campaigns.status(campaignId, {});
      expect(status.pacing?.ratio).toBe(first);
      expect(status.pacing?.lastSet).toBe(1);

      // Within one poll, while stopped: the board says what is in force.
      await service.poll();
      const held = service.board.view(campaignId)?.pacing;
      expect(held?.ratio).toBe(first);
      expect(held?.automation?.state).toBe("stopped");

      // Resumed: the loop carries on from what is in force; the board never shows its old 1.00.
      await setAutomation(store, campaignId, { state: "automatic", by: "board:olivia", at: "t2" }, "k-go-1");
      await service.poll();
      const resumed = service.board.view(campaignId)?.pacing;
      expect(resumed?.ratio).toBe((await truth(campaignId)).dialRatio);
      expect(resumed?.ratio).toBeGreaterThan(2);
      expect(resumed?.outside ?? null).toBeNull();
      const stored = await store.kv.get<PacingDecision>(PACING_LATEST, campaignId);
      expect(stored?.ratio).toBe((await truth(campaignId)).dialRatio);

      // A restart of the service: a new loop and a new board, the same store.
      await service.loop.stop();
      service = loopOn(store, client, clock);
      await service.poll();
      expect(service.board.view(campaignId)?.pacing?.ratio).toBe((await truth(campaignId)).dialRatio);
      expect(service.board.view(campaignId)?.pacing?.ratio).toBeGreaterThan(2);
    } finally {
      await service.loop.stop();
      await store.close();
      await client.close();
    }
  }, 60_000);

  it("a rollback while the loop runs: noticed within one poll, the loop hands over and says so, audited as pacing:<campaign>", async () => {
    const { client, store, campaignId, dataDir } = await setUp();
    const clock = { now: 1_000_000 };
    const service = loopOn(store, client, clock);
    try {
      const first = (await truth(campaignId)).dialRatio;
      await service.poll();
      expect((await truth(campaignId)).dialRatio).toBe(1);
      const v1 = (await client.dialer.history()).find((v) => v.settings.algorithm.dialRatio === first);
      await client.dialer.rollback({ to: v1?.versionTag as string });

      await service.poll();
      const pacing = service.board.view(campaignId)?.pacing;
      expect(pacing?.ratio).toBe(first);
      expect(pacing?.outside).toMatchObject({ inForce: first, lastSet: 1, action: "handed-over" });
      expect(pacing?.reason).toContain(
        `changed outside the pacing loop: ${first.toFixed(2)} in force, the loop last set 1.00`,
      );
      expect(pacing?.automation).toMatchObject({ state: "stopped", by: `pacing:${campaignId}` });
      expect((await stoppedCampaigns(store)).get(campaignId)?.by).toBe(`pacing:${campaignId}`);
      // The loop leaves the settings be from now on.
      await service.poll();
      await service.poll();
      expect((await truth(campaignId)).dialRatio).toBe(first);

      // The audit: the warm-up write and the hand-over by the automation, not by the API client.
      const records = await store.audit.tail(50);
      const byPacing = records.filter((r) => r.actor === `pacing:${campaignId}`);
      expect(byPacing.map((r) => r.operation)).toEqual(expect.arrayContaining(["pacing.automation.stop"]));
      expect(byPacing.length).toBeGreaterThanOrEqual(2);

      // Issue 65: the hand-over is the cause `cxo why` names, from the SDK and from the command line.
      const diagnosis = await client.campaigns.diagnose({ campaignId });
      const stopped = diagnosis.causes.find((c) => c.code === "pacing_stopped");
      expect(stopped?.evidence).toContain("handed over");
      expect(diagnosis.dialing).toBe(false);
      const why = await runCli(["why", "--campaign", campaignId, "--json"], {
        CXONE_BASE_URL: emu.url,
        CXONE_CLIENT_ID: emu.fixtures.clients[0]?.clientId ?? "",
        CXONE_CLIENT_SECRET: emu.fixtures.clients[0]?.clientSecret ?? "",
        CXO_DATA_DIR: dataDir,
      });
      expect(why.stderr).toBe("");
      const answer = JSON.parse(why.stdout) as { causes: { code: string }[] };
      expect(answer.causes.map((c) => c.code)).toContain("pacing_stopped");
    } finally {
      await service.loop.stop();
      await store.close();
      await client.close();
    }
  }, 60_000);

  it("onOutsideChange: reassert — the loop writes its own ratio back and says so", async () => {
    const { client, store, campaignId } = await setUp("reassert");
    const clock = { now: 1_000_000 };
    const service = loopOn(store, client, clock);
    try {
      const first = (await truth(campaignId)).dialRatio;
      await service.poll();
      const v1 = (await client.dialer.history()).find((v) => v.settings.algorithm.dialRatio === first);
      await client.dialer.rollback({ to: v1?.versionTag as string });
      await service.poll();
      expect((await truth(campaignId)).dialRatio).toBe(1);
      const pacing = service.board.view(campaignId)?.pacing;
      expect(pacing?.ratio).toBe(1);
      expect(pacing?.outside).toMatchObject({ inForce: first, lastSet: 1, action: "re-asserted" });
      expect((await stoppedCampaigns(store)).has(campaignId)).toBe(false);
    } finally {
      await service.loop.stop();
      await store.close();
      await client.close();
    }
  }, 60_000);
});
