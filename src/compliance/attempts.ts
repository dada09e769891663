import { clockNowDate } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import { type InstantInput, instantInputMs } from "../core/instant-input.ts";
import type { Store } from "../core/store/index.ts";
import { RULE_TABLE } from "./rule-table.ts";
import { sqlOf } from "./store-sql.ts";
import type { AttemptTime } from "./verdict.ts";
/**
 * The local history of dial attempts, from which frequency caps are counted. The engine stays
 * pure: callers read the attempts of a number in the cap window and hand them in.
 */
export interface AttemptRecord {
  phone: string;
  contactId?: string | undefined;
  campaignId: string;
  /** When the attempt was dialled (Date, epoch ms, or ISO 8601 with an offset or Z). */
  at: InstantInput | number;
  outcome?: string | undefined;
}

/** The attempt's instant: a Date, epoch ms or text by the one rule (core/instant-input.ts; InputError naming `at`). */
const toMs = (at: InstantInput | number): number => {
  const ms = instantInputMs(at, "at", { epochMs: true });
  if (ms === undefined) throw new InputError({ field: "at", rule: "is required" });
  return ms;
};

export async function recordAttempt(store: Store, attempt: AttemptRecord): Promise<void> {
  const ms = toMs(attempt.at);
  await sqlOf(store).run(
    `INSERT INTO call_attempts (phone, contact_id, campaign_id, at_ms, at, outcome, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [
      attempt.phone,
      attempt.contactId ?? null,
      attempt.campaignId,
      ms,
      new Date(ms).toISOString(),
      attempt.outcome ?? null,
      clockNowDate().toISOString(),
    ],
  );
}

/** Attempts to `phone` with `fromMs < at <= toMs`, oldest first. */
export async function attemptsInWindow(
  store: Store,
  phone: string,
  fromMs: number,
  toMs: number,
): Promise<AttemptTime[]> {
  const rows = await sqlOf(store).all<{ at_ms: number; campaign_id: string }>(
    "SELECT at_ms, campaign_id FROM call_attempts WHERE phone = ? AND at_ms > ? AND at_ms <= ? ORDER BY at_ms",
    [phone, fromMs, toMs],
  );
  return rows.map((row) => ({ atMs: Number(row.at_ms), campaignId: row.campaign_id }));
}

/**
 * cxo's own calls as rows of the touches' columns, for a query that reads them with the touches
 * (touches-store.ts: every count of a number's calls). A call of cxo's names no account and none
 * is known answered. Its `contact_id` is the list's contact (a person), not the call: several
 * calls of one contact are several calls, so it is not read as a call id (the count's
 * deduplication). The parameters of both: `fromMs`, `toMs` (`fromMs < at <= toMs`).
 */
const OWN_CALLS =
  "SELECT a.phone, a.at_ms, 'call' AS channel, NULL AS account_id, NULL AS seller, a.campaign_id, NULL AS answered, 'cxo' AS origin, NULL AS voice, NULL AS purpose";

/** The calls to each number of `listed` (an SQL table of numbers, column `value`), by the (phone, at_ms) index. */
export const ownCallsOfListedSql = (listed: string): string =>
  `${OWN_CALLS} FROM ${listed} JOIN call_attempts a ON a.phone = listed.value WHERE a.at_ms > ? AND a.at_ms <= ?`;

/** Every call in the window. */
export const OWN_CALLS_IN_WINDOW_SQL = `${OWN_CALLS} FROM call_attempts a WHERE a.at_ms > ? AND a.at_ms <= ?`;

/**
 * How far back to read attempts: the longest cap window (a campaign's per-week cap, or a row of
 * the rule table: Massachusetts' 30-day period is 31 × 24 h). Attempts only leave windows as time
 * moves on, so the next-allowed search needs nothing older.
 */
export const ATTEMPT_LOOKBACK_MS =
  Math.max(7 * 24, ...RULE_TABLE.flatMap((row) => (row.kind === "frequency_cap" ? [row.windowHours] : []))) *
  3_600_000;
