import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import { runJob } from "../../../src/dialer/simulator/pacing-bench/job.ts";
import { figuresOf } from "../../../src/dialer/simulator/pacing-bench/metrics.ts";

/**
 * Issue 53 §1: cxo spends the abandonment budget it is given. On the bench's example (50 agents,
 * the FTC's 30 days) at a 3% target cxo realised 77% of it before (seeds 1–2, 30 days); the goal
 * is 85–100%, with no day over the target and the legal window kept.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const example = loadScenarioFile(path.join(here, "..", "..", "..", "examples", "pacing-scenario.yaml"));

describe("cxo spends its budget (issue 53 §1)", () => {
  it("the example at a 3% target, seed 1, 30 days: 85–100% of the target, no day over", {
    timeout: 120_000,
  }, () => {
    const scenario = { ...example, limits: { ...example.limits, target: 0.03 } };
    const r = runJob({ scenario, controller: "cxo", tuning: {}, seed: 1, firstDay: 0, days: 30 });
    const f = figuresOf(scenario, [r]);
    expect(f.abandonment.mean / 0.03).toBeGreaterThanOrEqual(0.85);
    expect(f.abandonment.worstWindow).toBeLessThanOrEqual(0.03);
    expect(f.abandonment.shareOfDaysOver).toBe(0);
  });
});
