import path from "node:path";
import { fileURLToPath } from "node:url";
import { shiftDate } from "./pinned-date.ts";

/**
 * A wall clock pinned to a chosen instant for tests whose subject depends on the hour (issue 76:
 * a push re-checks calling hours, the skill's hours and schedule, and sends only the records due
 * within the next day). The clock then runs on in real time from there, so timeouts and polls
 * behave. In this process (the in-process emulators and SDK clients) Date is shifted (vitest's fake
 * Date, advanced in 20 ms ticks, fell seconds behind under load); in a `cxo` the test starts,
 * `cliClockEnv` preloads test/support/pinned-date.ts at the same instant.
 */

/** A Wednesday, 09:00 in New York, 08:00 in Chicago: a weekday inside every default hour soon. */
export const WEDNESDAY_MORNING = "2026-12-02T14:00:00Z";

export function pinClock(iso = WEDNESDAY_MORNING): { nowMs: number; restore: () => void } {
  const restore = shiftDate(Date.parse(iso) - Date.now());
  return { nowMs: Date.parse(iso), restore };
}

const PRELOAD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "pinned-date.ts");
/** cliClockEnv's NODE_OPTIONS: a warm `cxo` host pins its Date per job instead (cli-host.ts). */
export const PINNED_DATE_OPTIONS = `--import ${PRELOAD}`;

/**
 * The environment that starts a `cxo` whose clock reads the same as this process's pinned one:
 * a spawned `cxo` preloads pinned-date.ts; a warm host (run-cli.ts) pins Date to CXO_TEST_NOW
 * for the job alone, as the preload would at the process's start (cli-host-runner.ts).
 */
export function cliClockEnv(): Record<string, string> {
  return { NODE_OPTIONS: PINNED_DATE_OPTIONS, CXO_TEST_NOW: new Date().toISOString() };
}
