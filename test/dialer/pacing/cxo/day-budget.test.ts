import { describe, expect, it } from "vitest";
import { DayBudget } from "../../../../src/dialer/pacing/cxo/day-budget.ts";
import { FloorEstimate } from "../../../../src/dialer/pacing/cxo/floor.ts";
import { DEFAULT_LIMITS } from "../../../../src/dialer/pacing/types.ts";

/** A floor read on `people` ready-tick people at `rate`, one a tick (a tick's people count once in the effective people). */
const floorOf = (people: number, rate: number) => {
  const f = new FloorEstimate();
  for (let i = 0; i < people; i++) f.learn(1, rate, true);
  return f;
};
const at1 = { ...DEFAULT_LIMITS, target: 0.01 };

describe("cxo's day planner", () => {
  it("holds a day at a low target on the FTC window once a day and the floor (8,000 people) are known", () => {
    const b = new DayBudget();
    b.open(at1, 10_000, floorOf(10_000, 0.006));
    expect(b.day).toBe(true);
    expect(b.light).toBe(false);
    b.open(at1, 0, floorOf(10_000, 0.006));
    expect(b.day).toBe(false);
    b.open(at1, 10_000, floorOf(3000, 0.006));
    expect(b.day).toBe(false);
    b.open({ ...at1, target: 0.02 }, 10_000, floorOf(10_000, 0.006));
    expect(b.day).toBe(false);
    b.open({ ...at1, window: "day" }, 10_000, floorOf(10_000, 0.006));
    expect(b.day).toBe(false);
    // The floor's own chance reaches the target: 0.009 + 3 × √(0.009 ÷ 10,000) ≥ 0.01.
    b.open(at1, 10_000, floorOf(10_000, 0.009));
    expect(b.day).toBe(false);
  });

  it("a floor under a quarter of the target makes a floor-light day (no extra hot-drop weight)", () => {
    const b = new DayBudget();
    b.open(at1, 10_000, floorOf(10_000, 0.001));
    expect(b.light).toBe(true);
    expect(b.hotDropWeight(2)).toBe(0);
    b.open(at1, 10_000, floorOf(10_000, 0.006));
    expect(b.hotDropWeight(2)).toBe(2);
  });

  it("plans the day under the target and cuts the rest's dials after a hot morning, raises them after a quiet one", () => {
    const b = new DayBudget();
    expect(b.plan(0.01, 10_000, 0.006, { drops: 0, lives: 0, toCome: 10_000 })).toBeNaN();
    b.open(at1, 10_000, floorOf(10_000, 0.006));
    expect(b.plan(0.01, 10_000, 0.006, { drops: 0, lives: 0, toCome: Number.NaN })).toBeNaN();
    const plan = b.plan(0.01, 10_000, 0.006, { drops: 60, lives: 5000, toCome: 5000 });
    expect(plan).toBeGreaterThan(0.006);
    expect(plan).toBeLessThan(0.01);
    b.plan(0.01, 10_000, 0.006, { drops: 20, lives: 5000, toCome: 5000 });
    expect(b.factor).toBeGreaterThan(1);
    expect(b.plannedSetPoint(plan, 0.01)).toBeLessThanOrEqual(0.01);
    b.plan(0.01, 10_000, 0.006, { drops: 80, lives: 5000, toCome: 5000 });
    expect(b.factor).toBe(0.6);
  });
});
