/**
 * Client-side rate limiting for one endpoint group (all callers of the group share it).
 *
 * A sliding-window token bucket: the bucket holds `limit` tokens; a request holds one while it
 * is in flight, and the token comes back one window after the request's ANSWER arrived. The
 * server saw the request somewhere between our send and its answer, so two requests that use
 * the same token reach the server at least a window apart, whatever the network latency: no
 * window of that length ever holds more than `limit` arrivals at the server — the property its
 * own limiter checks. A burst up to the limit still goes at once, and late timers never lose
 * budget. (A classic refill-rate bucket with capacity B lets B + R requests into one window,
 * and counting our send times instead of answers lets latency jitter overfill a window.)
 *
 * On top of it:
 * - a concurrency cap (in-flight requests of the group);
 * - `throttled(ms, sentAt)`: a 429 pauses the WHOLE group — every waiting and retrying caller —
 *   until the server's Retry-After has passed, and halves the limit (multiplicative decrease)
 *   ONCE per congestion event: the answers to requests sent before the last decrease, or
 *   arriving within a window of it or before its pause ends, are the same event. (Halving on
 *   each of 8 in-flight 429s took a group from 100/s to 1/s.)
 * - each window of successes without a throttle raises the limit again by a tenth of the
 *   configured one (additive increase), back up to the configured limit.
 * - the wake timer exists only while someone waits: a process never stays up for a limiter.
 */
import { type Clock, systemClock, type Timer } from "../clock/clock.ts";

export interface RateLimitOptions {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
  /** Requests of this group in flight at once. */
  concurrency?: number;
  /** The limit never adapts below this. */
  minLimit?: number;
  clock?: Clock;
}

export interface RateLimitState {
  name: string;
  configuredLimit: number;
  currentLimit: number;
  windowMs: number;
  inFlight: number;
  waiting: number;
  pausedForMs: number;
  throttles: number;
  pauses: number;
  /** Multiplicative decreases (one per congestion event). */
  decreases: number;
  /** Slots granted since the group was created. */
  granted: number;
  /** Processes sharing the limit (1 unless a rate budget is shared through the store). */
  holders: number;
}

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class RateLimitGroup {
  readonly name: string;
  private readonly configuredLimit: number;
  readonly windowMs: number;
  private readonly concurrency: number;
  private readonly minLimit: number;
  private readonly clock: Clock;

  private currentLimit: number;
  /** The most this process may use: the configured limit, or its share when processes share it. */
  private ceiling: number;
  private holders = 1;
  /** When each recently returned token becomes usable again, earliest first. */
  private readonly cooling: number[] = [];
  private readonly waiters: Waiter[] = [];
  private inFlight = 0;
  private pausedUntil = 0;
  private timer: Timer | undefined;
  private timerAt = 0;
  private successesSinceChange = 0;
  private throttles = 0;
  private pauses = 0;
  private decreases = 0;
  private granted = 0;
  /** When the last multiplicative decrease happened, and until when later 429s are its echo. */
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private congestionUntil = Number.NEGATIVE_INFINITY;

  constructor(name: string, options: RateLimitOptions) {
    if (!(options.limit >= 1)) throw new RangeError(`rate limit of group ${name} must be >= 1`);
    this.name = name;
    this.configuredLimit = Math.floor(options.limit);
    this.currentLimit = this.configuredLimit;
    this.ceiling = this.configuredLimit;
    this.windowMs = options.windowMs;
    this.concurrency = options.concurrency ?? Number.POSITIVE_INFINITY;
    this.minLimit = Math.max(1, Math.min(options.minLimit ?? 1, this.configuredLimit));
    // Monotonic and sub-millisecond (the system clock is performance.now()): Date.now() is
    // wall-clock time in whole milliseconds, so a token could come back up to 1 ms early (CI saw
    // 21 sends in a 1 s window at R = 20), and a clock step would release or stall every token.
    this.clock = options.clock ?? systemClock;
  }

  private now(): number {
    return this.clock.now();
  }

  /** Waits for a slot; resolves with the function that gives it back (call it exactly once). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          this.clearTimerIfIdle();
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      this.pump();
    });
  }

  /**
   * The server said 429 (or a throttling 503) to a request sent at `sentAt`: pause everyone for
   * `retryAfterMs`, and lower the rate unless this answer belongs to a congestion event already
   * answered with a decrease.
   */
  throttled(retryAfterMs: number, sentAt: number = this.now()): void {
    this.throttles += 1;
    const now = this.now();
    const until = now + Math.max(0, retryAfterMs);
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      this.pauses += 1;
    }
    const sameEvent = sentAt < this.lastDecreaseAt || now < this.congestionUntil;
    if (!sameEvent) {
      this.currentLimit = Math.max(this.minLimit, Math.floor(this.currentLimit / 2));
      this.decreases += 1;
      this.lastDecreaseAt = now;
      this.successesSinceChange = 0;
    }
    // Answers arriving within a window of the decrease, or before the pause ends, are its echo.
    this.congestionUntil = Math.max(this.congestionUntil, now + this.windowMs, this.pausedUntil);
    this.pump();
  }

  /**
   * `holders` processes share this group's limit (rate-budget.ts): this one may use its share.
   * A limit at its old ceiling moves to the new one; one lowered by throttling stays below it.
   */
  setShare(holders: number): void {
    const count = Math.max(1, Math.floor(holders));
    const ceiling = Math.max(this.minLimit, Math.floor(this.configuredLimit / count));
    this.holders = count;
    if (ceiling === this.ceiling) return;
    const atCeiling = this.currentLimit >= this.ceiling;
    this.ceiling = ceiling;
    this.currentLimit = atCeiling ? ceiling : Math.min(this.currentLimit, ceiling);
    this.pump();
  }

  /** Holds every caller for `ms` without counting a throttle (a process joining a shared budget). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.max(0, ms));
    this.pump();
  }

  /** A request of the group succeeded: count towards the next additive increase. */
  succeeded(): void {
    if (this.currentLimit >= this.ceiling) return;
    this.successesSinceChange += 1;
    if (this.successesSinceChange >= this.currentLimit) {
      const step = Math.max(1, Math.round(this.ceiling / 10));
      this.currentLimit = Math.min(this.ceiling, this.currentLimit + step);
      this.successesSinceChange = 0;
      this.pump();
    }
  }

  /**
   * Requests the group's window could take now: its free tokens less those that callers already
   * wait for (0 while a 429 pauses it). For work that can be put off (a watcher's
   * periodic sweep): it goes only while the budget has room, so the calls that cannot wait do
   * not queue behind it.
   */
  free(): number {
    const now = this.now();
    if (now < this.pausedUntil) return 0;
    const cooling = this.cooling.filter((at) => at > now).length;
    // The window's budget, not the concurrency cap: a request over the cap waits milliseconds.
    return Math.max(0, this.currentLimit - cooling - this.inFlight - this.waiters.length);
  }

  state(): RateLimitState {
    return {
      name: this.name,
      configuredLimit: this.configuredLimit,
      currentLimit: this.currentLimit,
      windowMs: this.windowMs,
      inFlight: this.inFlight,
      waiting: this.waiters.length,
      pausedForMs: Math.max(0, this.pausedUntil - this.now()),
      throttles: this.throttles,
      pauses: this.pauses,
      decreases: this.decreases,
      granted: this.granted,
      holders: this.holders,
    };
  }

  private release(): void {
    this.inFlight -= 1;
    // Release times only grow, so pushing keeps `cooling` sorted.
    this.cooling.push(this.now() + this.windowMs);
    this.pump();
  }

  private pump(): void {
    while (this.waiters.length > 0) {
      const now = this.now();
      if (now < this.pausedUntil) {
        this.wakeAt(this.pausedUntil);
        return;
      }
      if (this.inFlight >= this.concurrency) return; // a release will pump again
      while (this.cooling.length > 0 && this.cooling[0]! <= now) this.cooling.shift();
      const free = this.currentLimit - this.inFlight - this.cooling.length;
      if (free <= 0) {
        if (this.inFlight >= this.currentLimit) return; // a release will pump again
        // Wait for enough cooling tokens to come back for one more request.
        this.wakeAt(this.cooling[-free]!);
        return;
      }
      const waiter = this.waiters.shift()!;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort);
      this.inFlight += 1;
      this.granted += 1;
      this.clearTimerIfIdle();
      let released = false;
      waiter.resolve(() => {
        if (released) return;
        released = true;
        this.release();
      });
    }
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.clock.setTimer(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, at - this.now()),
    );
  }

  /** Nobody waits: no timer may keep the process (or a test) alive for up to a window. */
  private clearTimerIfIdle(): void {
    if (this.waiters.length > 0 || !this.timer) return;
    this.timer.cancel();
    this.timer = undefined;
  }
}
