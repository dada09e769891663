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

describe("cxo's first day keeps a calendar-day limit", () => {
  it("long-22-day, seed 12, day 0: at or under the 2% target", { timeout: 60_000 }, () => {
    const r = runJob({ scenario: long22, controller: "cxo", tuning: {}, seed: 12, firstDay: 0, days: 1 });
    const lives = r.lives[0] as number;
    expect(lives).toBeGreaterThan(1000);
    expect((r.abandons[0] as number) / lives).toBeLessThanOrEqual(long22.limits.target);
  });
});
