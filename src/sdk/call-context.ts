import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The client a call runs for, as the call's async context (issue 68 §1): `close()` fires the
 * client's one closing signal FIRST, and every request a call makes — whatever file it is in —
 * listens to it through `requestSignal`, so work in flight stops (journal rows stay pending, to
 * be re-driven) before the store and the connections are closed under it. Before, the store was
 * closed while a bulk tag was still running: its remaining rows were recorded as failed
 * ("database is not open").
 */
export interface CallContext {
  closing: AbortSignal;
}

const calls = new AsyncLocalStorage<CallContext>();

export function runInCall<T>(context: CallContext, work: () => T): T {
  return calls.run(context, work);
}

/** The closing signal of the client whose call this is (none outside a client's call). */
export function closingSignal(): AbortSignal | undefined {
  return calls.getStore()?.closing;
}
