import { createHash } from "node:crypto";
import { appendAuditRecords } from "../../core/audit/audit-log.ts";
import type { Store } from "../../core/store/index.ts";
import type { AttemptTime } from "./evaluate.ts";
import { sqlOf } from "./store-sql.ts";
import type { Channel } from "./touches.ts";

/**
 * The `touches` table (migration 10): contact attempts made elsewhere — an SMS platform, an email
 * tool, another dialer — recorded by `cxo touches import`, and read with cxo's own call attempts
 * (`call_attempts`) wherever a cap counts (compliance check, strategy plan and push).
 */
export interface TouchRecord {
  phone: string;
  atMs: number;
  channel: Channel;
  accountId?: string | undefined;
  campaignId?: string | undefined;
  seller?: string | undefined;
  answered?: boolean | undefined;
}

/** What the touch is, as one digest: the same touch imported twice is one row. */
export function touchId(t: TouchRecord): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        t.phone,
        t.atMs,
        t.channel,
        t.accountId ?? null,
        t.campaignId ?? null,
        t.seller ?? null,
      ]),
    )
    .digest("hex")
    .slice(0, 32);
}

/**
 * Records a batch in one transaction with its audit record (operation `touches.import`, the
 * numbers counted, not listed); returns how many were new. Re-importing adds nothing.
 */
export async function recordTouches(
  store: Store,
  touches: readonly TouchRecord[],
  options: { source: string; actor?: string | null },
): Promise<number> {
  if (touches.length === 0) return 0;
  return sqlOf(store).transaction(async (tx) => {
    const now = new Date().toISOString();
    let added = 0;
    for (const t of touches) {
      const result = await tx.run(
        `INSERT INTO touches (id, phone, at_ms, at, channel, account_id, campaign_id, seller, answered, source, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        [
          touchId(t),
          t.phone,
          t.atMs,
          new Date(t.atMs).toISOString(),
          t.channel,
          t.accountId ?? null,
          t.campaignId ?? null,
          t.seller ?? null,
          t.answered === undefined ? null : t.answered ? 1 : 0,
          options.source,
          now,
        ],
      );
      added += result.changes;
    }
    // A re-import that adds nothing changes nothing, the audit chain included.
    if (added > 0)
      await appendAuditRecords(tx, [
        {
          operation: "touches.import",
          outcome: "done",
          actor: options.actor ?? null,
          target: options.source,
          details: { rows: touches.length, added },
        },
      ]);
    return added;
  });
}

interface TouchRow {
  phone: string;
  at_ms: number;
  channel: string;
  account_id: string | null;
  seller: string | null;
  campaign_id: string | null;
}

/** touchesFor's columns, as an array (SqlExecutor.values). */
type TouchValues = [
  phone: string,
  atMs: number,
  channel: string,
  accountId: string | null,
  seller: string | null,
  campaignId: string | null,
];

/** A row as the engine's touch: its optional fields set only when given (one object, no spreads). */
function touchOfValues([phone, atMs, channel, accountId, seller, campaignId]: TouchValues): AttemptTime {
  const touch: AttemptTime = { atMs: Number(atMs), channel: channel as Channel, phone };
  if (accountId !== null) touch.accountId = accountId;
  if (seller !== null) touch.seller = seller;
  if (campaignId !== null) touch.campaignId = campaignId;
  return touch;
}

/** A row as the engine's touch: its optional fields set only when given (one object, no spreads). */
function attemptOf(row: TouchRow): AttemptTime {
  const touch: AttemptTime = { atMs: Number(row.at_ms), channel: row.channel as Channel, phone: row.phone };
  if (row.account_id !== null) touch.accountId = row.account_id;
  if (row.seller !== null) touch.seller = row.seller;
  if (row.campaign_id !== null) touch.campaignId = row.campaign_id;
  return touch;
}

/**
 * Every touch a check of one number counts, `fromMs < at <= toMs`: cxo's own calls to the number
 * (`call_attempts`, channel call) and the imported touches to the number or about the account.
 */
export async function touchesFor(
  store: Store,
  key: { phone: string; accountId?: string | undefined },
  fromMs: number,
  toMs: number,
): Promise<AttemptTime[]> {
  // One query: cxo's own calls, and the imported touches by number (and account), each read from
  // a covering index; sorted here (a few rows), not by SQL over the union.
  const calls =
    "SELECT phone, at_ms, 'call' AS channel, NULL AS account_id, NULL AS seller, campaign_id FROM call_attempts WHERE phone = ? AND at_ms > ? AND at_ms <= ?";
  const touched =
    "SELECT phone, at_ms, channel, account_id, seller, campaign_id FROM touches WHERE phone = ? AND at_ms > ? AND at_ms <= ?";
  // The account's touches to its other numbers: the number's own are in `touched` already. A
  // union of two index searches rather than `phone = ? OR account_id = ?`, which drops the
  // duplicates through a set of row ids: a few µs less a check (issue 79's bench).
  const accountsOthers =
    "SELECT phone, at_ms, channel, account_id, seller, campaign_id FROM touches WHERE account_id = ? AND at_ms > ? AND at_ms <= ? AND phone <> ?";
  const rows =
    key.accountId === undefined
      ? await sqlOf(store).values<TouchValues>(`${calls} UNION ALL ${touched}`, [
          key.phone,
          fromMs,
          toMs,
          key.phone,
          fromMs,
          toMs,
        ])
      : await sqlOf(store).values<TouchValues>(`${calls} UNION ALL ${touched} UNION ALL ${accountsOthers}`, [
          key.phone,
          fromMs,
          toMs,
          key.phone,
          fromMs,
          toMs,
          key.accountId,
          fromMs,
          toMs,
          key.phone,
        ]);
  // Rows as arrays: naming each row's fields cost about as much as the three index searches.
  return rows.map(touchOfValues).sort((a, b) => a.atMs - b.atMs);
}

/**
 * Every imported touch with `fromMs < at <= toMs`, oldest first (a plan's window: the plan counts
 * them toward every cap as it counts its history).
 */
export async function touchesInWindow(store: Store, fromMs: number, toMs: number): Promise<AttemptTime[]> {
  const rows = await sqlOf(store).all<TouchRow>(
    "SELECT phone, at_ms, channel, account_id, seller, campaign_id FROM touches WHERE at_ms > ? AND at_ms <= ? ORDER BY at_ms",
    [fromMs, toMs],
  );
  return rows.map(attemptOf);
}

/**
 * The imported touches to each of `phones` (one query for a batch, the numbers as one JSON array
 * parameter, as attemptsOfPhones does), `fromMs < at <= toMs`.
 */
export async function touchesOfPhones(
  store: Store,
  phones: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<Map<string, AttemptTime[]>> {
  const byPhone = new Map<string, AttemptTime[]>();
  if (phones.length === 0) return byPhone;
  const sql = sqlOf(store);
  const listed =
    sql.dialect === "postgres"
      ? "jsonb_array_elements_text(?::jsonb) AS listed(value)"
      : "json_each(?) AS listed";
  const rows = await sql.all<TouchRow>(
    `SELECT t.phone, t.at_ms, t.channel, t.account_id, t.seller, t.campaign_id FROM ${listed}
       JOIN touches t ON t.phone = listed.value
      WHERE t.at_ms > ? AND t.at_ms <= ? ORDER BY t.at_ms`,
    [JSON.stringify([...new Set(phones)]), fromMs, toMs],
  );
  for (const row of rows) {
    const list = byPhone.get(row.phone) ?? [];
    list.push(attemptOf(row));
    byPhone.set(row.phone, list);
  }
  return byPhone;
}
