import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Per-call HTTP options that reach every request a call makes without being threaded through
 * the port's signatures: the SDK runs a call inside `withCallOptions({ maxAttempts })`, and
 * the HTTP client reads them for each request it sends (an explicit request option wins).
 */
export interface CallOptions {
  maxAttempts?: number | undefined;
}

const scope = new AsyncLocalStorage<CallOptions>();

export function withCallOptions<T>(options: CallOptions, work: () => T): T {
  return scope.run(options, work);
}

/** The options of the call this request belongs to, if any. */
export function currentCallOptions(): CallOptions | undefined {
  return scope.getStore();
}
