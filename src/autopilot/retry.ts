import { dialWasConversation } from "../core/call-agent.ts";
import type { ListAttempt } from "../platform/ports/lists.ts";

/**
 * Records dialled today and not answered are planned again for later in the day (issue 91 §3:
 * the week bench's autopilot used a quarter of its agents' dials — one attempt a record a day —
 * and reached fewer people than a list loaded Monday). A record is planned again when:
 * - each of its dials today is unanswered and its last dial window has closed (CXone will not
 *   dial it again on its own: the push fitted the skill to one dial a record);
 * - no number of its debt had a conversation today (Regulation F, 12 CFR 1006.14(b)(2)(i)(B));
 * - no record of its debt waits behind it (a number not yet tried comes first), and none is live
 *   (its window open: two numbers of a debt are never on the lists at once);
 * - it had fewer than 1 + `retries` dials today.
 * The push judges every cap again (3 in 24 hours, 7 in 7 days per debt, the hours): a record
 * planned again that a cap now refuses is left out and named, never sent.
 */

export interface RetryInput {
  /** The day's dials by record id (every list the day pushed). */
  dials: ReadonlyMap<string, readonly ListAttempt[]>;
  /** The records the day's plans sent, by account ("" for records without one). */
  sentByAccount: ReadonlyMap<string, readonly string[]>;
  /** Records sent without an account. */
  unaccounted: readonly string[];
  /** When each sent record's last dial window ends. */
  windowEnds: ReadonlyMap<string, number>;
  /** Accounts with a record held back waiting for a sibling's outcome. */
  waitingAccounts: ReadonlySet<string>;
  nowMs: number;
  /** Dials after the first a record may have in a day. */
  retries: number;
}

export function recordsToRetry(input: RetryInput): string[] {
  if (input.retries <= 0) return [];
  const out: string[] = [];
  const open = (id: string) => (input.windowEnds.get(id) ?? Number.POSITIVE_INFINITY) > input.nowMs;
  const consider = (ids: readonly string[], talked: boolean) => {
    if (talked || ids.some(open)) return;
    for (const id of new Set(ids)) {
      const dials = input.dials.get(id) ?? [];
      if (dials.length > 0 && dials.length <= input.retries) out.push(id);
    }
  };
  for (const [account, ids] of input.sentByAccount) {
    if (input.waitingAccounts.has(account)) continue;
    consider(
      ids,
      ids.some((id) => (input.dials.get(id) ?? []).some(dialWasConversation)),
    );
  }
  for (const id of input.unaccounted) consider([id], (input.dials.get(id) ?? []).some(dialWasConversation));
  return out;
}
