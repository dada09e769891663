import { describe, expect, it } from "vitest";
import { TimeOfDayPriors } from "../../../../src/dialer/pacing/cxo/priors.ts";

describe("cxo's time-of-day priors", () => {
  it("foresee nobody before a day is learnt, then the people of the half hours still to come", () => {
    const p = new TimeOfDayPriors();
    p.add(9 * 3600, 10, 2, 2, 540, 10);
    expect(p.peopleToCome()).toBeNaN();
    // A day: 100 people in each half hour from 9:00 to 11:00.
    for (let slot = 0; slot < 4; slot++) p.add(9 * 3600 + slot * 1800, 400, 100, 100, 540 + slot * 30, 10);
    p.roll();
    p.add(9 * 3600 + 900, 0, 0, 0, 555, 10);
    // The 9:00 half hour held 102 (the first tick too), half of it still to come at 9:15.
    expect(p.peopleToCome()).toBeCloseTo(51 + 300, 10);
    expect(p.liveRateAt(9 * 3600)).toBeCloseTo(102 / 410, 10);
  });

  it("a day of fewer than 100 people does not teach the day's volume", () => {
    const p = new TimeOfDayPriors();
    p.add(9 * 3600, 40, 10, 10, 540, 10);
    p.roll();
    expect(p.peopleToCome()).toBeNaN();
  });

  it("expect the agents a repeated staffing drop takes away within the horizon", () => {
    const p = new TimeOfDayPriors();
    // Yesterday: 20 agents until 12:00, 12 from then.
    p.add(11 * 3600 + 59 * 60, 0, 0, 0, 719, 20);
    p.add(12 * 3600, 0, 0, 0, 720, 12);
    p.roll();
    // At 11:59:40 a call placed now is answered after 12:00 (2 × 12 s + 2 s ahead): 8 leave.
    expect(p.leavingAhead(11 * 3600 + 59 * 60 + 40, 719, 20, 12, 2)).toBe(8);
    // At 11:58 nobody leaves within the horizon (the minute ahead is unknown: no prior).
    expect(p.leavingAhead(11 * 3600 + 58 * 60, 718, 20, 12, 2)).toBe(0);
  });
});
