/**
 * Polls until a condition settles, in the style of AWS SDK v3 waiters: the delay between polls
 * grows exponentially from `minDelayMs` to `maxDelayMs` with jitter (so many clients do not
 * poll in step), the whole wait is bounded by `maxWaitMs`, and an AbortSignal stops it between
 * or during polls. It returns an outcome instead of throwing for timeout and cancellation,
 * because the caller's next step (roll back, report) depends on which one it was.
 */
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

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

export async function waitFor<T>(
  poll: (signal: AbortSignal) => Promise<T>,
  accept: Acceptor<T>,
  options: WaiterOptions,
): Promise<WaiterResult<T>> {
  if (options.minDelayMs < 0 || options.maxDelayMs < options.minDelayMs || options.maxWaitMs < 0)
    throw new RangeError("waiter: need 0 ≤ minDelayMs ≤ maxDelayMs and maxWaitMs ≥ 0");
  const random = options.random ?? Math.random;
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  // One signal that fires on the caller's abort AND at the deadline, so a slow poll is cut too.
  const deadline = AbortSignal.timeout(Math.max(1, Math.ceil(options.maxWaitMs)));
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const stopped = (): WaiterState | null =>
    options.signal?.aborted
      ? "aborted"
      : deadline.aborted || elapsed() >= options.maxWaitMs
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
    await sleep(
      Math.min(waiterDelayMs(polls, options.minDelayMs, options.maxDelayMs, random), remaining),
      signal,
    );
  }
}
