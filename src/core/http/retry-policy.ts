import { fullJitterBackoff } from "../retry/backoff.ts";

/**
 * The one place that decides whether a failed attempt is tried again, and after how long.
 * Pure (time and randomness come in as arguments), so every branch is table-tested.
 *
 * - 429: wait `Retry-After` when given (seconds or HTTP date), else back off.
 * - 408, 500, 502, 503, 504, connection resets and timeouts: full-jitter exponential backoff
 *   (a 503's Retry-After is honoured too).
 * - Everything else (4xx, 501): no retry — the answer will not change.
 * - Bounded by a maximum attempt count AND an overall deadline: a retry whose wait would end
 *   past the deadline is not started. Throttling answers — a 429, or a 503 that says when to come
 *   back — are bounded by the deadline alone: they say "later", not "broken", and a burst of
 *   twenty 429s at the start of a run must not use up a request's attempts.
 * - Methods that are not idempotent (POST, PATCH) are retried only when the request carries an
 *   idempotency key — except after a 429 or a refused connection, where the server provably did
 *   not act on the request.
 */

export type AttemptFailure =
  | { kind: "status"; status: number; retryAfterMs?: number | undefined }
  | { kind: "network"; code: string };

export interface RetryContext {
  /** Attempts made so far, the failed one included (1 after the first attempt). */
  attempt: number;
  /** How many of the earlier attempts were throttling answers that do not count (see above). */
  throttledAttempts?: number;
  /** How many of the earlier attempts were sent again at once after a refused token (a 401's one refresh): not counted either. */
  renewedAttempts?: number;
  maxAttempts: number;
  /** Time since the first attempt started. */
  elapsedMs: number;
  deadlineMs: number;
  method: string;
  hasIdempotencyKey: boolean;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Uniform in [0, 1): Math.random in production, fixed in tests. */
  random: () => number;
}

export type RetryDecision =
  | { retry: true; delayMs: number; reason: string }
  /** `deadline`: the next wait would pass the request's deadline (else: not retryable, or out of attempts). */
  | { retry: false; reason: string; deadline?: true };

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
/** Network failures where the request may or may not have reached the server. */
const RETRYABLE_NETWORK_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "ATTEMPT_TIMEOUT",
  "ECONNREFUSED",
]);
/** Failures that prove the server never acted on the request. */
const NOT_PROCESSED_NETWORK_CODES = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "EAI_AGAIN"]);

/**
 * Throttling: a 429, or a 503 that says when to come back (CXone's own SDK treats both as
 * throttling). The group pauses, its rate comes down, and the deadline — not the attempt count —
 * bounds the request. A bare 503 is an ordinary server error: random 503s are not congestion,
 * and pausing everyone or halving the rate for them would collapse throughput.
 */
export function isThrottle(failure: AttemptFailure): boolean {
  return (
    failure.kind === "status" &&
    (failure.status === 429 || (failure.status === 503 && failure.retryAfterMs !== undefined))
  );
}

export function decideRetry(failure: AttemptFailure, ctx: RetryContext): RetryDecision {
  const retryable =
    failure.kind === "status"
      ? RETRYABLE_STATUSES.has(failure.status)
      : RETRYABLE_NETWORK_CODES.has(failure.code);
  const label = failure.kind === "status" ? `status ${failure.status}` : failure.code;
  if (!retryable) return { retry: false, reason: `${label} is not retryable` };

  const provablyNotProcessed =
    (failure.kind === "status" && failure.status === 429) ||
    (failure.kind === "network" && NOT_PROCESSED_NETWORK_CODES.has(failure.code));
  const safeToRepeat = IDEMPOTENT_METHODS.has(ctx.method.toUpperCase()) || ctx.hasIdempotencyKey;
  if (!safeToRepeat && !provablyNotProcessed) {
    return {
      retry: false,
      reason: `${label} on ${ctx.method} without an idempotency key: not safe to repeat`,
    };
  }

  const counted = ctx.attempt - (ctx.throttledAttempts ?? 0) - (ctx.renewedAttempts ?? 0);
  if (!isThrottle(failure) && counted >= ctx.maxAttempts) {
    return { retry: false, reason: `${label} after ${ctx.attempt} attempts (the maximum)` };
  }

  const serverWait = failure.kind === "status" ? failure.retryAfterMs : undefined;
  const delayMs =
    serverWait !== undefined &&
    (failure.kind !== "status" || failure.status === 429 || failure.status === 503)
      ? serverWait
      : fullJitterBackoff(ctx.attempt, ctx.backoffBaseMs, ctx.backoffCapMs, ctx.random);

  if (ctx.elapsedMs + delayMs >= ctx.deadlineMs) {
    return {
      retry: false,
      reason: `${label}: waiting ${delayMs} ms would pass the ${ctx.deadlineMs} ms deadline`,
      deadline: true,
    };
  }
  return { retry: true, delayMs, reason: label };
}
