import type { Thresholds } from "./calibration.ts";
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
  /** Status changes, in order (the service's suspect/cleared events). */
  changes: Array<{ index: number; status: CallerIdStatus }>;
}

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
): CusumRun {
  const logRatio = Math.log(ratio);
  let s = 0;
  let status: CallerIdStatus = "ok";
  let sinceIndex: number | undefined;
  let onsetIndex: number | undefined;
  let excursionStart: number | undefined;
  let firstSuspectIndex: number | undefined;
  const changes: Array<{ index: number; status: CallerIdStatus }> = [];
  for (let i = 0; i < hours.length; i++) {
    const h = hours[i] as HourCount;
    const p = rates[i] as number;
    const step = h.answered * logRatio + (h.calls - h.answered) * Math.log((1 - ratio * p) / (1 - p));
    const before = s;
    s = Math.max(0, s + step);
    if (s > 0 && before === 0) excursionStart = i;
    if (s === 0) excursionStart = undefined;
    let next: CallerIdStatus;
    if (s >= thresholds.suspectAt || (status === "suspect" && s >= thresholds.watchAt)) next = "suspect";
    else if (s >= thresholds.watchAt) next = "watch";
    else next = "ok";
    if (next === "suspect" && firstSuspectIndex === undefined) firstSuspectIndex = i;
    if (next !== status) {
      status = next;
      sinceIndex = next === "ok" ? undefined : i;
      onsetIndex = next === "ok" ? undefined : excursionStart;
      changes.push({ index: i, status: next });
    }
  }
  return { statistic: s, status, sinceIndex, onsetIndex, firstSuspectIndex, changes };
}
