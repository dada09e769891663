import { InputError } from "../core/input-error.ts";
import { crossingRate, NODES } from "./crossing-rate.ts";

/**
 * The thresholds of the sequential test, from the false-alarm rate asked for.
 *
 * The test is a CUSUM of the log-likelihood ratio of "answers × designRatio" against "answers as
 * expected", one step per hour with calls. A number's false-alarm rate per 21 days is
 * 1 − exp(−N·λ(h)), N its hours with calls in 21 days and λ(h) the chance per step that the
 * statistic crosses h: λ is computed for the number's own volume and answer rate
 * (crossing-rate.ts, a Markov chain of the statistic), and h is solved from it. So a number of
 * 40 calls a day and one of 300 each get the threshold their own volume needs, neither the
 * other's. Ville's inequality (λ(h) ≤ e^−h, so h = ln(N / α) is always enough) caps it: the chain
 * can only lower the threshold from the bound, never raise it over.
 *
 * The expectation is read, not known, and both its errors are in the rate: each hour's peer
 * rate has its own noise (expectation.ts gives its standard error), which the chain averages the
 * step over; the number's own level, read once from its first days (levels.ts gives its posterior
 * error), is one error for the rest of the window, over which the 21-day rate itself is averaged.
 * No margin is set on a pool: bench/callerid.bench.ts measures the false alarms this gives
 * against the rate asked, on the default pool and on two unseen shapes.
 */

export const DEFAULT_FALSE_ALARM_RATE = 0.01;
/**
 * The drop the CUSUM is tuned to. A label is a drop of about × 0.3 to × 0.5 (issue 66); a test
 * tuned to r gathers, per labelled call, this share of the evidence the test tuned to the true
 * drop f would (p = 0.3): r = 0.5 → 100 % at f = 0.5, 88 % at f = 0.3; r = 0.3 → 69 % / 100 %;
 * r = 0.4 → 94 % / 96 %, the most even over the range; r = 0.45 → 98.5 % / 93 %. The ×0.5 label
 * is the slow one to catch (half the evidence per call of ×0.3's) and the ×0.3 is caught within
 * a day nine times in ten either way, so the test leans to ×0.5: on the bench's default pool
 * (200 pools a row) ×0.45 catches within a day 0.94 / 0.95 / 0.95 of the ceiling (×0.5 at 5 %,
 * ×0.5 at 1 %, ×0.3 at 1 %) where ×0.4 caught 0.92 / 0.93 / 0.98 and ×0.5 0.94 / 0.84 / 0.93.
 */
export const DEFAULT_DESIGN_RATIO = 0.45;
/** `watch` is where the CUSUM would alarm at a false-alarm rate this many times higher. */
export const WATCH_FACTOR = 10;

/** A false-alarm rate in (0, 0.5], or an InputError naming `field`. */
export function checkFalseAlarmRate(value: number, field = "falseAlarmRate"): number {
  if (!Number.isFinite(value) || value <= 0 || value > 0.5)
    throw new InputError({
      field,
      rule: `must be a number in (0, 0.5] (a probability per number per 21 days), got ${value}`,
    });
  return value;
}

/** A design ratio in (0, 1), or an InputError. */
export function checkDesignRatio(value: number, field = "designRatio"): number {
  if (!Number.isFinite(value) || value <= 0 || value >= 1)
    throw new InputError({
      field,
      rule: `must be a number in (0, 1) (the answer ratio the test is tuned to), got ${value}`,
    });
  return value;
}

export interface Thresholds {
  suspectAt: number;
  watchAt: number;
}

/** What the threshold of one series depends on. */
export interface SeriesLoad {
  /** Hours with calls, and the hours they span (first to last). */
  activeHours: number;
  spanHours: number;
  /** Calls per hour with calls, and the calls-weighted expected answer rate. */
  callsPerHour: number;
  rate: number;
  /** The drop the CUSUM is tuned to (answers × ratio). */
  ratio: number;
  /** The expected rate's relative standard error in an hour (peers' noise); none: known exactly. */
  hourError?: number;
  /** Relative standard error of the number's own level (an error that lasts the whole window). */
  levelError?: number;
  /** The share of the hours after the days the level was read from (the error's reach). */
  afterLevel?: number;
}

/** Hours with calls in 21 days, at the series' pace. */
export function stepsIn21Days(load: SeriesLoad): number {
  const days = Math.max(1, load.spanHours / 24);
  return Math.max(1, (load.activeHours / days) * 21);
}

/**
 * The threshold at which the CUSUM of a series of this load raises false alarms at `alpha` per
 * 21 days (already divided among the tests run on the number: carriers, drop sizes).
 */
export function thresholdFor(load: SeriesLoad, alpha: number): number {
  const steps = stepsIn21Days(load);
  const bound = Math.log(steps / alpha);
  const levelError = Math.min(0.3, load.levelError ?? 0);
  const hourError = Math.min(0.5, load.hourError ?? 0);
  // The level's error is one draw for the whole window: the 21-day rate is averaged over it
  // (Gauss–Hermite), not the hourly hazard — a number read 10 % high alarms far more than one
  // read 10 % low, and the average of 1 − e^−Nλ is what a pool of such numbers shows.
  // The hours of the days the level is read from are counted at no error: the level is fitted
  // to those very answers.
  const after = levelError > 0 ? Math.min(1, Math.max(0, load.afterLevel ?? 1)) : 0;
  const before = 1 - after;
  const falseAlarms = (h: number): number => {
    const settled = crossingRate(load.callsPerHour, load.rate, load.ratio, h, hourError);
    let quiet = 0;
    for (const [z, weight] of levelError > 0 ? NODES : [[0, 1] as const]) {
      const lambda = crossingRate(load.callsPerHour, load.rate, load.ratio, h, hourError, z * levelError);
      quiet += weight * Math.exp(-steps * (before * settled + after * lambda));
    }
    return 1 - quiet;
  };
  // The rate falls about as e^−h: three steps of h ← h + ln(rate(h) / α) settle it.
  let h = bound;
  for (let i = 0; i < 3; i++) {
    const rate = falseAlarms(h);
    if (!(rate > 0)) return bound;
    h = Math.max(0.5, h + Math.log(rate / alpha));
  }
  return Math.min(bound, h);
}

/** `suspect` at the threshold for α, `watch` where it would be for WATCH_FACTOR × α. */
export function thresholdsFor(load: SeriesLoad, alpha: number): Thresholds {
  const suspectAt = thresholdFor(load, alpha);
  const watchAt = Math.max(suspectAt / 2, suspectAt - Math.log(WATCH_FACTOR));
  return { suspectAt, watchAt };
}

/** E[step] under "answers as expected" of an hour of `calls` at rate p, tested against × ratio (negative). */
export function expectedStep(calls: number, p: number, ratio: number): number {
  return calls * (p * Math.log(ratio) + (1 - p) * Math.log((1 - ratio * p) / (1 - p)));
}
