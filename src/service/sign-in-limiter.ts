import { clockNowMs } from "../core/clock/now.ts";
/**
 * Failed sign-ins (and wrong bearer tokens) are limited, counted in memory per instance:
 *
 * - **per client address**: `maxFailures` failures within `windowMs` from one address (whatever
 *   names it tried) and that address waits (429, with when to try again) until the oldest failure
 *   leaves the window. Guessing a password online then takes years; a mistyped one costs a wait.
 * - **per name**: once a name has `maxFailures` failures within the window from all addresses
 *   together, every address that has itself failed for that name waits too (a guesser spread
 *   over many addresses gets one try from each). An address that has not failed for the name is
 *   never refused because of it: nobody can lock a user out by failing from elsewhere.
 * - **bearer tokens**: wrong `Authorization: Bearer` tokens from one address, counted apart from
 *   sign-ins (a script with a stale token does not lock people out of the sign-in page).
 * - **webhook signatures**: deliveries refused for their signature (or for being unsigned), per
 *   address, counted apart again, across every tenant's receiver (one limiter per service).
 *
 * An attempt is counted as a failure BEFORE its password is checked (`begin`), and forgiven when
 * the check succeeds: thirty sign-ins sent at once are thirty attempts, not thirty free guesses
 * while the first checks run.
 */
export interface SignInLimits {
  maxFailures: number;
  windowMs: number;
}

export type Attempt = { allowed: true; succeed(): void; fail(): void } | { allowed: false; waitMs: number };

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly options: SignInLimits;
  private readonly now: () => number;

  constructor(
    options: SignInLimits = { maxFailures: 5, windowMs: 15 * 60_000 },
    now: () => number = clockNowMs,
  ) {
    this.options = options;
    this.now = now;
  }

  /** A sign-in of `name` from `address`: refused (how long to wait), or counted until settled. */
  begin(address: string, name: string): Attempt {
    const user = name.toLowerCase();
    const pair = `pair:${user}\u0000${address}`;
    return this.attempt([`ip:${address}`, `name:${user}`, pair], () => {
      const forName = this.count(pair) > 0 ? this.over(`name:${user}`) : 0;
      return Math.max(this.over(`ip:${address}`), forName);
    });
  }

  /** A bearer token (or a webhook's signature) from `address`, counted apart from sign-ins. */
  beginToken(address: string, kind: "bearer" | "webhook" = "bearer"): Attempt {
    const key = `${kind}:${address}`;
    return this.attempt([key], () => this.over(key));
  }

  private attempt(keys: readonly string[], refused: () => number): Attempt {
    const wait = refused();
    if (wait) return { allowed: false, waitMs: wait };
    const at = this.now();
    for (const key of keys) this.failures.set(key, [...this.recent(key), at]);
    let settled = false;
    return {
      allowed: true,
      fail: () => {
        settled = true;
      },
      succeed: () => {
        if (settled) return;
        settled = true;
        // Forgiven: this attempt's mark goes; earlier failures of the address stay counted.
        for (const key of keys) {
          const times = this.failures.get(key) ?? [];
          const i = times.lastIndexOf(at);
          if (i !== -1) times.splice(i, 1);
          if (times.length === 0) this.failures.delete(key);
        }
      },
    };
  }

  /** Milliseconds until `key` is under the limit again (0: it is). */
  private over(key: string): number {
    const times = this.recent(key);
    if (times.length < this.options.maxFailures) return 0;
    return Math.max(
      1,
      (times[times.length - this.options.maxFailures] as number) + this.options.windowMs - this.now(),
    );
  }

  private count(key: string): number {
    return this.recent(key).length;
  }

  private recent(key: string): number[] {
    const now = this.now();
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.options.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }
}
