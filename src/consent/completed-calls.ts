import { placeholders, type SqlExecutor } from "../core/store/sql.ts";
import type { OutboundCall } from "../platform/types.ts";
import { calledNumberOf } from "./called-number.ts";

/**
 * The `cxone_completed_calls` table (migration 17): CXone's completed outbound contacts of the
 * business unit, kept as the one tenant-wide incremental read met them
 * (cxone-dispositions.ts: the agents' do-not-call dispositions are read from the same pages), so
 * that every count of a debt's calls (compliance/debt-calls.ts) — plan, push, check, contacts, and the autopilot
 * through them — reads CXone's calls from here instead of paging the warehouse again per command
 * and per skill (issue 100 §3: a 58-record plan paged 126 times and waited two minutes on its own
 * rate budget). A contact read again replaces its row (a disposition changed, the warehouse's
 * overlap read twice).
 */

/** One page's calls kept (each contact once, its latest reading); those without a number or a start are left out (no count can use them). */
export async function keepCompletedCalls(tx: SqlExecutor, calls: readonly OutboundCall[]): Promise<number> {
  let kept = 0;
  for (const call of calls) {
    const phone = calledNumberOf(call);
    const startMs = Date.parse(call.startTime);
    if (!phone || Number.isNaN(startMs) || call.id === "") continue;
    // The adapters' call record names the agent `agentId` on both platforms (null: none).
    const agent = call.raw.agentId;
    const conversation = agent !== undefined && agent !== null && agent !== "" && agent !== 0;
    await tx.run(
      `INSERT INTO cxone_completed_calls (contact_id, phone, start_ms, skill_id, conversation) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (contact_id) DO UPDATE SET phone = excluded.phone, start_ms = excluded.start_ms,
         skill_id = excluded.skill_id, conversation = excluded.conversation`,
      [call.id, phone, startMs, call.campaignId, conversation ? 1 : 0],
    );
    kept += 1;
  }
  return kept;
}

/** Forgets the calls that started before `beforeMs` (no count's window reaches them any more). */
export async function forgetCompletedCallsBefore(tx: SqlExecutor, beforeMs: number): Promise<void> {
  await tx.run("DELETE FROM cxone_completed_calls WHERE start_ms < ?", [beforeMs]);
}

/** A kept completed contact, as a count reads it. */
export interface KeptCall {
  contactId: string;
  /** E.164. */
  phone: string;
  startMs: number;
  skillId: string;
  /** An agent was on it (Regulation F: a conversation). */
  conversation: boolean;
}

/** The kept calls of `skills` that started in the window (`fromMs < start <= toMs`), oldest first. */
export async function completedCallsIn(
  db: SqlExecutor,
  skills: readonly string[],
  window: { fromMs: number; toMs: number },
): Promise<KeptCall[]> {
  if (skills.length === 0) return [];
  const rows = await db.values<[string, string, number, string, number]>(
    `SELECT contact_id, phone, start_ms, skill_id, conversation FROM cxone_completed_calls
     WHERE start_ms > ? AND start_ms <= ? AND skill_id IN (${placeholders(skills)}) ORDER BY start_ms`,
    [window.fromMs, window.toMs, ...skills],
  );
  return rows.map(([contactId, phone, startMs, skillId, conversation]) => ({
    contactId,
    phone,
    startMs: Number(startMs),
    skillId,
    conversation: Number(conversation) === 1,
  }));
}

/** How many calls are kept (tests, `cxo doctor`-style reports). */
export async function completedCallsKept(db: SqlExecutor): Promise<number> {
  const row = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM cxone_completed_calls");
  return Number(row?.n ?? 0);
}
