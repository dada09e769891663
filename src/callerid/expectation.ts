import type { HealthOptions, HourCount, Series } from "./types.ts";

/** Pseudo-calls of the cohort's overall rate added to an hour's peer counts (an hour with few peer calls leans on the cohort's rate). */
const PEER_PRIOR_CALLS = 10;
/** Expected answers of prior weight on a number's own level (its first days move it from 1 by their evidence). */
const LEVEL_PRIOR = 30;
/** A number's own level is held within 1 ± this (a label is a drop of a third or more). */
const LEVEL_RANGE = 0.2;
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
 * own answer pattern moves the expectation, not the verdict; `baseline` is the number's answers
 * and peer-expected answers over its first `baselineDays`, from which health.ts sets the number's
 * own level (`levelOf`, over all its carriers' series) and multiplies the rates by it. Without
 * peers: the number's own rate over its first `baselineDays`, times the strategy model's pattern
 * of the hour when given (HourCount.shape, read at the called parties' local hours).
 */
export function expectedRates(
  series: Series,
  cohort: Cohort,
  options: HealthOptions,
): {
  rates: number[];
  source: "peers" | "baseline";
  peers: number;
  baseline?: { answered: number; expected: number };
  /** Peer calls per hour (with the prior's) the rates were read from. */
  peerCallsPerHour?: number;
} {
  const own = totals(series.hours);
  const peerCalls = cohort.calls - own.calls;
  if (cohort.members > 1 && peerCalls > 0) {
    const overall = (cohort.answered - own.answered) / peerCalls;
    let peerCallSum = 0;
    const peerRates = series.hours.map((h) => {
      const all = cohort.hours.get(h.hour) as { calls: number; answered: number };
      const calls = all.calls - h.calls;
      peerCallSum += calls + PEER_PRIOR_CALLS;
      const answered = all.answered - h.answered;
      return clamp((answered + PEER_PRIOR_CALLS * overall) / (calls + PEER_PRIOR_CALLS));
    });
    return {
      rates: peerRates,
      source: "peers",
      peers: cohort.members - 1,
      baseline: baselineOf(series, peerRates, options.baselineDays ?? 7),
      peerCallsPerHour: peerCallSum / Math.max(1, series.hours.length),
    };
  }
  const baselineEnd = (series.hours[0]?.hour ?? 0) + (options.baselineDays ?? 7) * 24;
  // The hour's pattern from the strategy model (HourCount.shape: the called parties' local hours);
  // the level is answers per unit of that pattern, with a Beta(1, 1) prior (a handful of calls
  // does not set a level of 0 or 1).
  let answered = 0;
  let weight = 0;
  for (const h of series.hours)
    if (h.hour < baselineEnd) {
      answered += h.answered;
      weight += h.shape ?? h.calls;
    }
  const level = (answered + 1) / (weight + 2);
  return {
    rates: series.hours.map((h) => clamp(level * (h.calls > 0 ? (h.shape ?? h.calls) / h.calls : 1))),
    source: "baseline",
    peers: 0,
  };
}

/** Answers and peer-expected answers over the series' first `baselineDays`. */
function baselineOf(
  series: Series,
  peerRates: readonly number[],
  baselineDays: number,
): { answered: number; expected: number } {
  const end = (series.hours[0]?.hour ?? 0) + baselineDays * 24;
  let answered = 0;
  let expected = 0;
  series.hours.forEach((h, i) => {
    if (h.hour >= end) return;
    answered += h.answered;
    expected += h.calls * (peerRates[i] as number);
  });
  return { answered, expected };
}

/**
 * A number's own level against its peers (answers ÷ peer-expected answers over its first days,
 * all its carriers together), shrunk towards 1 by LEVEL_PRIOR expected answers and held within
 * [1 − LEVEL_RANGE, 1 + LEVEL_RANGE]: numbers differ (area codes, local presence), and a number
 * that always answers 10 % under its peers is not labelled. Read from the first days only, so a
 * drop later in the window is not absorbed; held in a range, so a number labelled before the
 * window still stands out.
 */
export function levelOf(baseline: { answered: number; expected: number }): number {
  const level = (baseline.answered + LEVEL_PRIOR) / (baseline.expected + LEVEL_PRIOR);
  return Math.min(1 + LEVEL_RANGE, Math.max(1 - LEVEL_RANGE, level));
}

/** The rates times a level, kept off 0 and 1. */
export function levelled(rates: readonly number[], level: number): number[] {
  return rates.map((p) => clamp(p * level));
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
