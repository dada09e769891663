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

/**
 * The most calls (the given one included) that the dialer could place within less than
 * `windowMs` of one another in a set that holds `call`, over `call` and `others`. A cap of `max`
 * is broken by adding `call` iff this exceeds `max`.
 *
 * Every violating set has an earliest-ending member u: all its members end at or after u's end
 * and start before u's end + W. So it is enough to try each end as u and count the intervals
 * that qualify, keeping the counts that include `call` (O(n²): a phone or an account has a few
 * attempts in a week).
 */
export function mostWithin(call: DialInterval, others: readonly DialInterval[], windowMs: number): number {
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
