import { InputError } from "../core/input-error.ts";

/**
 * The thresholds of the sequential test, from the false-alarm rate asked for.
 *
 * The test is a CUSUM of the log-likelihood ratio of "answers × designRatio" against "answers as
 * expected", one step per hour with calls. Under "as expected", exp(LLR summed from any start) is
 * a martingale, so by Ville's inequality the CUSUM restarted at one step ever reaches h with
 * probability at most e^-h; a run of N steps has at most N starts, so a false alarm within N
 * steps has probability at most N·e^-h. With N the number's hours with calls in 21 days,
 * h = ln(N / α) keeps false alarms at or under α per number per 21 days.
 *
 * That bound ignores how fast the statistic falls back between excursions: when an hour holds
 * few calls (a quiet number, one carrier's share of it) the expected step under "as expected",
 * μ0 < 0, is small and most hours start no excursion worth counting. Siegmund's approximation of
 * the CUSUM's run length to a false alarm, ARL0 ≈ (e^h − h − 1) / |μ0| steps, gives
 * P(false alarm within N steps) ≈ N·|μ0| / (e^h − h − 1); the threshold is the smaller of the
 * two solutions (never above the bound's), the approximation asked for SIEGMUND_MARGIN × α
 * (it runs a little high on hours of few calls: one carrier's share of a number).
 * bench/callerid.bench.ts measures the false alarms this gives against the rate asked.
 */

export const DEFAULT_FALSE_ALARM_RATE = 0.01;
export const DEFAULT_DESIGN_RATIO = 0.5;
/** The share of α the approximation is solved for (bench: 5.5% measured at 5% without it, per carrier). */
export const SIEGMUND_MARGIN = 0.7;
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

/**
 * Thresholds for a series with `activeHours` hours with calls over `spanHours` hours, tested
 * at `alpha` per 21 days (already divided among a number's carriers when split).
 */
export function thresholdsFor(
  activeHours: number,
  spanHours: number,
  alpha: number,
  meanStep = -1,
): Thresholds {
  const days = Math.max(1, spanHours / 24);
  const stepsIn21Days = Math.max(1, (activeHours / days) * 21);
  const bound = Math.log(stepsIn21Days / alpha);
  const suspectAt = Math.min(
    bound,
    siegmundThreshold(stepsIn21Days * Math.abs(meanStep), alpha * SIEGMUND_MARGIN),
  );
  const watchAt = Math.max(suspectAt / 2, suspectAt - Math.log(WATCH_FACTOR));
  return { suspectAt, watchAt };
}

/** The h where drift / (e^h − h − 1) = α (bisection: the left side falls with h). */
function siegmundThreshold(drift: number, alpha: number): number {
  if (!(drift > 0)) return Number.POSITIVE_INFINITY;
  let lo = 1e-6;
  let hi = 60;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (drift / (Math.exp(mid) - mid - 1) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** E[step] under "answers as expected" of an hour of `calls` at rate p, tested against × ratio (negative). */
export function expectedStep(calls: number, p: number, ratio: number): number {
  return calls * (p * Math.log(ratio) + (1 - p) * Math.log((1 - ratio * p) / (1 - p)));
}
