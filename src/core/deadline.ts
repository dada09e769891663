import { DeadlineExceededError } from "./deadline-error.ts";
import { InputError } from "./input-error.ts";

/** The longest delay a timer takes (a longer one would fire at once). */
const MAX_DEADLINE_MS = 2_147_483_647;

/** InputError unless `deadlineMs` (under `field`) is a usable number of milliseconds. */
export function checkDeadline(deadlineMs: number | undefined, field = "deadlineMs"): void {
  if (deadlineMs === undefined) return;
  if (
    typeof deadlineMs !== "number" ||
    !Number.isFinite(deadlineMs) ||
    deadlineMs < 0 ||
    deadlineMs > MAX_DEADLINE_MS
  )
    throw new InputError({ field, rule: `must be a number of milliseconds from 0 to ${MAX_DEADLINE_MS}` });
}

/**
 * A signal that aborts with DeadlineExceededError after `deadlineMs` (unless checkDeadline
 * refuses it), and how to clear its timer once the work it bounds has ended.
 */
export function deadlineTimer(
  deadlineMs: number,
  field = "deadlineMs",
): { signal: AbortSignal; clear(): void } {
  checkDeadline(deadlineMs, field);
  const controller = new AbortController();
  // Unref'd, as AbortSignal.timeout is: a pending deadline never keeps the process alive.
  const timer = setTimeout(() => controller.abort(new DeadlineExceededError(deadlineMs)), deadlineMs).unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** A signal that aborts with DeadlineExceededError after `deadlineMs` (unless checkDeadline refuses it). */
export function deadlineSignal(deadlineMs: number, field = "deadlineMs"): AbortSignal {
  return deadlineTimer(deadlineMs, field).signal;
}
