import type { CauseCode } from "./causes.ts";
import type { CallingHours, CampaignFacts, RecordFacts } from "./facts.ts";

/** Why one record cannot be dialled at an instant, or "dialable". */
export type RecordHold = CauseCode | "dialable";

/**
 * The first reason a record is held back at `atMs`, in the order the platform's dialer applies
 * them: a finalised record is never loaded again, whatever else holds; a record without a zone
 * never reaches the calling-hours check; a call-request window that has passed is skipped even
 * inside the calling hours (docs/campaigns.md, "Why is nothing dialing?").
 */
export function holdOf(
  record: RecordFacts,
  atMs: number,
  facts: Pick<CampaignFacts, "maxAttempts" | "loadNonFresh">,
  hours: CallingHours,
  group: number,
): RecordHold {
  const terminal = terminalHold(record, facts);
  if (terminal) return terminal;
  if (record.expiresAtMs !== undefined && record.expiresAtMs <= atMs) return "records_expired";
  if (record.zone === undefined) return "no_time_zone";
  if (record.callAtMs !== undefined) {
    if (record.staleMinutes !== undefined && atMs > record.callAtMs + record.staleMinutes * 60_000)
      return "call_request_stale";
    if (record.callAtMs > atMs) return "waiting_for_call_request_time";
  }
  if (!hours.isOpen(group, atMs)) return "outside_calling_hours";
  return "dialable";
}

/** Holds that no passing of time lifts (the forecast never counts these records). */
export function terminalHold(
  record: RecordFacts,
  facts: Pick<CampaignFacts, "maxAttempts" | "loadNonFresh">,
): CauseCode | undefined {
  // At the maximum attempts first: the platform finalises such a record too, and the fix differs.
  if (facts.maxAttempts !== undefined && record.attempts >= facts.maxAttempts) return "max_attempts_reached";
  if (record.finalized) return "list_exhausted";
  if (record.dnc) return "dnc_suppressed";
  if (record.attempts > 0 && facts.loadNonFresh === false) return "non_fresh_excluded";
  if (record.zone === undefined) return "no_time_zone";
  return undefined;
}
