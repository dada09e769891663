import { describe, expect, it } from "vitest";
import { thresholdFor } from "../../src/callerid/calibration.ts";

/**
 * Issue 66 §2, calibration: the number's own level is read from its first days, so its
 * expectation carries one error for the whole window. The threshold must hold the false-alarm
 * rate asked with that error in it — checked here by simulating numbers whose answers run exactly
 * as expected but whose expectation is read off by a persistent error (seeded, exact counts).
 * Before, the chain ignored that error and a margin set on the bench's pool stood in for it:
 * 8.6 % false alarms at 5 % asked with an 8 % error.
 */

/** mulberry32: the same stream on every run. */
function uniform(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(u: () => number, mean: number): number {
  const floor = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= u();
  } while (p > floor);
  return k - 1;
}

/** Of `runs` unlabelled numbers, how many the CUSUM at h calls suspect in 231 hours. */
function falseAlarms(h: number, levelError: number, runs: number): number {
  const u = uniform(42);
  const calls = 10.9;
  const p = 0.3;
  const ratio = 0.4;
  let alarms = 0;
  for (let i = 0; i < runs; i++) {
    const gauss = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    const tested = Math.min(0.95, p * (1 + levelError * gauss));
    const up = Math.log((1 - ratio * tested) / (1 - tested));
    let s = 0;
    for (let t = 0; t < 231; t++) {
      s = Math.max(0, s + poisson(u, calls * p) * Math.log(ratio) + poisson(u, calls * (1 - p)) * up);
      if (s >= h) {
        alarms++;
        break;
      }
    }
  }
  return alarms;
}

describe("calibration with the level's error", () => {
  const load = { activeHours: 231, spanHours: 21 * 24, callsPerHour: 10.9, rate: 0.3, ratio: 0.4 };

  it("keeps false alarms at or under the rate asked when the level is read with an 8 % error", () => {
    const h = thresholdFor({ ...load, levelError: 0.08, afterLevel: 1 }, 0.05);
    // The error raises the threshold: a number read high looks labelled sooner.
    expect(h).toBeGreaterThan(thresholdFor(load, 0.05) + 0.3);
    // 5 % of 4,000 is 200 (binomial sd 14); ignoring the error gave 342.
    expect(falseAlarms(h, 0.08, 4000)).toBeLessThanOrEqual(220);
  });

  it("counts no error on the days the level is read from (their answers set it)", () => {
    const whole = thresholdFor({ ...load, levelError: 0.08, afterLevel: 1 }, 0.01);
    const twoThirds = thresholdFor({ ...load, levelError: 0.08, afterLevel: 2 / 3 }, 0.01);
    const none = thresholdFor(load, 0.01);
    expect(twoThirds).toBeLessThan(whole);
    expect(twoThirds).toBeGreaterThan(none);
  });
});
