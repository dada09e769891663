import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import { runJob } from "../../../src/dialer/simulator/pacing-bench/job.ts";
import { figuresOf } from "../../../src/dialer/simulator/pacing-bench/metrics.ts";

/**
 * Issue 53 §1, the spend at 2% on 22–25 agents (branch h/spend3): where a day's binomial spread
 * at the target is a large share of it (≥ 11%: a 2% target on ~2,200 live answers a day), cxo
 * steers harder (twice the strength, stronger as the day's people run out, the factor up to 2,
 * toward the plan corrected by the days' habitual miss, the aim 2.83 spreads under the target
 * instead of 2.33) and leaves the unsteered first day out of the misses it learns. With the plain steering (main at 0762df4) seed 1
 * spent 79.9% of 2% on `long-24` and 82.8% on `decay-25`; with it 85.9% and 85.6%.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const family = (name: string, target: number) => {
  const s = loadScenarioFile(path.join(here, "..", "..", "..", "examples", "pacing", `${name}.yaml`));
  return { ...s, limits: { ...s.limits, target } };
};

describe("cxo steers harder where a day's chance is large against the target (issue 53 §1)", () => {
  for (const name of ["long-24", "decay-25"])
    it(`${name} at a 2% target, seed 1, 30 days: ≥ 85% of the target, no day over, the window kept`, {
      timeout: 120_000,
    }, () => {
      const scenario = family(name, 0.02);
      const r = runJob({ scenario, controller: "cxo", tuning: {}, seed: 1, firstDay: 0, days: 30 });
      const f = figuresOf(scenario, [r]);
      expect(f.abandonment.mean / 0.02).toBeGreaterThanOrEqual(0.85);
      expect(f.abandonment.shareOfDaysOver).toBe(0);
      expect(f.abandonment.worstWindow).toBeLessThanOrEqual(0.02);
    });
});
