import {
  discardStaged,
  discardStagedUnder,
  stageRecords as insertStaged,
  stagedIdsUnder,
  swapInStaged,
} from "../consent/dnc-group-copy.ts";
import { appendAuditRecords } from "../core/audit/audit-log.ts";
import { clockNowMs } from "../core/clock/now.ts";
import type { Store } from "../core/store/index.ts";
import { setCheckpoints } from "../core/store/kv.ts";
import type { SqlDb, SqlExecutor } from "../core/store/sql.ts";
import { IncompleteListingError } from "../platform/errors.ts";
import type { DncGroup, DncGroupsPort } from "../platform/ports/dnc-groups.ts";
import { CxoneDncCopyIncompleteError } from "./cxone-dnc-errors.ts";
import { sqlOf } from "./store-sql.ts";
/**
 * `cxo compliance dnc sync`: the tenant's CXone DNC groups, their scrubbed skills
 * and every record, copied into the store (consent/dnc-group-copy.ts, which owns the copy's
 * tables), which every check reads (blocked-numbers.ts).
 *
 * Constant memory: records are written page by page as they arrive, under a staging group id
 * (`~sync:<run>:<group>`) that no reader looks at (readers join records to the groups table).
 * The copy is then replaced in ONE transaction: the old records and groups go, the staged
 * records take their real group ids, the groups are written, the sync's summary goes to `kv`
 * and its audit record is appended. A reader sees the old copy or the new one, never a mix;
 * a sync that dies half way leaves the old copy in use (its staged rows are swept by a later
 * sync). Nothing is sent to CXone but reads, so there is no journal row.
 *
 * Never silently incomplete: a group whose records cannot be read whole — a
 * repeated page (a tenant that ignores `skip`), an answer the adapter cannot read, fewer records
 * than the group says it holds — fails the sync and keeps the old copy. A group whose count
 * changes while it is read (records added or deleted mid-sync shift the pages) is read again
 * against its new count, up to READ_ATTEMPTS times. `syncedAt` is the sync's START: the copy is
 * no fresher than the moment its first record was read.
 */
export interface CxoneDncSyncResult {
  /** Groups read (active or not). */
  groups: number;
  activeGroups: number;
  /** Records copied, over every group. */
  records: number;
  syncedAt: string;
  durationMs: number;
}

/** Where the last sync's summary is kept (`kv`), read by the copy's age (cxone-dnc-freshness.ts). */
export const SYNC_KV = { namespace: "cxone-dnc", key: "sync" } as const;

const STAGING = "~sync:";
/** Staged rows of a run older than this are a dead sync's: the next sync removes them. */
const ABANDONED_AFTER_MS = 3_600_000;
/** Rows a staging INSERT carries (well under SQLite's and PostgreSQL's parameter limits). */
const INSERT_ROWS = 200;
/** Reads of one group before a sync whose count keeps changing gives up (the old copy stays). */
const READ_ATTEMPTS = 3;

export interface SyncOptions {
  now?: () => number;
  signal?: AbortSignal;
  /** Who asked, for the audit record (`cli:…`, `service:…`). */
  actor?: string | null;
}

export async function syncCxoneDnc(
  store: Store,
  port: DncGroupsPort,
  options: SyncOptions = {},
): Promise<CxoneDncSyncResult> {
  const now = options.now ?? clockNowMs;
  const startedMs = now();
  const db = sqlOf(store);
  await sweepAbandoned(db, startedMs);
  const run = `${STAGING}${startedMs}-${Math.random().toString(36).slice(2, 8)}:`;
  const groups = await port.list(options.signal);
  try {
    for (const group of groups) await stageGroup(db, port, run, group, options.signal);
    // The start: a record deleted from CXone after it was read is in the copy until the next sync.
    const syncedAt = new Date(startedMs).toISOString();
    const durationMs = Math.max(0, now() - startedMs);
    return await swapIn(db, run, groups, {
      syncedAt,
      // The copy is the one in force from the moment it is swapped in (issue 102 §1).
      inForceAt: new Date(startedMs + durationMs).toISOString(),
      durationMs,
      actor: options.actor ?? null,
    });
  } catch (error) {
    // What this run staged is no reader's: removed now rather than by a later run's sweep.
    await discardStagedUnder(db, run).catch(() => undefined);
    throw error;
  }
}

/**
 * One group's records staged whole: read, and compared with the count the group gave; a read
 * that comes short, or whose listing changed while it was read, is thrown away and the group
 * read again against its count now. A repeated page or an unreadable answer fails at once.
 */
async function stageGroup(
  db: SqlExecutor,
  port: DncGroupsPort,
  run: string,
  group: DncGroup,
  signal: AbortSignal | undefined,
): Promise<void> {
  let expected = group.records;
  for (let attempt = 1; ; attempt++) {
    let read: number | undefined;
    let problem: Error;
    try {
      read = await stageRecords(db, port, run, group.groupId, signal);
      if (expected === undefined || read >= expected) return;
      problem = new CxoneDncCopyIncompleteError({ ...group, read, expected, attempts: attempt });
    } catch (error) {
      if (!(error instanceof IncompleteListingError) || error.reason === "repeated-page") throw error;
      problem = error;
    }
    await discardStaged(db, run + group.groupId);
    if (attempt >= READ_ATTEMPTS) throw problem;
    expected = await currentCount(port, group.groupId, signal);
  }
}

/** What the group says it holds now (it changed while read); a group gone since fails the sync. */
async function currentCount(
  port: DncGroupsPort,
  groupId: string,
  signal: AbortSignal | undefined,
): Promise<number | undefined> {
  const group = port.group
    ? await port.group(groupId, signal)
    : (await port.list(signal)).find((g) => g.groupId === groupId);
  if (!group)
    throw new CxoneDncCopyIncompleteError({
      groupId,
      name: "removed while read",
      read: 0,
      expected: 0,
      attempts: 1,
    });
  return group.records;
}

/** One group's records, staged as they arrive, INSERT_ROWS at a time (never the whole group held); how many were read. */
async function stageRecords(
  db: SqlExecutor,
  port: DncGroupsPort,
  run: string,
  groupId: string,
  signal: AbortSignal | undefined,
): Promise<number> {
  const stagedId = run + groupId;
  let batch: Array<{ phone: string; expiresAt: string | null }> = [];
  let read = 0;
  for await (const record of port.records(groupId, signal)) {
    read++;
    batch.push({ phone: record.phone, expiresAt: record.expiresAt || null });
    if (batch.length >= INSERT_ROWS) {
      await insertStaged(db, stagedId, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await insertStaged(db, stagedId, batch);
  return read;
}

/** The one transaction that replaces the copy with this run's staged records and `groups`. */
async function swapIn(
  db: SqlDb,
  run: string,
  groups: readonly DncGroup[],
  sync: { syncedAt: string; inForceAt: string; durationMs: number; actor: string | null },
): Promise<CxoneDncSyncResult> {
  const { syncedAt, inForceAt } = sync;
  return db.transaction(async (tx) => {
    const kept = await swapInStaged(tx, { run, staging: STAGING, groups, syncedAt, inForceAt });
    const result: CxoneDncSyncResult = {
      groups: groups.length,
      activeGroups: groups.filter((g) => g.active).length,
      records: [...kept.values()].reduce((a, b) => a + b, 0),
      syncedAt,
      durationMs: sync.durationMs,
    };
    await setCheckpoints(tx, [{ ...SYNC_KV, value: result }]);
    await appendAuditRecords(tx, [
      {
        operation: "compliance.cxone-dnc.sync",
        outcome: "done",
        actor: sync.actor,
        target: "cxone-dnc-groups",
        details: {
          ...result,
          byGroup: groups.map((g) => ({
            groupId: g.groupId,
            name: g.name,
            active: g.active,
            scrubbedSkillIds: g.scrubbedSkillIds,
            records: kept.get(g.groupId) ?? 0,
          })),
        },
      },
    ]);
    return result;
  });
}

/** Removes what syncs that died more than an hour ago staged (their run id starts with their start). */
async function sweepAbandoned(db: SqlExecutor, nowMs: number): Promise<void> {
  for (const groupId of await stagedIdsUnder(db, STAGING)) {
    const started = Number(/^~sync:(\d+)-/.exec(groupId)?.[1]);
    if (!Number.isFinite(started) || nowMs - started > ABANDONED_AFTER_MS) await discardStaged(db, groupId);
  }
}
