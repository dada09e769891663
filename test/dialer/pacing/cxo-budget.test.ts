import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import { runJob } from "../../../src/dialer/simulator/pacing-bench/job.ts";
import { figuresOf } from "../../../src/dialer/simulator/pacing-bench/metrics.ts";

/**
 * Issue 67 §3, the small teams' 2–3% cells (branch h/67-small): where a day's chance is largest
 * against the target, cxo re-plans today's budget at every tick — the target × today's people
 * less today's drops and a margin for the chance still to come (shrinking as the day's people
 * run out) — and aims the gain at it. Without it, seed 1 spent 77.1%
 * of 2% and 81.7% of 3% on `long-22-day` (the calendar day its legal window: a day over is a
 * breach) and 70.0% of 2% on `team-10`; with it 85.7%, 90.1% and 77.9%.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const family = (name: string, target: number) => {
  const s = loadScenarioFile(path.join(here, "..", "..", "..", "examples", "pacing", `${name}.yaml`));
  return { ...s, limits: { ...s.limits, target } };
};
const run = (name: string, target: number) => {
  const scenario = family(name, target);
  const r = runJob({ scenario, controller: "cxo", tuning: {}, seed: 1, firstDay: 0, days: 30 });
  return figuresOf(scenario, [r]);
};

describe("cxo spends the rest of today's budget on small teams (issue 67 §3)", () => {
  for (const [name, target, spend] of [
    ["long-22-day", 0.02, 0.85],
    ["long-22-day", 0.03, 0.85],
    ["team-10", 0.02, 0.75],
  ] as const)
    it(`${name} at ${target * 100}%, seed 1, 30 days: ≥ ${spend * 100}% of the target, no day over, the window kept`, {
      timeout: 120_000,
    }, () => {
      const f = run(name, target);
      expect(f.abandonment.mean / target).toBeGreaterThanOrEqual(spend);
      expect(f.abandonment.shareOfDaysOver).toBe(0);
      expect(f.abandonment.worstWindow).toBeLessThanOrEqual(target);
    });
});
