import { describe, expect, it } from "vitest";
import { FloorEstimate } from "../../../../src/dialer/pacing/cxo/floor.ts";

describe("cxo's detector floor", () => {
  it("counts a ready tick's drops as the floor's, another tick's as pacing drops", () => {
    const f = new FloorEstimate();
    expect(f.learn(10, 1, true)).toBe(0);
    expect(f.learn(10, 1, false)).toBe(1);
  });

  it("is 0 until 200 people are read, then floor drops per person; the ready ticks' reading alone once they hold 200", () => {
    const f = new FloorEstimate();
    for (let i = 0; i < 10; i++) f.learn(10, i % 2 === 0 ? 1 : 0, i % 2 === 0);
    expect(f.rate).toBe(0);
    expect(f.read()).toBe(0);
    for (let i = 0; i < 40; i++) f.learn(10, i % 2 === 0 ? 1 : 0, i % 2 === 0);
    // Drops on ready ticks only: ~1 per 20 people all ticks counted, ~1 per 10 on the ready ticks.
    expect(f.rate).toBeCloseTo(0.05, 2);
    expect(f.read()).toBeCloseTo(0.1, 2);
    expect(f.readyPeople()).toBeCloseTo(250, -1);
    // People come in ticks (a tick's drops are one draw): 25 ready ticks of 10 people weigh as 25.
    expect(f.readyEffectivePeople()).toBeCloseTo(25, 0);
  });
});
