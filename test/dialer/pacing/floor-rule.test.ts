import { describe, expect, it } from "vitest";
import { daysOverTarget, FLOOR_RULE_MARGIN, judgeFloorCell } from "../../../bench/support/floor-rule.ts";
import type { DaysResult } from "../../../src/dialer/simulator/day/result.ts";

/** A hand-made run: only the per-day live answers and abandons the rule reads. */
function run(days: Array<[lives: number, abandons: number]>): DaysResult {
  return {
    days: days.length,
    lives: Float64Array.from(days.map((d) => d[0])),
    abandons: Float64Array.from(days.map((d) => d[1])),
  } as DaysResult;
}

describe("the floor cells' judgement (issue 80 §5)", () => {
  it("counts a day over only when its abandons ÷ live answers exceed the target", () => {
    // At 1%: 11/1000 over, 10/1000 exactly at (not over), 0/500 not, a day with no live answer not.
    const a = run([
      [1000, 11],
      [1000, 10],
      [500, 0],
      [0, 0],
    ]);
    const b = run([
      [200, 3],
      [300, 2],
    ]);
    expect(daysOverTarget([a, b], 0.01)).toEqual({ over: 2, days: 6 });
    expect(daysOverTarget([a, b], 0.005)).toEqual({ over: 4, days: 6 });
    expect(daysOverTarget([], 0.01)).toEqual({ over: 0, days: 0 });
  });

  it("meets the cell when cxo's share is at most progressive's plus one point", () => {
    expect(FLOOR_RULE_MARGIN).toBe(0.01);
    // 3,000 days each: progressive 60 over (2%), cxo 90 (3%): exactly +1 pp, met.
    const atEdge = judgeFloorCell({ over: 90, days: 3000 }, { over: 60, days: 3000 });
    expect(atEdge.cxoShare).toBeCloseTo(0.03, 12);
    expect(atEdge.progressiveShare).toBeCloseTo(0.02, 12);
    expect(atEdge.excess).toBeCloseTo(0.01, 12);
    expect(atEdge.met).toBe(true);
    // One day more (91 of 3,000: +1.033 pp): not met.
    const over = judgeFloorCell({ over: 91, days: 3000 }, { over: 60, days: 3000 });
    expect(over.met).toBe(false);
    expect(over.excess).toBeCloseTo(31 / 3000, 12);
    // Fewer days over than progressive: met, with a negative excess.
    const under = judgeFloorCell({ over: 40, days: 3000 }, { over: 60, days: 3000 });
    expect(under).toMatchObject({ met: true });
    expect(under.excess).toBeCloseTo(-20 / 3000, 12);
    // Shares, not counts: 36 of 3,600 against 20 of 3,000 is 1.0% against 0.667%: met.
    expect(judgeFloorCell({ over: 36, days: 3600 }, { over: 20, days: 3000 }).met).toBe(true);
    // A stricter margin is the caller's: 0 asks for no more than progressive.
    expect(judgeFloorCell({ over: 61, days: 3000 }, { over: 60, days: 3000 }, 0).met).toBe(false);
  });
});
