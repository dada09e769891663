import { describe, expect, it } from "vitest";
import { DayBudget } from "../../../../src/dialer/pacing/cxo/day-budget.ts";
import { DaySpread } from "../../../../src/dialer/pacing/cxo/day-spread.ts";
import { FloorEstimate } from "../../../../src/dialer/pacing/cxo/floor.ts";
import { LegalWindow } from "../../../../src/dialer/pacing/cxo/legal-window.ts";
import { TimeOfDayPriors } from "../../../../src/dialer/pacing/cxo/priors.ts";
import { RemainingBudget } from "../../../../src/dialer/pacing/cxo/remaining-budget.ts";
import { SetPoint } from "../../../../src/dialer/pacing/cxo/set-point.ts";
import { cxoTuning } from "../../../../src/dialer/pacing/cxo/tuning.ts";
import { DEFAULT_LIMITS, type PacingLimits } from "../../../../src/dialer/pacing/types.ts";

function rules(limits: PacingLimits, hiddenShare = 0) {
  const tuning = cxoTuning({}, limits);
  const window = new LegalWindow(limits);
  window.roll(Number.NaN, 0);
  return {
    limits,
    tuning,
    hiddenShare,
    spread: new DaySpread(),
    floor: new FloorEstimate(),
    window,
    priors: new TimeOfDayPriors(),
    dayBudget: new DayBudget(),
    remaining: new RemainingBudget(limits, tuning.steer),
  };
}

describe("cxo's set point", () => {
  it("on the campaign's first day aims at 0.8 × the target, and under-spent so far sets the gain at the target", () => {
    const r = rules({ ...DEFAULT_LIMITS, target: 0.02 });
    const s = new SetPoint(r);
    expect(s.next(0)).toBe(0.02);
    expect(s.aim).toBeCloseTo(0.016, 12);
    expect(s.plan).toBeCloseTo(0.016, 12);
    expect(s.steerFactor).toBe(1);
  });

  it("over-spent so far lowers the set point (twice the overspend), never under a quarter of the plan", () => {
    const r = rules({ ...DEFAULT_LIMITS, target: 0.02 });
    const s = new SetPoint(r);
    r.window.add(0, 0, 1000, 20);
    expect(s.next(0)).toBeCloseTo(0.016 - 2 * (0.02 - 0.016), 12);
    r.window.add(0, 1, 1000, 200);
    expect(s.next(0)).toBeCloseTo(0.25 * 0.016, 12);
  });

  it("under Ofcom's window the aim stays at 0.8 × the target, 0.9 with the operator's estimate", () => {
    const ofcom = { ...DEFAULT_LIMITS, target: 0.02, window: "ofcom-24h" as const };
    for (const [hidden, share] of [
      [0, 0.8],
      [0.1, 0.9],
    ] as const) {
      const r = rules(ofcom, hidden);
      for (let d = 0; d < 6; d++) r.spread.learn(100_000, 1500, 0.016, () => false);
      const s = new SetPoint(r);
      s.next(6);
      expect(s.aim).toBeCloseTo(share * 0.02, 12);
    }
  });
});
