import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createController } from "../../../src/dialer/pacing/registry.ts";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import type { PacingController, PacingObservation } from "../../../src/dialer/pacing/types.ts";
import { simulateDays } from "../../../src/dialer/simulator/day/engine.ts";
import { runJob } from "../../../src/dialer/simulator/pacing-bench/job.ts";

/**
 * Where the detector's floor alone (progressive, no pacing drop) puts days over the target, cxo
 * paces on top of it: `long-24` at a 1% target, a ~0.6% floor on ~1,800 people a day, puts 2 of
 * seed 3's 30 days over 1% under progressive; cxo 3 (4 with the ordinary start of 0.5, 5 before
 * the floor's chance capped its pacing: the low start under a low target keeps its first day
 * under). On `team-10` (10 agents, ~900 people a day) the floor's chance leaves under half a
 * pacing drop a day at 1%: from the day the floor is read, cxo dials progressively (its ratio 1
 * all day); at 2% it paces every day.
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
    expect(daysOver("cxo", 3, 0.01, { initialGain: 0.5 })).toBe(4);
  });

  it("dials a 10-agent team progressively at 1% once the floor is read, and paces it at 2%", {
    timeout: 60_000,
  }, () => {
    const team10 = loadScenarioFile(path.join(here, "..", "..", "..", "examples", "pacing", "team-10.yaml"));
    const pacedDays = (target: number) => {
      const scenario = { ...team10, limits: { ...team10.limits, target } };
      const inner = createController("cxo", { limits: scenario.limits });
      const paced = new Set<number>();
      const probe: PacingController = {
        name: inner.name,
        tuning: inner.tuning,
        tick(o: PacingObservation) {
          const n = inner.tick(o);
          if (inner.status().ratio > 1) paced.add(o.day);
          return n;
        },
        status: () => inner.status(),
      };
      const r = simulateDays(scenario, probe, { seed: 1, firstDay: 0, days: 8 });
      return Array.from(r.calendarDays).filter((d) => paced.has(d)).length;
    };
    // Days 0 and 1 paced (the floor not yet read on 1,000 people), the other six progressive.
    expect(pacedDays(0.01)).toBe(2);
    expect(pacedDays(0.02)).toBe(8);
  });
});
