import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InternalClient } from "../../src/client.ts";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { createLogger } from "../../src/core/logging/logger.ts";
import { metricsRegistry } from "../../src/core/metrics/index.ts";
import { openStore } from "../../src/core/store/index.ts";
import { runtimeOf } from "../../src/sdk/internals.ts";
import { CampaignBoard } from "../../src/service/campaign-board.ts";
import { IdleWatch } from "../../src/service/idle-watch.ts";
import { registerMetricsSource } from "../../src/service/metrics.ts";
import { type CxoneHarness, cxoneHarness } from "../emulator/cxone/helpers.ts";
import { harnessClient } from "../support/cxone-harness-client.ts";
import { monitoringHostOn } from "../support/monitoring-host.ts";
import { pinClock } from "../support/pinned-clock.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 65 §3 in the service: a running campaign nobody is logged in to is diagnosed on the
 * board ("Not dialing: no agent is logged in — …", should dial), counted in /metrics
 * (`cxo_campaign_dialable_records`, `cxo_campaign_idle_seconds`), and emits ONE `campaign.idle`
 * (with its causes) per idle spell once idle for `idleAlertMinutes`; a stopped campaign is not
 * "should dial", and a campaign that dials again ends the spell.
 */
let h: CxoneHarness;
let client: InternalClient;
let skillId = "";

beforeAll(async () => {
  h = await cxoneHarness({ seed: 66, contacts: 50, days: 1, uploadJobPolls: 1 });
  skillId = String(h.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId);
  client = harnessClient(h, "cxo-idle-", true);
}, 30_000);
afterAll(async () => {
  await client?.close();
  await h?.close();
});

describe("the service's idle watch", () => {
  it("puts the cause on the board and in /metrics, and emits campaign.idle once per spell", async () => {
    const store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-idle-store-")));
    const board = new CampaignBoard({ historyPoints: 10, campaigns: [skillId] });
    const watch = (idleAlertMinutes: number) =>
      new IdleWatch({
        host: monitoringHostOn(runtimeOf(client), engine),
        store,
        board,
        logger: createLogger({ level: "silent" }),
        intervalMs: 60_000,
        idleAlertMinutes,
      });
    await h.admin("POST", `/skills/${skillId}/live`, { agentsLoggedOut: true });
    // Not yet idle long enough: no event.
    await watch(15).checkNow();
    expect((await store.outbox.list()).filter((e) => e.type === "campaign.idle")).toEqual([]);
    const idle = board.view(skillId)?.idle;
    expect(idle).toMatchObject({
      dialing: false,
      shouldDial: true,
      cause: { code: "no_agents_logged_in", title: "no agent is logged in" },
    });
    expect(idle?.idleSince).not.toBeNull();
    const unregister = registerMetricsSource({
      store,
      board,
      dispatcherStats: () => undefined,
      sseClients: () => 0,
    });
    const text = await metricsRegistry.metrics();
    unregister();
    expect(text).toMatch(new RegExp(`cxo_campaign_dialable_records\\{campaign="${skillId}"[^}]*\\} \\d+`));
    expect(text).toMatch(new RegExp(`cxo_campaign_idle_seconds\\{campaign="${skillId}"[^}]*\\} [\\d.]+`));

    // Idle long enough (0 minutes): one event per spell, however often it is checked.
    const alerting = watch(0);
    await alerting.checkNow();
    await alerting.checkNow();
    const events = (await store.outbox.list()).filter((e) => e.type === "campaign.idle");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ destination: "campaigns", data: { campaignId: skillId } });
    expect((events[0]!.data as { causes: Array<{ code: string }> }).causes[0]?.code).toBe(
      "no_agents_logged_in",
    );

    // Stopped: not "should dial", the spell ends.
    await h.admin("POST", `/skills/${skillId}/live`, { agentsLoggedOut: false, isRunning: false });
    await alerting.checkNow();
    expect(board.view(skillId)?.idle).toMatchObject({
      shouldDial: false,
      idleSince: null,
      cause: { code: "skill_not_running" },
    });
    await store.close();
  }, 90_000);
});

describe("the idle watch beside the reads that cannot wait", () => {
  it("puts a scheduled diagnosis off while the campaigns budget has no room, three intervals at most; an asked one goes at once", async () => {
    // Each diagnosis reads every list of every campaign from the `campaigns` group. On a fast
    // clock (the week bench at x300, a 5-minute watch every second) it took the budget and the
    // autopilot's evening run queued behind it past the day's end.
    let reads = 0;
    const port = {
      diagnosis: {
        skill: async () => {
          reads += 1;
          throw new Error("read counted");
        },
      },
    } as unknown as InternalClient["port"];
    let room = false;
    const clock = pinClock("2026-12-02T14:00:00Z");
    const store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-idle-room-")));
    const watch = new IdleWatch({
      host: monitoringHostOn(port, engine),
      store,
      board: new CampaignBoard({ historyPoints: 10, campaigns: ["101"] }),
      logger: createLogger({ level: "silent" }),
      intervalMs: 60_000,
      idleAlertMinutes: 15,
      roomToRead: () => room,
    });
    // The schedule's runs (runOnce, as the timer calls it).
    const scheduled = () =>
      (watch as unknown as { runOnce(s: AbortSignal): Promise<void> }).runOnce(new AbortController().signal);
    await scheduled(); // the first always goes
    expect(reads).toBe(1);
    await scheduled(); // no room, just diagnosed: put off
    expect(reads).toBe(1);
    await watch.checkNow(); // asked: goes
    expect(reads).toBe(2);
    clock.jumpTo("2026-12-02T14:02:30Z"); // two and a half intervals on: still put off
    await scheduled();
    expect(reads).toBe(2);
    clock.jumpTo("2026-12-02T14:03:01Z"); // three: goes without room
    await scheduled();
    expect(reads).toBe(3);
    room = true;
    await scheduled();
    expect(reads).toBe(4);
    clock.restore();
    await store.close();
  });
});
