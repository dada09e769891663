import { ClientClosedError, closedByClient } from "../client-closed-error.ts";
import { type Clock, systemClock } from "../clock/clock.ts";
import { parseRetryAfter } from "../retry/retry-after.ts";
import { CxoneError } from "./errors.ts";
import { type HttpEventSink, type RequestNumbers, type RetryCause, requestNumbers } from "./events.ts";
import type { EndpointGroup } from "./group-names.ts";
import { type AttemptFailure, decideRetry, isThrottle, type RetryDecision } from "./retry-policy.ts";
import { networkErrorCode, type RawRequest, type RawResponse, type Transport } from "./transport.ts";

/**
 * The one attempt loop: every request an HTTP core sends — an API call, a token request, a
 * discovery read — goes through it. Each attempt is told to the core's listeners (`request`,
 * then `response` or `network-error`), a failed one is judged by the one retry policy
 * (`decideRetry`) and, when it is tried again, told (`retry`) and waited for on the core's clock.
 * Every event of the loop carries the call's `requestNo`, taken from the client's count when the
 * loop starts. An answer the plan asks to repeat at once (`AGAIN`: a 401's one refresh) is a
 * failed attempt like any other on the wire: told as a `retry` with no wait, the re-send the next
 * attempt, but not counted against `maxAttempts`. What differs between the callers (a rate-limit
 * slot, credentials, what an answer means, the error when it is given up on) is theirs, in the
 * `AttemptPlan` they hand in.
 */

/** What every loop of one HTTP core runs on: its clock, its random source, its listeners, its count of calls. */
export interface AttemptContext {
  readonly clock: Clock;
  /** Uniform in [0, 1): the backoff's jitter. */
  readonly random: () => number;
  readonly emit: HttpEventSink;
  readonly requestNumbers: RequestNumbers;
}

/** For a request sent outside any client (a lone discovery read): the system clock, no listener, a count of its own. */
export function unwatchedAttempts(): AttemptContext {
  return { clock: systemClock, random: Math.random, emit: () => undefined, requestNumbers: requestNumbers() };
}

/** The parts of an attempt context of its own, for a user of the loop built alone (a test's client). */
export interface AttemptParts {
  /** Default: the system clock. */
  clock?: Clock;
  /** Uniform in [0, 1): the backoff's jitter. Default: Math.random. */
  random?: () => number;
  /** Numbers each call (`requestNo`). Default: a count of its own, from 1. */
  requestNumbers?: RequestNumbers;
}

/**
 * How a user of the loop (an HttpClient, an OAuthTokenProvider) gets its context: either the
 * HTTP core's one (`attempts`), or the parts of one of its own (`Parts`), never both — given
 * both, one would silently win over the other.
 */
export type AttemptsOrParts<Parts extends object> =
  | ({ attempts: AttemptContext } & { [K in keyof Parts]?: never })
  | ({ attempts?: never } & Parts);

/** The context given, or one built from the parts given, telling `emit`. */
export function attemptContextOf(
  options: AttemptsOrParts<AttemptParts>,
  emit: HttpEventSink,
): AttemptContext {
  if (options.attempts) return options.attempts;
  return {
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    emit,
    requestNumbers: options.requestNumbers ?? requestNumbers(),
  };
}

/** One call's state across its attempts: what the plan's steps read. */
export interface AttemptState {
  readonly requestNo: number;
  /** The label of its events and errors ("GET /path"); a plan's `prepare` may set it. */
  endpoint: string;
  /** Attempts made so far, the current one included. */
  attempt: number;
  /** Attempts answered by throttling (counted only for a plan with a `throttled` step). */
  throttledAttempts: number;
  /** Attempts the plan repeated at once (`AGAIN`): sent, told, not counted against `maxAttempts`. */
  renewedAttempts: number;
  /** When the first attempt started, on the context's clock. */
  readonly started: number;
  /** Each attempt's latency, in order. */
  readonly attemptLatencies: number[];
  /** The last failed answer (none after a network failure). */
  lastResponse: RawResponse | undefined;
  /** Its Retry-After, parsed when it came (ms from then). */
  lastRetryAfterMs: number | undefined;
  /** The last failure, as the retry policy names it ("status 503", "ECONNRESET"). */
  lastReason: string | undefined;
}

/** One attempt, ready to send: the request (the loop adds the signal) and what the plan keeps of it. */
export interface PreparedAttempt<K = undefined> {
  request: Omit<RawRequest, "signal">;
  /** The call's label from now on (a token request's: its URL's path). */
  endpoint?: string;
  /** Anything the plan needs back when the answer comes (the token the request carried). */
  keep?: K;
}

/**
 * The answer judged: "go again at once" (a 401's one refresh). Told as a `retry` with
 * `delayMs: 0` and the answer's status as its cause; the re-send is the next attempt, not counted
 * against `maxAttempts`.
 */
export const AGAIN: unique symbol = Symbol("again");

/** What a failed attempt was: its answer (not 2xx, or refused) or its network failure. */
export interface FailedAttempt {
  failure: AttemptFailure;
  response: RawResponse | undefined;
  /** When the attempt started, on the context's clock. */
  attemptStart: number;
}

export interface AttemptPlan<T, K = undefined> {
  context: AttemptContext;
  group: EndpointGroup;
  method: string;
  /** The call's label until `prepare` names it. */
  endpoint: string;
  transport: Transport;
  /** Ends every wait of the loop (the caller's signal, the call's deadline). */
  signal?: AbortSignal | undefined;
  maxAttempts: number;
  deadlineMs: number;
  hasIdempotencyKey: boolean;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** How long the next attempt may take. */
  attemptTimeoutMs(state: AttemptState): number;
  /** A slot before each attempt (a rate limiter's): the function releases it. */
  acquire?(signal: AbortSignal | undefined): Promise<() => void>;
  /** Readies an attempt (credentials, the request): a throw ends the call (a CxoneError as it is). */
  prepare(state: AttemptState): PreparedAttempt<K> | Promise<PreparedAttempt<K>>;
  /** An answer: the call's value when it succeeded, AGAIN to repeat it at once, undefined when it failed. */
  answered(response: RawResponse, state: AttemptState, kept: K | undefined): T | typeof AGAIN | undefined;
  /**
   * A throttling answer (a 429, a 503 with Retry-After) pauses the plan's group instead of this
   * call's own sleep, and is not counted against its attempts. Without this step, it is waited
   * for like any other failure.
   */
  throttled?(pauseMs: number, failed: FailedAttempt): void;
  /** The error of a call given up on (not retryable, out of attempts, or past its deadline). */
  giveUp(
    failed: FailedAttempt,
    decision: Extract<RetryDecision, { retry: false }>,
    state: AttemptState,
  ): unknown;
  /** Why an AGAIN repeats the call, after its status in the `retry`'s reason (default "sent again at once"). */
  againReason?: string;
  /** What to throw when `signal` ended a wait (default: the signal's reason). */
  interrupted?(state: AttemptState): unknown;
}

/** Runs `plan`'s attempts until one succeeds or the retry policy gives up. */
export async function runAttempts<T, K = undefined>(plan: AttemptPlan<T, K>): Promise<T> {
  const { context, signal } = plan;
  const { clock } = context;
  const state: AttemptState = {
    // One number for the call, whatever its attempts: what pairs its events.
    requestNo: context.requestNumbers(),
    endpoint: plan.endpoint,
    attempt: 0,
    throttledAttempts: 0,
    renewedAttempts: 0,
    started: clock.now(),
    attemptLatencies: [],
    lastResponse: undefined,
    lastRetryAfterMs: undefined,
    lastReason: undefined,
  };
  const interrupted = () => (plan.interrupted ? plan.interrupted(state) : signal?.reason);
  for (;;) {
    state.attempt += 1;
    const sent = await attemptOnce(plan, state, interrupted);
    const latencyMs = clock.now() - sent.attemptStart;
    state.attemptLatencies.push(latencyMs);
    const told = {
      group: plan.group,
      method: plan.method,
      endpoint: state.endpoint,
      attempt: state.attempt,
      requestNo: state.requestNo,
    };
    let failure: AttemptFailure;
    if (sent.response) {
      const { response } = sent;
      context.emit({
        type: "response",
        ...told,
        status: response.status,
        latencyMs,
        requestId: requestIdOf(response.headers),
      });
      const judged = plan.answered(response, state, sent.keep);
      if (judged === AGAIN) {
        // Sent again at once: a retry on the wire (told, with no wait), not one the policy counts.
        state.renewedAttempts += 1;
        context.emit({
          type: "retry",
          ...told,
          delayMs: 0,
          reason: `status ${response.status}: ${plan.againReason ?? "sent again at once"}`,
          cause: { status: response.status },
        });
        continue;
      }
      if (judged !== undefined) return judged;
      failure = {
        kind: "status",
        status: response.status,
        retryAfterMs: parseRetryAfter(response.headers["retry-after"]),
      };
    } else {
      context.emit({ type: "network-error", ...told, code: sent.networkCode, latencyMs });
      failure = { kind: "network", code: sent.networkCode };
    }
    await retryStep(
      plan,
      state,
      { failure, response: sent.response, attemptStart: sent.attemptStart },
      interrupted,
    );
  }
}

/** CXone's request id: seed APIs say x-request-id or request-id, the production API CorrelationId. */
export function requestIdOf(headers: Record<string, string>): string | undefined {
  return headers["x-request-id"] ?? headers["request-id"] ?? headers.correlationid;
}

type SentAttempt<K> =
  | { response: RawResponse; networkCode?: undefined; keep: K | undefined; attemptStart: number }
  | { response: undefined; networkCode: string; keep: K | undefined; attemptStart: number };

/**
 * One attempt: the plan's slot, its preparation, then the transport under the attempt's own
 * timeout (on the context's clock). A network failure is its code, not a throw.
 */
async function attemptOnce<T, K>(
  plan: AttemptPlan<T, K>,
  state: AttemptState,
  interrupted: () => unknown,
): Promise<SentAttempt<K>> {
  const { context, signal } = plan;
  const { clock } = context;
  let release: () => void = () => undefined;
  if (plan.acquire) {
    try {
      release = await plan.acquire(signal);
    } catch (error) {
      if (signal?.aborted) throw interrupted();
      throw error;
    }
  }
  const attemptStart = clock.now();
  try {
    let prepared: PreparedAttempt<K>;
    try {
      prepared = await plan.prepare(state);
    } catch (error) {
      // The plan's own typed failure (a refused token, a discovery that failed) is the call's.
      if (error instanceof CxoneError) throw error;
      if (signal?.aborted) throw interrupted();
      if (closedByClient(error)) throw new ClientClosedError();
      throw error;
    }
    if (prepared.endpoint !== undefined) state.endpoint = prepared.endpoint;
    context.emit({
      type: "request",
      group: plan.group,
      method: plan.method,
      endpoint: state.endpoint,
      attempt: state.attempt,
      requestNo: state.requestNo,
    });
    // The attempt's own timeout; `signal` covers the rest (the caller, the call's deadline).
    const attemptTimeout = new AbortController();
    const timer = clock.setTimer(
      () => attemptTimeout.abort(new Error("attempt timed out")),
      Math.max(1, plan.attemptTimeoutMs(state)),
    );
    try {
      const response = await plan.transport.send({
        ...prepared.request,
        signal: signal ? AbortSignal.any([signal, attemptTimeout.signal]) : attemptTimeout.signal,
      });
      return { response, keep: prepared.keep, attemptStart };
    } catch (error) {
      if (signal?.aborted) throw interrupted();
      // Closed, not a network failure: never retried.
      if (closedByClient(error)) throw new ClientClosedError();
      // A typed refusal of the answer (too large to read): the same question gets the same answer.
      if (error instanceof CxoneError) throw error;
      const networkCode = attemptTimeout.signal.aborted ? "ATTEMPT_TIMEOUT" : networkErrorCode(error);
      return { response: undefined, networkCode, keep: prepared.keep, attemptStart };
    } finally {
      timer.cancel();
    }
  } finally {
    release();
  }
}

/**
 * The retry step: the one retry policy decides on the failed attempt; a throttle pauses the
 * plan's group (when it has one); a call given up on throws the plan's error; otherwise it is
 * told and waited for.
 */
async function retryStep<T, K>(
  plan: AttemptPlan<T, K>,
  state: AttemptState,
  failed: FailedAttempt,
  interrupted: () => unknown,
): Promise<void> {
  const { context } = plan;
  const { failure } = failed;
  state.lastResponse = failed.response;
  state.lastRetryAfterMs = failure.kind === "status" ? failure.retryAfterMs : undefined;
  state.lastReason = failure.kind === "status" ? `status ${failure.status}` : failure.code;
  const decision = decideRetry(failure, {
    attempt: state.attempt,
    ...(plan.throttled ? { throttledAttempts: state.throttledAttempts } : {}),
    renewedAttempts: state.renewedAttempts,
    maxAttempts: plan.maxAttempts,
    elapsedMs: context.clock.now() - state.started,
    deadlineMs: plan.deadlineMs,
    method: plan.method,
    hasIdempotencyKey: plan.hasIdempotencyKey,
    backoffBaseMs: plan.backoffBaseMs,
    backoffCapMs: plan.backoffCapMs,
    random: context.random,
  });
  const throttle = plan.throttled !== undefined && isThrottle(failure);
  if (throttle) {
    state.throttledAttempts += 1;
    // Throttling is the group's problem, not this call's: every caller of the group pauses.
    const pauseMs = decision.retry ? decision.delayMs : (state.lastRetryAfterMs ?? 0);
    plan.throttled?.(pauseMs, failed);
    context.emit({
      type: "throttle",
      group: plan.group,
      method: plan.method,
      endpoint: state.endpoint,
      requestNo: state.requestNo,
      pauseMs,
    });
  }
  if (!decision.retry) throw plan.giveUp(failed, decision, state);
  context.emit({
    type: "retry",
    group: plan.group,
    method: plan.method,
    endpoint: state.endpoint,
    attempt: state.attempt,
    requestNo: state.requestNo,
    delayMs: decision.delayMs,
    reason: decision.reason,
    cause: causeOf(failure),
  });
  // A throttled call waits in its paused group; anything else sleeps on the context's clock.
  if (throttle) return;
  try {
    await context.clock.sleep(decision.delayMs, plan.signal);
  } catch {
    throw interrupted();
  }
}

function causeOf(failure: AttemptFailure): RetryCause {
  return failure.kind === "status" ? { status: failure.status } : { code: failure.code };
}
