import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import { runJob } from "../../../src/dialer/simulator/pacing-bench/job.ts";

/**
 * Issue 67 §3: where the detector's floor alone (progressive, no pacing drop) ends more than 1% of
 * its days over the target, cxo's days over are no more than progressive's. `long-24` at a 1%
 * target: a ~0.6% floor on ~1,800 people a day puts 2 of seed 3's 30 days over 1% under
 * progressive, none of seed 6's; cxo, pacing on top of that floor, put 5 and 2 over before it
 * dialled progressively on the days its own floor estimate and a day's binomial spread reach the
 * target (`floorRules`, the `floorSwitch` tuning: off by default, it costs the family's matched
 * ratio on `long-22-day` and `ofcom-50`).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const long24 = loadScenarioFile(path.join(here, "..", "..", "..", "examples", "pacing", "long-24.yaml"));

function daysOver(controller: string, seed: number, target: number, tuning = {}): number {
  const scenario = { ...long24, limits: { ...long24.limits, target } };
  const r = runJob({ scenario, controller, tuning, seed, firstDay: 0, days: scenario.days });
  let over = 0;
  for (let d = 0; d < r.days; d++) {
    const lives = r.lives[d] as number;
    if (lives > 0 && (r.abandons[d] as number) / lives > target) over++;
  }
  return over;
}

describe("cxo dials progressively where the detector's floor rules the day (issue 67 §3)", () => {
  it("long-24 at 1%, seeds 3 and 6, floorSwitch 1: no more days over than progressive", {
    timeout: 60_000,
  }, () => {
    for (const seed of [3, 6]) {
      const progressive = daysOver("progressive", seed, 0.01);
      expect(daysOver("cxo", seed, 0.01, { floorSwitch: 1 })).toBeLessThanOrEqual(progressive);
    }
  });

  // 5 over before the low start under a low target (`coldStartGain`): its first day no longer is.
  it("off by default: seed 3 paces on the floor's days (3 over against progressive's 2)", {
    timeout: 60_000,
  }, () => {
    expect(daysOver("progressive", 3, 0.01)).toBe(2);
    expect(daysOver("cxo", 3, 0.01)).toBe(3);
    expect(daysOver("cxo", 3, 0.01, { coldStart: 0 })).toBe(5);
  });
});
