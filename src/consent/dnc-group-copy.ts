import type { SqlExecutor } from "../core/store/index.ts";
import type { DncGroup } from "../platform/ports/dnc-groups.ts";

/**
 * The local copy of the tenant's CXone DNC groups (issue 62 §2, migration 8): each group with
 * what it scrubs (`cxone_dnc_groups`) and each record it holds (`cxone_dnc_records`). This module
 * owns both tables (core/store/tables.ts). `cxo compliance dnc sync`
 * (compliance/cxone-dnc-sync.ts) fills it: records staged under a run's own group ids,
 * then swapped in whole in one transaction; every check reads it
 * (compliance/blocked-numbers.ts); the consent ledger's queue asks it which numbers a
 * group lost (consent/ledger-queue.ts).
 */

/** A number's record as copied: its group (or a staged run's id for it), its expiry when it has one. */
export interface CopiedRecord {
  group_id: string;
  phone: string;
  expires_at: string | null;
}

/** The groups as the last sync copied them (the board's view of coverage, without asking CXone). */
export async function syncedGroups(db: SqlExecutor): Promise<DncGroup[]> {
  const rows = await db.all<{
    group_id: string;
    name: string;
    active: number;
    scrubbed_skills: string;
    records: number;
  }>("SELECT group_id, name, active, scrubbed_skills, records FROM cxone_dnc_groups");
  return rows.map((g) => ({
    groupId: g.group_id,
    name: g.name,
    active: Number(g.active) === 1,
    scrubbedSkillIds: JSON.parse(g.scrubbed_skills) as string[],
    records: Number(g.records),
  }));
}

/** When the copy in force last read CXone (its newest sync), or null when there is none. */
export async function lastSyncedAt(db: SqlExecutor): Promise<string | null> {
  const last = await db.all<{ synced_at: string | null }>(
    "SELECT MAX(synced_at) AS synced_at FROM cxone_dnc_syncs",
  );
  return last[0]?.synced_at ?? null;
}

/**
 * The groups as the last sync copied them, when that sync read CXone at most `maxAgeMinutes`
 * before `nowMs` (the copy's freshness rule); undefined for an older copy, or none.
 */
export async function freshCopiedGroups(
  db: SqlExecutor,
  nowMs: number,
  maxAgeMinutes: number,
): Promise<DncGroup[] | undefined> {
  const last = await db.all<{ synced_at: string | null }>(
    "SELECT MAX(synced_at) AS synced_at FROM cxone_dnc_syncs",
  );
  const syncedMs = Date.parse(last[0]?.synced_at ?? "");
  if (Number.isNaN(syncedMs) || nowMs - syncedMs > maxAgeMinutes * 60_000) return undefined;
  return syncedGroups(db);
}

/** The records of these numbers (one query: the caller keeps the list to a few hundred). */
export function recordsOfPhones(db: SqlExecutor, phones: readonly string[]): Promise<CopiedRecord[]> {
  return db.all<CopiedRecord>(
    `SELECT group_id, phone, expires_at FROM cxone_dnc_records WHERE phone IN (${phones.map(() => "?").join(", ")})`,
    [...phones],
  );
}

/** A page of one group's records in number order, after `afterPhone` (a bulk load's keyset paging). */
export function recordsOfGroup(
  db: SqlExecutor,
  groupId: string,
  afterPhone: string,
  limit: number,
): Promise<CopiedRecord[]> {
  return db.all<CopiedRecord>(
    "SELECT group_id, phone, expires_at FROM cxone_dnc_records WHERE group_id = ? AND phone > ? ORDER BY phone LIMIT ?",
    [groupId, afterPhone, limit],
  );
}

/** Stages records under `stagedId` (a run's id for one group); a record staged twice is kept once. */
export async function stageRecords(
  db: SqlExecutor,
  stagedId: string,
  rows: ReadonlyArray<{ phone: string; expiresAt: string | null }>,
): Promise<void> {
  const values = rows.map(() => "(?, ?, ?)").join(", ");
  await db.run(
    `INSERT INTO cxone_dnc_records (group_id, phone, expires_at) VALUES ${values} ON CONFLICT (group_id, phone) DO NOTHING`,
    rows.flatMap(({ phone, expiresAt }) => [stagedId, phone, expiresAt]),
  );
}

/** Removes what was staged under one staged id. */
export async function discardStaged(db: SqlExecutor, stagedId: string): Promise<void> {
  await db.run("DELETE FROM cxone_dnc_records WHERE group_id = ?", [stagedId]);
}

/** Removes what was staged under every id starting with `prefix` (a run's, or every run's). */
export async function discardStagedUnder(db: SqlExecutor, prefix: string): Promise<void> {
  await db.run("DELETE FROM cxone_dnc_records WHERE group_id LIKE ?", [`${prefix}%`]);
}

/** The staged ids starting with `prefix` (the runs whose records are still staged). */
export async function stagedIdsUnder(db: SqlExecutor, prefix: string): Promise<string[]> {
  const rows = await db.all<{ group_id: string }>(
    "SELECT DISTINCT group_id FROM cxone_dnc_records WHERE group_id LIKE ?",
    [`${prefix}%`],
  );
  return rows.map((row) => row.group_id);
}

/**
 * Inside the caller's transaction, the copy becomes `run`'s: the records of the old copy go (not
 * those staged under ids starting with `staging`: other runs'), `run`'s staged records take
 * their groups' ids, and the groups are replaced by `groups`, each with the records it now holds
 * and `syncedAt`. Answers those counts by group id.
 *
 * The copy's history is kept (issue 102 §1: evidence judges a past attempt by the copy in force
 * at its instant): a record of the old copy this run did not find again (or found with another
 * expiry) moves to `cxone_dnc_removed` with `inForceAt` as its end; a record found again keeps
 * the instant it was first copied, a new one takes `inForceAt`; and the sync and its groups are
 * kept in `cxone_dnc_syncs`.
 */
export async function swapInStaged(
  tx: SqlExecutor,
  copy: { run: string; staging: string; groups: readonly DncGroup[]; syncedAt: string; inForceAt: string },
): Promise<Map<string, number>> {
  const { run, staging, groups, syncedAt, inForceAt } = copy;
  const sameRecord = (staged: string, current: string) =>
    `${staged}.phone = ${current}.phone AND ${staged}.expires_at IS NOT DISTINCT FROM ${current}.expires_at`;
  await tx.run(
    `INSERT INTO cxone_dnc_removed (group_id, phone, expires_at, added_at, removed_at)
      SELECT c.group_id, c.phone, c.expires_at, c.added_at, ? FROM cxone_dnc_records c
      WHERE c.group_id NOT LIKE ? AND c.added_at IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM cxone_dnc_records s WHERE s.group_id = CAST(? AS TEXT) || c.group_id AND ${sameRecord("s", "c")})`,
    [inForceAt, `${staging}%`, run],
  );
  await tx.run(
    `UPDATE cxone_dnc_records SET added_at = COALESCE((
        SELECT c.added_at FROM cxone_dnc_records c
        WHERE c.group_id = substr(cxone_dnc_records.group_id, ${run.length + 1}) AND ${sameRecord("cxone_dnc_records", "c")}
      ), ?) WHERE group_id LIKE ?`,
    [inForceAt, `${run}%`],
  );
  await tx.run("DELETE FROM cxone_dnc_records WHERE group_id NOT LIKE ?", [`${staging}%`]);
  // Counted from what was staged: a record listed twice in one group was staged once (the key).
  const staged = await tx.all<{ group_id: string; n: number | string }>(
    "SELECT group_id, COUNT(*) AS n FROM cxone_dnc_records WHERE group_id LIKE ? GROUP BY group_id",
    [`${run}%`],
  );
  const kept = new Map(staged.map((row) => [row.group_id.slice(run.length), Number(row.n)]));
  await tx.run(
    `UPDATE cxone_dnc_records SET group_id = substr(group_id, ${run.length + 1}) WHERE group_id LIKE ?`,
    [`${run}%`],
  );
  await tx.run("DELETE FROM cxone_dnc_groups");
  const insertSync =
    "INSERT INTO cxone_dnc_syncs (in_force_at, synced_at, group_id, name, active, scrubbed_skills) VALUES (?, ?, ?, ?, ?, ?)";
  // Two syncs at one instant (a clock set fixed: CXO_CLOCK): the later is the copy of that instant.
  await tx.run("DELETE FROM cxone_dnc_syncs WHERE in_force_at = ?", [inForceAt]);
  await tx.run(insertSync, [inForceAt, syncedAt, "", "", 0, "[]"]);
  for (const g of groups) {
    const scrubbed = JSON.stringify(g.scrubbedSkillIds);
    await tx.run(
      "INSERT INTO cxone_dnc_groups (group_id, name, active, scrubbed_skills, records, synced_at) VALUES (?, ?, ?, ?, ?, ?)",
      [g.groupId, g.name, g.active ? 1 : 0, scrubbed, kept.get(g.groupId) ?? 0, syncedAt],
    );
    await tx.run(insertSync, [inForceAt, syncedAt, g.groupId, g.name, g.active ? 1 : 0, scrubbed]);
  }
  return kept;
}

/** One sync of the copy as it was: when it read CXone, when it came into force, its groups. */
export interface CopySync {
  syncedAt: string;
  inForceAt: string;
  inForceMs: number;
  groups: Array<Omit<DncGroup, "records">>;
}

/** Every sync the store keeps, oldest first (a few a day: read whole). */
export async function copySyncs(db: SqlExecutor): Promise<CopySync[]> {
  const rows = await db.all<{
    in_force_at: string;
    synced_at: string;
    group_id: string;
    name: string;
    active: number;
    scrubbed_skills: string;
  }>(
    "SELECT in_force_at, synced_at, group_id, name, active, scrubbed_skills FROM cxone_dnc_syncs ORDER BY in_force_at, group_id",
  );
  const syncs: CopySync[] = [];
  for (const row of rows) {
    let sync = syncs.at(-1);
    if (sync?.inForceAt !== row.in_force_at) {
      sync = {
        syncedAt: row.synced_at,
        inForceAt: row.in_force_at,
        inForceMs: Date.parse(row.in_force_at),
        groups: [],
      };
      syncs.push(sync);
    }
    if (row.group_id === "") continue;
    sync.groups.push({
      groupId: row.group_id,
      name: row.name,
      active: Number(row.active) === 1,
      scrubbedSkillIds: JSON.parse(row.scrubbed_skills) as string[],
    });
  }
  return syncs;
}

/** A number's record at some time in the copy: from `added_at` until `removed_at` (null: still there). */
export interface RecordSpan {
  groupId: string;
  phone: string;
  expiresAt: string | null;
  addedAt: string;
  removedAt: string | null;
}

/** Every record these numbers had in the copy, now or before (one query each table: a few hundred numbers). */
export async function recordSpansOfPhones(db: SqlExecutor, phones: readonly string[]): Promise<RecordSpan[]> {
  if (phones.length === 0) return [];
  const marks = phones.map(() => "?").join(", ");
  const [current, removed] = await Promise.all([
    db.all<{ group_id: string; phone: string; expires_at: string | null; added_at: string }>(
      `SELECT group_id, phone, expires_at, added_at FROM cxone_dnc_records
        WHERE phone IN (${marks}) AND added_at IS NOT NULL AND group_id NOT LIKE '~sync:%'`,
      [...phones],
    ),
    db.all<{
      group_id: string;
      phone: string;
      expires_at: string | null;
      added_at: string;
      removed_at: string;
    }>(
      `SELECT group_id, phone, expires_at, added_at, removed_at FROM cxone_dnc_removed WHERE phone IN (${marks})`,
      [...phones],
    ),
  ]);
  return [
    ...current.map((r) => ({
      groupId: r.group_id,
      phone: r.phone,
      expiresAt: r.expires_at,
      addedAt: r.added_at,
      removedAt: null,
    })),
    ...removed.map((r) => ({
      groupId: r.group_id,
      phone: r.phone,
      expiresAt: r.expires_at,
      addedAt: r.added_at,
      removedAt: r.removed_at,
    })),
  ];
}

/**
 * An SQL condition for a query of another table: true when the copy of group `group` was synced
 * after `sentAt` and holds no record of `phone` (each an SQL expression of the caller's row) —
 * the number was removed from the group after it was sent there. Only a copy synced after the
 * send can say so.
 */
export function groupLostSql(group: string, phone: string, sentAt: string): string {
  return `EXISTS (SELECT 1 FROM cxone_dnc_groups g WHERE g.group_id = ${group} AND ${sentAt} < g.synced_at)
    AND NOT EXISTS (SELECT 1 FROM cxone_dnc_records r WHERE r.group_id = ${group} AND r.phone = ${phone})`;
}
