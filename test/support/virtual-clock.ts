import type { Clock, Timer } from "../../src/core/clock/clock.ts";
import { waitUntil } from "./wait-until.ts";

/**
 * A Clock whose time moves only when a test says so (`advance`): timers and sleeps fire in
 * virtual time, in order, while real I/O (HTTP, SQLite) runs as usual. An hour's Retry-After is
 * then a line of test code, not an hour, and no assertion depends on how busy the machine is.
 */
export class VirtualClock implements Clock {
  private elapsed = 0;
  private readonly epochAtStart: number;
  private timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];

  /** Starts at the real instant by default: what the store holds (due times) was written in real time. */
  constructor(epochAtStart = Date.now()) {
    this.epochAtStart = epochAtStart;
  }

  now(): number {
    return this.elapsed;
  }

  epochMs(): number {
    return this.epochAtStart + this.elapsed;
  }

  setTimer(fn: () => void, ms: number): Timer {
    const timer = { at: this.elapsed + Math.max(0, ms), fn, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        timer.cancel();
        reject(signal?.reason);
      };
      const timer = this.setTimer(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Moves time forward by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const target = this.elapsed + ms;
    for (;;) {
      const due = this.timers
        .filter((timer) => !timer.cancelled && timer.at <= target)
        .sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.elapsed = Math.max(this.elapsed, due.at);
      due.cancelled = true;
      due.fn();
    }
    this.elapsed = target;
    this.timers = this.timers.filter((timer) => !timer.cancelled);
  }

  /** Timers still waiting (what a paused dispatcher or watchdog is waiting for). */
  pending(): number[] {
    return this.timers.filter((timer) => !timer.cancelled).map((timer) => timer.at - this.elapsed);
  }
}

/**
 * Waits in real time (I/O turns) until `condition` holds: waitUntil, looking every 2 ms, bounded
 * only to name a hang (the test's own timeout would otherwise end it without saying why).
 */
export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  await waitUntil(condition, { what: "a virtual-time test's condition", intervalMs: 2, timeoutMs: 60_000 });
}
