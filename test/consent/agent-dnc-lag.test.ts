import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentDncFloor, agentDncFloor } from "../../bench/support/agent-dnc-floor.ts";
import { silentLogger } from "../../src/core/logging/index.ts";
import { ConsentWatcher } from "../../src/service/consent-watcher.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * An agent's Do Not Call reaches the consent group within CXone's reporting lag plus 5 minutes of
 * the clock. The production emulator keeps a completed contact out of the listing for its
 * warehouse lag (30 minutes, its default, as CXone's data warehouse); the consent watcher reads
 * every `consent.pollSeconds` (60 s) of the clock from its last checkpoint less an overlap. The
 * test walks the clock a minute at a time, one watcher run a minute (what `cxo serve`'s
 * schedule does on the clock, whatever its speed, when a run takes no clock time), and finds the
 * minute the number lands in the group: not before the lag, by the lag plus 5 minutes. A read
 * whose window missed the lag (a checkpoint moved to the read's own instant, no overlap) would
 * never find the call.
 */
const LAG_MINUTES = 30;
const START = "2026-12-09T15:00:00Z";
let floor: AgentDncFloor;
let clock: ReturnType<typeof pinClock>;

beforeAll(async () => {
  clock = pinClock(START);
  floor = await agentDncFloor(LAG_MINUTES, "cxo-agent-dnc-lag-");
});

afterAll(async () => {
  await floor?.close();
  clock?.restore();
});

describe("an agent's Do Not Call on the clock", () => {
  it("reaches the consent group after the warehouse's lag and within 5 minutes of it", async () => {
    const watcher = new ConsentWatcher({
      client: floor.client,
      store: floor.store,
      logger: silentLogger,
      intervalMs: 60_000,
      cxoneGroupId: floor.groupId,
    });
    const startMs = Date.parse(START);
    // The watcher has run before (its checkpoint is a minute old when the call happens).
    await watcher.runNow();
    clock.jumpTo(new Date(startMs + 60_000).toISOString());
    const phone = await floor.agentSaysDoNotCall();
    expect(phone).toMatch(/^\+1\d{10}$/);
    const saidAtMs = startMs + 60_000;
    let landedAfterMinutes: number | undefined;
    for (let minute = 1; minute <= LAG_MINUTES + 10 && landedAfterMinutes === undefined; minute++) {
      clock.jumpTo(new Date(saidAtMs + minute * 60_000).toISOString());
      await watcher.runNow();
      if (await floor.groupHolds(phone)) landedAfterMinutes = minute;
    }
    await watcher.stop();
    expect(landedAfterMinutes).toBeDefined();
    expect(landedAfterMinutes).toBeGreaterThanOrEqual(LAG_MINUTES);
    expect(landedAfterMinutes).toBeLessThanOrEqual(LAG_MINUTES + 5);
  });
});
