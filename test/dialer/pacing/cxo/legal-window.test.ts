import { describe, expect, it } from "vitest";
import { LegalWindow } from "../../../../src/dialer/pacing/cxo/legal-window.ts";
import { DEFAULT_LIMITS } from "../../../../src/dialer/pacing/types.ts";

describe("cxo's legal window", () => {
  it("counts people and drops per day and over the window, and forgets the days that fall out of it", () => {
    const w = new LegalWindow({ ...DEFAULT_LIMITS, window: "ftc-30d" });
    w.roll(Number.NaN, 0);
    w.add(0, 100, 1000, 20);
    expect(w.livesOn(0)).toBe(1000);
    expect(w.judge(0.02)).toBe(0.02);
    w.roll(0, 1);
    w.add(1, 86_500, 1000, 0);
    expect(w.judge(0.02)).toBe(0.01);
    // Day 30: day 0 is out of the 30 days.
    w.roll(1, 30);
    expect(w.livesOn(0)).toBe(0);
    expect(w.judge(0.02)).toBe(0);
    expect(w.judged).toBe(false);
  });

  it("under Ofcom's rolling 24 hours judges the rate an hour ahead too, once it holds 200 people", () => {
    const w = new LegalWindow({ ...DEFAULT_LIMITS, window: "ofcom-24h" });
    w.roll(Number.NaN, 0);
    w.add(0, 0, 100, 0);
    w.judge(0.01);
    expect(w.judged).toBe(false);
    // A good hour (no drops) at 00:00 falls out of the window within the hour from 23:20: if the
    // hour coming runs at the aim (1%), the window then holds 8 + 1 drops, not 8.
    w.add(0, 600, 100, 0);
    w.add(0, 84_000, 200, 8);
    expect(w.judge(0.01)).toBeCloseTo(8 / 400, 12);
    expect(w.judged).toBe(true);
    expect(w.rate).toBeCloseTo(10 / 400, 12);
  });

  it("keeps the last 30 minutes for the short guard", () => {
    const w = new LegalWindow(DEFAULT_LIMITS);
    w.add(0, 0, 50, 5);
    w.add(0, 1200, 50, 0);
    expect(w.recent.total(0)).toBe(100);
    w.add(0, 2000, 0, 0);
    expect(w.recent.total(1)).toBe(0);
  });
});
