/**
 * Failed sign-ins are limited per client address and per user name: after `maxFailures` within
 * `windowMs`, further attempts are refused (429, with when to try again) until the oldest failure
 * leaves the window. Guessing a password online then takes years; a mistyped one costs a wait.
 * Counted in memory, per instance (each instance of several limits on its own).
 */
export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  private readonly options: { maxFailures: number; windowMs: number };
  private readonly now: () => number;

  constructor(
    options: { maxFailures: number; windowMs: number } = { maxFailures: 5, windowMs: 15 * 60_000 },
    now: () => number = Date.now,
  ) {
    this.options = options;
    this.now = now;
  }

  /** Milliseconds until an attempt for these keys is allowed (0: now). */
  waitMs(keys: readonly string[]): number {
    const now = this.now();
    let wait = 0;
    for (const key of keys) {
      const times = this.recent(key, now);
      if (times.length >= this.options.maxFailures)
        wait = Math.max(
          wait,
          (times[times.length - this.options.maxFailures] as number) + this.options.windowMs - now,
        );
    }
    return wait;
  }

  fail(keys: readonly string[]): void {
    const now = this.now();
    for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeed(keys: readonly string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.options.windowMs);
    if (times.length === 0) this.failures.delete(key);
    return times;
  }
}
