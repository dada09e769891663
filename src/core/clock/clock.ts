import { clockNowMs, type ScheduledCall, scheduleOnClock } from "./now.ts";
/**
 * Time as every part that waits sees it: a monotonic `now()`, cancellable sleeps and timers. Every
 * part that waits (limiter, retries, token provider, waiters, outbox backoff, watchdog, schedules)
 * takes a Clock, so tests run them in virtual time instead of sleeping on the wall clock. With
 * the rest of the one clock in this folder: the time a call reads (now.ts), the process's
 * clock (process-clock.ts) and the schedules' (schedule-clock.ts).
 *
 * `systemClock` looks the globals up on every call, so vitest's fake timers (with
 * `toFake: [..., "performance"]`) drive it as well as an injected clock would. Its `sleep` waits
 * on the schedule of the client whose call it is (createClient's `clock`), when it has one.
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Monotonic milliseconds (never steps back with the wall clock). */
  now(): number;
  /**
   * Wall-clock milliseconds since the epoch, for instants that are stored or sent (an outbox
   * event's next attempt, a webhook timestamp). Moves with `now()` on a test clock.
   */
  epochMs(): number;
  /** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `fn` after `ms`. `keepAlive: false` lets the process exit while the timer is pending
   * (for housekeeping that nobody awaits).
   */
  setTimer(fn: () => void, ms: number, options?: { keepAlive?: boolean }): Timer;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  epochMs: () => clockNowMs(),
  // On the schedule of the call's clock (a client's `setTimeout`, core/clock/now.ts), else the process's timers.
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      let settled = false;
      let call: ScheduledCall | undefined;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        call?.cancel();
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      // A schedule may call back at once, before it answers.
      call = scheduleOnClock(() => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
    });
  },
  setTimer(fn, ms, options) {
    const timer = setTimeout(fn, Math.max(0, ms));
    if (options?.keepAlive === false) timer.unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
};

/**
 * Settles with `promise`, or rejects with `signal`'s reason as soon as it aborts, whichever is
 * first. Lets each caller of a shared operation leave on its own signal without cancelling it
 * for the others.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** A signal that aborts at a deadline on `clock`, or when `parent` aborts, whichever is first. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** True once the deadline itself (not the parent) aborted the signal. */
  readonly expired: boolean;
  /** Milliseconds left (never negative). */
  remaining(): number;
  dispose(): void;
}

export function startDeadline(clock: Clock, ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const endsAt = clock.now() + ms;
  let expired = false;
  const timer = clock.setTimer(() => {
    expired = true;
    controller.abort(new Error(`deadline of ${ms} ms passed`));
  }, ms);
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener("abort", onParent, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    remaining: () => Math.max(0, endsAt - clock.now()),
    dispose() {
      timer.cancel();
      parent?.removeEventListener("abort", onParent);
    },
  };
}
