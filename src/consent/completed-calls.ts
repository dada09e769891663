import { agentOn } from "../core/call-agent.ts";
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
    const phone = calledNumberOf(call.phoneNumber);
    const startMs = Date.parse(call.startTime);
    if (!phone || Number.isNaN(startMs) || call.id === "") continue;
    // An agent on it: a conversation (Regulation F), by the one rule (CXone's agent 0 is none).
    const conversation = agentOn(call.agentId);
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

/**
 * A count about this many numbers or fewer asks the database for their calls only (batches of
 * `PHONES_PER_QUERY` in an `IN` list); one about more reads the skills' window whole and keeps
 * theirs (an IN list of a 155,000-dial list's numbers would cost more than the rows it saves).
 */
const PHONES_ASKED_AT_MOST = 5_000;
const PHONES_PER_QUERY = 500;

/**
 * The kept calls of `skills` (`"every"`: of every skill of the business unit) that started in the
 * window (`fromMs < start <= toMs`), oldest first; with `phones` (E.164, as kept), only the calls
 * to those numbers — a plan's count of its own debts reads its few hundred numbers' calls, not
 * the tens of thousands the warehouse holds for the skill.
 */
export async function completedCallsIn(
  db: SqlExecutor,
  skills: readonly string[] | "every",
  window: { fromMs: number; toMs: number },
  phones?: ReadonlySet<string>,
): Promise<KeptCall[]> {
  if (skills.length === 0 || phones?.size === 0) return [];
  const bySkill = skills === "every" ? [] : skills;
  const select = (byPhone: readonly string[]) =>
    db.values<[string, string, number, string, number]>(
      `SELECT contact_id, phone, start_ms, skill_id, conversation FROM cxone_completed_calls
     WHERE start_ms > ? AND start_ms <= ?${bySkill.length > 0 ? ` AND skill_id IN (${placeholders(bySkill)})` : ""}${byPhone.length > 0 ? ` AND phone IN (${placeholders(byPhone)})` : ""} ORDER BY start_ms`,
      [window.fromMs, window.toMs, ...bySkill, ...byPhone],
    );
  let rows: Array<[string, string, number, string, number]>;
  if (phones === undefined) rows = await select([]);
  else if (phones.size > PHONES_ASKED_AT_MOST) rows = (await select([])).filter((row) => phones.has(row[1]));
  else {
    const numbers = [...phones];
    rows = [];
    for (let i = 0; i < numbers.length; i += PHONES_PER_QUERY)
      rows.push(...(await select(numbers.slice(i, i + PHONES_PER_QUERY))));
    rows.sort((a, b) => Number(a[2]) - Number(b[2]));
  }
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
