import type { OutcomeRecord } from "../../src/index.ts";

/**
 * A campaign's outcomes a strategy learns one clear preference from: Miami numbers called every
 * hour 8:00–20:00 local for four weeks from 2026-01-05, answered (a conversion, by agent A1) at
 * 18:00 only. Campaign "C1".
 */
export function eveningHistory(): OutcomeRecord[] {
  const records: OutcomeRecord[] = [];
  for (let day = 0; day < 28; day++)
    for (let hourUtc = 13; hourUtc <= 25; hourUtc++) {
      const rpc = hourUtc === 23;
      records.push({
        campaignId: "C1",
        startTime: new Date(Date.UTC(2026, 0, 5 + day, hourUtc)).toISOString(),
        phoneNumber: `+1305555${String(2000 + day)}`,
        dispositionCode: rpc ? "CONVERTED" : "NO_ANSWER",
        agentId: rpc ? "A1" : null,
        durationSeconds: rpc ? 120 : 0,
      });
    }
  return records;
}
