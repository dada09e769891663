import { createRequire } from "node:module";
import { vi } from "vitest";

const require = createRequire(import.meta.url);
const undiciTimers = require("undici/lib/util/timers.js") as {
  setFastTimeout(callback: () => void, delay: number): unknown;
  clearFastTimeout(timer: unknown): void;
};

/**
 * Fake `setTimeout` and `clearTimeout` (nothing else: `Date`, `performance`, `setImmediate` and
 * I/O stay real), for a test that moves time itself (`vi.advanceTimersByTime`) past a timer of
 * the code under test — a call's deadline, a watchdog's interval, an emulator's operation.
 *
 * undici (the SDK's HTTP client) keeps one process-wide timer for its connect, header and
 * keep-alive timeouts, made with `setTimeout` the first time it is needed and refreshed from
 * then on. Made on the fake clock, it would be a fake timer for the rest of the worker's life:
 * those timeouts would never fire again, in this file or the next. So it is started here, on
 * the real clock, before the fake one goes in. (Node's own `fetch` keeps its own; a file that
 * uses `fetch` under fake timeouts makes a request before, as its set-up does anyway.)
 * `vi.useRealTimers()` (in an `afterEach` or `finally`) puts the real ones back.
 */
export function useFakeTimeouts(): void {
  undiciTimers.clearFastTimeout(undiciTimers.setFastTimeout(() => {}, 1_000));
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
}
