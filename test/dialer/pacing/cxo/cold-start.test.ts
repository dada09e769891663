import { describe, expect, it } from "vitest";
import { ColdStart, coldStartGain } from "../../../../src/dialer/pacing/cxo/cold-start.ts";
import { FloorEstimate } from "../../../../src/dialer/pacing/cxo/floor.ts";

const floorOf = (people: number, drops: number) => {
  const f = new FloorEstimate();
  for (let i = 0; i < people / 10; i++) f.learn(10, i < drops ? 1 : 0, true);
  return f;
};

describe("cxo's low start under a low target", () => {
  it("starts at 0.5 from 2%, lower as the target's square below: 0.125 at 1%", () => {
    expect(coldStartGain(0.03)).toBe(0.5);
    expect(coldStartGain(0.02)).toBe(0.5);
    expect(coldStartGain(0.01)).toBe(0.125);
    expect(new ColdStart(0.5).held).toBe(false);
    expect(new ColdStart(0.125).started).toBe(true);
  });

  it("is lifted to 0.5 once 500 ready-tick people show a floor under half the target", () => {
    const c = new ColdStart(0.125);
    const lifts: number[] = [];
    c.judge(floorOf(300, 0), 0.01, (g) => lifts.push(g));
    expect(c.held).toBe(true);
    c.judge(floorOf(600, 0), 0.01, (g) => lifts.push(g));
    expect(c.held).toBe(false);
    expect(lifts).toEqual([0.5]);
  });

  it("stays low for good where the floor is half the target or more", () => {
    const c = new ColdStart(0.125);
    const lifts: number[] = [];
    c.judge(floorOf(600, 5), 0.01, (g) => lifts.push(g));
    expect(c.held).toBe(false);
    c.judge(floorOf(600, 0), 0.01, (g) => lifts.push(g));
    expect(lifts).toEqual([]);
  });
});
