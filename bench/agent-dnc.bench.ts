import { installClock } from "../src/core/clock/index.ts";
import { silentLogger } from "../src/core/logging/index.ts";
import { ConsentWatcher } from "../src/service/consent-watcher.ts";
import { agentDncFloor } from "./support/agent-dnc-floor.ts";
import type { BenchRow } from "./types.ts";

/**
 * An agent's Do Not Call on a running clock: how long after CXone's warehouse lag (30 minutes, the
 * production emulator's default as CXone's) the number is in the consent group, with `cxo serve`'s
 * consent watcher on its own schedule (every `consent.pollSeconds`, 60 s of the clock). The test
 * (test/consent/agent-dnc-lag.test.ts) steps the clock a minute at a time, a watcher run taking no
 * clock time; here the clock runs at x60, x300 and x600, so each run's real time is clock time too
 * (at x600 half a second of work is five minutes). Goal: within the lag plus 5 minutes.
 */
const LAG_MINUTES = 30;
const START = "2026-12-09T15:00:00Z";

async function minutesPastLag(speed: number): Promise<number> {
  const clock = installClock({ kind: "running", atMs: Date.parse(START), at: START, rate: speed });
  const floor = await agentDncFloor(LAG_MINUTES, `cxo-bench-agent-dnc-${speed}-`);
  try {
    const watcher = new ConsentWatcher({
      client: floor.client,
      store: floor.store,
      logger: silentLogger,
      intervalMs: 60_000,
      firstDelayMs: 0,
      cxoneGroupId: floor.groupId,
    });
    // Its first read done (the 32 days' read of a new data dir), as a running serve's would be.
    await watcher.runNow();
    watcher.start();
    const phone = await floor.agentSaysDoNotCall();
    const saidAtMs = Date.now();
    const giveUpMs = saidAtMs + (LAG_MINUTES + 60) * 60_000;
    while (!(await floor.groupHolds(phone)) && Date.now() <= giveUpMs)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await watcher.stop();
    return (Date.now() - saidAtMs) / 60_000 - LAG_MINUTES;
  } finally {
    await floor.close();
    clock.uninstall();
  }
}

export default async function agentDncBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const speed of [60, 300, 600]) {
    const past = await minutesPastLag(speed);
    rows.push({
      suite: "agent-dnc",
      metric: `an agent's Do Not Call in the consent group, clock x${speed}: minutes after CXone's 30-minute lag`,
      unit: "min",
      ours: Math.round(past * 10) / 10,
      target: "≤ 5",
      met: past <= 5,
    });
  }
  return rows;
}
