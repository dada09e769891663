import { DEFAULT_STALE_MINUTES } from "../strategy/plan-format.ts";
import { debtsOfPlanRow, dialsOfDay } from "./day-dials.ts";
import { applyHeld, decideHeld } from "./held.ts";
import { instantOn, isoIn } from "./local-day.ts";
import { modelForToday, planDay } from "./morning.ts";
import { restingAccounts } from "./rest.ts";
import { saveState } from "./state.ts";
import { dayOf, planFileOf, type RunContext } from "./step-context.ts";
import { pushDuePlans } from "./step-push.ts";
import type { CampaignDay } from "./types.ts";

/** Held records whose siblings' outcomes are known: dropped after a conversation, else planned again. */
export async function replanStep(ctx: RunContext): Promise<void> {
  const { dials, nowMs, record, signal } = ctx;
  const day = dayOf(ctx);
  if (!day.held.some((h) => h.state === "waiting")) return;
  const sent = await pushedByAccount(day);
  const decision = await decideHeld(dials, day, sent.byAccount, sent.windowEnds, nowMs, signal);
  applyHeld(day, [...decision.dropped, ...decision.replan]);
  if (decision.replan.length === 0) {
    if (decision.dropped.length > 0)
      record(
        "replan",
        true,
        `${decision.dropped.length} held record(s) not called: a conversation on their debt`,
      );
    return;
  }
  const only = new Set(decision.replan.map((h) => h.recordId));
  await planAgain(
    ctx,
    only,
    "replan",
    (rows) => `${decision.replan.length} held record(s) planned again (${rows} attempt(s))`,
  );
}

/**
 * After a change of the skill took the push's records out of its lists, the records not dialled
 * yet are planned again for the rest of the day and pushed: the plans keep to the hours the
 * taken-out push counted until the skill is put back (strategy/skill-hours-held.ts), so nothing
 * the change opened is dialled, and the day is not lost (issue 91's week bench lost every
 * weekday after a supervisor's edit).
 */
export async function replanTakenOut(
  ctx: RunContext,
  fromLists: readonly string[] | undefined,
): Promise<void> {
  const day = dayOf(ctx);
  const sent = await pushedByAccount(day);
  const dialled = await dialsOfDay(ctx.dials, day, ctx.signal);
  // Only records the removal took out of the list they were last pushed to: one planned again
  // for an earlier removal is live on its new list (a second watch acting on the same change —
  // cxo serve's beside the autopilot's — took nothing out of it, and planning it again would
  // have CXone dial it from two lists).
  const live = fromLists === undefined ? undefined : await lastListOf(day);
  const only = new Set(
    [...sent.byAccount.values(), ...sent.unaccounted]
      .flat()
      .filter((id) => !dialled.has(id))
      .filter((id) => live === undefined || fromLists?.includes(live.get(id) ?? "") === true),
  );
  if (only.size === 0) return;
  await planAgain(
    ctx,
    only,
    "drift",
    (rows) => `${only.size} record(s) taken out by the skill's change planned again (${rows} attempt(s))`,
  );
}

/**
 * Plans the named records again from now to the evening (the accounts resting left out), keeps
 * the plan in the day before its push (a run killed mid-push leaves it to the next), and pushes
 * what is due: the held records, the records a skill's change took out, the unanswered ones.
 */
export async function planAgain(
  ctx: RunContext,
  only: ReadonlySet<string>,
  why: "replan" | "drift" | "retry",
  said: (rows: number) => string,
): Promise<void> {
  const { client, store, job, files, state, nowMs, record, signal } = ctx;
  const day = dayOf(ctx);
  const { model } = await modelForToday(client, files, isoIn(nowMs, job.zone), nowMs, signal);
  const file = planFileOf(ctx, why);
  const eveningAt = instantOn(day.date, files.job.evening, job.zone);
  const resting = restingAccounts(state, nowMs, files.job.restAfterConversationDays);
  const nowIso = isoIn(nowMs, job.zone);
  const rows = await planDay(client, files, model, nowIso, file, only, eveningAt, resting, false, signal);
  day.plans.push({ file, rows, why });
  day.planned += rows;
  record("replan", true, said(rows));
  await saveState(store, state);
  if (rows > 0) await pushDuePlans(ctx);
}

/** The records sent per account by the day's plans (the held ones are not sent), and when each one's window ends. */
export async function pushedByAccount(
  day: CampaignDay,
): Promise<{ byAccount: Map<string, string[]>; unaccounted: string[]; windowEnds: Map<string, number> }> {
  // A held record planned again and sent is a sibling like any other; one waiting or dropped was not sent.
  const held = new Set(day.held.filter((h) => h.state !== "replanned").map((h) => h.recordId));
  const byAccount = new Map<string, string[]>();
  const unaccounted: string[] = [];
  const windowEnds = new Map<string, number>();
  const { readPlanRows } = await import("../strategy/plan-read.ts");
  for (const plan of day.plans)
    for await (const row of readPlanRows(plan.file, "plan")) {
      // A record of several debts (issue 100) is sent for each of them.
      const debts = debtsOfPlanRow(row);
      const id = String(row.recordId);
      if (held.has(id)) continue;
      if (debts.length === 0) {
        unaccounted.push(id);
        continue;
      }
      for (const account of debts) byAccount.set(account, [...(byAccount.get(account) ?? []), id]);
      const stale = typeof row.staleMinutes === "number" ? row.staleMinutes : DEFAULT_STALE_MINUTES;
      const end = Date.parse(String(row.attemptAt)) + stale * 60_000;
      if (Number.isFinite(end)) windowEnds.set(id, Math.max(windowEnds.get(id) ?? end, end));
    }
  return { byAccount, unaccounted, windowEnds };
}

/** Each record's list of its last push today (the day's plans in order). */
async function lastListOf(day: CampaignDay): Promise<Map<string, string>> {
  const { readPlanRows } = await import("../strategy/plan-read.ts");
  const last = new Map<string, string>();
  for (const plan of day.plans) {
    if (plan.listId === undefined) continue;
    for await (const row of readPlanRows(plan.file, "plan")) last.set(String(row.recordId), plan.listId);
  }
  return last;
}
