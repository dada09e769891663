import type { OutboxEventInput } from "../core/outbox/events.ts";
import type { PushedSlice } from "../core/store/pushed-lists.ts";
import type { ListRemovalResult } from "../platform/ports/lists.ts";
import { RemovalPendingError } from "./removal-pending-error.ts";

/**
 * Records cxo asked CXone to take out of a pushed list and that CXone has not taken out (its
 * `failedRecords`, the list still holding them): pending until CXone confirms them out. They are
 * never counted as excluded (the next run would skip them, and a revoked number would stay
 * dialable); every run asks again, the plan pushes nothing more until they are out, and each
 * refusal is an event to the `campaigns` destination besides the board's "Needs attention".
 */
export const NOT_REMOVED_EVENT = "strategy.push.not-removed";

/** A slice's pending removals after one: what CXone did not take out joins them, what it took leaves. */
export function pendingRemoval(
  earlier: readonly string[],
  removal: ListRemovalResult | undefined,
): { removing?: string[] } {
  const out = new Set(removal?.removed);
  const ids = [...new Set([...earlier, ...(removal?.failed.map((f) => f.externalId) ?? [])])].filter(
    (id) => !out.has(id),
  );
  return ids.length > 0 ? { removing: ids } : {};
}

/** The slice once a removal is answered: excluded gains only what CXone took out. */
export function afterRemoval(slice: PushedSlice, removal: ListRemovalResult): PushedSlice {
  const { removing: earlier, ...rest } = slice;
  return {
    ...rest,
    excluded: [...new Set([...slice.excluded, ...removal.removed])],
    ...pendingRemoval(earlier ?? [], removal),
  };
}

/** The outbox event of a removal CXone did not carry out in full (none when it did). */
export function notRemovedEvents(
  slice: PushedSlice,
  campaignId: string | undefined,
  removal: ListRemovalResult | undefined,
): OutboxEventInput[] {
  if (!removal || removal.failed.length === 0) return [];
  return [
    {
      type: NOT_REMOVED_EVENT,
      destination: "campaigns",
      orderKey: campaignId ?? slice.listId,
      data: {
        campaignId: campaignId ?? null,
        listId: slice.listId,
        listName: slice.listName,
        notRemoved: removal.failed,
        pending: slice.removing ?? [],
      },
    },
  ];
}

/**
 * The plan's lists still holding records CXone did not take out: a push of the plan stops here
 * (exit 1, a RemovalPendingError naming each list and record), since another day's list would otherwise go
 * out while a number that may no longer be called is still in one of its lists.
 */
export function refuseWhileRemoving(
  slices: ReadonlyArray<Pick<PushedSlice, "listId" | "listName" | "removing">>,
): void {
  const lists = slices.filter((s) => (s.removing ?? []).length > 0);
  if (lists.length === 0) return;
  const records = lists.reduce((n, s) => n + (s.removing ?? []).length, 0);
  throw new RemovalPendingError(
    `CXone has not taken ${records} record(s) whose number may no longer be called out of ${lists
      .map((s) => `list ${s.listId} "${s.listName}" (${(s.removing ?? []).join(", ")})`)
      .join(
        "; ",
      )}: nothing more of this plan is pushed until they are out. Each push of the plan asks CXone again; if it keeps refusing, take them out in CXone (Personal Connection → Lists)`,
    Object.fromEntries(lists.map((s) => [s.listId, [...(s.removing ?? [])]])),
  );
}
