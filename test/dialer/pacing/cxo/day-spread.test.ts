import { describe, expect, it } from "vitest";
import { DaySpread } from "../../../../src/dialer/pacing/cxo/day-spread.ts";

describe("cxo's day-to-day spread", () => {
  it("learns a day's volume (exponentially weighted) and ignores days of under 100 people", () => {
    const s = new DaySpread();
    s.learn(50, 1, 0.02, () => false);
    expect(s.volume).toBe(0);
    s.learn(1000, 20, 0.02, () => false);
    expect(s.volume).toBe(1000);
    s.learn(2000, 40, 0.02, () => false);
    expect(s.volume).toBeCloseTo(1300, 10);
  });

  it("learns the mean miss of the plan and its spread, used from the fifth day", () => {
    const s = new DaySpread();
    const rates = [0.018, 0.022, 0.018, 0.022];
    for (const r of rates) s.learn(1000, r * 1000, 0.02, () => false);
    expect(s.learnt()).toBe(false);
    s.learn(1000, 20, 0.02, () => false);
    expect(s.learnt()).toBe(true);
    expect(Math.abs(s.missMean)).toBeLessThan(0.002);
    expect(s.missSpread).toBeGreaterThan(0.001);
  });

  it("leaves the first day out of the misses when told (the second day seeds them)", () => {
    const s = new DaySpread();
    s.learn(1000, 5, 0.02, () => true);
    expect(s.missMean).toBe(0);
    s.learn(1000, 21, 0.02, () => true);
    expect(s.missMean).toBeCloseTo(0.001, 12);
    expect(s.missSpread).toBe(0);
  });
});
