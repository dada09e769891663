import { type Clock, systemClock } from "./clock.ts";
import { currentClock } from "./process-clock.ts";

/**
 * The clock schedules run on (a poll every 5 minutes, a drift watch, the autopilot's morning):
 * its intervals are in the installed clock's time, so at `@x600` a 5-minute poll comes every
 * half-second of real time. A wait never shrinks below `MIN_REAL_MS` of real time (or the asked
 * time, if shorter): a fast clock must not turn a poller into a busy loop against CXone.
 * Transport waits (HTTP timeouts, retry backoff, rate limits) stay on `systemClock`: they are
 * about the network, which runs in real time whatever the business clock says (a client's own
 * schedule, createClient's `clock`, takes its calls' sleeps: core/clock/now.ts).
 */
export const MIN_REAL_MS = 50;

/** Real milliseconds to wait for `ms` of the installed clock's time. */
export function realDelayMs(ms: number): number {
  const { rate } = currentClock();
  if (rate === 1 || ms <= 0) return Math.max(0, ms);
  return Math.max(ms / rate, Math.min(ms, MIN_REAL_MS));
}

export const scheduleClock: Clock = {
  // Monotonic, in the installed clock's milliseconds (what a schedule's intervals are measured in).
  now: () => performance.now() * currentClock().rate,
  epochMs: () => Date.now(),
  sleep: (ms, signal) => systemClock.sleep(realDelayMs(ms), signal),
  setTimer: (fn, ms, options) => systemClock.setTimer(fn, realDelayMs(ms), options),
};
