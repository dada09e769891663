import { InputError } from "../core/input-error.ts";
import { localDayOf } from "../core/local-day.ts";
import type { Store } from "../core/store/index.ts";
import type { CxoneBaseClient } from "../sdk/client-types.ts";
import { type HeldBy, oneRunAtATime } from "./campaign-run-lease.ts";
import { attemptsOnceARun } from "./day-dials.ts";
import { writeDayReport } from "./day-report-write.ts";
import type { DncCopyRule } from "./dnc-copy.ts";
import { failureOf } from "./failures.ts";
import { instantOn, isoIn } from "./local-day.ts";
import type { CampaignFiles } from "./morning.ts";
import { conversationsToday, rememberConversations } from "./rest.ts";
import { failedStep, finishCampaign, honourOutcome } from "./run-outcome.ts";
import { freshDay, loadState, saveState } from "./state.ts";
import type { RunContext } from "./step-context.ts";
import { type HonourStep, honourStep } from "./step-honour.ts";
import { morningStep } from "./step-morning.ts";
import { pushDuePlans } from "./step-push.ts";
import { replanStep, replanTakenOut } from "./step-replan.ts";
import { reportStep } from "./step-report.ts";
import { retryStep } from "./step-retry.ts";
import { watchStep } from "./step-watch.ts";
import { removalToReplan } from "./taken-out.ts";
import type {
  AutopilotJob,
  AutopilotRun,
  CampaignDay,
  CampaignRun,
  DayReport,
  StepName,
  StepRecord,
} from "./types.ts";

export type { AutopilotJob, AutopilotRun, CampaignRun } from "./types.ts";

/**
 * One run of the autopilot (issue 91 §2) at the clock's instant: what `cxo autopilot run --once`
 * does from cron and what `cxo serve` does every `autopilot.intervalMinutes`. Each run does what
 * is due and no more, from the state kept in the store, so runs at any cadence (or two runs
 * racing: the push's lease keeps a plan to one upload) converge on the same day. This module only
 * orders the steps, each a module of its own, each SDK call of each with the run's signal:
 *
 * - every run: consent honoured (step-honour.ts), the skill watched (step-watch.ts);
 * - from the morning time: learn when due and plan (step-morning.ts), push (step-push.ts; a push
 *   that fails is retried with the same plan file, so an upload whose answer was lost is adopted);
 * - through the day: records held for their debt, or taken out by a skill's change, planned again
 *   (step-replan.ts), unanswered ones retried later the same day (step-retry.ts);
 * - from the evening time: the day report (step-report.ts: store, board, file).
 */
export async function runAutopilot(
  client: CxoneBaseClient,
  store: Store,
  job: AutopilotJob,
  params: {
    nowMs: number;
    campaign?: string | undefined;
    signal?: AbortSignal | undefined;
    /** The DNC copy's freshness rule, on a platform with CXone DNC groups (dnc-copy.ts). */
    dncCopy?: DncCopyRule | undefined;
  },
): Promise<AutopilotRun> {
  const at = isoIn(params.nowMs, job.zone);
  await refuseClockBehind(store, job, params);
  const honour = await honourStep(client, at, params.signal);
  const campaigns: CampaignRun[] = [];
  for (const [index, campaign] of job.campaigns.entries()) {
    if (params.campaign !== undefined && campaign.campaign !== params.campaign) continue;
    const files = { job: campaign, field: `autopilot.campaigns[${index}]` };
    const outcome = await oneRunAtATime(store, campaign.campaign, params.signal, (signal) =>
      runCampaign({ client, store, job, files, nowMs: params.nowMs, signal }, honour, params.dncCopy),
    );
    if ("ran" in outcome) campaigns.push({ campaign: campaign.campaign, ...outcome.ran });
    else campaigns.push(heldRun(campaign.campaign, outcome.heldBy, at));
  }
  return { at, honour, campaigns };
}

/**
 * The autopilot's clock only moves forward: a run whose clock reads before a
 * campaign's last run (a clock moved back, a host whose clock is behind, a stale CXO_CLOCK) would
 * plan that earlier day again and overwrite its true report. Refused before anything is done or
 * written (exit 2), naming both instants.
 */
async function refuseClockBehind(
  store: Store,
  job: AutopilotJob,
  params: { nowMs: number; campaign?: string | undefined },
): Promise<void> {
  for (const campaign of job.campaigns) {
    if (params.campaign !== undefined && campaign.campaign !== params.campaign) continue;
    const last = (await loadState(store, campaign.campaign)).lastRunAt;
    if (last === undefined || params.nowMs >= Date.parse(last)) continue;
    throw new InputError({
      field: "CXO_CLOCK",
      rule: `reads ${isoIn(params.nowMs, job.zone)}, before campaign ${campaign.campaign}'s last run at ${last}: the autopilot's clock only moves forward (check CXO_CLOCK and this host's clock); nothing was run or written`,
    });
  }
}

/** A campaign another run was advancing: left to it, said (exit 0: it is being done). */
function heldRun(campaign: string, heldBy: HeldBy, at: string): CampaignRun {
  const since = heldBy.since === undefined ? "" : ` since ${heldBy.since}`;
  return {
    campaign,
    heldBy,
    steps: [{ step: "held", at, ok: true, text: `held by run ${heldBy.holder}${since}: left to it` }],
  };
}

type CampaignInput = {
  client: CxoneBaseClient;
  store: Store;
  job: AutopilotJob;
  files: CampaignFiles;
  nowMs: number;
  signal: AbortSignal | undefined;
};

async function runCampaign(
  input: CampaignInput,
  honour: HonourStep,
  dncCopy: DncCopyRule | undefined,
): Promise<Omit<CampaignRun, "campaign">> {
  const { store, job, files, nowMs, signal } = input;
  const nowIso = isoIn(nowMs, job.zone);
  const today = localDayOf(nowMs, job.zone);
  const state = await loadState(store, files.job.campaign);
  state.lastRunAt = nowIso;
  const steps: StepRecord[] = [];
  const record = (step: StepName, ok: boolean, text: string) => {
    const done = { step, at: nowIso, ok, text };
    steps.push(done);
    state.lastStep = done;
  };
  const ctx: RunContext = { ...input, dials: attemptsOnceARun(input.client), state, record };
  // A day whose report was never written (the process was down at its evening) is reported first.
  if (state.day && state.day.date !== today) {
    if (!state.day.reportedAt)
      await writeDayReport(input.client, store, job, files.job, state, nowMs, signal);
    state.day = undefined;
  }
  state.day ??= freshDay(today);
  if (honour.ok) state.day.honoured += honour.sent ?? 0;
  const step: { now: StepName } = { now: "honour" };
  let escalateNow = false;
  let report: DayReport | undefined;
  // The honour step's own failure (one it cannot pass over) is the run's failure, as a later step's would be.
  let { passing, failure } = honourOutcome(ctx, honour, nowIso);
  try {
    if (!failure && state.stopped) {
      record(
        "watch",
        false,
        `stopped since ${state.stopped.at}: ${state.stopped.reason} (cxo autopilot resume)`,
      );
      await saveState(store, state);
      return { steps, stopped: state.stopped };
    }
    if (!failure) report = await daySteps(ctx, honour, step);
  } catch (error) {
    // A run abandoned (cxo serve stopping, the run's deadline): not the step's failure, nothing
    // recorded; the next run takes the day up where the store says it is.
    if (signal?.aborted) throw error;
    failure = failureOf(error);
  }
  if (failure) {
    const failed = await failedStep(ctx, step.now, failure, dncCopy, nowIso);
    passing = failed.passing ?? passing;
    escalateNow = failed.escalateNow;
  }
  return finishCampaign(ctx, { steps, passing, escalateNow, report, dncCopy, nowIso });
}

/** The watch, then (by the clock) the day's plan and push steps and the evening's report. */
async function daySteps(
  ctx: RunContext,
  honour: HonourStep,
  step: { now: StepName },
): Promise<DayReport | undefined> {
  const { state, nowMs, files, job } = ctx;
  const day = state.day as CampaignDay;
  step.now = "watch";
  await watchStep(ctx, isoIn(nowMs, job.zone));
  const talked = await conversationsToday(ctx.dials, day, ctx.signal);
  rememberConversations(state, talked, nowMs, files.job.restAfterConversationDays);
  const morningAt = instantOn(day.date, files.job.morning, job.zone);
  const eveningAt = instantOn(day.date, files.job.evening, job.zone);
  if (nowMs >= morningAt && nowMs < eveningAt) await planAndPush(ctx, honour, step);
  if (nowMs < eveningAt || day.reportedAt) return undefined;
  step.now = "report";
  return reportStep(ctx);
}

/** From the morning to the evening: plan, push, and plan again what the day's facts call for. */
async function planAndPush(ctx: RunContext, honour: HonourStep, step: { now: StepName }): Promise<void> {
  const { store, files, state, nowMs, record, signal } = ctx;
  const day = state.day as CampaignDay;
  if (!day.morningAt) {
    step.now = "plan";
    await morningStep(ctx);
    // Kept before the push: a run killed mid-push leaves the plan to the next run, which
    // pushes the same file and adopts the upload (a new plan would be a second list).
    await saveState(store, state);
  }
  step.now = "push";
  await pushDuePlans(ctx);
  // CXone's DNC group not told of the revocations: cxo takes their numbers out of the day's lists.
  if (honour.failure?.kind === "passing") {
    const { screenPushedAgain } = await import("./screen-again.ts");
    await screenPushedAgain(ctx.client, files.job, day, nowMs, record, signal);
  }
  // Records taken out by any watch (the service's or this run's) since the last re-plan of them.
  const removal = await removalToReplan(store, files.job.campaign, day);
  if (removal) {
    step.now = "replan";
    await replanTakenOut(ctx, removal.lists);
    day.takenOutReplannedFor = removal.at;
    await saveState(store, state);
  }
  if (files.job.replanHeld === "sibling-outcome" && day.morningAt) {
    step.now = "replan";
    await replanStep(ctx);
  }
  if (files.job.retryUnanswered > 0 && day.morningAt) {
    step.now = "replan";
    await retryStep(ctx);
  }
}
