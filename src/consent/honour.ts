import type { Store } from "../core/store/index.ts";
import type { DncGroupsPort } from "../platform/ports/dnc-groups.ts";
import {
  entriesForCxone,
  type LedgerEntry,
  markCxone,
  phonesDoneInGroup,
  reopenRemovedFromGroups,
} from "./ledger.ts";

/**
 * Honouring revocations in the tenant's CXone DNC group (issue 62 §1), so that CXone's own
 * dialer stops too: every ledger entry `pending` for a group is sent there once.
 *
 * The ledger row is this side effect's journal: `pending` → `sending` (committed before the
 * request) → `done` with its audit record (one transaction after it). A run that died between
 * the two leaves `sending` rows; the next run asks CXone which of their numbers the group holds
 * (`search`) and sends only the others, so each number reaches the group in one request
 * whatever was killed when. A number the group got from an earlier entry is not sent again.
 */
export interface HonourSummary {
  /** Numbers sent to a group by this run. */
  sent: number;
  /** Entries found already honoured in the group (an earlier run's send, or a repeat). */
  alreadyInGroup: number;
  /** Ledger entries marked done. */
  entries: number;
  /**
   * Entries whose number was found gone from the group (removed in CXone after it was honoured)
   * and sent again by this run (issue 78 §13).
   */
  readded?: number;
}

export interface HonourOptions {
  actor: string | null;
  batchSize?: number;
  signal?: AbortSignal | undefined;
}

export async function honourInCxone(
  store: Store,
  port: DncGroupsPort,
  options: HonourOptions,
): Promise<HonourSummary> {
  const summary: HonourSummary = { sent: 0, alreadyInGroup: 0, entries: 0 };
  // A batch in flight is what a killed run leaves to check number by number (`search`): small
  // enough for that to stay cheap, large enough to add many numbers a request.
  const size = options.batchSize ?? 500;
  await recoverSending(store, port, options, summary);
  // A number someone removed from the group after it was honoured goes back in.
  const reopened = await reopenRemovedFromGroups(store, options.actor);
  if (reopened > 0) summary.readded = reopened;
  for (;;) {
    options.signal?.throwIfAborted();
    const pending = await entriesForCxone(store, "pending", size);
    if (pending.length === 0) return summary;
    for (const [groupId, entries] of byGroup(pending)) {
      const known = await phonesDoneInGroup(
        store,
        groupId,
        entries.map((e) => e.phone),
      );
      const repeats = entries.filter((e) => known.has(e.phone));
      const fresh = entries.filter((e) => !known.has(e.phone));
      await markCxone(
        store,
        repeats.map((e) => e.id),
        "done",
      );
      summary.alreadyInGroup += repeats.length;
      summary.entries += repeats.length;
      if (fresh.length === 0) continue;
      const ids = fresh.map((e) => e.id);
      await markCxone(store, ids, "sending");
      const phones = [...new Set(fresh.map((e) => e.phone))];
      await port.addRecords(
        groupId,
        phones.map((phone) => ({ phone, expiresAt: undefined })),
        options.signal,
      );
      await markCxone(store, ids, "done", { actor: options.actor, groupId, phones });
      summary.sent += phones.length;
      summary.entries += ids.length;
    }
  }
}

/** `sending` rows a killed run left: done when the group holds the number, else pending again. */
async function recoverSending(
  store: Store,
  port: DncGroupsPort,
  options: HonourOptions,
  summary: HonourSummary,
): Promise<void> {
  for (;;) {
    const sending = await entriesForCxone(store, "sending", 500);
    if (sending.length === 0) return;
    const inGroup: string[] = [];
    const notYet: string[] = [];
    const held = new Map<string, boolean>();
    for (const entry of sending) {
      const key = `${entry.cxone.groupId}\u0000${entry.phone}`;
      let there = held.get(key);
      if (there === undefined) {
        options.signal?.throwIfAborted();
        const hits = await port.search(entry.phone, options.signal);
        there = hits.some((hit) => hit.groupId === entry.cxone.groupId);
        held.set(key, there);
      }
      (there ? inGroup : notYet).push(entry.id);
    }
    await markCxone(store, inGroup, "done");
    await markCxone(store, notYet, "pending");
    summary.alreadyInGroup += inGroup.length;
    summary.entries += inGroup.length;
  }
}

function byGroup(entries: readonly LedgerEntry[]): Map<string, LedgerEntry[]> {
  const groups = new Map<string, LedgerEntry[]>();
  for (const entry of entries) {
    const id = entry.cxone.groupId;
    if (id === null) continue;
    const list = groups.get(id) ?? [];
    list.push(entry);
    groups.set(id, list);
  }
  return groups;
}
