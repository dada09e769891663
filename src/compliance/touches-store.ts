import { createHash } from "node:crypto";
import { appendAuditRecords } from "../core/audit/audit-log.ts";
import { clockNowDate } from "../core/clock/now.ts";
import type { Store } from "../core/store/index.ts";
import { distinctKeys } from "../core/store/sql.ts";
import { OWN_CALLS_IN_WINDOW_SQL, ownCallsOfListedSql } from "./attempts.ts";
import type { CountedCall } from "./counted-call.ts";
import type { CallVoice } from "./rule-table.ts";
import { sqlOf } from "./store-sql.ts";
import type { Channel, TouchPurpose } from "./touches.ts";
/**
 * The `touches` table (migration 12): contact attempts made elsewhere — an SMS platform, an email
 * tool, another dialer — recorded by `cxo touches import`, and the history of calls given to a
 * plan (kept so that a later push, check or scrub counts it too). Read here together with cxo's
 * own call attempts (attempts.ts), the store's side of every count of a number's or a debt's
 * calls (debt-calls.ts: compliance check, campaigns contacts, strategy plan and push).
 */
export interface TouchRecord {
  phone: string;
  atMs: number;
  channel: Channel;
  accountId?: string | undefined;
  campaignId?: string | undefined;
  seller?: string | undefined;
  answered?: boolean | undefined;
  /** The voice a call used (absent: not said). */
  voice?: CallVoice | undefined;
  /** Issue 92 §3: the text confirming a revocation by text (absent: an ordinary touch). */
  purpose?: TouchPurpose | undefined;
}

/** The touch a counted call is (what its digest is computed over): a call's own channel, or a call. */
export function touchOfCall(c: CountedCall): TouchRecord {
  const { phone, atMs, accountId, campaignId, seller } = c;
  return { phone, atMs, channel: c.channel ?? "call", accountId, campaignId, seller };
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
    const now = clockNowDate().toISOString();
    let added = 0;
    for (const t of touches) {
      const result = await tx.run(
        `INSERT INTO touches (id, phone, at_ms, at, channel, account_id, campaign_id, seller, answered, source, recorded_at, voice, purpose)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
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
          t.voice ?? null,
          t.purpose ?? null,
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

/** A row of either table, as an array (SqlExecutor.values): one shape for the union. */
type StoredValues = [
  phone: string,
  atMs: number,
  channel: string,
  accountId: string | null,
  seller: string | null,
  campaignId: string | null,
  answered: number | string | null,
  origin: "cxo" | "touch",
  voice: string | null,
  purpose: string | null,
];

/** The touches' columns, in the order of cxo's own calls' (attempts.ts). */
const TOUCHES =
  "SELECT t.phone, t.at_ms, t.channel, t.account_id, t.seller, t.campaign_id, t.answered, 'touch' AS origin, t.voice, t.purpose";

/**
 * A row as a counted call, its optional fields set only when given (one object, no spreads). An
 * answered voice touch is a conversation (Regulation F: no call about the debt for 7 days after).
 */
function callOfValues([
  phone,
  atMs,
  channel,
  accountId,
  seller,
  campaignId,
  answered,
  origin,
  voice,
  purpose,
]: StoredValues): CountedCall {
  const spoken = channel === "call" || channel === "callback" || channel === "voicemail";
  const call: CountedCall = {
    phone,
    atMs: Number(atMs),
    channel: channel as Channel,
    conversation: spoken && answered !== null && Number(answered) === 1,
    source: origin,
  };
  if (accountId !== null) call.accountId = accountId;
  if (seller !== null) call.seller = seller;
  if (campaignId !== null) call.campaignId = campaignId;
  if (voice !== null) call.voice = voice as CallVoice;
  if (purpose !== null) call.purpose = purpose as TouchPurpose;
  return call;
}

/** The numbers of a batch as one JSON array parameter, each looked up in the table's (phone, at_ms) index. */
function listedOf(store: Store): string {
  return sqlOf(store).dialect === "postgres"
    ? "jsonb_array_elements_text(?::jsonb) AS listed(value)"
    : "json_each(?) AS listed";
}

/**
 * Every call and touch to each of `phones`, `fromMs < at <= toMs`, oldest first: cxo's own calls
 * (attempts.ts, channel call) and the touches. One query for a batch:
 * the numbers go in as one JSON array parameter, each looked up in its table's (phone, at_ms)
 * index — binding a thousand placeholders per page cost more than the query (~2 s of a
 * million-contact scrub), and `IN (SELECT … json_each)` sorted the list first (~0.15 s more).
 */
export async function touchesOfPhones(
  store: Store,
  phones: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<Map<string, CountedCall[]>> {
  const byPhone = new Map<string, CountedCall[]>();
  if (phones.length === 0) return byPhone;
  // Each number once: the join would give a repeated number's rows once per repeat.
  const numbers = JSON.stringify([...new Set(phones)]);
  const listed = listedOf(store);
  const rows = await sqlOf(store).values<StoredValues>(
    `${ownCallsOfListedSql(listed)}
     UNION ALL
     ${TOUCHES} FROM ${listed} JOIN touches t ON t.phone = listed.value WHERE t.at_ms > ? AND t.at_ms <= ?`,
    [numbers, fromMs, toMs, numbers, fromMs, toMs],
  );
  // Rows as arrays: naming each row's fields cost about as much as the index searches.
  for (const values of rows) {
    const call = callOfValues(values);
    const list = byPhone.get(call.phone);
    if (list) list.push(call);
    else byPhone.set(call.phone, [call]);
  }
  for (const list of byPhone.values()) list.sort((a, b) => a.atMs - b.atMs);
  return byPhone;
}

/** The touches that name each of `accounts` (on any number), `fromMs < at <= toMs`, by its index. */
export async function touchesOfAccounts(
  store: Store,
  accounts: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<CountedCall[]> {
  const unique = distinctKeys(accounts);
  if (unique.length === 0) return [];
  const rows = await sqlOf(store).values<StoredValues>(
    `${TOUCHES} FROM ${listedOf(store)} JOIN touches t ON t.account_id = listed.value WHERE t.at_ms > ? AND t.at_ms <= ? ORDER BY t.at_ms`,
    [JSON.stringify(unique), fromMs, toMs],
  );
  return rows.map(callOfValues);
}

/**
 * Every call of cxo's and every touch with `fromMs < at <= toMs`, oldest first (a plan's window:
 * the plan counts them toward every cap as it counts its history).
 */
export async function touchesInWindow(store: Store, fromMs: number, toMs: number): Promise<CountedCall[]> {
  const rows = await sqlOf(store).values<StoredValues>(
    `${OWN_CALLS_IN_WINDOW_SQL}
     UNION ALL
     ${TOUCHES} FROM touches t WHERE t.at_ms > ? AND t.at_ms <= ?`,
    [fromMs, toMs, fromMs, toMs],
  );
  return rows.map(callOfValues).sort((a, b) => a.atMs - b.atMs);
}
