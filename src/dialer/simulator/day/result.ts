/**
 * What the day simulator returns (per simulated day, per minute of the opening hours, and the
 * agents' idle gaps between calls), and the bookkeeping that fills it.
 */

/** Idle-gap histogram: 0.25 s bins up to 15 minutes. */
const GAP_BIN = 0.25;
const GAP_BINS = 3600;

/** Series resolution for the report. */
export const SERIES_SECONDS = 300;

export interface DaySeries {
  /** Per 5-minute bin: the controller's ratio, the true answer rate, live answers, abandons. */
  ratio: number[];
  answerRate: number[];
  lives: number[];
  abandons: number[];
}

export interface DaysResult {
  days: number;
  /** Per day (true people, not the dialer's classification). */
  lives: Float64Array;
  abandons: Float64Array;
  connects: Float64Array;
  dials: Float64Array;
  /** Calendar day (days since the campaign's first day) of each simulated day. */
  calendarDays: Int32Array;
  /** Agent-seconds present and busy (talk + wrap) within the opening hours, per day. */
  presentSeconds: Float64Array;
  busySeconds: Float64Array;
  talkSeconds: Float64Array;
  /** Per day × minute of the opening hours: live answers and abandons by the minute they were answered. */
  minutes: number;
  minuteLives: Float64Array;
  minuteAbandons: Float64Array;
  /** Idle gaps of agents between calls: histogram in 0.25 s bins (last bin: longer). */
  gapHistogram: Float64Array;
  gapSum: number;
  gapCount: number;
  events: number;
  series?: DaySeries[];
}

/** An empty result for `days` days of `minutes` minutes each. */
export function newDaysResult(days: number, minutes: number, withSeries: boolean): DaysResult {
  const result: DaysResult = {
    days,
    lives: new Float64Array(days),
    abandons: new Float64Array(days),
    connects: new Float64Array(days),
    dials: new Float64Array(days),
    calendarDays: new Int32Array(days),
    presentSeconds: new Float64Array(days),
    busySeconds: new Float64Array(days),
    talkSeconds: new Float64Array(days),
    minutes,
    minuteLives: new Float64Array(days * minutes),
    minuteAbandons: new Float64Array(days * minutes),
    gapHistogram: new Float64Array(GAP_BINS + 1),
    gapSum: 0,
    gapCount: 0,
    events: 0,
  };
  if (withSeries) result.series = [];
  return result;
}

/** Counts an agent's idle gap (seconds) before a call. */
export function countGap(result: DaysResult, gap: number): void {
  const bin = Math.min(GAP_BINS, Math.floor(gap / GAP_BIN));
  result.gapHistogram[bin] = (result.gapHistogram[bin] as number) + 1;
  result.gapSum += gap;
  result.gapCount++;
}

/** An empty series of `bins` 5-minute bins. */
export function newDaySeries(bins: number): DaySeries {
  return {
    ratio: new Array(bins).fill(0),
    answerRate: new Array(bins).fill(0),
    lives: new Array(bins).fill(0),
    abandons: new Array(bins).fill(0),
  };
}

/** Fills a day's series' live answers and abandons from its minutes (the day's first minute at `minuteBase`). */
export function seriesCounts(result: DaysResult, series: DaySeries, minuteBase: number): void {
  const { minutes } = result;
  for (let b = 0; b < series.lives.length; b++) {
    let l = 0;
    let a = 0;
    for (let m = (b * SERIES_SECONDS) / 60; m < ((b + 1) * SERIES_SECONDS) / 60 && m < minutes; m++) {
      l += result.minuteLives[minuteBase + m] as number;
      a += result.minuteAbandons[minuteBase + m] as number;
    }
    series.lives[b] = l;
    series.abandons[b] = a;
  }
}
