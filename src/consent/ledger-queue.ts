import { appendAuditRecords } from "../core/audit/audit-log.ts";
import { clockNowDate } from "../core/clock/now.ts";
import type { SqlExecutor, Store } from "../core/store/index.ts";
import { groupLostSql } from "./dnc-group-copy.ts";
import { COLUMNS, type CxoneStatus, entryOf, type LedgerEntry, type LedgerRow } from "./ledger.ts";
import { scopeOfColumns } from "./scope.ts";
import { SKILL_GROUP_PREFIX } from "./skill-groups.ts";

/**
 * The ledger's queue for CXone (issue 62 §1, issue 77 §1): an entry recorded where the tenant
 * names a CXone DNC group is `pending` for it until honour.ts has put the number there
 * (`sending` while a request is in flight: what a killed run leaves, found again by
 * `entriesForCxone(…, "sending")` and checked number by number), `done` after, `removed` when the
 * synced copy shows the number gone from the group, `unlinked` while the group no longer scrubs
 * its skill. The states and the moves between them, on the `consent_ledger` table (ledger.ts).
 */

/** Numbers per `IN (…)` list: well under SQLite's and PostgreSQL's parameter limits. */
const PHONES_PER_QUERY = 500;

/**
 * Entries waiting for the CXone group (`pending`, and `removed`: found gone from it), or caught
 * mid-send by a crash (`sending`).
 */
export async function entriesForCxone(
  store: Store,
  status: "pending" | "sending",
  limit: number,
): Promise<LedgerEntry[]> {
  // Each state by its own partial index (migration 10), in order, so a batch reads `limit` rows,
  // not the ledger; `pending` and `removed` are merged (at most twice `limit` rows sorted).
  const queued = (state: string) =>
    `SELECT ${COLUMNS} FROM consent_ledger WHERE cxone_status = '${state}' ORDER BY recorded_at, id LIMIT ?`;
  const rows =
    status === "pending"
      ? await store.db.all<LedgerRow>(
          `SELECT * FROM (${queued("pending")}) p UNION ALL SELECT * FROM (${queued("removed")}) r ORDER BY recorded_at, id LIMIT ?`,
          [limit, limit, limit],
        )
      : await store.db.all<LedgerRow>(queued("sending"), [limit]);
  return rows.map(entryOf);
}

/**
 * Issue 78 §13: entries honoured in a CXone group whose number the group no longer holds (someone
 * removed it in CXone): found in the synced copy of the group — only a copy synced after the
 * entry was sent says so — and set `removed` (honour.ts adds them again), with an audit record
 * naming the numbers. Returns how many entries were reopened.
 */
export async function reopenRemovedFromGroups(store: Store, actor: string | null): Promise<number> {
  const rows = await store.db.all<{ id: string; phone: string; group_id: string }>(
    `SELECT l.id, l.phone, l.cxone_group_id AS group_id FROM consent_ledger l
      WHERE l.cxone_status = 'done' AND l.cxone_at IS NOT NULL
        AND ${groupLostSql("l.cxone_group_id", "l.phone", "l.cxone_at")}`,
  );
  if (rows.length === 0) return 0;
  const byGroup = new Map<string, typeof rows>();
  for (const row of rows) byGroup.set(row.group_id, [...(byGroup.get(row.group_id) ?? []), row]);
  await store.db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) {
      const part = rows.slice(i, i + 500).map((r) => r.id);
      await tx.run(
        `UPDATE consent_ledger SET cxone_status = 'removed', cxone_at = NULL WHERE cxone_status = 'done' AND id IN (${part.map(() => "?").join(", ")})`,
        part,
      );
    }
    await appendAuditRecords(
      tx,
      [...byGroup].map(([groupId, found]) => ({
        operation: "consent.cxone_dnc.removed",
        outcome: "done",
        actor,
        target: `dnc-group:${groupId}`,
        details: { numbers: [...new Set(found.map((r) => r.phone))].slice(0, 1000), entries: found.length },
      })),
    );
  });
  return rows.length;
}

/**
 * Entries cxo recorded while no consent group was named (or before issue 77 sent a campaign's
 * revocations to CXone) and that CXone has never been told of: pending for their group now.
 * Returns how many.
 */
export async function reopenUnsentEntries(store: Store, groupId: string): Promise<number> {
  return store.db.transaction(async (tx) => {
    const tenantWide = await tx.run(
      `UPDATE consent_ledger SET cxone_status = 'pending', cxone_group_id = ?
        WHERE cxone_status = 'none' AND phone <> '' AND scope_kind <> 'campaign'`,
      [groupId],
    );
    // Campaign C's → skill:C (|| means the same on SQLite and PostgreSQL).
    const oneCampaign = await tx.run(
      `UPDATE consent_ledger SET cxone_status = 'pending', cxone_group_id = '${SKILL_GROUP_PREFIX}' || scope_campaign
        WHERE cxone_status = 'none' AND phone <> '' AND scope_kind = 'campaign'`,
    );
    return tenantWide.changes + oneCampaign.changes;
  });
}

/**
 * Entries of scope tenant or `all` that wait for a group CXone does not have (a
 * `consent.cxoneDncGroup` since changed) go to the tenant's group now configured, pending, audited:
 * the group they were recorded for can never take them. Answers the ids it moved (entries of a
 * campaign scope stay: their group is the skill's, kept in skill-groups.ts).
 */
export async function retargetEntries(
  store: Store,
  ids: readonly string[],
  groups: { from: string; to: string },
  actor: string | null,
): Promise<string[]> {
  if (ids.length === 0) return [];
  return store.db.transaction(async (tx) => {
    const moved: string[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      const rows = await tx.all<{ id: string }>(
        `SELECT id FROM consent_ledger WHERE id IN (${part.map(() => "?").join(", ")}) AND scope_kind <> 'campaign'`,
        part,
      );
      moved.push(...rows.map((r) => r.id));
    }
    for (let i = 0; i < moved.length; i += 500) {
      const part = moved.slice(i, i + 500);
      await tx.run(
        `UPDATE consent_ledger SET cxone_status = 'pending', cxone_group_id = ?, cxone_at = NULL WHERE id IN (${part.map(() => "?").join(", ")})`,
        [groups.to, ...part],
      );
    }
    if (moved.length > 0)
      await appendAuditRecords(tx, [
        {
          operation: "consent.cxone_dnc.retarget",
          outcome: "done",
          actor,
          target: `dnc-group:${groups.to}`,
          details: { from: groups.from, entries: moved.length, why: `CXone has no group ${groups.from}` },
        },
      ]);
    return moved;
  });
}

/** The skills whose pending entries wait for the group cxo keeps for them (`skill:C`). */
export async function skillsAwaitingGroup(store: Store): Promise<string[]> {
  const rows = await store.db.all<{ group_id: string }>(
    `SELECT DISTINCT cxone_group_id AS group_id FROM consent_ledger
      WHERE cxone_status IN ('pending', 'removed') AND cxone_group_id LIKE '${SKILL_GROUP_PREFIX}%'`,
  );
  return rows.map((r) => r.group_id.slice(SKILL_GROUP_PREFIX.length)).sort();
}

/** Points skill C's waiting entries at the group that now serves it. */
export async function assignSkillGroup(store: Store, skillId: string, groupId: string): Promise<void> {
  await store.db.run(
    "UPDATE consent_ledger SET cxone_group_id = ? WHERE cxone_group_id = ? AND cxone_status IN ('pending', 'removed')",
    [groupId, `${SKILL_GROUP_PREFIX}${skillId}`],
  );
}

/**
 * Skill C's entries of a group CXone no longer has — those it held too, gone with it — wait for
 * its group again (`skill:C`), to be sent there.
 */
export async function awaitSkillGroupAgain(store: Store, skillId: string, groupId: string): Promise<void> {
  await store.db.run(
    "UPDATE consent_ledger SET cxone_status = 'pending', cxone_at = NULL, cxone_group_id = ? WHERE cxone_group_id = ?",
    [`${SKILL_GROUP_PREFIX}${skillId}`, groupId],
  );
}

/**
 * A skill's own group stopped scrubbing its skill (`linked` false): what it holds is not honoured
 * in CXone until it does again (`linked` true, honoured from then). Returns the entries moved.
 */
export async function markGroupLinked(tx: SqlExecutor, groupId: string, linked: boolean): Promise<number> {
  const moved = linked
    ? await tx.run(
        "UPDATE consent_ledger SET cxone_status = 'done', cxone_at = ? WHERE cxone_group_id = ? AND cxone_status = 'unlinked'",
        [clockNowDate().toISOString(), groupId],
      )
    : await tx.run(
        "UPDATE consent_ledger SET cxone_status = 'unlinked', cxone_at = NULL WHERE cxone_group_id = ? AND cxone_status = 'done'",
        [groupId],
      );
  return moved.changes;
}

/** Entries held by a group that no longer scrubs its skill (the board counts them as waiting). */
export async function countUnlinked(store: Store): Promise<number> {
  const row = await store.db.get<{ n: number }>(
    "SELECT COUNT(*) AS n FROM consent_ledger WHERE cxone_status = 'unlinked'",
  );
  return Number(row?.n ?? 0);
}

/** The campaign-scoped skills and the tenant-wide group the ledger has sent (or will send) to. */
export async function scopesInLedger(store: Store): Promise<{ campaigns: string[]; tenantWide: boolean }> {
  const rows = await store.db.all<{ scope_kind: string; scope_campaign: string | null }>(
    "SELECT DISTINCT scope_kind, scope_campaign FROM consent_ledger",
  );
  const scopes = rows.map((r) => scopeOfColumns(r.scope_kind, r.scope_campaign));
  const campaigns = scopes.flatMap((scope) => (scope.kind === "campaign" ? [scope.campaignId] : []));
  return { campaigns: campaigns.sort(), tenantWide: scopes.some((scope) => scope.kind !== "campaign") };
}

/** Moves entries from one CXone status to another (one transaction); `audit` records the move. */
export async function markCxone(
  store: Store,
  ids: readonly string[],
  to: CxoneStatus,
  audit?: { actor: string | null; groupId: string; phones: readonly string[] },
): Promise<void> {
  if (ids.length === 0) return;
  await store.db.transaction(async (tx) => {
    const at = to === "done" ? clockNowDate().toISOString() : null;
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      await tx.run(
        `UPDATE consent_ledger SET cxone_status = ?, cxone_at = ? WHERE id IN (${part.map(() => "?").join(", ")})`,
        [to, at, ...part],
      );
    }
    if (audit)
      await appendAuditRecords(tx, [
        {
          operation: "consent.cxone_dnc.add",
          outcome: "done",
          actor: audit.actor,
          target: `dnc-group:${audit.groupId}`,
          details: { numbers: audit.phones.length, entries: ids.length },
        },
      ]);
  });
}

/** Which of these numbers an earlier entry already put in the CXone group (honour.ts). */
export async function phonesDoneInGroup(
  store: Store,
  groupId: string,
  phones: Iterable<string>,
): Promise<Set<string>> {
  const unique = [...new Set(phones)];
  const done = new Set<string>();
  for (let i = 0; i < unique.length; i += PHONES_PER_QUERY) {
    const part = unique.slice(i, i + PHONES_PER_QUERY);
    const rows = await store.db.all<{ phone: string }>(
      `SELECT DISTINCT phone FROM consent_ledger WHERE cxone_status = 'done' AND cxone_group_id = ? AND phone IN (${part.map(() => "?").join(", ")})`,
      [groupId, ...part],
    );
    for (const row of rows) done.add(row.phone);
  }
  return done;
}

/**
 * Minutes from recorded to honoured in the CXone group, of the entries recorded since `sinceMs`
 * that the group holds (the board's honoured-in-CXone lag).
 */
export async function cxoneLagMinutes(store: Store, sinceMs: number): Promise<number[]> {
  const rows = await store.db.all<{ recorded_at: string; cxone_at: string }>(
    "SELECT recorded_at, cxone_at FROM consent_ledger WHERE cxone_status = 'done' AND cxone_at IS NOT NULL AND recorded_at >= ?",
    [new Date(sinceMs).toISOString()],
  );
  return rows
    .map((r) => (Date.parse(r.cxone_at) - Date.parse(r.recorded_at)) / 60_000)
    .filter((m) => Number.isFinite(m))
    .sort((a, b) => a - b);
}

/**
 * What waits for CXone (`consent honour` without a connection says it): entries
 * `pending` for a group (or `removed` from it, or caught mid-send), and entries of a number
 * recorded while no group was named (`none`: sent once `consent.cxoneDncGroup` is set). An
 * account named alone is not counted: its numbers get their own entries on the first honour run
 * with a connection.
 */
export async function countWaitingForCxone(store: Store): Promise<{ pending: number; noGroup: number }> {
  const rows = await store.db.all<{ status: string; n: number | string }>(
    `SELECT cxone_status AS status, COUNT(*) AS n FROM consent_ledger
      WHERE cxone_status IN ('pending', 'removed', 'sending') OR (cxone_status = 'none' AND phone <> '')
      GROUP BY cxone_status`,
  );
  let pending = 0;
  let noGroup = 0;
  for (const row of rows)
    if (row.status === "none") noGroup += Number(row.n);
    else pending += Number(row.n);
  return { pending, noGroup };
}
