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
 * Consent honoured, the one operation `cxo consent honour` and every autopilot run call: the
 * client's `consent.honour()` (pending revocations sent to CXone's DNC group, the skills' own
 * groups linked again), then `consent.cancelCallbacks()` (CXone's scheduled callbacks to revoked
 * numbers deleted), each with the caller's signal and deadline. A failure of either is the
 * call's; the figures a day report counts are the answer's.
 */
export async function honourConsent(
  consent: Pick<ConsentGroup, "honour" | "cancelCallbacks">,
  options?: RequestOptions,
): Promise<HonourAnswer> {
  const summary = await consent.honour(options);
  const callbacks = await consent.cancelCallbacks(options);
  return { summary, callbacks, sent: summary?.sent ?? 0, cancelled: callbacks?.cancelled.length ?? 0 };
}
