/**
 * Frequency caps over dial intervals (issue 62 §3). A pushed attempt is not an instant: the
 * dialer may place it anywhere in `[startMs, endMs]` (its call-request time and stale window);
 * an attempt already made is a point (`endMs = startMs`). A cap of `max` calls in any rolling
 * window W is broken by a set of calls iff dial times can be chosen in their intervals that all
 * fall within less than W of each other, i.e. iff (latest start − earliest end) < W (choose every
 * call as close to the earliest-ending one as its interval allows). With every interval of the
 * same length s this is the point cap on start times with window W + s; history points mixed in
 * need the general form, which is this file's.
 *
 * Pure: no clock, no I/O.
 */
export interface DialInterval {
  startMs: number;
  /** The last instant it may be dialled (= startMs for an attempt already made). */
  endMs: number;
}

/** A set of dial intervals indexed for mostWithin: built once, asked for many calls. */
export interface IntervalIndex {
  intervals: readonly DialInterval[];
  /** Ends and starts, each ascending. */
  ends: number[];
  starts: number[];
  /** Every interval starts at or before its end (what the sorted count relies on). */
  wellFormed: boolean;
}

export function indexIntervals(intervals: readonly DialInterval[]): IntervalIndex {
  return {
    intervals,
    ends: intervals.map((o) => o.endMs).sort(ascending),
    starts: intervals.map((o) => o.startMs).sort(ascending),
    wellFormed: intervals.every((o) => o.startMs <= o.endMs),
  };
}

/**
 * The most calls (the given one included) that the dialer could place within less than
 * `windowMs` of one another in a set that holds `call`, over `call` and `others`. A cap of `max`
 * is broken by adding `call` iff this exceeds `max`.
 *
 * Every violating set has an earliest-ending member u: all its members end at or after u's end
 * and start before u's end + W. So it is enough to try each end as u and count the intervals
 * that qualify, keeping the counts that include `call` (only ends u with u + W > call's start
 * and u ≤ call's end). An interval that starts at or after u + W also ends after u, so the count
 * for u is (ends ≥ u) − (starts ≥ u + W): binary searches in the index's sorted ends and starts.
 * The planner asks this for every candidate slot of every attempt over all of a campaign's
 * attempts; the direct O(n²) count was half of test/strategy/plan-properties.test.ts's CPU.
 * Intervals given backwards (start after end) or a window ≤ 0 take the direct count.
 */
export function mostWithin(
  call: DialInterval,
  others: readonly DialInterval[] | IntervalIndex,
  windowMs: number,
): number {
  const index = "ends" in others ? others : indexIntervals(others);
  if (!(windowMs > 0) || !index.wellFormed) return directCount(call, index.intervals, windowMs);
  const { ends, starts } = index;
  let most = 1;
  const tryEnd = (u: number) => {
    if (!(call.endMs >= u && call.startMs < u + windowMs)) return;
    const count =
      1 +
      ends.length -
      firstWhere(ends, (e) => e >= u) -
      starts.length +
      firstWhere(starts, (t) => t >= u + windowMs);
    if (count > most) most = count;
  };
  tryEnd(call.endMs);
  for (let i = firstWhere(ends, (u) => call.startMs < u + windowMs); i < ends.length; i++) {
    const u = ends[i] as number;
    if (u > call.endMs) break;
    tryEnd(u);
  }
  return most;
}

const ascending = (a: number, b: number) => a - b;

/** The first index of ascending `sorted` where monotone `test` holds (its length if none). */
function firstWhere(sorted: readonly number[], test: (value: number) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (test(sorted[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The definition itself, O(n²): for inputs the sorted count's reasoning does not cover. */
export function directCount(call: DialInterval, others: readonly DialInterval[], windowMs: number): number {
  let most = 1;
  const ends = [call.endMs, ...others.map((o) => o.endMs)];
  for (const u of ends) {
    if (!(call.endMs >= u && call.startMs < u + windowMs)) continue;
    let count = 1;
    for (const o of others) if (o.endMs >= u && o.startMs < u + windowMs) count++;
    if (count > most) most = count;
  }
  return most;
}
