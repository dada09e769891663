import { describe, expect, it } from "vitest";
import { DialLog } from "../../../../src/dialer/pacing/cxo/dial-log.ts";
import { normalTail } from "../../../../src/dialer/pacing/cxo/normal-tail.ts";

/** The expected live answers still to come, summed by hand: each dial live with pLive, unanswered at its age (log-normal delay). */
function byHand(
  dials: [number, number][],
  now: number,
  meanDelay: number,
  pLive: number,
  cv: number,
): number {
  const sigma2 = Math.log(1 + cv * cv);
  const mu = Math.log(meanDelay) - sigma2 / 2;
  let sum = 0;
  for (const [at, n] of dials) {
    const age = now - at;
    if (age >= 64) continue;
    sum += n * pLive * (age > 0 ? normalTail((Math.log(age) - mu) / Math.sqrt(sigma2)) : 1);
  }
  return sum;
}

describe("cxo's dial log", () => {
  it("an empty log expects half the ringing calls it never placed to be live answers still to come", () => {
    expect(new DialLog().livesToCome(100, 10, 12, 0.3, 0.5)).toBeCloseTo(10 * 0.3 * 0.5, 12);
  });

  it("log() returns the dials it logs", () => {
    expect(new DialLog().log(5, 7)).toBe(7);
  });

  it("sums each logged dial's chance of a live answer still to come, in the steady state as irregularly", () => {
    const steady = new DialLog();
    const dials: [number, number][] = [];
    for (let t = 1; t <= 100; t++) {
      const n = t % 3;
      steady.log(t, n);
      dials.push([t, n]);
    }
    expect(steady.livesToCome(101, 0, 12, 0.3, 0.5)).toBeCloseTo(byHand(dials, 101, 12, 0.3, 0.5), 9);
    const irregular = new DialLog();
    const some: [number, number][] = [
      [10, 2],
      [13, 1],
      [30, 4],
    ];
    for (const [at, n] of some) irregular.log(at, n);
    expect(irregular.livesToCome(40, 0, 12, 0.3, 0.5)).toBeCloseTo(byHand(some, 40, 12, 0.3, 0.5), 9);
    // Dials older than the log's 64 seconds are answered or gone.
    expect(irregular.livesToCome(200, 0, 12, 0.3, 0.5)).toBe(0);
  });
});
