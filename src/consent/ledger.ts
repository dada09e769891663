import { createHash } from "node:crypto";
import { appendAuditRecords } from "../core/audit/audit-log.ts";
import type { SqlExecutor, Store } from "../core/store/index.ts";
import { type Channel, type Revocation, revocationId, type Scope } from "./revocation.ts";
import { SKILL_GROUP_PREFIX } from "./skill-groups.ts";

/**
 * The consent ledger (issue 62 §1); this module owns the `consent_ledger` table (issue 78 §5):
 * every read and write of it is here: every revocation, recorded once (its id is what it says:
 * revocation.ts), in the same transaction as its audit record. A revocation is honoured by cxo
 * the moment it is recorded: every check, segmentation, plan and push reads the ledger
 * (campaigns/compliance/blocked-numbers.ts). Where the tenant names a CXone DNC group, the entry
 * is also `pending` for that group until honour.ts has put the number there; `removed` when the
 * number was found gone from the group after that (issue 78 §13), until honour.ts re-adds it;
 * `unlinked` while the group holding it no longer scrubs the skill it serves (skill-links.ts).
 */
export type CxoneStatus = "none" | "pending" | "sending" | "done" | "removed" | "unlinked";

export interface LedgerEntry extends Revocation {
  id: string;
  recordedBy: string | null;
  recordedAt: string;
  /** When cxo refused the number everywhere it decides: the instant it was recorded. */
  honouredAt: string;
  cxone: { status: CxoneStatus; groupId: string | null; at: string | null };
}

export interface RecordOptions {
  actor: string | null;
  /** The tenant's designated CXone DNC group (`consent.cxoneDncGroup`), when it has one. */
  cxoneGroupId?: string | undefined;
  /** Rows per transaction (a large import commits as it goes; a re-run skips what is in). */
  batchSize?: number;
  /**
   * A file's import: one audit record per committed batch (its count, numbers and a digest of
   * its entries' ids) instead of one per revocation; each ledger row still names who recorded it.
   */
  batchAudit?: { source: string };
  /**
   * Stops between batches (the client's close(), a caller's abort): what was committed stays,
   * the rest is not read, and the call rejects with the signal's reason; a re-run adds the rest.
   */
  signal?: AbortSignal | undefined;
  /**
   * Written in the first batch's transaction (or alone when there is none): a fan-out's journal
   * row commits with the revocations it carries (fan-out.ts; give `batchSize` Infinity).
   */
  withRevocations?: ((tx: SqlExecutor) => Promise<void>) | undefined;
}

export interface RecordSummary {
  /** Entries new to the ledger. */
  added: number;
  /** Entries the ledger already held (the same revocation recorded before). */
  known: number;
  /** The ids of the new entries, in order (at most the first 1,000). */
  addedIds: string[];
}

/**
 * Where CXone hears of a revocation (issue 77 §1), when the tenant names a consent group: `tenant`
 * and `all` in that group (it scrubs every skill cxo pushes to: consent/coverage.ts); `campaign:C`
 * in the group cxo keeps for skill C alone (`skill:C` until honour.ts has found or made it:
 * consent/skill-groups.ts), never in the tenant-wide group, which would stop other campaigns. An
 * account named alone has no number yet: honour.ts records one entry per number cxo knows for
 * the account (`expandAccountEntries`), each sent like any other.
 */
export function cxoneTargetOf(
  r: Pick<Revocation, "phone" | "scope">,
  groupId: string | undefined,
): string | undefined {
  if (groupId === undefined || r.phone === "") return undefined;
  if (r.scope.startsWith("campaign:")) return `${SKILL_GROUP_PREFIX}${r.scope.slice("campaign:".length)}`;
  return groupId;
}

/** Records revocations (already validated); each is new once, whatever runs it again. */
export async function recordRevocations(
  store: Store,
  revocations: Iterable<Revocation> | AsyncIterable<Revocation>,
  options: RecordOptions,
): Promise<RecordSummary> {
  const summary: RecordSummary = { added: 0, known: 0, addedIds: [] };
  const groupOf = (r: Revocation) => cxoneTargetOf(r, options.cxoneGroupId);
  const size = options.batchSize ?? 500;
  let withRevocations = options.withRevocations;
  let batch: Revocation[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await store.db.transaction(async (tx) => {
      await withRevocations?.(tx);
      withRevocations = undefined;
      const now = new Date().toISOString();
      const added: Array<{ id: string; r: Revocation }> = [];
      for (const r of rows) {
        const id = revocationId(r);
        const result = await tx.run(
          `INSERT INTO consent_ledger (id, phone, account_id, received_at, received_ms, channel, source, scope, recorded_by,
            recorded_at, honoured_at, cxone_status, cxone_group_id, cxone_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO NOTHING`,
          [
            id,
            r.phone,
            r.account ?? null,
            r.receivedAt,
            Date.parse(r.receivedAt),
            r.channel,
            r.source,
            r.scope,
            options.actor,
            now,
            now,
            groupOf(r) === undefined ? "none" : "pending",
            groupOf(r) ?? null,
          ],
        );
        if (result.changes > 0) added.push({ id, r });
        else summary.known += 1;
      }
      if (options.batchAudit && added.length > 0)
        await appendAuditRecords(tx, [
          {
            operation: "consent.import",
            outcome: "done",
            actor: options.actor,
            target: options.batchAudit.source,
            details: {
              revocations: added.length,
              idsDigest: createHash("sha256")
                .update(added.map(({ id }) => id).join("\n"))
                .digest("hex"),
              first: added[0]?.id,
              last: added.at(-1)?.id,
            },
          },
        ]);
      else
        await appendAuditRecords(
          tx,
          added.map(({ id, r }) => ({
            operation: "consent.revoke",
            outcome: "done",
            actor: options.actor,
            target: r.phone === "" ? `account:${r.account}` : r.phone,
            details: {
              id,
              receivedAt: r.receivedAt,
              channel: r.channel,
              scope: r.scope,
              source: r.source,
              ...(r.account === undefined ? {} : { account: r.account }),
            },
          })),
        );
      summary.added += added.length;
      for (const { id } of added) if (summary.addedIds.length < 1000) summary.addedIds.push(id);
    });
  };
  for await (const r of revocations) {
    batch.push(r);
    if (batch.length < size) continue;
    await flush();
    options.signal?.throwIfAborted();
  }
  await flush();
  if (withRevocations) await store.db.transaction(withRevocations);
  return summary;
}

interface LedgerRow {
  id: string;
  phone: string;
  account_id: string | null;
  received_at: string;
  channel: string;
  source: string | null;
  scope: string;
  recorded_by: string | null;
  recorded_at: string;
  honoured_at: string;
  cxone_status: string;
  cxone_group_id: string | null;
  cxone_at: string | null;
}

const entryOf = (row: LedgerRow): LedgerEntry => ({
  id: row.id,
  phone: row.phone,
  ...(row.account_id === null ? {} : { account: row.account_id }),
  receivedAt: row.received_at,
  channel: row.channel as Channel,
  scope: row.scope as Scope,
  source: row.source,
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at,
  honouredAt: row.honoured_at,
  cxone: { status: row.cxone_status as CxoneStatus, groupId: row.cxone_group_id, at: row.cxone_at },
});

const COLUMNS =
  "id, phone, account_id, received_at, channel, source, scope, recorded_by, recorded_at, honoured_at, cxone_status, cxone_group_id, cxone_at";

/** Entries received in [fromMs, toMs), oldest first. */
export async function ledgerEntries(store: Store, fromMs: number, toMs: number): Promise<LedgerEntry[]> {
  const rows = await store.db.all<LedgerRow>(
    `SELECT ${COLUMNS} FROM consent_ledger WHERE received_ms >= ? AND received_ms < ? ORDER BY received_ms, id`,
    [fromMs, toMs],
  );
  return rows.map(entryOf);
}

/** Entries by id (those the ledger holds). */
export async function ledgerEntriesById(store: Store, ids: readonly string[]): Promise<LedgerEntry[]> {
  const found: LedgerEntry[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const rows = await store.db.all<LedgerRow>(
      `SELECT ${COLUMNS} FROM consent_ledger WHERE id IN (${part.map(() => "?").join(", ")})`,
      part,
    );
    found.push(...rows.map(entryOf));
  }
  return found;
}

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
      JOIN cxone_dnc_groups g ON g.group_id = l.cxone_group_id
      WHERE l.cxone_status = 'done' AND l.cxone_at IS NOT NULL AND l.cxone_at < g.synced_at
        AND NOT EXISTS (SELECT 1 FROM cxone_dnc_records r WHERE r.group_id = l.cxone_group_id AND r.phone = l.phone)`,
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
        WHERE cxone_status = 'none' AND phone <> '' AND scope NOT LIKE 'campaign:%'`,
      [groupId],
    );
    // campaign:C → skill:C (substr and || mean the same on SQLite and PostgreSQL).
    const oneCampaign = await tx.run(
      `UPDATE consent_ledger SET cxone_status = 'pending', cxone_group_id = '${SKILL_GROUP_PREFIX}' || substr(scope, 10)
        WHERE cxone_status = 'none' AND phone <> '' AND scope LIKE 'campaign:%'`,
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
        `SELECT id FROM consent_ledger WHERE id IN (${part.map(() => "?").join(", ")}) AND scope NOT LIKE 'campaign:%'`,
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
        [new Date().toISOString(), groupId],
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

/** Entries that name an account (with a number or without): what honour.ts expands. */
export async function accountEntries(store: Store): Promise<LedgerEntry[]> {
  const rows = await store.db.all<LedgerRow>(
    `SELECT ${COLUMNS} FROM consent_ledger WHERE account_id IS NOT NULL ORDER BY received_ms, id`,
  );
  return rows.map(entryOf);
}

/** The campaign-scoped skills and the tenant-wide group the ledger has sent (or will send) to. */
export async function scopesInLedger(store: Store): Promise<{ campaigns: string[]; tenantWide: boolean }> {
  const rows = await store.db.all<{ scope: string }>("SELECT DISTINCT scope FROM consent_ledger");
  const campaigns = rows.flatMap((r) => (r.scope.startsWith("campaign:") ? [r.scope.slice(9)] : []));
  return { campaigns: campaigns.sort(), tenantWide: rows.some((r) => !r.scope.startsWith("campaign:")) };
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
    const at = to === "done" ? new Date().toISOString() : null;
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

/** What a check needs of a revocation: when, by what channel, for what scope. */
export interface LedgerRevocation {
  /** '' when the entry names an account alone. */
  phone: string;
  account?: string;
  receivedMs: number;
  receivedAt: string;
  channel: string;
  /** `tenant`, `all`, or `campaign:<id>`. */
  scope: string;
}

interface RevocationRow {
  id?: string;
  phone: string;
  account_id?: string | null;
  received_ms: number | string;
  received_at: string;
  channel: string;
  scope: string;
}

const revocationOfRow = (row: RevocationRow): LedgerRevocation => ({
  phone: row.phone,
  ...(row.account_id ? { account: row.account_id } : {}),
  receivedMs: Number(row.received_ms),
  receivedAt: row.received_at,
  channel: row.channel,
  scope: row.scope,
});

/** Numbers per `IN (…)` list: well under SQLite's and PostgreSQL's parameter limits. */
const PHONES_PER_QUERY = 500;

/**
 * The revocations of these numbers, by number (issue 78 §5): looked up by the ledger's phone
 * index, `PHONES_PER_QUERY` numbers a query, never the whole table.
 */
export async function revocationsOfPhones(
  db: SqlExecutor,
  phones: Iterable<string>,
): Promise<Map<string, LedgerRevocation[]>> {
  const unique = [...new Set(phones)];
  const found = new Map<string, LedgerRevocation[]>();
  for (let i = 0; i < unique.length; i += PHONES_PER_QUERY) {
    const part = unique.slice(i, i + PHONES_PER_QUERY);
    const rows = await db.all<RevocationRow>(
      `SELECT phone, account_id, received_ms, received_at, channel, scope FROM consent_ledger WHERE phone IN (${part.map(() => "?").join(", ")})`,
      part,
    );
    for (const row of rows) {
      const list = found.get(row.phone) ?? [];
      list.push(revocationOfRow(row));
      found.set(row.phone, list);
    }
  }
  return found;
}

/** The revocations naming these accounts, by account (issue 77 §2), by the ledger's account index. */
export async function revocationsOfAccounts(
  db: SqlExecutor,
  accounts: Iterable<string>,
): Promise<Map<string, LedgerRevocation[]>> {
  const unique = [...new Set(accounts)].filter((a) => a !== "");
  const found = new Map<string, LedgerRevocation[]>();
  for (let i = 0; i < unique.length; i += PHONES_PER_QUERY) {
    const part = unique.slice(i, i + PHONES_PER_QUERY);
    const rows = await db.all<RevocationRow & { account_id: string }>(
      `SELECT phone, account_id, received_ms, received_at, channel, scope FROM consent_ledger WHERE account_id IN (${part.map(() => "?").join(", ")})`,
      part,
    );
    for (const row of rows)
      found.set(row.account_id, [...(found.get(row.account_id) ?? []), revocationOfRow(row)]);
  }
  return found;
}

/**
 * revocationsOfPhones and revocationsOfAccounts in one query a batch (a check names its number
 * and its account: one statement, not two). Each side is read by its own index, as those two
 * read it, and its rows come back as they would.
 */
export async function revocationsOfPhonesAndAccounts(
  db: SqlExecutor,
  phones: Iterable<string>,
  accounts: Iterable<string>,
): Promise<{ byPhone: Map<string, LedgerRevocation[]>; byAccount: Map<string, LedgerRevocation[]> }> {
  const uniquePhones = [...new Set(phones)];
  const uniqueAccounts = [...new Set(accounts)].filter((a) => a !== "");
  const byPhone = new Map<string, LedgerRevocation[]>();
  const byAccount = new Map<string, LedgerRevocation[]>();
  const columns = "phone, account_id, received_ms, received_at, channel, scope";
  for (let i = 0; i < Math.max(uniquePhones.length, uniqueAccounts.length); i += PHONES_PER_QUERY) {
    const phonePart = uniquePhones.slice(i, i + PHONES_PER_QUERY);
    const accountPart = uniqueAccounts.slice(i, i + PHONES_PER_QUERY);
    const marks = (part: readonly string[]) => part.map(() => "?").join(", ");
    const arms = [
      ...(phonePart.length > 0
        ? [`SELECT 0 AS by_account, ${columns} FROM consent_ledger WHERE phone IN (${marks(phonePart)})`]
        : []),
      ...(accountPart.length > 0
        ? [
            `SELECT 1 AS by_account, ${columns} FROM consent_ledger WHERE account_id IN (${marks(accountPart)})`,
          ]
        : []),
    ];
    const rows = await db.all<RevocationRow & { by_account: number | string }>(arms.join(" UNION ALL "), [
      ...phonePart,
      ...accountPart,
    ]);
    for (const row of rows) {
      const [found, key] =
        Number(row.by_account) === 1 ? [byAccount, row.account_id as string] : [byPhone, row.phone];
      const list = found.get(key);
      if (list) list.push(revocationOfRow(row));
      else found.set(key, [revocationOfRow(row)]);
    }
  }
  return { byPhone, byAccount };
}

/**
 * Every revocation, `batchSize` rows a query in id order (keyset paging): for a scrub or a plan
 * over many numbers, which asks for each of them in turn.
 */
export async function* allRevocations(db: SqlExecutor, batchSize = 50_000): AsyncGenerator<LedgerRevocation> {
  let after = "";
  for (;;) {
    const rows = await db.all<Required<RevocationRow>>(
      "SELECT id, phone, account_id, received_ms, received_at, channel, scope FROM consent_ledger WHERE id > ? ORDER BY id LIMIT ?",
      [after, batchSize],
    );
    for (const row of rows) yield revocationOfRow(row);
    if (rows.length < batchSize) return;
    after = rows.at(-1)?.id ?? after;
  }
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

/** How many revocations were received at or after `sinceMs` (the board's "today"). */
export async function countReceivedSince(store: Store, sinceMs: number): Promise<number> {
  const row = await store.db.get<{ n: number | string }>(
    "SELECT COUNT(*) AS n FROM consent_ledger WHERE received_ms >= ?",
    [sinceMs],
  );
  return Number(row?.n ?? 0);
}

/** The newest `limit` entries by when they were received. */
export async function latestEntries(store: Store, limit: number): Promise<LedgerEntry[]> {
  const rows = await store.db.all<LedgerRow>(
    `SELECT ${COLUMNS} FROM consent_ledger ORDER BY received_ms DESC, id LIMIT ?`,
    [limit],
  );
  return rows.map(entryOf);
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
