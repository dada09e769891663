import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Per-call HTTP options that reach every request a call makes without being threaded through
 * the port's signatures: the SDK runs a call inside `withCallOptions({ maxAttempts })`, and
 * the HTTP client reads them for each request it sends (an explicit request option wins).
 */
export interface CallOptions {
  maxAttempts?: number | undefined;
  /**
   * Ends every request made inside the scope (a run of many calls, as the autopilot's: its SDK
   * calls end when the run's own call is aborted or passes its deadline). A request's own signal
   * still applies; an inner scope's signal joins the outer one's.
   */
  signal?: AbortSignal | undefined;
}

const scope = new AsyncLocalStorage<CallOptions>();

export function withCallOptions<T>(options: CallOptions, work: () => T): T {
  const outer = scope.getStore();
  const signals = [outer?.signal, options.signal].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length <= 1 || signals[0] === signals[1] ? signals[0] : AbortSignal.any(signals);
  return scope.run({ ...outer, ...options, signal }, work);
}

/** The options of the call this request belongs to, if any. */
export function currentCallOptions(): CallOptions | undefined {
  return scope.getStore();
}
