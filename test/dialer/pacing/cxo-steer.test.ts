import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import { runJob } from "../../../src/dialer/simulator/pacing-bench/job.ts";
import { figuresOf } from "../../../src/dialer/simulator/pacing-bench/metrics.ts";

/**
 * Issue 53 §1, in-day steering: a small team (24 agents, long calls) spends 85% of a 3% target
 * only with day rates steadier than chance, since ≤ 1% of days may end over it. cxo scales its
 * dials by today's drops over the aim × today's people, so a day that ran hot early dials
 * tighter later; without it (`steer: 0`, the controller before) seed 1 spent 81% of 3% (86% with
 * it) and its day rates at 2% from the sixth day spread 0.83 × the binomial spread (0.58 × with it).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const long24 = loadScenarioFile(path.join(here, "..", "..", "..", "examples", "pacing", "long-24.yaml"));
const at = (target: number) => ({ ...long24, limits: { ...long24.limits, target } });

describe("cxo steers the day's spend (issue 53 §1)", () => {
  it("long-24 at a 3% target, seed 1, 30 days: ≥ 85% of the target, no day over, the window kept", {
    timeout: 120_000,
  }, () => {
    const scenario = at(0.03);
    const r = runJob({ scenario, controller: "cxo", tuning: {}, seed: 1, firstDay: 0, days: 30 });
    const f = figuresOf(scenario, [r]);
    expect(f.abandonment.mean / 0.03).toBeGreaterThanOrEqual(0.85);
    expect(f.abandonment.shareOfDaysOver).toBe(0);
    expect(f.abandonment.worstWindow).toBeLessThanOrEqual(0.03);
  });

  it("long-24 at a 2% target, seed 1: day rates (from the 6th day) spread under 0.7 × the binomial spread", {
    timeout: 120_000,
  }, () => {
    const scenario = at(0.02);
    const r = runJob({ scenario, controller: "cxo", tuning: {}, seed: 1, firstDay: 0, days: 30 });
    const rates: number[] = [];
    let inverseLives = 0;
    for (let d = 5; d < r.days; d++) {
      const lives = r.lives[d] as number;
      rates.push((r.abandons[d] as number) / lives);
      inverseLives += 1 / lives;
    }
    const mean = rates.reduce((s, x) => s + x, 0) / rates.length;
    const spread = Math.sqrt(rates.reduce((s, x) => s + (x - mean) ** 2, 0) / (rates.length - 1));
    const binomial = Math.sqrt((mean * inverseLives) / rates.length);
    expect(spread / binomial).toBeLessThan(0.7);
    expect(Math.max(...rates)).toBeLessThanOrEqual(0.02);
  });
});
