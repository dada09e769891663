import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import { runJob } from "../../../src/dialer/simulator/pacing-bench/job.ts";
import { figuresOf } from "../../../src/dialer/simulator/pacing-bench/metrics.ts";

/**
 * Issue 67 §3, Ofcom's rolling budget (branch h/67-ofcomw; `rollingBudget`, off by default): on
 * `long-26-ofcom` with the operator's estimate given (zero: nobody is hung up on as a machine
 * there) every 24-hour window ending from now to midnight bounds the rest of today's rate. Main
 * has no such rule (the knob is ignored: the same run to the digit); on, seed 1 over 15 days
 * spends more of a 2% target with every 24 hours kept. Without the estimate it never engages.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const DAYS = 15;
const scenarioAt = (target: number, estimate: boolean) => {
  const s = loadScenarioFile(path.join(here, "..", "..", "..", "examples", "pacing", "long-26-ofcom.yaml"));
  return {
    ...s,
    days: DAYS,
    limits: { ...s.limits, target, ...(estimate ? { amdFalsePositive: { rate: 0 } } : {}) },
  };
};
const run = (target: number, estimate: boolean, tuning: Record<string, number>) => {
  const scenario = scenarioAt(target, estimate);
  const r = runJob({ scenario, controller: "cxo", tuning, seed: 1, firstDay: 0, days: DAYS });
  return figuresOf(scenario, [r]);
};

describe("cxo's rolling budget under Ofcom's 24 hours (issue 67 §3)", () => {
  it("long-26-ofcom at 2% with the estimate 0, seed 1: spends more of the target, every 24 hours kept", {
    timeout: 120_000,
  }, () => {
    const off = run(0.02, true, {});
    const on = run(0.02, true, { rollingBudget: 1 });
    expect(on.abandonment.mean / 0.02).toBeGreaterThanOrEqual(off.abandonment.mean / 0.02 + 0.08);
    expect(on.abandonment.worstWindow).toBeLessThanOrEqual(0.02);
    expect(on.abandonment.shareOfDaysOver).toBe(0);
  });

  it("without the estimate it does not engage (the same run to the digit)", { timeout: 120_000 }, () => {
    const off = run(0.02, false, {});
    const on = run(0.02, false, { rollingBudget: 1 });
    expect(on.abandonment.mean).toBe(off.abandonment.mean);
    expect(on.connectsPerAgentHour).toBe(off.connectsPerAgentHour);
  });
});
