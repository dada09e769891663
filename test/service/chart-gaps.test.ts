import { describe, expect, it } from "vitest";
// The board's chart series helpers are plain ES modules without DOM use at load time.
// @ts-expect-error: a browser module without declarations
import { insertPoint, withGaps } from "../../src/service/static/charts.js";

/**
 * Issue 50 §6: the board's charts showed a ~20 s hole about once a minute although readings came
 * every 5 s. A webhook's reading carries CXone's `occurredAt` and arrives after later polls; the
 * page appended it out of order and the gap rule, taking the cadence from a median of those steps,
 * called the step after it a hole (and kept its own gap markers as readings). The gap rule must
 * follow the real cadence of readings.
 */
interface Point {
  t: number;
  successRate: number | null;
  activeCalls: number | null;
  abandonmentRate: number | null;
  gap?: boolean;
}
const reading = (t: number): Point => ({ t, successRate: 0.3, activeCalls: 12, abandonmentRate: 0.01 });
const holes = (points: Point[]) => withGaps(points).filter((p: Point) => p.successRate === null).length;

/** Ten minutes of 5 s polls, plus one webhook reading a minute, sent `lagMs` before it arrives. */
function tenMinutes(lagMs: number): Point[] {
  let series: Point[] = [];
  for (let t = 0; t <= 600_000; t += 5_000) {
    series = insertPoint(series, reading(t), 720);
    if (t > 0 && t % 60_000 === 0) series = insertPoint(series, reading(t - lagMs), 720);
    // The page redraws (and so applies the gap rule) after every reading.
    withGaps(series);
  }
  return series;
}

describe("chart gaps follow the cadence of the readings", () => {
  it("5 s polls and a webhook reading a minute that arrives 20 s late: no hole, in time order", () => {
    const series = tenMinutes(20_000);
    expect(holes(series)).toBe(0);
    const times = series.map((p) => p.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("a webhook reading 0.3 s after a poll is the same moment, not a cadence of 0.3 s", () => {
    let series: Point[] = [];
    for (let t = 0; t <= 300_000; t += 5_000) {
      series = insertPoint(series, reading(t), 720);
      series = insertPoint(series, reading(t + 300), 720);
    }
    expect(holes(series)).toBe(0);
  });

  it("a real silence (two minutes without a reading) is one hole, and the stored series keeps no marker", () => {
    let series: Point[] = [];
    for (let t = 0; t <= 300_000; t += 5_000)
      if (t < 100_000 || t > 220_000) series = insertPoint(series, reading(t), 720);
    const drawn = withGaps(series);
    expect(drawn.filter((p: Point) => p.successRate === null)).toHaveLength(1);
    expect(series.some((p) => p.gap)).toBe(false);
    // 60 s polls: a 2-minute step is a usual step's double, not a hole.
    let slow: Point[] = [];
    for (let t = 0; t <= 1_800_000; t += 60_000) if (t !== 600_000) slow = insertPoint(slow, reading(t), 720);
    expect(holes(slow)).toBe(0);
  });
});
