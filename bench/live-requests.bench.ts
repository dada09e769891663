import { type CxoneFixtures, startEmulator } from "../src/emulator/index.ts";
import { apiRequestCount, liveClient, READINGS_PER_MINUTE, runningSkills } from "./support/cxone-live.ts";
import type { BenchRow } from "./types.ts";

/**
 * Requests per minute `cxo serve` spends on live data on the production platform, for 1, 10
 * and 100 watched campaigns, at the default live interval (5 s: 12 readings a minute): ours is
 * the live port's tenant-wide reading (GET /skills/activity with updatedSince + GET
 * /skills/summary); the baseline, in the same run, is the per-campaign polling it replaces
 * (each campaign's GET /skills/{id} + its metrics: active contacts + completed contacts), at the
 * same interval. Counted from the emulator's request log (token requests left out); the 12
 * readings run back to back, so the figure is per minute of service time, not of bench time.
 */
export default async function liveRequests(): Promise<BenchRow[]> {
  const emu = await startEmulator({ platform: "cxone", port: 0, seed: 7, contacts: 2000 });
  const f = emu.fixtures as CxoneFixtures;
  try {
    // 100 running outbound skills: create them (one batch) and start them.
    const ids = await runningSkills(f, 100);
    const client = liveClient(emu.url, f, { rateLimitScale: 1000 });
    const apiRequests = () => apiRequestCount(emu.url);
    // The client's first reading also reads the business unit once: not a cost per minute.
    await client.port.live.read(ids.slice(0, 1));
    const rows: BenchRow[] = [];
    try {
      for (const n of [1, 10, 100]) {
        const watched = ids.slice(0, n);
        let before = await apiRequests();
        for (let i = 0; i < READINGS_PER_MINUTE; i++) await client.port.live.read(watched);
        const ours = (await apiRequests()) - before;
        before = await apiRequests();
        for (let i = 0; i < READINGS_PER_MINUTE; i++)
          await Promise.all(
            watched.map((id) =>
              Promise.all([client.port.campaigns.get(id), client.port.campaigns.metrics(id, 30)]),
            ),
          );
        const baseline = (await apiRequests()) - before;
        rows.push({
          suite: "live-requests",
          metric: `live-data requests/min, ${n} watched campaign${n === 1 ? "" : "s"}, 5 s interval`,
          unit: "req/min",
          ours,
          baseline,
          baselineLabel: "per-campaign polling",
          target: "flat in the number of campaigns",
          met: ours <= READINGS_PER_MINUTE * 2,
        });
      }
    } finally {
      await client.close();
    }
    return rows;
  } finally {
    await emu.close();
  }
}
