import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import { runJob } from "../../../src/dialer/simulator/pacing-bench/job.ts";

/**
 * The campaign's first day under a calendar-day legal window (CXone's scope): before any day's
 * volume is learnt the day's guard had nobody to foresee and stayed off, and `long-22-day` on
 * seed 12 (outside the bench's seeds, found by bench/pacing-seeds/floor-seeds.ts) ended its first
 * day at 2.16% against a 2% limit: 46 drops of 2,129 people. The guard now judges the day's rate
 * so far until a day is learnt.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const long22 = loadScenarioFile(path.join(here, "..", "..", "..", "examples", "pacing", "long-22-day.yaml"));

describe("cxo keeps a calendar-day limit", () => {
  it("long-22-day, seed 12, day 0: at or under the 2% target", { timeout: 60_000 }, () => {
    const r = runJob({ scenario: long22, controller: "cxo", tuning: {}, seed: 12, firstDay: 0, days: 1 });
    const lives = r.lives[0] as number;
    expect(lives).toBeGreaterThan(1000);
    expect((r.abandons[0] as number) / lives).toBeLessThanOrEqual(long22.limits.target);
  });

  // In-day steering raised the aim; under a calendar-day window a day over the target is a
  // breach, and with steering on these seeds had a day each at 2.04%, 2.01% and 2.02% (day 5 of
  // seed 3, day 25 of seed 10, day 11 of seed 13). Steering is off under that window.
  it("long-22-day, seeds 3, 10 and 13, up to those days: no day over the 2% limit", {
    timeout: 120_000,
  }, () => {
    for (const [seed, day] of [
      [3, 5],
      [10, 25],
      [13, 11],
    ] as const) {
      const r = runJob({ scenario: long22, controller: "cxo", tuning: {}, seed, firstDay: 0, days: day + 1 });
      for (let d = 0; d < r.days; d++)
        expect((r.abandons[d] as number) / (r.lives[d] as number)).toBeLessThanOrEqual(long22.limits.target);
    }
  });
});
