/** Idle-gap histogram: 0.25 s bins up to 15 minutes. */
const GAP_BIN = 0.25;
const GAP_BINS = 3600;
/** Series resolution for the report. */
export const SERIES_SECONDS = 300;

export interface DayRunOptions {
  /** Replication seed: with the day index it seeds every stream. */
  seed: number;
  /** Index of the first day (streams differ per day). Default 0. */
  firstDay?: number;
  /** Days to simulate (default: the scenario's). */
  days?: number;
  /** Record a 5-minute series (ratio, answer rate, abandonment) of each day. */
  series?: boolean;
  /** Tick length in seconds (default 1). */
  tickSeconds?: number;
  /** Keep the machine verdicts and the people among them per minute (`DaysResult.ledger`; the ledger's calibration). */
  ledgerCounts?: boolean;
}

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
  /**
   * Per day × minute (as minuteLives): the detector's machine verdicts, and the live people among
   * them (hung up on as machines; counted in minuteLives and minuteAbandons too). Only with
   * `ledgerCounts`.
   */
  ledger?: { machines: Float64Array; hidden: Float64Array };
}

export function emptyDaysResult(
  days: number,
  minutes: number,
  withSeries: boolean,
  ledgerCounts = false,
): DaysResult {
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
  if (ledgerCounts)
    result.ledger = { machines: new Float64Array(days * minutes), hidden: new Float64Array(days * minutes) };
  return result;
}

/** An agent's idle gap before a call. */
export function recordGap(result: DaysResult, gap: number): void {
  const bin = Math.min(GAP_BINS, Math.floor(gap / GAP_BIN));
  result.gapHistogram[bin] = (result.gapHistogram[bin] as number) + 1;
  result.gapSum += gap;
  result.gapCount++;
}

export function countIn(counts: Float64Array, index: number): void {
  counts[index] = (counts[index] as number) + 1;
}

export function emptyDaySeries(bins: number): DaySeries {
  return {
    ratio: new Array(bins).fill(0),
    answerRate: new Array(bins).fill(0),
    lives: new Array(bins).fill(0),
    abandons: new Array(bins).fill(0),
  };
}

/** The day's live answers and abandons per series bin, summed from its minutes. */
export function fillSeriesCounts(result: DaysResult, series: DaySeries, minuteBase: number): void {
  const minutes = result.minutes;
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
