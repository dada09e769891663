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

const attemptOf = (row: TouchRow): AttemptTime => ({
  atMs: Number(row.at_ms),
  channel: row.channel as Channel,
  phone: row.phone,
  ...(row.account_id === null ? {} : { accountId: row.account_id }),
  ...(row.seller === null ? {} : { seller: row.seller }),
  ...(row.campaign_id === null ? {} : { campaignId: row.campaign_id }),
});

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
  // One query: cxo's own calls, and the imported touches by number (and account), each by index;
  // sorted here (a few rows), not by SQL over the union.
  const calls =
    "SELECT phone, at_ms, 'call' AS channel, NULL AS account_id, NULL AS seller, campaign_id FROM call_attempts WHERE phone = ? AND at_ms > ? AND at_ms <= ?";
  const touched =
    "SELECT phone, at_ms, channel, account_id, seller, campaign_id FROM touches WHERE phone = ? AND at_ms > ? AND at_ms <= ?";
  // The number's and the account's touches in one pass: both indexes, joined by SQLite's OR
  // optimisation (and PostgreSQL's bitmap OR).
  const touchedOrAccount =
    "SELECT phone, at_ms, channel, account_id, seller, campaign_id FROM touches WHERE (phone = ? OR account_id = ?) AND at_ms > ? AND at_ms <= ?";
  const rows =
    key.accountId === undefined
      ? await sqlOf(store).all<TouchRow>(`${calls} UNION ALL ${touched}`, [
          key.phone,
          fromMs,
          toMs,
          key.phone,
          fromMs,
          toMs,
        ])
      : await sqlOf(store).all<TouchRow>(`${calls} UNION ALL ${touchedOrAccount}`, [
          key.phone,
          fromMs,
          toMs,
          key.phone,
          key.accountId,
          fromMs,
          toMs,
        ]);
  return rows.map(attemptOf).sort((a, b) => a.atMs - b.atMs);
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
