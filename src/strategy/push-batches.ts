import type { JournalEntry, Store } from "../core/store/index.ts";
import { PUSHES, type PushedPlan, type PushedSlice, pushedPlanOf } from "../core/store/pushed-lists.ts";
import type { ListRemovalResult, ListsPort } from "../platform/ports/lists.ts";
import { type RecordScreen, screenInChunks } from "./push-blocked.ts";
import {
  adoptionOf,
  PUSH_SENT,
  type PushPayload,
  pushOperation,
  removeOperation,
} from "./push-operations.ts";
import type { PlanColumns } from "./push-plan.ts";
import { refuseWhileRemoving } from "./push-removing.ts";

/**
 * A day's list of a plan sent in batches (issue 88 L13), each batch its own upload job and its
 * own journal row: a million records were one base64 body of about 130 MB, over what a server
 * takes in one request (the production emulator refuses 50 MiB), and one journal row holding
 * every record. A batch's row holds its records while pending (any later run can finish it),
 * the ids it tried to send once failed (the next run sends that batch again, as it was), and
 * their count once done; the records the list holds after it are kept under the batch's key
 * (`PUSH_SENT`). The slice's record (`PUSHES`) is updated by each batch: the batches done, each
 * with its job, and `open` until the last.
 *
 * A run that finds the slice open goes on with it: the batches done stay done (their records
 * are not due again), an earlier attempt at the next batch is finished first — its upload found
 * among the list's jobs that no done batch made, adopted, and the records blocked since taken
 * out of it — then the rest of the day's records go in further batches.
 */

/**
 * Records per upload (SDK `batchRecords`). NICE's help ("Set Up Calling Lists") caps a calling
 * list file at 256 MB and 500,000 records; 50,000 of cxo's records are about 5 MB of CSV (7 MB
 * base64), well under both and under the production emulator's 50 MiB request limit, and a
 * batch's objects and texts are a few tens of MB at most.
 */
export const DEFAULT_BATCH_RECORDS = 50_000;
export const MAX_BATCH_RECORDS = 500_000;

export interface SliceSend {
  key: string;
  /** The slice's index among the plan's lists, its list name and key. */
  index: number;
  listName: string;
  sliceKey: string;
  campaign: string;
  plan: PlanColumns;
  /** The records to send (indices), in order. */
  records: readonly number[];
  /** The day's records blocked before anything was sent: left out of the slice for good. */
  excluded: readonly string[];
  held: readonly string[];
  horizonMs: number;
  expiresAt: string;
  /** The plan's record as read, with the slice this run goes on with (open) when there is one. */
  pushed: PushedPlan;
  screen: RecordScreen;
  batchRecords: number;
  signal?: AbortSignal | undefined;
}

export interface SliceSent {
  listId: string;
  listName: string;
  jobId: string;
  /** This run made the list and uploaded every batch it ran (nothing adopted or resumed). */
  fresh: boolean;
  /** Records left out or taken out by the batches (blocked while they ran). */
  excluded: Set<string>;
  removal: ListRemovalResult | undefined;
  /** Records the slice's list holds now. */
  holds: number;
}

type Journaled = Pick<Store, "journal" | "kv">;

/** The batch keys of a slice: the first is the slice's own (a push before batches had one upload). */
const batchKey = (sliceKey: string, n: number) => (n === 0 ? sliceKey : `${sliceKey}-b${n + 1}`);

export async function sendSlice(port: ListsPort, store: Journaled, s: SliceSend): Promise<SliceSent> {
  const { plan } = s;
  const going = s.pushed.slices[s.index];
  const columns = going?.columns ?? {
    zip: s.records.some((i) => plan.timed(i).zip !== undefined),
    callbacks: s.records.some((i) => plan.isCallback(i)),
    // A `Debts` column only when a record is for several debts: every other list's file is as before.
    ...(s.records.some((i) => plan.accountsOf(i).length > 1) ? { debts: true } : {}),
  };
  // The records not sent yet: those from `next` on, less those an earlier attempt's batch took.
  const queue = { next: 0, taken: new Set<number>() };
  const more = () => {
    while (queue.next < s.records.length && queue.taken.has(s.records[queue.next] as number)) queue.next++;
    return queue.next < s.records.length;
  };
  let current = s.pushed;
  let n = going?.batches?.length ?? 0;
  let fresh = n === 0;
  let created = false;
  let last: { listId: string; listName: string; jobId: string } | undefined;
  const excluded = new Set<string>();
  let removal: ListRemovalResult | undefined;
  const sentHere: number[][] = [];
  // What the list held before this run's batches (a slice this run goes on with).
  let holds = going ? (await batchSent(store, going)).length : 0;
  let first = true;
  while (more() || first) {
    const key = batchKey(s.sliceKey, n);
    const earlier = await store.journal.findByKey(key);
    const batch = composition(plan, earlier, s.records, queue, s.batchRecords);
    const records = batch.map((i) => plan.timed(i));
    const blockedHere = first ? [...s.excluded] : [];
    const payload: PushPayload = {
      key: s.key,
      request: {
        listName: s.listName,
        campaignId: s.campaign,
        expiresAt: s.expiresAt,
        records,
        columns,
        knownJobs: (current.slices[s.index]?.batches ?? []).map((b) => b.jobId).filter((j) => j !== ""),
      },
      ...adoptionOf(earlier, blockedHere),
      // A later batch goes into the list the first made: it is this push's.
      ...(n > 0 ? { adopt: true } : {}),
      slice: { horizonMs: s.horizonMs, held: [...s.held], index: s.index },
      earlier: current,
      batch: { key, last: !more() },
    };
    const result = await store.journal.run(pushOperation(port, s.screen), {
      target: `call-list:${s.listName}`,
      payload,
      idempotencyKey: key,
      signal: s.signal,
    });
    refuseWhileRemoving([{ ...result, removing: result.removal?.failed.map((f) => f.externalId) }]);
    for (const id of result.excluded) excluded.add(id);
    const out = new Set(result.excluded);
    holds += records.filter((r) => !out.has(r.externalId)).length;
    removal = joined(removal, result.removal);
    if (first && n === 0) created = result.created;
    fresh &&= result.uploaded;
    last = { listId: result.listId, listName: result.listName, jobId: result.jobId || (last?.jobId ?? "") };
    current = pushedPlanOf(await store.kv.get(PUSHES, s.key), s.listName) ?? current;
    sentHere.push(batch);
    n++;
    first = false;
  }
  // Revocations recorded while the later batches went: the earlier batches' records asked again.
  const late = await lateRemoval(port, store, s, sentHere.slice(0, -1).flat(), excluded);
  if (late) {
    holds -= late.removed.length;
    for (const id of late.removed) excluded.add(id);
    removal = joined(removal, late);
    current = pushedPlanOf(await store.kv.get(PUSHES, s.key), s.listName) ?? current;
  }
  const slice = current.slices[s.index] as PushedSlice;
  return {
    listId: last?.listId ?? slice.listId,
    listName: last?.listName ?? slice.listName,
    jobId: last?.jobId || slice.jobId,
    fresh: fresh && created,
    excluded,
    removal,
    holds,
  };
}

/**
 * The next batch: an earlier attempt's (failed: its ids; the same records, so an upload CXone
 * took is adopted whole), else the next `size` records.
 */
function composition(
  plan: PlanColumns,
  earlier: JournalEntry | undefined,
  records: readonly number[],
  queue: { next: number; taken: Set<number> },
  size: number,
): number[] {
  const tried = (earlier?.payload as { ids?: unknown } | undefined)?.ids;
  if (earlier?.status === "failed" && Array.isArray(tried)) {
    const batch = tried.map((id) => plan.recordOf(String(id))).filter((i) => i >= 0);
    for (const i of batch) queue.taken.add(i);
    return batch;
  }
  const batch: number[] = [];
  while (batch.length < size && queue.next < records.length) {
    const i = records[queue.next++] as number;
    if (!queue.taken.has(i)) batch.push(i);
  }
  return batch;
}

function joined(a: ListRemovalResult | undefined, b: ListRemovalResult | undefined) {
  if (!b) return a;
  return { removed: [...(a?.removed ?? []), ...b.removed], failed: [...(a?.failed ?? []), ...b.failed] };
}

/** The ids a batched slice's list holds: each batch's, less what was taken out since. */
export async function batchSent(store: Pick<Store, "kv">, slice: PushedSlice): Promise<string[]> {
  const out = new Set(slice.excluded);
  const ids: string[] = [];
  for (const batch of slice.batches ?? [])
    for (const id of (await store.kv.get<string[]>(PUSH_SENT, batch.key)) ?? [])
      if (!out.has(id)) ids.push(id);
  return ids;
}

/** The records of the batches before the last, blocked since they went: taken out (journaled). */
async function lateRemoval(
  port: ListsPort,
  store: Journaled,
  s: SliceSend,
  records: readonly number[],
  excluded: ReadonlySet<string>,
): Promise<ListRemovalResult | undefined> {
  if (records.length === 0) return undefined;
  const blocked = await screenInChunks(
    s.screen,
    records.length,
    (i) => s.plan.timed(records[i] as number),
    s.campaign,
    s.signal,
  );
  const fresh = [...blocked.keys()].filter((id) => !excluded.has(id));
  if (fresh.length === 0) return undefined;
  const plan = pushedPlanOf(await store.kv.get(PUSHES, s.key), s.listName);
  if (!plan) return undefined;
  const done = await store.journal.run(removeOperation(port), {
    target: `call-list:${s.listName}`,
    payload: { key: s.key, plan, slice: s.index, externalIds: fresh },
    idempotencyKey: `${s.sliceKey}-late-${fresh.length}-${fresh[0]}`,
    signal: s.signal,
  });
  return done;
}
