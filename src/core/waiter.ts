/**
 * Polls until a condition settles, in the style of AWS SDK v3 waiters: the delay between polls
 * grows exponentially from `minDelayMs` to `maxDelayMs` with jitter (so many clients do not
 * poll in step), the whole wait is bounded by `maxWaitMs`, and an AbortSignal stops it between
 * or during polls. It returns an outcome instead of throwing for timeout and cancellation,
 * because the caller's next step (roll back, report) depends on which one it was. Time comes
 * from a `Clock` (core/clock/clock.ts), so its tests run in virtual time.
 */
import { type Clock, type Deadline, startDeadline, systemClock } from "./clock/clock.ts";

export type WaiterState = "success" | "failure" | "timeout" | "aborted";

export interface WaiterOptions {
  minDelayMs: number;
  maxDelayMs: number;
  /** Overall deadline for the whole wait, polls included. */
  maxWaitMs: number;
  signal?: AbortSignal | undefined;
  /** Uniform in [0, 1); injectable for tests. */
  random?: () => number;
  /** Called after each poll with what it saw (progress output, metrics). */
  onPoll?: (attempt: number, elapsedMs: number) => void;
  clock?: Clock;
}

export interface WaiterResult<T> {
  state: WaiterState;
  /** The last value polled (absent if no poll completed). */
  last: T | undefined;
  polls: number;
  elapsedMs: number;
}

/** Classifies one polled value: done well, done badly, or not done yet. */
export type Acceptor<T> = (value: T) => "success" | "failure" | "retry";

/**
 * Delay before poll `attempt + 1` (attempt ≥ 1): AWS's formula — uniform between the minimum
 * and the exponentially grown ceiling, capped at the maximum.
 */
export function waiterDelayMs(
  attempt: number,
  minDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(minDelayMs + random() * Math.max(0, ceiling - minDelayMs));
}

export async function waitFor<T>(
  poll: (signal: AbortSignal) => Promise<T>,
  accept: Acceptor<T>,
  options: WaiterOptions,
): Promise<WaiterResult<T>> {
  if (options.minDelayMs < 0 || options.maxDelayMs < options.minDelayMs || options.maxWaitMs < 0)
    throw new RangeError("waiter: need 0 ≤ minDelayMs ≤ maxDelayMs and maxWaitMs ≥ 0");
  const random = options.random ?? Math.random;
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const elapsed = () => clock.now() - started;
  // One signal that fires on the caller's abort AND at the deadline, so a slow poll is cut too.
  const deadline = startDeadline(clock, Math.max(1, Math.ceil(options.maxWaitMs)), options.signal);
  try {
    return await pollUntilSettled(poll, accept, options, { clock, random, elapsed, deadline });
  } finally {
    deadline.dispose();
  }
}

async function pollUntilSettled<T>(
  poll: (signal: AbortSignal) => Promise<T>,
  accept: Acceptor<T>,
  options: WaiterOptions,
  time: { clock: Clock; random: () => number; elapsed: () => number; deadline: Deadline },
): Promise<WaiterResult<T>> {
  const { clock, random, elapsed, deadline } = time;
  const signal = deadline.signal;
  const stopped = (): WaiterState | null =>
    options.signal?.aborted
      ? "aborted"
      : deadline.expired || elapsed() >= options.maxWaitMs
        ? "timeout"
        : null;

  let last: T | undefined;
  let polls = 0;
  for (;;) {
    const early = stopped();
    if (early) return { state: early, last, polls, elapsedMs: elapsed() };
    try {
      last = await poll(signal);
    } catch (error) {
      const why = stopped();
      if (why) return { state: why, last, polls, elapsedMs: elapsed() };
      throw error;
    }
    polls += 1;
    options.onPoll?.(polls, elapsed());
    const verdict = accept(last);
    if (verdict !== "retry") return { state: verdict, last, polls, elapsedMs: elapsed() };
    const remaining = options.maxWaitMs - elapsed();
    if (remaining <= 0) return { state: "timeout", last, polls, elapsedMs: elapsed() };
    // Never sleep past the deadline: wake at it for one last look instead.
    await clock
      .sleep(
        Math.min(waiterDelayMs(polls, options.minDelayMs, options.maxDelayMs, random), remaining),
        signal,
      )
      .catch(() => undefined); // woken by the abort or the deadline: the loop says which
  }
}
