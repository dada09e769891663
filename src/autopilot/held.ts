import { dialWasConversation } from "../core/call-agent.ts";
import { dialsOfDay, type ListAttemptsSource } from "./day-dials.ts";
import type { CampaignDay, HeldRecord } from "./types.ts";

/**
 * Records a push held back for their debt (one record of an account per list) are planned again
 * through the day once the records sent in their place have their outcome (issue 91 §2): after a
 * conversation on any number of the debt none is (Regulation F, 12 CFR 1006.14(b)(2)(i)(B): 7
 * days), after unanswered dials they are. The push judges the debt's calls again in any case;
 * this only decides when asking is worth it.
 */

export interface HeldDecision {
  /** Held records whose siblings' outcomes are known and unanswered: plan them now. */
  replan: HeldRecord[];
  /** Held records whose debt had a conversation today: not called (the why says where). */
  dropped: HeldRecord[];
}

/**
 * Decides for each waiting held record from the dials on the day's lists. `pushedByAccount`:
 * the records sent per account (from the day's plans, held ones excluded). `windowEnds`: when
 * each sent record's dial window ends (its list expires it then): a sibling dialled once,
 * unanswered, whose window is still open may be dialled again by the skill's retries (a
 * supervisor's edit the push accepted), so its outcome is not known until the window ends —
 * re-planning before that put two numbers of a debt live at once (issue 91's week bench).
 */
export async function decideHeld(
  dialsOf: ListAttemptsSource,
  day: CampaignDay,
  pushedByAccount: ReadonlyMap<string, readonly string[]>,
  windowEnds: ReadonlyMap<string, number> = new Map(),
  nowMs: number = Number.POSITIVE_INFINITY,
  signal?: AbortSignal,
): Promise<HeldDecision> {
  const waiting = day.held.filter((h) => h.state === "waiting");
  if (waiting.length === 0) return { replan: [], dropped: [] };
  const dials = await dialsOfDay(dialsOf, day, signal);
  const decision: HeldDecision = { replan: [], dropped: [] };
  for (const held of waiting) {
    // The records sent for any of its debts (issue 100: a record of a shared number has several).
    const siblings = [
      ...new Set(
        (held.accountIds ?? [held.accountId]).flatMap((account) => pushedByAccount.get(account) ?? []),
      ),
    ].filter((id) => id !== held.recordId);
    const talked = siblings.flatMap((id) => dials.get(id) ?? []).find(dialWasConversation);
    if (talked) {
      decision.dropped.push({
        ...held,
        state: "dropped",
        why: `a conversation on record ${talked.recordId} at ${talked.at}: no call about the debt for 7 days (12 CFR 1006.14(b)(2)(i)(B))`,
      });
      continue;
    }
    const closed = (id: string) => (windowEnds.get(id) ?? Number.NEGATIVE_INFINITY) <= nowMs;
    if (siblings.every((id) => (dials.get(id) ?? []).length > 0 && closed(id)))
      decision.replan.push({
        ...held,
        state: "replanned",
        why: "the debt's other records were dialled, unanswered",
      });
  }
  return decision;
}

/** Applies a decision to the day's held records (in place). */
export function applyHeld(day: CampaignDay, decided: readonly HeldRecord[]): void {
  const byId = new Map(decided.map((h) => [h.recordId, h]));
  day.held = day.held.map((h) => byId.get(h.recordId) ?? h);
}
