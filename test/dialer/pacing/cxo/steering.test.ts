import { describe, expect, it } from "vitest";
import { boostOf, steerFactorOf, steeringOn } from "../../../../src/dialer/pacing/cxo/steering.ts";
import { DEFAULT_LIMITS } from "../../../../src/dialer/pacing/types.ts";

/** People a day at which a day's need (√(target ÷ people) ÷ target) is `need`. */
const volumeAt = (target: number, need: number) => 1 / (target * need * need);

describe("cxo's in-day steering", () => {
  const ftc = { ...DEFAULT_LIMITS, target: 0.02 };

  it("is on once a day's volume is known, off under Ofcom's window, the calendar day, or a floor near the target", () => {
    expect(steeringOn(ftc, 0.02, 5000, 0.002)).toBe(true);
    expect(steeringOn(ftc, 0, 5000, 0.002)).toBe(false);
    expect(steeringOn(ftc, 0.02, 0, 0.002)).toBe(false);
    expect(steeringOn({ ...ftc, window: "ofcom-24h" }, 0.02, 5000, 0.002)).toBe(false);
    expect(steeringOn({ ...ftc, window: "day" }, 0.02, 5000, 0.002)).toBe(false);
    expect(steeringOn(ftc, 0.02, 5000, 0.016)).toBe(false);
    // The floor and a day's chance at the target reach it: 2.33 × √(0.02 ÷ 500) = 0.0147.
    expect(steeringOn(ftc, 0.02, 500, 0.006)).toBe(false);
  });

  it("the stronger steering engages by the day's need (0.1 → 0.14 in, 0.18 → 0.21 out) and from a 1.5% target (full at 2%)", () => {
    expect(boostOf(0.02, volumeAt(0.02, 0.08))).toBe(0);
    expect(boostOf(0.02, volumeAt(0.02, 0.12))).toBeCloseTo(0.5, 10);
    expect(boostOf(0.02, volumeAt(0.02, 0.16))).toBe(1);
    expect(boostOf(0.02, volumeAt(0.02, 0.22))).toBe(0);
    expect(boostOf(0.0175, volumeAt(0.0175, 0.16))).toBeCloseTo(0.5, 10);
    expect(boostOf(0.015, volumeAt(0.015, 0.16))).toBe(0);
  });

  it("scales the dials down on a day over its plan, up on one under, within 0.25–1.25 (2 fully boosted)", () => {
    const day = (drops: number, toCome = 2000) => ({ drops, lives: 2000, toCome });
    expect(steerFactorOf(0.02, 4000, 0.018, 0.018, 0, day(36))).toBe(1);
    expect(steerFactorOf(0.02, 4000, 0.018, 0.018, 0, day(46))).toBeLessThan(1);
    expect(steerFactorOf(0.02, 4000, 0.018, 0.018, 0, day(26))).toBeGreaterThan(1);
    expect(steerFactorOf(0.02, 4000, 0.018, 0.018, 0, day(500))).toBe(0.25);
    expect(steerFactorOf(0.02, 4000, 0.018, 0.018, 0, day(-500))).toBe(1.25);
    expect(steerFactorOf(0.02, 4000, 0.018, 0.018, 1, day(-500))).toBe(2);
  });
});
