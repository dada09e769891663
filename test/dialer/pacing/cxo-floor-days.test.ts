import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import { runJob } from "../../../src/dialer/simulator/pacing-bench/job.ts";

/**
 * Where the detector's floor alone (progressive, no pacing drop) puts days over the target, cxo
 * paces on top of it: `long-24` at a 1% target, a ~0.6% floor on ~1,800 people a day, puts 2 of
 * seed 3's 30 days over 1% under progressive; cxo 3 (5 with the ordinary start of 0.5: the low
 * start under a low target keeps its first day under).
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

describe("cxo on days the detector's floor rules", () => {
  it("seed 3 paces on the floor's days (3 over against progressive's 2)", {
    timeout: 60_000,
  }, () => {
    expect(daysOver("progressive", 3, 0.01)).toBe(2);
    expect(daysOver("cxo", 3, 0.01)).toBe(3);
    expect(daysOver("cxo", 3, 0.01, { initialGain: 0.5 })).toBe(5);
  });
});
