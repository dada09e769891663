import { dialsOfDay } from "./day-dials.ts";
import { recordsToRetry } from "./retry.ts";
import { dayOf, type RunContext } from "./step-context.ts";
import { planAgain, pushedByAccount } from "./step-replan.ts";

/** Records dialled today and not answered planned again for later in the day (retry.ts). */
export async function retryStep(ctx: RunContext): Promise<void> {
  const { dials, files, nowMs, signal } = ctx;
  const day = dayOf(ctx);
  if (day.plans.length === 0) return;
  const sent = await pushedByAccount(day);
  const only = recordsToRetry({
    dials: await dialsOfDay(dials, day, signal),
    sentByAccount: sent.byAccount,
    unaccounted: sent.unaccounted,
    windowEnds: sent.windowEnds,
    waitingAccounts: new Set(
      day.held.filter((h) => h.state === "waiting").flatMap((h) => h.accountIds ?? [h.accountId]),
    ),
    nowMs,
    retries: files.job.retryUnanswered,
  });
  if (only.length === 0) return;
  await planAgain(
    ctx,
    new Set(only),
    "retry",
    (rows) => `${only.length} unanswered record(s) planned again for later today (${rows} attempt(s))`,
  );
}
