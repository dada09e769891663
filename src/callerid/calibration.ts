import { InputError } from "../core/input-error.ts";
import { crossingRate } from "./crossing-rate.ts";

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
 * The expectation is read from peers (expectation.ts), not known. Its noise in each hour (from
 * the peers' calls that hour) is in the chain; the number's own level, read once from its first
 * days, is an error that lasts the whole window, which the chain does not model: for that the
 * chain is solved for CHAIN_MARGIN × α. bench/callerid.bench.ts measures the false alarms this
 * gives against the rate asked, on the default pool and on the unseen shape.
 */

export const DEFAULT_FALSE_ALARM_RATE = 0.01;
export const DEFAULT_DESIGN_RATIO = 0.5;
/**
 * The share of α the chain is solved for: the number's own level is read from its first days,
 * an error the chain does not model. Set on the default pool (not the unseen shape): false
 * alarms 0.9–1.03 × α without it (1 % and 5 %, 3,800 numbers each).
 */
export const CHAIN_MARGIN = 0.8;
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
  /** Peer calls per hour the expectation is read from (its noise); none: known exactly. */
  peerCallsPerHour?: number;
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
  const peers = load.peerCallsPerHour;
  const error =
    peers === undefined || !(load.rate > 0)
      ? 0
      : Math.sqrt((1 - load.rate) / (load.rate * Math.max(1, peers)));
  const falseAlarms = (h: number): number =>
    1 - Math.exp(-steps * crossingRate(load.callsPerHour, load.rate, load.ratio, h, Math.min(0.5, error)));
  // The rate falls about as e^−h: three steps of h ← h + ln(rate(h) / α) settle it.
  let h = bound;
  for (let i = 0; i < 3; i++) {
    const rate = falseAlarms(h);
    if (!(rate > 0)) return bound;
    h = Math.max(0.5, h + Math.log(rate / (alpha * CHAIN_MARGIN)));
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
