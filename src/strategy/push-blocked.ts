import type { DncList } from "../compliance/dnc.ts";
import { InputError } from "../core/input-error.ts";
import type { TimedListRecord } from "../platform/ports/lists.ts";

/**
 * Issue 62: a plan is pushed as the data dir stands NOW, not as it stood when the plan was made:
 * a record whose number was put on the internal list, revoked consent (the ledger) or joined a
 * CXone DNC group scrubbing the campaign since then is not sent. Issue 78 §2: the same question
 * is asked again of a pending payload before it is re-driven, after its upload, and of a plan
 * pushed before (whose list then loses the records now blocked).
 */

/** The records whose number may no longer be called: external id → the codes that say so. */
export type BlockedRecords = Map<string, string[]>;

/** Asks the data dir, as it stands at the call, which of these records of a campaign's list may no longer be called. */
export type RecordScreen = (records: readonly TimedListRecord[], campaign: string) => Promise<BlockedRecords>;

export function blockedRecords(
  records: readonly TimedListRecord[],
  blocked: DncList,
  campaign: string,
  /** Codes of other lists (a UK record's TPS/CTPS listing: push-uk.ts). */
  more?: (record: TimedListRecord) => readonly string[],
): BlockedRecords {
  const found: BlockedRecords = new Map();
  for (const record of records) {
    const codes = [
      ...(blocked.has(record.phone) ? ["internal_dnc"] : []),
      ...(blocked.suppressions?.(record.phone, campaign, Date.parse(record.callAt)) ?? []).map((s) => s.code),
      ...(more?.(record) ?? []),
    ];
    if (codes.length > 0) found.set(record.externalId, codes);
  }
  return found;
}

/** How many records each code blocks. */
export function blockedCounts(blocked: BlockedRecords): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const codes of blocked.values()) for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

/**
 * Every record of a plan blocked now: nothing to push. An InputError (the CLI exits 2, as for any
 * plan it cannot send); the autopilot, which made the plan moments ago from the same facts but
 * for one record or a few, takes it as a plan done with nothing sent, not as a refusal.
 */
export class EveryRecordBlockedError extends InputError {
  readonly blocked: Record<string, number>;
  constructor(blocked: Record<string, number>) {
    super({
      field: "plan",
      rule: `every record's number may no longer be called (${Object.entries(blocked)
        .map(([code, n]) => `${code}: ${n}`)
        .join(", ")}): nothing to push`,
    });
    this.blocked = blocked;
  }
}

/** The records still callable; none left is an EveryRecordBlockedError (nothing to push). */
export function withoutBlocked<T extends { externalId: string }>(
  records: readonly T[],
  blocked: BlockedRecords,
): T[] {
  const kept = records.filter((record) => !blocked.has(record.externalId));
  if (kept.length === 0) throw new EveryRecordBlockedError(blockedCounts(blocked));
  return kept;
}

/** Records screened a chunk at a time: a chunk's objects are garbage once asked (issue 88 L13). */
export const SCREEN_CHUNK = 10_000;

/**
 * Which of `count` records (made one at a time by `recordAt`) may no longer be called, asked a
 * chunk at a time, giving the event loop a turn between chunks (the push's lease is renewed).
 */
export async function screenInChunks(
  screen: RecordScreen,
  count: number,
  recordAt: (i: number) => TimedListRecord,
  campaign: string,
  signal?: AbortSignal,
): Promise<BlockedRecords> {
  const found: BlockedRecords = new Map();
  for (let from = 0; from < count; from += SCREEN_CHUNK) {
    signal?.throwIfAborted();
    const chunk: TimedListRecord[] = [];
    for (let i = from; i < Math.min(count, from + SCREEN_CHUNK); i++) chunk.push(recordAt(i));
    for (const [id, codes] of await screen(chunk, campaign)) found.set(id, codes);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return found;
}
