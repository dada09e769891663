import type { Store } from "./index.ts";

/**
 * The store's record of the plans cxo pushed and the CXone lists each went out in (key-value
 * namespace `strategy.pushes`). The push writes it (src/strategy/push-operations.ts); evidence,
 * a campaign's diagnosis, consent coverage, the board and the idle watch read it here, below
 * every room that needs it, so none of them reaches up into the push to know what was pushed.
 */
export const PUSHES = "strategy.pushes";

/** One list a plan went out in: a day's records (issue 76 §3: a time range recurs daily). */
export interface PushedSlice {
  listId: string;
  listName: string;
  jobId: string;
  /** Every record whose window opens by this instant was considered; null: the whole plan (pushes before issue 76). */
  horizonMs: number | null;
  /** Records of the plan left out or taken out (blocked, past): never sent again. */
  excluded: string[];
  /** Records held back because another record of their account was pending: considered again later. */
  held: string[];
  /**
   * Records the list holds (sent, not taken out since); absent for pushes before issue 76: the
   * plan's records less `excluded`; and for a slice sent in batches, whose records are each
   * batch's (`PUSH_SENT`), less `excluded`.
   */
  sent?: string[];
  /**
   * A slice sent in batches (issue 88 L13), each its own upload job: the batches done, in order
   * (the first's key is the slice's own), each with its job.
   */
  batches?: Array<{ key: string; jobId: string }>;
  /** More batches of this slice may follow: the next run of the push goes on with this list. */
  open?: true;
  /** The list's optional columns, as it was made (every batch's file has them). */
  columns?: { zip: boolean; callbacks: boolean; debts?: boolean | undefined };
  /**
   * Records cxo asked CXone to take out that it has not (its failedRecords): still in the list,
   * never `excluded`, asked again by every run, and the plan pushes nothing more until they are out.
   */
  removing?: string[];
}

/** What the store keeps of a plan pushed: its campaign and the lists it went out in. */
export interface PushedPlan {
  campaign?: string | undefined;
  slices: PushedSlice[];
}

/** The store's record of a push, read in either layout (one list before issue 76, slices after). */
export function pushedPlanOf(value: unknown, listName: string): PushedPlan | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Partial<PushedPlan> & { listId?: string; jobId?: string; excluded?: string[] };
  if (Array.isArray(v.slices)) return { campaign: v.campaign, slices: v.slices };
  if (typeof v.listId !== "string") return undefined;
  return {
    slices: [
      {
        listId: v.listId,
        listName,
        jobId: v.jobId ?? "",
        horizonMs: null,
        excluded: v.excluded ?? [],
        held: [],
      },
    ],
  };
}

/** A list cxo pushed from a plan: the store's one reader of `strategy.pushes` for everyone else. */
export interface PushedListRef {
  listId: string;
  listName: string;
  /** The campaign (skill) it feeds; undefined for a push recorded before it was kept, and no journal row says. */
  campaignId: string | undefined;
  /** When the store last recorded the plan's push (ISO 8601). */
  updatedAt: string;
  /** Records CXone has not taken out of the list although cxo asked (PushedSlice.removing). */
  removing: string[];
}

type PushStore = Pick<Store, "kv"> & { journal: Pick<Store["journal"], "findByKey"> };

/** Every list cxo pushed from plans, with the campaign each feeds. */
export async function pushedLists(store: PushStore): Promise<PushedListRef[]> {
  const found: PushedListRef[] = [];
  for (const { key, value, updatedAt } of await store.kv.list(PUSHES)) {
    const plan = pushedPlanOf(value, key);
    if (!plan) continue;
    // Pushes before issue 76 kept no campaign: their journal row's request names it.
    let campaignId = plan.campaign;
    if (campaignId === undefined) {
      const row = await store.journal.findByKey(key);
      const named = (row?.payload as { request?: { campaignId?: unknown } } | undefined)?.request?.campaignId;
      campaignId = typeof named === "string" ? named : undefined;
    }
    for (const slice of plan.slices)
      found.push({
        listId: slice.listId,
        listName: slice.listName,
        campaignId,
        updatedAt,
        removing: slice.removing ?? [],
      });
  }
  return found;
}

/** The lists cxo pushed from plans (issue 76 §1: advice never lets CXone dial them beyond the plan). */
export async function planFedListIds(store: PushStore): Promise<Set<string>> {
  return new Set((await pushedLists(store)).map((l) => l.listId));
}
