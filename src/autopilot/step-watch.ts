import { dayOf, type RunContext } from "./step-context.ts";

/**
 * Every run: the skill watched (strategy.watchSkills) — a change of its settings after the push
 * put back, or the push's records taken out — each change a drift and an intervention of the day.
 */
export async function watchStep(ctx: RunContext, at: string): Promise<void> {
  const day = dayOf(ctx);
  const drifts = await ctx.client.strategy.watchSkills(
    { campaign: ctx.files.job.campaign },
    { ...(ctx.signal ? { signal: ctx.signal } : {}) },
  );
  for (const drift of drifts) {
    day.drifts.push({ at, step: "watch", text: drift.text });
    day.interventions.push({
      at,
      step: "watch",
      text:
        drift.action === "restore-retry"
          ? `skill ${drift.skillId} changed after the push (${drift.text}): retry settings put back`
          : `skill ${drift.skillId} changed after the push (${drift.text}): the push's records taken out`,
    });
  }
  ctx.record(
    "watch",
    true,
    drifts.length === 0 ? "the skill is as pushed" : `${drifts.length} change(s) acted on`,
  );
}
