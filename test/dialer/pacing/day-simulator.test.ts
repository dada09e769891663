import { describe, expect, it } from "vitest";
import {
  createController,
  type PacingController,
  type PacingObservation,
} from "../../../src/dialer/pacing/index.ts";
import { simulateDays } from "../../../src/dialer/simulator/day/engine.ts";
import { smallScenario } from "./small-scenario.ts";

const sum = (a: Float64Array) => a.reduce((s, x) => s + x, 0);

/** Wraps a controller, recording every observation's line count and the lines it asked for. */
function spy(
  inner: PacingController,
  seen: { lines: number; cap: number; asked: number }[],
): PacingController {
  return {
    ...inner,
    tick(o: PacingObservation) {
      const asked = inner.tick(o);
      seen.push({
        lines: o.callsRinging + o.callsWaiting + o.callsConnected,
        cap: 3 * o.agentsLoggedIn,
        asked,
      });
      return asked;
    },
  };
}

describe("pacing day simulator", () => {
  const scenario = smallScenario();

  it("is deterministic and gives every controller the same calls (common random numbers)", () => {
    const a = simulateDays(scenario, createController("progressive", { limits: scenario.limits }), {
      seed: 7,
    });
    const b = simulateDays(scenario, createController("progressive", { limits: scenario.limits }), {
      seed: 7,
    });
    expect(Array.from(a.connects)).toEqual(Array.from(b.connects));
    const c = simulateDays(scenario, createController("progressive", { limits: scenario.limits }), {
      seed: 8,
    });
    expect(Array.from(c.dials)).not.toEqual(Array.from(a.dials));
  });

  it("accounts for every live answer: connected or abandoned; progressive never abandons without a detector hold", () => {
    const noHold = smallScenario({
      machines: {
        share: 0.3,
        detectSeconds: 2.5,
        falsePositive: 0.05,
        humanDetect: { dist: "constant", mean: 0 },
      },
    });
    const r = simulateDays(noHold, createController("progressive", { limits: noHold.limits }), {
      seed: 1,
    });
    expect(sum(r.lives)).toBeGreaterThan(50);
    expect(sum(r.abandons)).toBe(0);
    expect(sum(r.connects)).toBe(sum(r.lives));
    expect(sum(r.minuteLives)).toBe(sum(r.lives));
  });

  it("a high fixed level abandons, and abandons + connects = live answers", () => {
    const r = simulateDays(
      scenario,
      createController("best-fixed", { limits: scenario.limits, tuning: { ratio: 3 } }),
      {
        seed: 1,
      },
    );
    expect(sum(r.abandons)).toBeGreaterThan(0);
    expect(sum(r.abandons) + sum(r.connects)).toBe(sum(r.lives));
    expect(sum(r.busySeconds)).toBeLessThanOrEqual(sum(r.presentSeconds));
  });

  it("staffing: agent-seconds present follow the lunch absence", () => {
    const r = simulateDays(scenario, createController("progressive", { limits: scenario.limits }), {
      seed: 1,
      days: 1,
    });
    // 10 agents × 2 h, minus 2 agents × 30 min (leaving agents finish their call first: a little more).
    const full = 10 * 7200;
    expect(r.presentSeconds[0]).toBeLessThan(full);
    expect(r.presentSeconds[0]).toBeGreaterThanOrEqual(full - 2 * 1800);
  });

  it("patience makes some callers hang up before the 2 s rule would drop them", () => {
    const patient = smallScenario();
    const impatient = smallScenario({
      abandon: { connectWithinSeconds: 2, patience: { dist: "exponential", mean: 1 } },
    });
    const run = (s: typeof patient) =>
      simulateDays(s, createController("best-fixed", { limits: s.limits, tuning: { ratio: 2 } }), {
        seed: 3,
      });
    expect(sum(run(impatient).abandons)).toBeGreaterThan(sum(run(patient).abandons));
  });

  it("never lets a controller exceed maxLinesPerAgent", () => {
    const seen: { lines: number; cap: number; asked: number }[] = [];
    simulateDays(
      scenario,
      spy(createController("best-fixed", { limits: scenario.limits, tuning: { ratio: 3 } }), seen),
      {
        seed: 2,
        days: 1,
      },
    );
    expect(seen.length).toBe(7200);
    for (const s of seen) expect(s.lines).toBeLessThanOrEqual(s.cap);
  });
});
