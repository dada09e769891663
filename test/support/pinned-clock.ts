import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { clockForChildren, installClock, realNowMs } from "../../src/core/clock/index.ts";

/**
 * A clock pinned to a chosen instant for tests whose subject depends on the hour (a push
 * re-checks calling hours, the skill's hours and schedule, and sends only the records due within
 * the next day): the product's own clock (src/core/clock, what CXO_CLOCK installs), running at x1
 * from that instant, so timeouts and polls behave. In this process (the in-process emulators and
 * SDK clients) it is installed directly; a `cxo` the test starts gets the same clock, anchored,
 * through `cliClockEnv()`'s CXO_CLOCK, and reads exactly the same time.
 */

/** A Wednesday, 09:00 in New York, 08:00 in Chicago: a weekday inside every default hour soon. */
export const WEDNESDAY_MORNING = "2026-12-02T14:00:00Z";

export function pinClock(
  iso = WEDNESDAY_MORNING,
  rate = 1,
): { nowMs: number; jumpTo: (later: string) => void; restore: () => void } {
  const install = (ms: number) =>
    installClock({ kind: "running", atMs: ms, at: new Date(ms).toISOString(), rate });
  const atMs = Date.parse(iso);
  const installed = [install(atMs)];
  return {
    nowMs: atMs,
    /**
     * Moves the clock on to `later` at the same speed, if it reads earlier (never back): the test
     * drives the clock through a stretch in which nothing is due instead of waiting it out. What
     * reads the date next (a schedule's next run, the emulator's dialer, which dials what fell
     * due meanwhile at its own time) reads the later time; a `cxo` started after it gets it too.
     */
    jumpTo(later: string) {
      const laterMs = Date.parse(later);
      // Already there (a loaded machine's slow run took the clock past it): nothing to step over.
      if (laterMs > Date.now()) installed.push(install(laterMs));
    },
    restore: () => {
      for (const one of installed.reverse()) one.uninstall();
      installed.length = 0;
    },
  };
}

/** The environment that starts a `cxo` whose clock reads the same as this process's. */
export function cliClockEnv(): Record<string, string> {
  const clock = clockForChildren();
  return clock === undefined ? {} : { CXO_CLOCK: clock };
}

/**
 * A stepped clock (`CXO_CLOCK=file:<path>`, docs/clock.md) for a test that drives a simulated day
 * across processes: the file in `dir` holds `iso` running at `rate`, installed in this process
 * (the in-process emulator's clock) and handed to every `cxo` the test starts through `env`.
 * `jumpTo(later)` (if the clock reads earlier) rewrites the file, so this process and every `cxo`
 * following it read `later` from then on (each within a poll of the file, 50 ms), at the same
 * speed: a stretch in which nothing is due is stepped over instead of waited out.
 */
export function steppedClock(
  dir: string,
  iso: string,
  rate = 1,
): { env: Record<string, string>; jumpTo: (later: string) => void; restore: () => void } {
  const file = path.join(dir, "clock");
  const write = (at: string) => {
    const text = `${new Date(Date.parse(at)).toISOString()}@x${rate}~${new Date(realNowMs()).toISOString()}\n`;
    // Whole or not at all: a reader never sees half a value.
    writeFileSync(`${file}.next`, text);
    renameSync(`${file}.next`, file);
  };
  write(iso);
  const installed = installClock(`file:${file}`);
  return {
    env: { CXO_CLOCK: `file:${file}` },
    jumpTo(later: string) {
      // Already there (a loaded machine's slow run took the clock past it): nothing to step over.
      if (Date.parse(later) > Date.now()) write(later);
    },
    restore: installed.uninstall,
  };
}
