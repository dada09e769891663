import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Where every module reads the time: the clock handed to the client whose call this is
 * (`createClient({ clock })`), else the process's (`CXO_CLOCK` at the CLI's and `cxo serve`'s
 * entry, else the wall). A client's calls run inside `withClock` (sdk/call.ts), so two clients
 * in one program can live on two clocks, and a program that hands its client a clock need not
 * patch the global `Date` (`installClock`, process-clock.ts, stays for the process entries and
 * for code cxo does not own). This folder is the only one under src/ that reads the global
 * `Date`'s time (test/core/clock/one-clock.test.ts).
 */
export interface ClientClock {
  /** Now, in milliseconds since the epoch. It should move on: waits measured on it stop if it does not. */
  now(): number;
  /**
   * The clock's schedule, with `clearTimeout`: calls `fn` once `ms` of this clock have passed and
   * answers a handle `clearTimeout` takes. The SDK's waits inside the client's calls — retry
   * backoff, waiters for CXone's asynchronous operations, polls — wait on it. Give both or
   * neither; default: the process's timers (`globalThis.setTimeout`).
   */
  setTimeout?(fn: () => void, ms: number): unknown;
  /** Cancels what `setTimeout` scheduled (its handle). */
  clearTimeout?(handle: unknown): void;
}

const scope = new AsyncLocalStorage<ClientClock>();

/** Runs `work` on `clock` (every read of the time inside it, awaited work included); as is without one. */
export function withClock<T>(clock: ClientClock | undefined, work: () => T): T {
  return clock === undefined ? work() : scope.run(clock, work);
}

/** Now, in milliseconds since the epoch, on the clock of the call this code runs in. */
export function clockNowMs(): number {
  const clock = scope.getStore();
  return clock === undefined ? Date.now() : clock.now();
}

/** Now as a Date, on the clock of the call this code runs in. */
export function clockNowDate(): Date {
  return new Date(clockNowMs());
}

/** What `scheduleOnClock` answers: cancels the call if it has not run. */
export interface ScheduledCall {
  cancel(): void;
}

/**
 * Calls `fn` after `ms`, on the schedule of the clock of the call this code runs in (a client's
 * `setTimeout`/`clearTimeout`), else on the process's timers, looked up at each call (so fake
 * timers drive it). For the SDK's waits (sleeps between attempts and polls); timeouts and
 * deadlines stay on the process's timers.
 */
export function scheduleOnClock(fn: () => void, ms: number): ScheduledCall {
  const clock = scope.getStore();
  const delay = Math.max(0, ms);
  if (clock?.setTimeout !== undefined && clock.clearTimeout !== undefined) {
    const handle = clock.setTimeout(fn, delay);
    return { cancel: () => clock.clearTimeout?.(handle) };
  }
  const timer = setTimeout(fn, delay);
  return { cancel: () => clearTimeout(timer) };
}
