import { type ClientClock, withClock } from "../core/clock/now.ts";
import { checkDeadline, deadlineTimer } from "../core/deadline.ts";
import { currentCallOptions, withCallOptions } from "../core/http/call-scope.ts";
import { ItemList, type PageInfo, Paginated } from "../core/http/pagination.ts";
import { InputError } from "../core/input-error.ts";
import { checkMaxAttempts, optionsOf, type RequestOptions, refuseIdempotencyKey } from "./runtime.ts";

/**
 * The one way an SDK method runs (as stripe-node's RequestSender._request is for every resource):
 * `runCall` takes the call's request options and hands the work ONE signal — the call's deadline
 * (`deadlineMs`, from the call's start), the caller's `signal` and the client's `close()` — with
 * the call's retry policy (`maxAttempts`) applied to every request it makes. Bad options are an
 * InputError before the work starts; an already aborted signal refuses to start it. No method
 * builds its signal itself: a method that ran without its deadline or `close()` is not possible
 * to write (test/sdk/one-call-wrapper.test.ts refuses any other path in src/sdk). A call made
 * inside a scoped call (below) also ends with the scope's signal, whether or not it was given one:
 * it starts no work once the run it belongs to has stopped or ended.
 *
 * Listings (`runListing`, `runItems`) are the same, per iteration: the options are checked and the
 * deadline starts when the iteration does, and every step of it runs with the call's retry policy.
 */

/** Whose call it is: a client's runtime (its `close()` fires `calls.closing`); none for a group made without a client. */
export type CallOwner =
  | { readonly calls: { readonly closing: AbortSignal }; readonly clock?: ClientClock | undefined }
  | undefined;

/** What a call's work is given besides its signal. */
export interface CallScope {
  /**
   * The deadline, the caller's signal, the client's `close()` and the signal of the scoped call
   * this call runs in, as one; a scoped call's also fires when it ends. Undefined when none can fire.
   */
  readonly signal: AbortSignal | undefined;
  /** A keyed write's idempotency key (`{ keyed: true }` calls; undefined otherwise). */
  readonly idempotencyKey: string | undefined;
}

/** How a call takes its options: `keyed` writes accept an `idempotencyKey`; every other call refuses one. */
export interface CallKind {
  keyed?: boolean;
  /**
   * The call is a run of other calls (the autopilot's run, a diff of two business units): its
   * signal — its deadline, the caller's signal, the client's `close()` — also ends every request
   * those calls make, and every call made inside it. It also fires when the call ends, however it
   * ends: what the call started and did not await (the other side of a `Promise.all` that one side
   * failed) stops there, and starts nothing more. Such a call awaits all it needs before it returns.
   */
  scoped?: boolean;
}

/** What an HTTP header value can carry unchanged, and what CXone keeps. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const IDEMPOTENCY_KEY_RULE = "must be 1-255 visible ASCII characters (no spaces)";
/** Why what a scoped call started and did not await was stopped. */
const CALL_ENDED = "the call it belonged to has ended";

/** A call's signal and key from its options, each checked (InputError), and how to end its deadline's timer. */
function scopeOf(
  owner: CallOwner,
  given: RequestOptions,
  kind: CallKind,
): CallScope & { maxAttempts: number | undefined; end(): void } {
  const { idempotencyKey: key } = given;
  if (kind.keyed === true) {
    if (key !== undefined && (typeof key !== "string" || !IDEMPOTENCY_KEY.test(key)))
      throw new InputError({ field: "idempotencyKey", rule: IDEMPOTENCY_KEY_RULE });
  }
  checkDeadline(given.deadlineMs);
  checkMaxAttempts(given.maxAttempts);
  if (kind.keyed !== true) refuseIdempotencyKey(given);
  const signals: AbortSignal[] = [];
  if (given.signal) signals.push(given.signal);
  // Made inside a scoped call (call-scope.ts): ends with it, given a signal or not.
  const surrounding = currentCallOptions()?.signal;
  if (surrounding && surrounding !== given.signal) signals.push(surrounding);
  if (owner) signals.push(owner.calls.closing);
  const deadline = given.deadlineMs === undefined ? undefined : deadlineTimer(given.deadlineMs);
  if (deadline) signals.push(deadline.signal);
  // A scoped call's own: fired when the call ends, so nothing it started outlives it.
  const ended = kind.scoped === true ? new AbortController() : undefined;
  if (ended) signals.push(ended.signal);
  return {
    signal: signals.length <= 1 ? signals[0] : AbortSignal.any(signals),
    idempotencyKey: kind.keyed === true ? key : undefined,
    maxAttempts: given.maxAttempts,
    end: () => {
      deadline?.clear();
      ended?.abort(new DOMException(CALL_ENDED, "AbortError"));
    },
  };
}

/** `work` with the call's retry policy on every request it makes. */
function withPolicy<T>(maxAttempts: number | undefined, work: () => T): T {
  return maxAttempts === undefined ? work() : withCallOptions({ maxAttempts }, work);
}

/**
 * Runs one SDK call: its options checked, then `work` with the call's signal (and, for a keyed
 * write, its idempotency key) under the call's retry policy. Always a promise: bad options reject.
 */
export async function runCall<T>(
  owner: CallOwner,
  options: RequestOptions | null | undefined,
  work: (signal: AbortSignal | undefined, call: CallScope) => Promise<T> | T,
  kind: CallKind = {},
): Promise<T> {
  const scope = scopeOf(owner, optionsOf(options), kind);
  try {
    scope.signal?.throwIfAborted();
    // On the client's clock (createClient's `clock`), when it was handed one: every read of the time inside.
    const run = () =>
      withClock(owner?.clock, () => withPolicy(scope.maxAttempts, () => work(scope.signal, scope)));
    return await (kind.scoped === true ? withCallOptions({ signal: scope.signal }, run) : run());
  } finally {
    scope.end();
  }
}

/** The steps of `source`, each under the call's policy, the options checked and the deadline started at the first. */
async function* stepsOfCall<X>(
  owner: CallOwner,
  options: RequestOptions | null | undefined,
  source: (signal: AbortSignal | undefined) => AsyncIterable<X>,
): AsyncGenerator<X> {
  const scope = scopeOf(owner, optionsOf(options), {});
  try {
    scope.signal?.throwIfAborted();
    const onClock = <R>(work: () => R) => withClock(owner?.clock, () => withPolicy(scope.maxAttempts, work));
    const steps = onClock(() => source(scope.signal)[Symbol.asyncIterator]());
    try {
      for (;;) {
        const next = await onClock(() => steps.next());
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await steps.return?.();
    }
  } finally {
    scope.end();
  }
}

/** A paged listing run as one call per iteration (see runCall): `pages` is given the iteration's signal. */
export function runListing<T>(
  owner: CallOwner,
  options: RequestOptions | null | undefined,
  pages: (signal: AbortSignal | undefined) => AsyncIterable<PageInfo<T>>,
): Paginated<T> {
  return new Paginated(() => stepsOfCall(owner, options, pages));
}

/** A listing of items (no pages the caller sees) run as one call per iteration (see runCall). */
export function runItems<T>(
  owner: CallOwner,
  options: RequestOptions | null | undefined,
  items: (signal: AbortSignal | undefined) => AsyncIterable<T>,
): ItemList<T> {
  return new ItemList(() => stepsOfCall(owner, options, items));
}
