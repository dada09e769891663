import type { CallbackSweep } from "../campaigns/compliance/revoked-callbacks.ts";
import type { HonourSummary } from "../consent/honour.ts";
import type { ConsentGroup } from "./consent.ts";
import type { RequestOptions } from "./runtime.ts";

/** What one honour did: the ledger's summary, the callbacks sweep, and their two figures. */
export interface HonourAnswer {
  summary: HonourSummary | undefined;
  callbacks: CallbackSweep | undefined;
  /** Revocations sent to CXone's DNC group (0 without a group). */
  sent: number;
  /** Scheduled callbacks to revoked numbers deleted (0 on a platform without them). */
  cancelled: number;
}

/**
 * Consent honour, the one operation `cxo consent honour` and every autopilot run call: the
 * client's `consent.honour()` (pending revocations sent to CXone's DNC group, the skills' own
 * groups linked again), then `consent.cancelCallbacks()` (CXone's scheduled callbacks to revoked
 * numbers deleted), each with the caller's signal and deadline. Both are attempted: a DNC group
 * that fails does not keep a callback to a revoked number from being deleted. A failure of either
 * is the call's (the first, once both were attempted); the figures a day report counts are the
 * answer's.
 */
export async function honourConsent(
  consent: Pick<ConsentGroup, "honour" | "cancelCallbacks">,
  options?: RequestOptions,
): Promise<HonourAnswer> {
  const honoured = await settle(() => consent.honour(options));
  // A call stopped (its signal, its deadline) goes no further.
  if ("error" in honoured && options?.signal?.aborted) throw honoured.error;
  const swept = await settle(() => consent.cancelCallbacks(options));
  if ("error" in honoured) throw honoured.error;
  if ("error" in swept) throw swept.error;
  const summary = honoured.value;
  const callbacks = swept.value;
  return { summary, callbacks, sent: summary?.sent ?? 0, cancelled: callbacks?.cancelled.length ?? 0 };
}

async function settle<T>(work: () => Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await work() };
  } catch (error) {
    return { error };
  }
}
