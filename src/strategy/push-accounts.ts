import { REG_F_PERIOD_MS } from "../compliance/index.ts";

/**
 * What a pushed list cannot promise for Regulation F (issue 62 §3): the plan keeps an account's
 * calls within 7 in 7 days for any dial times, but which call an agent will talk on is known only
 * afterwards, and a conversation bars calls about the debt for 7 days. An account with two
 * records in one list whose windows fall within that period of each other can be called again
 * after a conversation. Counted so that push can say so; re-planning daily from `attempts`
 * (the conversations then in the history) removes the risk.
 */
export function accountsAtRisk(
  records: ReadonlyArray<{ accountId?: string | undefined; atMs: number }>,
  staleMinutes: number,
): number {
  const starts = new Map<string, number[]>();
  for (const r of records) {
    if (r.accountId === undefined) continue;
    const list = starts.get(r.accountId) ?? [];
    list.push(r.atMs);
    starts.set(r.accountId, list);
  }
  const reach = REG_F_PERIOD_MS + staleMinutes * 60_000;
  let atRisk = 0;
  for (const list of starts.values()) {
    list.sort((a, b) => a - b);
    if (list.some((t, i) => i > 0 && t - (list[i - 1] as number) < reach)) atRisk++;
  }
  return atRisk;
}
