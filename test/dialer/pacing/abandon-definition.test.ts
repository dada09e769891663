import { describe, expect, it } from "vitest";
import {
  createController,
  type PacingCounts,
  type PacingObservation,
} from "../../../src/dialer/pacing/index.ts";
import { simulateDays } from "../../../src/dialer/simulator/day/engine.ts";
import { smallScenario } from "./small-scenario.ts";

/**
 * Issue 53 §4: what counts as abandoned. By default (the strict reading of 16 CFR
 * 310.4(b)(4)(i) and Ofcom) a person who hangs up before the connect threshold — during the
 * detector's hold or while waiting — is abandoned; `abandon.countHangUpsBeforeThreshold: false`
 * counts only the people still there at the threshold with no agent.
 */
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0);

function run(countHangUpsBeforeThreshold: boolean | undefined, controller = "best-fixed", ratio = 2.2) {
  const abandon: Record<string, unknown> = {
    connectWithinSeconds: 2,
    // Half the people hang up within 0.7 s of the greeting: most of them inside the detector's hold.
    patience: { dist: "exponential", mean: 1 },
  };
  if (countHangUpsBeforeThreshold !== undefined)
    abandon.countHangUpsBeforeThreshold = countHangUpsBeforeThreshold;
  const s = smallScenario({ abandon });
  let dropsSeen = 0;
  const inner = createController(controller, { limits: s.limits, tuning: { ratio } });
  const r = simulateDays(
    s,
    {
      ...inner,
      tick(o: PacingObservation) {
        dropsSeen += (o.counts as PacingCounts).abandons;
        return inner.tick(o);
      },
    },
    { seed: 11 },
  );
  return { lives: sum(r.lives), abandons: sum(r.abandons), connects: sum(r.connects), dropsSeen };
}

describe("what counts as abandoned (abandon.countHangUpsBeforeThreshold)", () => {
  it("strict by default: hang-ups before the threshold are abandoned, even under progressive", () => {
    const byDefault = run(undefined, "progressive");
    expect(run(true, "progressive")).toEqual(byDefault);
    // Progressive leaves (almost) nobody waiting: its abandons are the hang-ups during the hold.
    expect(byDefault.lives).toBeGreaterThan(100);
    expect(byDefault.abandons / byDefault.lives).toBeGreaterThan(0.3);
  });

  it("false: a hang-up before the threshold stays a live answer and is not abandoned", () => {
    const strict = run(true, "progressive");
    const lenient = run(false, "progressive");
    // The same calls (common random numbers): the same live answers and connects, fewer abandons.
    expect(lenient.lives).toBe(strict.lives);
    expect(lenient.connects).toBe(strict.connects);
    expect(lenient.abandons).toBeLessThan(0.05 * strict.abandons);
    // The dialer's own count (what a controller is told) follows the same definition.
    expect(lenient.dropsSeen).toBeLessThan(strict.dropsSeen);
  });

  it("false: a person still there at the threshold with no agent is abandoned all the same", () => {
    // Over-dialled hard: many people wait past the threshold; those count under both readings.
    const lenient = run(false, "best-fixed", 3);
    expect(lenient.abandons).toBeGreaterThan(0);
    expect(lenient.abandons).toBeLessThan(run(true, "best-fixed", 3).abandons);
  });
});
