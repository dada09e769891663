import type { Thresholds } from "./calibration.ts";
import { type LevelPrior, readLevel } from "./levels.ts";
import type { CallerIdStatus, HourCount } from "./types.ts";

/** The CUSUM's path over a series' hours, and where it stands at the end. */
export interface CusumRun {
  statistic: number;
  status: CallerIdStatus;
  /** Index (into the hours) where the current status was entered; undefined when ok. */
  sinceIndex: number | undefined;
  /** Index of the first hour of the current excursion (the estimated onset); undefined when ok. */
  onsetIndex: number | undefined;
  /** Index of the first hour the CUSUM reached `suspectAt`, ever (the bench's detection time). */
  firstSuspectIndex: number | undefined;
  /**
   * The hours of each excursion that reached `suspectAt`, from its first hour over 0 to the hour it
   * fell back to 0 (exclusive; the series' length when it had not): a number answering as labelled
   * there, which health.ts takes out of its peers' expectation for those hours.
   */
  suspectSpans: Array<[number, number]>;
  /** Status changes, in order (the service's suspect/cleared events). */
  changes: Array<{ index: number; status: CallerIdStatus }>;
  /** The highest the statistic reached (the null simulation's maximum). */
  maxStatistic: number;
  /** The expected rate each hour was tested against (the level read again as the run went). */
  rates: number[];
}

/**
 * The number's level read again as the window goes on (issue 80 §5): a level read from 7 days has
 * a few per cent of error that lasts the whole window, and a number read high looks labelled
 * sooner — the threshold has to cover it, which costs every label hours. From `fromIndex` on
 * (the first hour after the days the level was first read from), each hour at which the
 * statistic stands at 0 (the number answering as expected) reads the level again from all its
 * hours so far, with the campaign's prior (levels.ts); while it is over 0 the level stays as it
 * was when the excursion began, so a label's own hours never lower the expectation it is tested
 * against.
 */
export interface LevelReading {
  /** Each hour's peer-expected rate before the level. */
  base: readonly number[];
  fromIndex: number;
  prior: LevelPrior;
  /** The level read from the first days (the one `rates` carry): the level until it is first read again. */
  level?: number;
}

const FLOOR = 0.002;
const clampRate = (p: number): number => Math.min(1 - FLOOR, Math.max(FLOOR, p));

/**
 * One hour's log-likelihood ratio of "answers × ratio" against "answers at rate p": the CUSUM's
 * step, one function for `runCusum` and `cusumMaximum` so their maxima stay the same to the bit.
 */
const hourStep = (answered: number, calls: number, p: number, logRatio: number, ratio: number): number =>
  answered * logRatio + (calls - answered) * Math.log((1 - ratio * p) / (1 - p));

/**
 * A Bernoulli CUSUM of "answers × ratio" against "answers at the expected rate", one step per
 * hour: an hour of c calls, a answers, expected rate p adds a·ln(ratio) + (c − a)·ln((1 − ratio·p)
 * / (1 − p)); the sum is floored at 0. The status is `suspect` from the hour it reaches
 * `suspectAt` until it falls back under `watchAt` (hysteresis: a labelled number does not flap),
 * `watch` while it is at or over `watchAt` otherwise, `ok` under it. The onset is the first hour
 * after the sum last stood at 0 (the change point's maximum-likelihood estimate).
 */
export function runCusum(
  hours: readonly HourCount[],
  rates: readonly number[],
  ratio: number,
  thresholds: Thresholds,
  reading?: LevelReading,
): CusumRun {
  const logRatio = Math.log(ratio);
  let s = 0;
  let max = 0;
  let soFarAnswered = 0;
  let soFarExpected = 0;
  let soFarCalls = 0;
  let level = reading?.level ?? 1;
  const used: number[] = new Array(hours.length);
  let status: CallerIdStatus = "ok";
  let sinceIndex: number | undefined;
  let onsetIndex: number | undefined;
  let excursionStart: number | undefined;
  let firstSuspectIndex: number | undefined;
  const changes: Array<{ index: number; status: CallerIdStatus }> = [];
  const suspectSpans: Array<[number, number]> = [];
  let spanOpen = false;
  for (let i = 0; i < hours.length; i++) {
    const h = hours[i] as HourCount;
    let p = rates[i] as number;
    if (reading && i >= reading.fromIndex) {
      if (s === 0)
        level = readLevel(
          { answered: soFarAnswered, expected: soFarExpected, calls: soFarCalls },
          reading.prior,
        );
      p = clampRate((reading.base[i] as number) * level);
    }
    used[i] = p;
    if (reading) {
      soFarAnswered += h.answered;
      soFarCalls += h.calls;
      soFarExpected += h.calls * (reading.base[i] as number);
    }
    const step = hourStep(h.answered, h.calls, p, logRatio, ratio);
    const before = s;
    s = Math.max(0, s + step);
    if (s > max) max = s;
    if (s > 0 && before === 0) excursionStart = i;
    if (s === 0) {
      excursionStart = undefined;
      if (spanOpen) (suspectSpans.at(-1) as [number, number])[1] = i;
      spanOpen = false;
    }
    let next: CallerIdStatus;
    if (s >= thresholds.suspectAt || (status === "suspect" && s >= thresholds.watchAt)) next = "suspect";
    else if (s >= thresholds.watchAt) next = "watch";
    else next = "ok";
    if (next === "suspect" && firstSuspectIndex === undefined) firstSuspectIndex = i;
    if (next === "suspect" && !spanOpen) {
      spanOpen = true;
      suspectSpans.push([excursionStart ?? i, hours.length]);
    }
    if (next !== status) {
      status = next;
      sinceIndex = next === "ok" ? undefined : i;
      onsetIndex = next === "ok" ? undefined : excursionStart;
      changes.push({ index: i, status: next });
    }
  }
  return {
    statistic: s,
    status,
    sinceIndex,
    onsetIndex,
    firstSuspectIndex,
    suspectSpans,
    changes,
    maxStatistic: max,
    rates: used,
  };
}

/**
 * `runCusum`'s highest statistic, with nothing else (the null simulation runs it thousands of
 * times a campaign): hours as typed arrays, each hour tested at `first` × its base rate (the level
 * read from the first days) and, with `reading`, at the level read again — the same arithmetic as
 * `runCusum`, so the same maximum to the last bit.
 */
export function cusumMaximum(
  calls: Int32Array,
  answered: Int32Array,
  length: number,
  base: Float64Array,
  first: number,
  ratio: number,
  reading: LevelReading | undefined,
): number {
  const logRatio = Math.log(ratio);
  const from = reading ? reading.fromIndex : length;
  let s = 0;
  let max = 0;
  let soFarAnswered = 0;
  let soFarExpected = 0;
  let soFarCalls = 0;
  let level = first;
  for (let i = 0; i < length; i++) {
    const c = calls[i] as number;
    const a = answered[i] as number;
    const b = base[i] as number;
    let p: number;
    if (i >= from) {
      if (s === 0)
        level = readLevel(
          { answered: soFarAnswered, expected: soFarExpected, calls: soFarCalls },
          (reading as LevelReading).prior,
        );
      p = clampRate(b * level);
    } else p = clampRate(b * first);
    if (reading) {
      soFarAnswered += a;
      soFarCalls += c;
      soFarExpected += c * b;
    }
    s = Math.max(0, s + hourStep(a, c, p, logRatio, ratio));
    if (s > max) max = s;
  }
  return max;
}
