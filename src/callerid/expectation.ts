import type { HealthOptions, HourCount, Series } from "./types.ts";

/**
 * Pseudo-calls at the peers' smooth (their day × their hour of day) added to an hour's peer
 * counts: on 20 numbers of 120 calls a day the hour's own ~200 peer calls still weigh two thirds
 * (a bad afternoon shows), and a small pool's hours lean on the smooth instead of their noise.
 */
const PEER_PRIOR_CALLS = 100;
/** Pseudo-calls at the overall rate on a day's or an hour of day's peer rate. */
const SMOOTH_PRIOR_CALLS = 10;
/** Expected rates are kept off 0 and 1 (the log-likelihood ratio is finite). */
const FLOOR = 0.002;

const clamp = (p: number): number => Math.min(1 - FLOOR, Math.max(FLOOR, p));

/** The parts of each hour's relative error (standard errors), and the day and hour of day they are shared by. */
export interface HourErrors {
  own: number[];
  day: number[];
  ofDay: number[];
}

/** Numbers calling one campaign's list on one carrier: each is compared with the others. */
export interface Cohort {
  hours: Map<number, { calls: number; answered: number }>;
  /** The same counts by UTC day and by hour of day (the smooth the hour's rate leans on). */
  days: Map<number, { calls: number; answered: number }>;
  hoursOfDay: Map<number, { calls: number; answered: number }>;
  calls: number;
  answered: number;
  members: number;
}

type Counts = Map<number, { calls: number; answered: number }>;

function addTo(map: Counts, key: number, calls: number, answered: number): void {
  const cell = map.get(key) ?? { calls: 0, answered: 0 };
  cell.calls += calls;
  cell.answered += answered;
  map.set(key, cell);
}

/** Calls and answers of some hours by UTC hour, by UTC day and by hour of day. */
function countsOf(hoursOf: Iterable<readonly HourCount[]>): Omit<Cohort, "members"> {
  const hours: Counts = new Map();
  const days: Counts = new Map();
  const hoursOfDay: Counts = new Map();
  let calls = 0;
  let answered = 0;
  for (const list of hoursOf)
    for (const h of list) {
      addTo(hours, h.hour, h.calls, h.answered);
      addTo(days, Math.floor(h.hour / 24), h.calls, h.answered);
      addTo(hoursOfDay, h.hour % 24, h.calls, h.answered);
      calls += h.calls;
      answered += h.answered;
    }
  return { hours, days, hoursOfDay, calls, answered };
}

/**
 * The cohort's counts. `visible` (per series) gives the hours a series lends its peers: a number
 * found suspect is left out of its peers' expectation over its suspect hours (health.ts), so a
 * pool with several labelled numbers does not lower every other number's expected rate (issue 91
 * §4: clean numbers then look better than they are, and labelled ones less labelled).
 */
export function cohortOf(
  series: readonly Series[],
  visible?: ReadonlyMap<Series, readonly HourCount[]>,
): Cohort {
  return { ...countsOf(series.map((s) => visible?.get(s) ?? s.hours)), members: series.length };
}

/** The peers' answers over calls in a cell: the cohort's minus the series' own. */
function peerRate(all: Counts, own: Counts, key: number, prior: number, at: number): number {
  const a = all.get(key) ?? { calls: 0, answered: 0 };
  const o = own.get(key) ?? { calls: 0, answered: 0 };
  return (a.answered - o.answered + prior * at) / (a.calls - o.calls + prior);
}

/**
 * The expected answer rate of each of the series' hours.
 *
 * With peers: the other numbers' answers over their calls in the same hour (plus
 * PEER_PRIOR_CALLS at their day × hour-of-day smooth), so a list-wide bad day, an ageing list or the hour's
 * own answer pattern moves the expectation, not the verdict; `baseline` is the number's answers
 * and peer-expected answers over its first `baselineDays`, from which health.ts sets the number's
 * own level (levels.ts, over all its carriers' series) and multiplies the rates by it. Without
 * peers: the number's own rate over its first `baselineDays`, times the strategy model's pattern
 * of the hour when given (HourCount.shape, read at the called parties' local hours).
 */
export function expectedRates(
  series: Series,
  cohort: Cohort,
  options: HealthOptions,
  /** The series' hours counted in `cohort` (all of them unless it was left out of some). */
  inCohort: readonly HourCount[] = series.hours,
): {
  rates: number[];
  source: "peers" | "baseline";
  peers: number;
  baseline?: { answered: number; expected: number; calls: number };
  /** The rates' relative standard error in an hour (root mean square over the hours). */
  hourError?: number;
  /**
   * Each hour's relative error in its three parts (the null simulation draws them): the hour's own
   * peer calls (its own draw), the peers' day (one draw a day, shared by the day's hours) and their
   * hour of day (one draw an hour of day, shared by every day): standard errors, by weight.
   */
  hourErrors?: HourErrors;
} {
  const own = totals(inCohort);
  const peerCalls = cohort.calls - own.calls;
  if (cohort.members > 1 && peerCalls > 0) {
    const overall = (cohort.answered - own.answered) / peerCalls;
    const mine = countsOf([inCohort]);
    const NONE = { calls: 0, answered: 0 };
    let variance = 0;
    const hourErrors: HourErrors = { own: [], day: [], ofDay: [] };
    const peerRates = series.hours.map((h) => {
      const all = cohort.hours.get(h.hour) ?? NONE;
      const lent = mine.hours.get(h.hour) ?? NONE;
      const calls = all.calls - lent.calls;
      const answered = all.answered - lent.answered;
      // The hour leans on the peers' day × their hour of day (thousands of calls each): a bad
      // day and the hour's pattern, read with far less noise than the hour alone.
      const dayKey = Math.floor(h.hour / 24);
      const day = peerRate(cohort.days, mine.days, dayKey, SMOOTH_PRIOR_CALLS, overall);
      const ofDay = peerRate(cohort.hoursOfDay, mine.hoursOfDay, h.hour % 24, SMOOTH_PRIOR_CALLS, overall);
      const smooth = overall > 0 ? clamp((day * ofDay) / overall) : overall;
      const rate = clamp((answered + PEER_PRIOR_CALLS * smooth) / (calls + PEER_PRIOR_CALLS));
      // Its relative variance: the hour's peer calls (binomial) by their weight, the smooth's
      // (its day's and its hour of day's calls) by the prior's.
      const w = calls / (calls + PEER_PRIOR_CALLS);
      const odds = (1 - rate) / rate;
      const smoothCalls = (m: Counts, own: Counts, key: number) =>
        (m.get(key)?.calls ?? 0) - (own.get(key)?.calls ?? 0) + SMOOTH_PRIOR_CALLS;
      const dayVariance = odds / smoothCalls(cohort.days, mine.days, dayKey);
      const ofDayVariance = odds / smoothCalls(cohort.hoursOfDay, mine.hoursOfDay, h.hour % 24);
      const ownVariance = calls > 0 ? (w * w * odds) / calls : 0;
      variance += ownVariance + (1 - w) ** 2 * (dayVariance + ofDayVariance);
      hourErrors.own.push(Math.sqrt(ownVariance));
      hourErrors.day.push((1 - w) * Math.sqrt(dayVariance));
      hourErrors.ofDay.push((1 - w) * Math.sqrt(ofDayVariance));
      return rate;
    });
    return {
      rates: peerRates,
      source: "peers",
      peers: cohort.members - 1,
      baseline: baselineOf(series, peerRates, options.baselineDays ?? 7),
      hourError: Math.sqrt(variance / Math.max(1, series.hours.length)),
      hourErrors,
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
): { answered: number; expected: number; calls: number } {
  const end = (series.hours[0]?.hour ?? 0) + baselineDays * 24;
  let answered = 0;
  let expected = 0;
  let calls = 0;
  series.hours.forEach((h, i) => {
    if (h.hour >= end) return;
    answered += h.answered;
    calls += h.calls;
    expected += h.calls * (peerRates[i] as number);
  });
  return { answered, expected, calls };
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
