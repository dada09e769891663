import { describe, expect, it } from "vitest";
import { RemainingBudget } from "../../../../src/dialer/pacing/cxo/remaining-budget.ts";
import { DEFAULT_LIMITS } from "../../../../src/dialer/pacing/types.ts";

const volumeAt = (target: number, need: number) => 1 / (target * need * need);

describe("cxo's remaining budget", () => {
  it("is engaged by the day's need: from 0.21 on the FTC window, from 0.1 where the calendar day is the window", () => {
    const ftc = new RemainingBudget({ ...DEFAULT_LIMITS, target: 0.02 }, 0.02);
    expect(ftc.on(volumeAt(0.02, 0.15))).toBe(false);
    expect(ftc.on(volumeAt(0.02, 0.22))).toBe(true);
    expect(ftc.on(0)).toBe(false);
    const day = new RemainingBudget({ ...DEFAULT_LIMITS, target: 0.02, window: "day" }, 0.02);
    expect(day.on(volumeAt(0.02, 0.12))).toBe(true);
    expect(day.on(volumeAt(0.02, 0.08))).toBe(false);
  });

  it("never at 1.5% or less, nor under Ofcom's window", () => {
    expect(new RemainingBudget({ ...DEFAULT_LIMITS, target: 0.015 }, 0.02).on(100)).toBe(false);
    expect(new RemainingBudget({ ...DEFAULT_LIMITS, target: 0.03, window: "ofcom-24h" }, 0.02).on(100)).toBe(
      false,
    );
  });

  it("aims the rest of the day at what the target leaves less a margin, and steers the dials against it", () => {
    const b = new RemainingBudget({ ...DEFAULT_LIMITS, target: 0.03 }, 0.02);
    const volume = volumeAt(0.03, 0.25);
    const base = { aim: 0.022, plan: 0.022, spread: 0.003, boost: 0, lives: volume / 2, toCome: volume / 2 };
    const quiet = b.rest(volume, { ...base, drops: 0 });
    const quietFactor = b.factor;
    const hot = b.rest(volume, { ...base, drops: 0.03 * volume });
    expect(quiet).toBeGreaterThan(0.03);
    expect(hot).toBeLessThan(0.03);
    expect(quietFactor).toBeGreaterThan(1);
    expect(b.factor).toBeLessThan(1);
    // Nobody to come, or no forecast: no rate.
    expect(b.rest(volume, { ...base, drops: 0, toCome: 0.5 })).toBeNaN();
    expect(b.rest(volume, { ...base, drops: 0, toCome: Number.NaN })).toBeNaN();
    expect(b.factor).toBeNaN();
  });
});
