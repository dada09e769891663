import { describe, expect, it } from "vitest";
import { emptyDaysResult } from "../../../src/dialer/simulator/day/result.ts";
import { Random } from "../../../src/dialer/simulator/des/prng.ts";
import {
  binomial,
  worstRolling,
  worstRollingFloor,
} from "../../../src/dialer/simulator/pacing-bench/metrics.ts";

/**
 * Issue 53 §2: the noise floor of the worst 30 minutes — what a perfectly steady controller
 * (each live answer abandoned independently with the same mean probability, the same live answers
 * in every minute) shows over the same windows.
 */
function run(days: number, minutes: number, livesAt: (d: number, m: number) => number) {
  const r = emptyDaysResult(days, minutes, false);
  for (let d = 0; d < days; d++)
    for (let m = 0; m < minutes; m++) r.minuteLives[d * minutes + m] = livesAt(d, m);
  return r;
}

describe("binomial draws", () => {
  it("inverts the CDF exactly: P(0) = (1 − p)^n, and the mean is n·p", () => {
    expect(binomial(10, 0.1, 0.9 ** 10 - 1e-12)).toBe(0);
    expect(binomial(10, 0.1, 0.9 ** 10 + 1e-12)).toBe(1);
    expect(binomial(0, 0.3, 0.5)).toBe(0);
    expect(binomial(7, 1, 0.5)).toBe(7);
    const random = new Random(1);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += binomial(12, 0.05, random.uniform());
    expect(sum / 20_000).toBeCloseTo(0.6, 1);
  });
});

describe("the worst 30 minutes' noise floor", () => {
  it("is the mean when every window holds many answers, and grows as windows thin out", () => {
    const mean = 0.02;
    const thick = worstRollingFloor([run(5, 480, () => 400)], mean);
    expect(thick).toBeGreaterThan(mean);
    expect(thick).toBeLessThan(mean * 1.3);
    const thin = worstRollingFloor([run(5, 480, () => 1)], mean);
    // 30 answers a window at 2%: the worst of ~2,250 windows is several drops.
    expect(thin).toBeGreaterThan(3 * mean);
    // More days, more windows: a higher maximum.
    expect(worstRollingFloor([run(20, 480, () => 1)], mean)).toBeGreaterThan(thin);
    expect(worstRollingFloor([run(5, 480, () => 1)], 0)).toBe(0);
  });

  it("is deterministic and reads the same windows as the worst 30 minutes", () => {
    const r = run(3, 120, (d, m) => (m < 60 ? 2 : 0) + d);
    expect(worstRollingFloor([r], 0.03)).toBe(worstRollingFloor([r], 0.03));
    // Minutes with no answers never make a window of their own: the floor cannot exceed 100%.
    expect(worstRollingFloor([r], 0.5)).toBeLessThanOrEqual(1);
  });

  it("a steady controller sits near 1× its floor; one that clusters its drops sits far above", () => {
    const random = new Random(7);
    const mean = 0.025;
    const steadyRun = () => {
      const r = run(10, 480, () => 3);
      for (let i = 0; i < r.minuteLives.length; i++)
        r.minuteAbandons[i] = binomial(3, mean, random.uniform());
      return r;
    };
    const rate = (rs: ReturnType<typeof run>[]) =>
      rs.reduce((t, r) => t + r.minuteAbandons.reduce((a, x) => a + x, 0), 0) /
      rs.reduce((t, r) => t + r.minuteLives.reduce((a, x) => a + x, 0), 0);
    // One steady realisation's maximum scatters around the floor (the floor is its expectation):
    // over six sets of three runs, the multiples average 1.
    const multiples: number[] = [];
    for (let k = 0; k < 6; k++) {
      const runs = [steadyRun(), steadyRun(), steadyRun()];
      const worst = Math.max(...runs.map((r) => worstRolling(r, 30)));
      multiples.push(worst / worstRollingFloor(runs, rate(runs)));
    }
    const average = multiples.reduce((a, x) => a + x, 0) / multiples.length;
    expect(average).toBeGreaterThan(0.9);
    expect(average).toBeLessThan(1.1);
    // The same drops, each day's all in its 14:00–14:30 (minutes 300–329).
    const steady = steadyRun();
    const clustered = run(10, 480, () => 3);
    for (let d = 0; d < 10; d++) {
      let drops = 0;
      for (let m = 0; m < 480; m++) drops += steady.minuteAbandons[d * 480 + m] as number;
      for (let m = 300; m < 330 && drops > 0; m++) {
        const k = Math.min(3, drops);
        clustered.minuteAbandons[d * 480 + m] = k;
        drops -= k;
      }
    }
    expect(worstRolling(clustered, 30) / worstRollingFloor([clustered], rate([steady]))).toBeGreaterThan(2);
  });
});
