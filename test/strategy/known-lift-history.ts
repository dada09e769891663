import { DateTime } from "luxon";
import { Random } from "../../src/dialer/simulator/des/prng.ts";
import type { OutcomeRecord } from "../../src/strategy/types.ts";

/**
 * A synthetic history whose answer is known: eight weeks of an hour-agnostic campaign calling
 * 13:00–20:59 local, the right party answering at `rate(hour)`. With 40% from 17:00 and 10%
 * before, the strategy's lift on the held-out fortnight is 0.40 / 0.25 = 1.6; a flat 25% has none.
 */
export const DAYS = 56;
const START = DateTime.fromISO("2026-01-05T00:00:00", { zone: "America/New_York" });

export function history(rate: (hour: number) => number, seed = 7): OutcomeRecord[] {
  const random = new Random(seed);
  const records: OutcomeRecord[] = [];
  let n = 0;
  for (let day = 0; day < DAYS; day++)
    for (let hour = 13; hour <= 20; hour++)
      for (const npa of ["212", "305"])
        for (let k = 0; k < 8; k++) {
          const at = START.plus({ days: day }).set({ hour, minute: 5 + k * 6 });
          const rpc = random.uniform() < rate(hour);
          n++;
          records.push({
            id: `c${n}`,
            campaignId: "C1",
            startTime: at.toUTC().toISO() as string,
            phoneNumber: `+1${npa}72${String(100000 + n).slice(-5)}`,
            dispositionCode: rpc ? "CONVERTED" : "NO_ANSWER",
            agentId: rpc ? "agent-1" : null,
            durationSeconds: rpc ? 120 : 0,
          } as OutcomeRecord);
        }
  return records;
}

// Before the evaluator's held-out fortnight (the last record's instant minus 14 days).
export const holdoutStart = START.plus({ days: DAYS - 14 })
  .minus({ hours: 6 })
  .toUTC()
  .toISO() as string;
