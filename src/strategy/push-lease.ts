import { setTimeout as sleep } from "node:timers/promises";
import { whileHolding } from "../core/store/held-lease.ts";
import type { JournalEntry, Lease, Operation, RedriveReport, Store } from "../core/store/index.ts";
import { PushInProgressError } from "./push-in-progress-error.ts";
import { PUSH_KIND, PUSH_REMOVE_KIND } from "./push-operations.ts";

/**
 * One run of a push at a time (by its key: the plan as given, the campaign, the list's name),
 * across the processes and hosts that share a store: two cron hosts, a retry wrapper or an
 * operator beside the cron would otherwise both find no list, or one half made, and upload the
 * plan twice into it. The store's named leases (core/store/leases.ts, the service's leadership
 * uses them too) carry it: taken before the list is looked up, renewed while the run goes on,
 * given up when it ends; judged by the database's clock, on SQLite and PostgreSQL alike.
 */

/** A push's lease lasts this long without renewal (a holder that died on another host is outwaited). */
export const PUSH_LEASE_TTL_MS = 30_000;
/** How long a run waits by default for another run of the same push to finish. */
export const DEFAULT_PUSH_LEASE_WAIT_MS = 60_000;
/** The longest pause between two tries while waiting (the first are shorter). */
const MAX_POLL_MS = 1_000;

export const pushLeaseName = (key: string): string => `strategy.push/${key}`;

type Leases = Pick<Store, "leases">;

/**
 * Runs `work` holding the push's lease: waits up to `waitMs` for another holder to give it up
 * (or for its lease to run out), else throws PushInProgressError, nothing done. `work` gets the
 * lease (to fence its journal rows) and a signal that also aborts if the lease is lost — a run
 * paused past its lease (GC, SIGSTOP) must not send while another may hold it.
 */
export async function withPushLease<T>(
  store: Leases,
  key: string,
  options: { waitMs: number; signal?: AbortSignal | undefined; ttlMs?: number },
  work: (held: { lease: Lease; signal: AbortSignal }) => Promise<T>,
): Promise<T> {
  const ttlMs = options.ttlMs ?? PUSH_LEASE_TTL_MS;
  const lease = await acquireWaiting(store, pushLeaseName(key), ttlMs, options.waitMs, options.signal);
  return whileHolding(store.leases, lease, { ttlMs, signal: options.signal }, work);
}

async function acquireWaiting(
  store: Leases,
  name: string,
  ttlMs: number,
  waitMs: number,
  signal: AbortSignal | undefined,
): Promise<Lease> {
  const started = performance.now();
  let pause = 50;
  for (;;) {
    signal?.throwIfAborted();
    const lease = await store.leases.acquire(name, ttlMs);
    if (lease) return lease;
    const waited = performance.now() - started;
    if (waited >= waitMs) throw await inProgress(store, name, waited);
    await sleep(Math.min(pause, waitMs - waited), undefined, signal ? { signal } : {});
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
}

async function inProgress(store: Leases, name: string, waitedMs: number): Promise<PushInProgressError> {
  const held = await store.leases.get(name);
  const heldUntil = held ? new Date(held.expiresMs).toISOString() : undefined;
  const who = held ? ` (held by ${held.holder}, its lease runs to ${heldUntil} unless renewed)` : "";
  return new PushInProgressError(
    `another push of this plan is running${who}; waited ${Math.round(waitedMs / 1000)} s: nothing sent — let it finish, then push again (the store answers what it sent)`,
    { ...(held ? { holder: held.holder } : {}), ...(heldUntil ? { heldUntil } : {}) },
  );
}

/** The plan key a push or removal row was written under (other rows: undefined). */
function pushKeyOfRow(entry: JournalEntry): string | undefined {
  if (entry.kind !== PUSH_KIND && entry.kind !== PUSH_REMOVE_KIND) return undefined;
  const key = (entry.payload as { key?: unknown } | null)?.key;
  return typeof key === "string" ? key : undefined;
}

/**
 * Re-drives the strategy's pending rows, each push's under its own lease: `held`'s (the key this
 * run already holds) and the rows of no plan at once, another plan's only if its lease is free
 * (its holder is running it, and finishes its own rows).
 */
export async function redrivePushes(
  store: Pick<Store, "journal" | "leases">,
  operations: readonly Operation<never, unknown>[],
  held: string | undefined,
): Promise<RedriveReport> {
  const report = await store.journal.redrivePending(operations, {
    only: (entry) => {
      const key = pushKeyOfRow(entry);
      return key === undefined || key === held;
    },
  });
  const others = new Set<string>();
  for (const entry of await store.journal.pending()) {
    const key = pushKeyOfRow(entry);
    if (key !== undefined && key !== held) others.add(key);
  }
  for (const key of others) {
    const part = await withPushLease(store, key, { waitMs: 0 }, () =>
      store.journal.redrivePending(operations, { only: (entry) => pushKeyOfRow(entry) === key }),
    ).catch((error: unknown) => {
      if (error instanceof PushInProgressError) return undefined;
      throw error;
    });
    if (!part) continue;
    report.redriven += part.redriven;
    report.done += part.done;
    report.failed += part.failed;
    report.heldElsewhere += part.heldElsewhere;
    report.leftPending.push(...part.leftPending);
  }
  return report;
}
