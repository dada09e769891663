import { createHash } from "node:crypto";
import { appendAuditRecords } from "../core/audit/audit-log.ts";
import { clockNowDate } from "../core/clock/now.ts";
import type { SqlExecutor, Store } from "../core/store/index.ts";
import { type Channel, type Revocation, revocationId } from "./revocation.ts";
import { scopeColumns, scopeOfColumns, scopeText } from "./scope.ts";
import { SKILL_GROUP_PREFIX } from "./skill-groups.ts";
/**
 * The consent ledger: every revocation, recorded once (its id is what it says:
 * revocation.ts), in the same transaction as its audit record. A revocation is honoured by cxo
 * the moment it is recorded: every check, segmentation, plan and push reads the ledger
 * (compliance/blocked-numbers.ts). Where the tenant names a CXone DNC group, the entry
 * is also `pending` for that group until honour.ts has put the number there; `removed` when the
 * number was found gone from the group after that, until honour.ts re-adds it;
 * `unlinked` while the group holding it no longer scrubs the skill it serves (skill-links.ts).
 *
 * Three files own the `consent_ledger` table and no other names it (core/store/tables.ts): this
 * one (recording; entries read whole), ledger-queue.ts (the entries' way into CXone's DNC groups)
 * and ledger-lookups.ts (what a check asks of it, by number and by account).
 */
export type CxoneStatus = "none" | "pending" | "sending" | "done" | "removed" | "unlinked";

/** A revocation as the consent ledger holds it: who recorded it and when, when cxo honoured it, and its CXone DNC copy's state. */
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

/** What recording revocations in the ledger did: entries new to it, entries it already held. */
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
  if (r.scope.kind === "campaign") return `${SKILL_GROUP_PREFIX}${r.scope.campaignId}`;
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
      const now = clockNowDate().toISOString();
      const added: Array<{ id: string; r: Revocation }> = [];
      for (const r of rows) {
        const id = revocationId(r);
        const scope = scopeColumns(r.scope);
        const result = await tx.run(
          `INSERT INTO consent_ledger (id, phone, account_id, received_at, received_ms, channel, source, scope_kind,
            scope_campaign, recorded_by, recorded_at, honoured_at, cxone_status, cxone_group_id, cxone_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO NOTHING`,
          [
            id,
            r.phone,
            r.account ?? null,
            r.receivedAt,
            Date.parse(r.receivedAt),
            r.channel,
            r.source,
            scope.kind,
            scope.campaign,
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
              scope: scopeText(r.scope),
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

/** A ledger row as stored (ledger-queue.ts reads entries too). */
export interface LedgerRow {
  id: string;
  phone: string;
  account_id: string | null;
  received_at: string;
  channel: string;
  source: string | null;
  scope_kind: string;
  scope_campaign: string | null;
  recorded_by: string | null;
  recorded_at: string;
  honoured_at: string;
  cxone_status: string;
  cxone_group_id: string | null;
  cxone_at: string | null;
}

export const entryOf = (row: LedgerRow): LedgerEntry => ({
  id: row.id,
  phone: row.phone,
  ...(row.account_id === null ? {} : { account: row.account_id }),
  receivedAt: row.received_at,
  channel: row.channel as Channel,
  scope: scopeOfColumns(row.scope_kind, row.scope_campaign),
  source: row.source,
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at,
  honouredAt: row.honoured_at,
  cxone: { status: row.cxone_status as CxoneStatus, groupId: row.cxone_group_id, at: row.cxone_at },
});

export const COLUMNS =
  "id, phone, account_id, received_at, channel, source, scope_kind, scope_campaign, recorded_by, recorded_at, honoured_at, cxone_status, cxone_group_id, cxone_at";

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

/** The ids of every scope-`all` entry, sorted: what fan-out.ts compares across the seller's units. */
export async function scopeAllIds(store: Store): Promise<string[]> {
  const rows = await store.db.all<{ id: string }>(
    "SELECT id FROM consent_ledger WHERE scope_kind = 'all' ORDER BY id",
  );
  return rows.map((row) => row.id);
}

/** Entries that name an account (with a number or without): what honour.ts expands. */
export async function accountEntries(store: Store): Promise<LedgerEntry[]> {
  const rows = await store.db.all<LedgerRow>(
    `SELECT ${COLUMNS} FROM consent_ledger WHERE account_id IS NOT NULL ORDER BY received_ms, id`,
  );
  return rows.map(entryOf);
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
