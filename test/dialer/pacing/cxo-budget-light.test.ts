import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import { runJob } from "../../../src/dialer/simulator/pacing-bench/job.ts";
import { figuresOf } from "../../../src/dialer/simulator/pacing-bench/metrics.ts";

/**
 * Issue 67 §3, a 1% target on `shifts-25` (25 agents in shifts, 15 in the morning and 13 in the
 * evening; the detector's floor 0.03%, a floor-light day): the day's budget re-planned at every
 * tick (`dayBudgetPlan`) with the planner's floor-light constants (`budgetLightDay`,
 * BUDGET_LIGHT_*: no extra hot-drop weight in the gain's loop, a smaller cluster term in the
 * reserve, the factor up to 1.5 and the set point up to 1.2 × the target). On main (the
 * planner's constants fitted where the floor is most of the target) seed 1's 12 days spent 72%
 * of the target; with them 84%, no day over.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const shifts = loadScenarioFile(path.join(here, "..", "..", "..", "examples", "pacing", "shifts-25.yaml"));
const scenario = { ...shifts, limits: { ...shifts.limits, target: 0.01 } };
const run = () =>
  figuresOf(scenario, [runJob({ scenario, controller: "cxo", tuning: {}, seed: 1, firstDay: 0, days: 12 })]);

describe("cxo spends the day's budget on a floor-light day (issue 67 §3)", () => {
  it("shifts-25 at 1%, seed 1, 12 days: ≥ 80% of the target, no day over, the window kept", {
    timeout: 120_000,
  }, () => {
    const f = run();
    expect(f.abandonment.mean / 0.01).toBeGreaterThanOrEqual(0.8);
    expect(f.abandonment.shareOfDaysOver).toBe(0);
    expect(f.abandonment.worstWindow).toBeLessThanOrEqual(0.01);
  });
});
