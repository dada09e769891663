import { createHash } from "node:crypto";
import type { Store } from "../core/store/index.ts";
import type { PushedPlan, PushedSlice } from "../core/store/pushed-lists.ts";
import { DAY_MS, MINUTE_MS } from "../core/time-units.ts";
import type { ListRemovalResult, ListsPort } from "../platform/ports/lists.ts";
import { PUSH_SENT, removeOperation } from "./push-operations.ts";
import type { PlanColumns } from "./push-plan.ts";
import { dialledOn } from "./push-reach.ts";
import { afterRemoval } from "./push-removing.ts";

/**
 * The lists a plan already went out in, with the records each holds (push-run.ts's steps 2
 * and 3): a slice's record keeps its records itself (`sent`), or, sent in batches (issue 88
 * L13), under each batch's key; a push before issue 76 held the plan's records less `excluded`.
 * Worked with as record indices of the plan (push-plan.ts), not objects.
 */
export interface HeldLists {
  plan: PushedPlan;
  /** Each slice's records as sent, before what was taken out since (`excluded`). */
  sent: string[][];
}

export async function listsHeld(
  store: Pick<Store, "kv">,
  plan: PushedPlan,
  columns: PlanColumns,
): Promise<HeldLists> {
  const sent: string[][] = [];
  for (const slice of plan.slices) {
    const recorded = await recordedSent(store, slice);
    if (recorded) sent.push(recorded);
    else {
      const ids: string[] = [];
      for (let i = 0; i < columns.records; i++) ids.push(columns.idOf(i));
      sent.push(ids);
    }
  }
  return { plan, sent };
}

/**
 * The records a slice's upload(s) sent, as the store recorded them: on the slice itself, or (a
 * slice sent in batches) under each batch's key; undefined for a push before issue 76, whose
 * list holds the plan's records. The one reader of both forms: the skill watch's take-out read
 * only the first, and took nothing out of a batched push's list.
 */
export async function recordedSent(
  store: Pick<Store, "kv">,
  slice: Pick<PushedSlice, "sent" | "batches">,
): Promise<string[] | undefined> {
  if (slice.sent) return slice.sent;
  if (!slice.batches) return undefined;
  const ids: string[] = [];
  for (const batch of slice.batches)
    for (const id of (await store.kv.get<string[]>(PUSH_SENT, batch.key)) ?? []) ids.push(id);
  return ids;
}

/** The records a slice's list holds: sent, less what was taken out since. */
export function heldBy(held: HeldLists, index: number): string[] {
  const slice = held.plan.slices[index] as PushedSlice;
  const out = new Set(slice.excluded);
  return (held.sent[index] ?? []).filter((id) => !out.has(id));
}

/** Issue 78 §2: the records now blocked are taken out of every list of the plan that holds them. */
export async function removeBlocked(
  port: ListsPort,
  store: Pick<Store, "journal" | "kv">,
  key: string,
  known: HeldLists,
  blocked: ReadonlyMap<string, string[]>,
  signal: AbortSignal | undefined,
): Promise<{ removal: ListRemovalResult | undefined; held: HeldLists }> {
  let current = known.plan;
  let removal: ListRemovalResult | undefined;
  for (let i = 0; i < known.plan.slices.length; i++) {
    const slice = current.slices[i] as PushedSlice;
    // Blocked now, or asked before and not yet taken out by CXone (still pending).
    const pending = new Set(slice.removing);
    const fresh = heldBy({ plan: current, sent: known.sent }, i).filter(
      (id) => blocked.has(id) || pending.has(id),
    );
    if (fresh.length === 0) continue;
    const done = await store.journal.run(removeOperation(port), {
      target: `call-list:${slice.listName}`,
      payload: { key, plan: current, slice: i, externalIds: fresh },
      idempotencyKey: `${key}-remove-${i}-${createHash("sha256").update(fresh.join("\n")).digest("hex").slice(0, 16)}`,
      signal,
    });
    removal = {
      removed: [...(removal?.removed ?? []), ...done.removed],
      failed: [...(removal?.failed ?? []), ...done.failed],
    };
    // As the operation's checkpoint has it: only what CXone took out is excluded.
    const after = afterRemoval(slice, done);
    current = { ...current, slices: current.slices.map((s, j) => (j === i ? after : s)) };
  }
  return { removal, held: { plan: current, sent: known.sent } };
}

/** The records of the plan due now (their window opens within the day), those later, those past. */
export function dueNow(plan: PlanColumns, held: HeldLists, nowMs: number) {
  // Records already in a list of the plan, or left out of one: never sent again.
  const done = new Uint8Array(plan.records);
  held.plan.slices.forEach((slice, i) => {
    for (const id of [...(held.sent[i] ?? []), ...slice.excluded]) {
      const record = plan.recordOf(id);
      if (record >= 0) done[record] = 1;
    }
  });
  const staleMs = plan.staleMinutes * MINUTE_MS;
  const horizonMs = nowMs + DAY_MS - staleMs;
  let pastAtPush = 0;
  const due: number[] = [];
  const later: number[] = [];
  let firstLater = Number.POSITIVE_INFINITY;
  for (const record of plan.order) {
    if (done[record] === 1) continue;
    const atMs = plan.atOf(plan.firstRow(record));
    if (atMs + staleMs <= nowMs) pastAtPush++;
    else if (plan.isCallback(record) || atMs <= horizonMs) due.push(record);
    else {
      later.push(record);
      if (atMs < firstLater) firstLater = atMs;
    }
  }
  const nextPushAt = later.length > 0 ? new Date(firstLater - DAY_MS + staleMs).toISOString() : undefined;
  return { due, later, pastAtPush, horizonMs, nextPushAt };
}

/** Accounts with a record in a list already sent whose outcome is not known yet (not dialled on that list, window open). */
export function pendingAccounts(
  held: HeldLists,
  plan: PlanColumns,
  made: { dialled: ReadonlySet<string> },
  nowMs: number,
): Set<string> {
  const pending = new Set<string>();
  held.plan.slices.forEach((slice, i) => {
    for (const id of heldBy(held, i)) {
      const record = plan.recordOf(id);
      // Every debt of the record (issue 100: a number of several debts waits for each).
      const accounts = record >= 0 ? plan.accountsOf(record) : [];
      // Dialled on that list, not on an earlier day's: its outcome is known.
      if (
        accounts.length > 0 &&
        !made.dialled.has(dialledOn(slice.listId, id)) &&
        plan.atOf(plan.firstRow(record)) + plan.staleMinutes * MINUTE_MS > nowMs
      )
        for (const account of accounts) pending.add(account);
    }
  });
  return pending;
}

/**
 * Issue 76 §2: one record per collections account per list, the earliest; the rest wait. A record
 * of several debts goes when none of them has another record out, and takes them all.
 */
export function oneRecordPerAccount(
  plan: PlanColumns,
  records: readonly number[],
  pending: ReadonlySet<string>,
): { send: number[]; held: number[] } {
  const taken = new Set<string>();
  const send: number[] = [];
  const held: number[] = [];
  const atOf = (i: number) => plan.atOf(plan.firstRow(i));
  const byTime = [...records].sort((a, b) => atOf(a) - atOf(b));
  for (const record of byTime) {
    const accounts = plan.accountsOf(record);
    if (accounts.length === 0) send.push(record);
    else if (accounts.some((account) => pending.has(account) || taken.has(account))) held.push(record);
    else {
      for (const account of accounts) taken.add(account);
      send.push(record);
    }
  }
  return { send, held };
}

/** The first and last call of the plan's records. */
export function callSpan(plan: PlanColumns): { firstCallAt: string; lastCallAt: string } {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < plan.records; i++) {
    const at = plan.atOf(plan.firstRow(i));
    if (at < first) first = at;
    if (at > last) last = at;
  }
  return { firstCallAt: new Date(first).toISOString(), lastCallAt: new Date(last).toISOString() };
}
