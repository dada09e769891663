import { clockNowMs } from "../core/clock/now.ts";
import { followPassing, openAttention } from "./attention.ts";
import { type DncCopyRule, dncCopyPastRule } from "./dnc-copy.ts";
import { onFailure } from "./failure-step.ts";
import type { Failure } from "./failures.ts";
import { saveState } from "./state.ts";
import type { RunContext } from "./step-context.ts";
import type { HonourStep } from "./step-honour.ts";
import type { CampaignDay, CampaignRun, DayReport, StepName, StepRecord } from "./types.ts";
/**
 * How a campaign's run ends (run.ts orders the steps; this says what their failures mean): the
 * honour's passing failure carried on, a step's failure recorded (failure-step.ts), a lasting
 * passing failure escalated (attention.ts), the state saved.
 */

/** A passing failure of the run so far: its step, code and text. */
export type Passing = { step: StepName; code: string; text: string };

/**
 * A passing failure of the honour step (CXone's DNC routes answering 503) does not stop the
 * rest (issue 101 §4): the plan already leaves out every revocation the ledger holds, and a push
 * to a skill whose consent group cannot be written is refused while a revocation for a number in
 * it is pending. What the honour step cannot judge still stops the campaign.
 */
export function honourOutcome(
  ctx: RunContext,
  honour: HonourStep,
  nowIso: string,
): { passing?: Passing; failure?: Failure } {
  if (honour.failure?.kind === "passing") {
    (ctx.state.day as CampaignDay).retried.push({ at: nowIso, step: "honour", text: honour.failure.text });
    return { passing: { step: "honour", code: honour.failure.code, text: honour.failure.text } };
  }
  if (honour.failure)
    return { failure: { ...honour.failure, text: `consent honour: ${honour.failure.text}` } };
  return {};
}

/** A step that failed: recorded (failure-step.ts); a passing one with the DNC copy past its rule said as such. */
export async function failedStep(
  ctx: RunContext,
  step: StepName,
  failure: Failure,
  dncCopy: DncCopyRule | undefined,
  nowIso: string,
): Promise<{ passing?: Passing; escalateNow: boolean }> {
  // A passing failure with the DNC copy past its rule, for a skill no group of the copy
  // scrubs: nothing can be planned or pushed; said at once. (For a skill a group scrubs the
  // plan and the push went on over the old copy: this failure is another one.)
  const past =
    failure.kind === "passing"
      ? await dncCopyPastRule(dncCopy, clockNowMs(), failure.text, ctx.files.job.campaign)
      : undefined;
  const blind = past && !past.goesOn ? { code: past.code, text: past.text } : undefined;
  const passing =
    failure.kind === "passing"
      ? { step, code: blind?.code ?? failure.code, text: blind?.text ?? failure.text }
      : undefined;
  const judged = blind ? { ...failure, ...blind } : failure;
  await onFailure(ctx.client, ctx.store, ctx.state, step, judged, nowIso, ctx.record, ctx.signal);
  return { ...(passing ? { passing } : {}), escalateNow: blind !== undefined };
}

/** The run's end for the campaign: a lasting passing failure escalated, the state saved. */
export async function finishCampaign(
  ctx: RunContext,
  run: {
    steps: StepRecord[];
    passing: Passing | undefined;
    escalateNow: boolean;
    report: DayReport | undefined;
    dncCopy: DncCopyRule | undefined;
    nowIso: string;
  },
): Promise<Omit<CampaignRun, "campaign">> {
  const { store, state, job } = ctx;
  let passing = run.passing;
  // CXone's DNC routes failing with the copy past its rule while the skill is scrubbed by a group
  // of it: the day went on over the old copy; said as its own episode, escalated after
  // escalateAfterMinutes like any passing failure, the item saying the push goes on and why.
  if (passing?.step === "honour" && !run.escalateNow) {
    const past = await dncCopyPastRule(run.dncCopy, clockNowMs(), passing.text, ctx.files.job.campaign);
    if (past?.goesOn) passing = { step: "push", code: past.code, text: past.text };
  }
  const escalated = await followPassing(
    store,
    state,
    passing,
    { ms: ctx.nowMs, iso: run.nowIso },
    run.escalateNow ? 0 : job.escalateAfterMinutes,
  );
  if (escalated)
    ctx.record(
      escalated.step,
      false,
      `needs attention: ${escalated.step} has failed since ${escalated.since} (${escalated.text})`,
    );
  await saveState(store, state);
  const attention = openAttention(state);
  return {
    steps: run.steps,
    ...(state.stopped ? { stopped: state.stopped } : {}),
    ...(attention ? { attention } : {}),
    ...(run.report ? { report: run.report } : {}),
  };
}
