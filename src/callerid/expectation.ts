import type { HealthOptions, HourCount, Series } from "./types.ts";

const HOUR_MS = 3_600_000;
/** Pseudo-calls of the cohort's overall rate added to an hour's peer counts (an hour with few peer calls leans on the cohort's rate). */
const PEER_PRIOR_CALLS = 10;
/** Expected rates are kept off 0 and 1 (the log-likelihood ratio is finite). */
const FLOOR = 0.002;

const clamp = (p: number): number => Math.min(1 - FLOOR, Math.max(FLOOR, p));

/** Numbers calling one campaign's list on one carrier: each is compared with the others. */
export interface Cohort {
  hours: Map<number, { calls: number; answered: number }>;
  calls: number;
  answered: number;
  members: number;
}

export function cohortOf(series: readonly Series[]): Cohort {
  const hours = new Map<number, { calls: number; answered: number }>();
  let calls = 0;
  let answered = 0;
  for (const s of series)
    for (const h of s.hours) {
      const cell = hours.get(h.hour) ?? { calls: 0, answered: 0 };
      cell.calls += h.calls;
      cell.answered += h.answered;
      hours.set(h.hour, cell);
      calls += h.calls;
      answered += h.answered;
    }
  return { hours, calls, answered, members: series.length };
}

/**
 * The expected answer rate of each of the series' hours.
 *
 * With peers: the other numbers' answers over their calls in the same hour (plus
 * PEER_PRIOR_CALLS at their overall rate), so a list-wide bad day, an ageing list or the hour's
 * own answer pattern moves the expectation, not the verdict. Without peers: the number's own
 * rate over its first `baselineDays`, times the strategy model's shape of the hour when given.
 */
export function expectedRates(
  series: Series,
  cohort: Cohort,
  options: HealthOptions,
): { rates: number[]; source: "peers" | "baseline"; peers: number } {
  const own = totals(series.hours);
  const peerCalls = cohort.calls - own.calls;
  if (cohort.members > 1 && peerCalls > 0) {
    const overall = (cohort.answered - own.answered) / peerCalls;
    const rates = series.hours.map((h) => {
      const all = cohort.hours.get(h.hour) as { calls: number; answered: number };
      const calls = all.calls - h.calls;
      const answered = all.answered - h.answered;
      return clamp((answered + PEER_PRIOR_CALLS * overall) / (calls + PEER_PRIOR_CALLS));
    });
    return { rates, source: "peers", peers: cohort.members - 1 };
  }
  const baselineEnd = (series.hours[0]?.hour ?? 0) + (options.baselineDays ?? 7) * 24;
  const base = totals(series.hours.filter((h) => h.hour < baselineEnd));
  // Beta(1, 1) prior: a number with a handful of calls does not set a level of 0 or 1.
  const level = (base.answered + 1) / (base.calls + 2);
  const shape = options.modelShape ?? (() => 1);
  return {
    rates: series.hours.map((h) => clamp(level * shape(h.hour * HOUR_MS))),
    source: "baseline",
    peers: 0,
  };
}

export function totals(hours: readonly HourCount[]): { calls: number; answered: number } {
  let calls = 0;
  let answered = 0;
  for (const h of hours) {
    calls += h.calls;
    answered += h.answered;
  }
  return { calls, answered };
}
