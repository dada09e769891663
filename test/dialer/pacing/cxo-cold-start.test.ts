import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import { runJob } from "../../../src/dialer/simulator/pacing-bench/job.ts";

/**
 * Issue 67 §3: the gain learns down only by the pacing drops it makes, so a start at 0.5 on a
 * small team at a 1% target over a ~0.6% detector floor paid for its learning on the campaign's
 * first day, over the target on all ten seeds of `team-10` (progressive: none; now 2 of 10: seeds
 * 3 and 8, at 1.17% and 1.08%). Below a 2% target cxo now starts lower (`coldStartGain`, 0.125 at
 * 1%); from 2% up nothing changes (`initialGain: 0.5` is the ordinary start).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const team10 = loadScenarioFile(path.join(here, "..", "..", "..", "examples", "pacing", "team-10.yaml"));

function firstDay(seed: number, target: number, tuning = {}) {
  const scenario = { ...team10, limits: { ...team10.limits, target } };
  const r = runJob({ scenario, controller: "cxo", tuning, seed, firstDay: 0, days: 1 });
  return {
    rate: (r.abandons[0] as number) / (r.lives[0] as number),
    abandons: r.abandons[0],
    lives: r.lives[0],
  };
}

describe("cxo's start under a low target (issue 67 §3)", () => {
  it("team-10 at 1%, seeds 1, 2, 4: the first day no longer ends over the target", {
    timeout: 60_000,
  }, () => {
    for (const seed of [1, 2, 4]) {
      expect(firstDay(seed, 0.01, { initialGain: 0.5 }).rate).toBeGreaterThan(0.01);
      expect(firstDay(seed, 0.01).rate).toBeLessThanOrEqual(0.01);
    }
  });

  it("from a 2% target the start is the old one, to the digit", { timeout: 60_000 }, () => {
    for (const target of [0.02, 0.03])
      expect(firstDay(1, target)).toEqual(firstDay(1, target, { initialGain: 0.5 }));
  });
});
