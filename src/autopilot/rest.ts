import { dialWasConversation } from "../core/call-agent.ts";
import { debtsOfPlanRow, dialsOfDay, type ListAttemptsSource } from "./day-dials.ts";
import type { CampaignDay, CampaignState } from "./types.ts";

/**
 * An account an agent talked to rests: the autopilot plans none of its numbers for
 * `restAfterConversationDays` after the conversation, whatever the campaign's kind. For a debt
 * Regulation F already says so (7 days, 12 CFR 1006.14(b)(2)(i)(B)); for a sales household no law
 * does, but the call that reached it was its answer — issue 91's sales week, without it, called
 * households again every day after they had talked (145 "contacts" of 60 households).
 */

/** Accounts with a conversation on the day's lists, and when (the latest). */
export async function conversationsToday(
  dialsOf: ListAttemptsSource,
  day: CampaignDay,
  signal?: AbortSignal,
): Promise<Map<string, number>> {
  // A conversation on a number of several debts rests each of them (issue 100).
  const debtsOf = new Map<string, string[]>();
  const { readPlanRows } = await import("../strategy/plan-read.ts");
  for (const plan of day.plans)
    for await (const row of readPlanRows(plan.file, "plan")) {
      const debts = debtsOfPlanRow(row);
      if (debts.length > 0) debtsOf.set(String(row.recordId), debts);
    }
  const talked = new Map<string, number>();
  for (const [recordId, attempts] of await dialsOfDay(dialsOf, day, signal))
    for (const attempt of attempts.filter(dialWasConversation)) {
      const at = Date.parse(attempt.at);
      if (!Number.isFinite(at)) continue;
      for (const account of debtsOf.get(recordId) ?? [])
        talked.set(account, Math.max(talked.get(account) ?? at, at));
    }
  return talked;
}

/** Keeps the day's conversations in the state (and forgets those older than the rest). */
export function rememberConversations(
  state: CampaignState,
  talked: ReadonlyMap<string, number>,
  nowMs: number,
  restDays: number,
): void {
  const kept: Record<string, string> = {};
  for (const [account, at] of Object.entries(state.talked ?? {}))
    if (Date.parse(at) > nowMs - restDays * 86_400_000) kept[account] = at;
  for (const [account, at] of talked)
    if (!kept[account] || Date.parse(kept[account]) < at) kept[account] = new Date(at).toISOString();
  state.talked = kept;
}

/** The accounts resting at `nowMs`. */
export function restingAccounts(state: CampaignState, nowMs: number, restDays: number): Set<string> {
  return new Set(
    Object.entries(state.talked ?? {})
      .filter(([, at]) => Date.parse(at) > nowMs - restDays * 86_400_000)
      .map(([account]) => account),
  );
}
