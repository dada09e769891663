import { instantOn, isoIn } from "./local-day.ts";
import { modelForToday, planDay } from "./morning.ts";
import { restingAccounts } from "./rest.ts";
import { dayOf, planFileOf, type RunContext } from "./step-context.ts";

/**
 * From the morning time, once a day: the model learned again when due, and the day planned for
 * what the skill can dial (the accounts resting left out). The push is the push step's.
 */
export async function morningStep(ctx: RunContext): Promise<void> {
  const { client, job, files, state, nowMs, record, signal } = ctx;
  const day = dayOf(ctx);
  const { model, learnedAt } = await modelForToday(client, files, state.lastLearnAt, nowMs, signal);
  if (learnedAt) {
    state.lastLearnAt = learnedAt;
    day.learnedAt = learnedAt;
    record("learn", true, `model learned again from the last ${files.job.learnDays} days`);
  }
  const file = planFileOf(ctx, "morning");
  const eveningAt = instantOn(day.date, files.job.evening, job.zone);
  const rows = await planDay(
    client,
    files,
    model,
    isoIn(nowMs, job.zone),
    file,
    undefined,
    eveningAt,
    restingAccounts(state, nowMs, files.job.restAfterConversationDays),
    true,
    signal,
  );
  day.plans.push({ file, rows, why: "morning" });
  day.planned += rows;
  day.morningAt = isoIn(nowMs, job.zone);
  record("plan", true, `${rows} attempt(s) planned for what skill ${files.job.campaign} can dial`);
}
