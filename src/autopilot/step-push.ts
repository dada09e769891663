import { EveryRecordBlockedError } from "../strategy/push-blocked.ts";
import { isoIn } from "./local-day.ts";
import { pushDay } from "./morning.ts";
import { dayOf, type RunContext } from "./step-context.ts";

/** Pushes each of the day's plans not yet held by CXone (or with records due again). */
export async function pushDuePlans(ctx: RunContext): Promise<void> {
  const { client, files, nowMs, record, signal } = ctx;
  const day = dayOf(ctx);
  const zone = ctx.job.zone;
  for (const plan of day.plans) {
    const due =
      plan.pushedAt === undefined || (plan.nextPushAt !== undefined && Date.parse(plan.nextPushAt) <= nowMs);
    if (!due || plan.rows === 0) continue;
    let summary: Awaited<ReturnType<typeof pushDay>>;
    try {
      summary = await pushDay(client, files.job, plan.file, day, signal);
    } catch (error) {
      if (!(error instanceof EveryRecordBlockedError)) throw error;
      // A plan every record of which a rule blocks now (a cap the plan's dials used up since):
      // done, nothing sent — not a refusal, three of which would stop the campaign.
      plan.pushedAt = isoIn(nowMs, zone);
      delete plan.nextPushAt;
      for (const [code, count] of Object.entries(error.blocked))
        day.blocked[code] = (day.blocked[code] ?? 0) + count;
      record(
        "push",
        true,
        `nothing sent: every record of the plan is blocked now (${Object.keys(error.blocked).join(", ")})`,
      );
      continue;
    }
    plan.listId = summary.listId || plan.listId;
    if (summary.source === "waiting") {
      plan.nextPushAt = summary.nextPushAt;
      record("push", true, `nothing due yet: pushed from ${summary.nextPushAt ?? "the next run"}`);
      continue;
    }
    plan.pushedAt = isoIn(nowMs, zone);
    if (summary.later > 0 && summary.nextPushAt) plan.nextPushAt = summary.nextPushAt;
    else delete plan.nextPushAt;
    const blocked = Object.values(summary.blocked ?? {}).reduce((a, b) => a + b, 0);
    record(
      "push",
      true,
      `${summary.records} record(s) on list ${summary.listId} (${summary.source}); ${blocked} blocked, ${summary.heldForAccount} held for their debt`,
    );
  }
}
