import type {
  CallDispositionInput,
  CallDispositionResult,
  CallDispositionState,
  DispositionMatrix,
} from "../types.ts";

/** Seed 000: outbound call dispositions. */
export interface DispositionsPort {
  /** The campaign's disposition codes and the reason codes that belong to each. */
  getMatrix(campaignId: string, signal?: AbortSignal): Promise<DispositionMatrix>;
  /**
   * Tags one call: an idempotent upsert (re-sending the same input is harmless, so it is
   * retried on 5xx/resets/429). A locked call fails with ConflictError (409), a code or
   * reason CXone refuses with ValidationError (400). `scope` names the campaign the caller
   * tags the call for: a platform may read that campaign's calls once for many rows (the
   * production adapter does); the call's own record still decides what is sent.
   */
  setCallDisposition(
    callId: string,
    input: CallDispositionInput,
    signal?: AbortSignal,
    scope?: { campaignId: string },
  ): Promise<CallDispositionResult>;
  /** One call with its current disposition and whether it is locked. */
  getCall(callId: string, signal?: AbortSignal): Promise<CallDispositionState>;
}
