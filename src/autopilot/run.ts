import path from "node:path";
import type { CxoneClient } from "../client.ts";
import { honourConsent } from "../compliance/honour-consent.ts";
import type { AutopilotCampaign } from "../core/config/autopilot-schema.ts";
import { InputError } from "../core/input-error.ts";
import { ensureRealDirectory } from "../core/safe-write.ts";
import type { Store } from "../core/store/index.ts";
import { DEFAULT_STALE_MINUTES } from "../strategy/plan-format.ts";
import { EveryRecordBlockedError } from "../strategy/push-blocked.ts";
import { followPassing, openAttention } from "./attention.ts";
import { type HeldBy, oneRunAtATime } from "./campaign-run-lease.ts";
import { debtsOfPlanRow, dialsOfDay } from "./day-dials.ts";
import { writeDayReport } from "./day-report-write.ts";
import { type DncCopyRule, dncCopyPastRule } from "./dnc-copy.ts";
import { onFailure, type Recorder } from "./failure-step.ts";
import { type Failure, failureOf } from "./failures.ts";
import { applyHeld, decideHeld } from "./held.ts";
import { instantOn, isoIn, localDate } from "./local-day.ts";
import { type CampaignFiles, modelForToday, planDay, pushDay } from "./morning.ts";
import { conversationsToday, rememberConversations, restingAccounts } from "./rest.ts";
import { recordsToRetry } from "./retry.ts";
import { freshDay, loadState, saveState } from "./state.ts";
import { removalToReplan } from "./taken-out.ts";
import type { CampaignDay, CampaignState, DayReport, PassingEpisode, StepName, StepRecord } from "./types.ts";

/**
 * One run of the autopilot (issue 91 §2) at the clock's instant: what `cxo autopilot run --once`
 * does from cron and what `cxo serve` does every `autopilot.intervalMinutes`. Each run does what
 * is due and no more, from the state kept in the store, so runs at any cadence (or two runs
 * racing: the push's lease keeps a plan to one upload) converge on the same day:
 *
 * - every run: consent honoured (revocations reach CXone's DNC groups, callbacks to revoked
 *   numbers cancelled), the skill watched (a change after a push put back or its records taken out);
 * - from the morning time: learn when due, plan for what the skill can dial, push (a push that
 *   fails is retried with the same plan file, so an upload whose answer was lost is adopted);
 * - through the day: records held for their debt planned again once their siblings' outcomes are known;
 * - from the evening time: the day report (store, board, file), with `why` and caller-ID health.
 */
export interface AutopilotJob {
  campaigns: readonly AutopilotCampaign[];
  /** The business unit's zone (morning and evening are read in it). */
  zone: string;
  /** Where the day reports are also written as files (absent: the store and the board only). */
  reportDir?: string | undefined;
  /** The minutes between runs (for the status's next step). */
  intervalMinutes: number;
  /** A passing failure lasting longer (minutes of the clock) is an attention item (attention.ts). */
  escalateAfterMinutes?: number;
}

export interface CampaignRun {
  campaign: string;
  steps: StepRecord[];
  /** Another run was advancing the campaign: this one did nothing for it (campaign-run-lease.ts). */
  heldBy?: HeldBy;
  /** An open attention item: a passing failure that lasted past `escalateAfterMinutes` (attention.ts). */
  attention?: PassingEpisode;
  stopped?: CampaignState["stopped"];
  report?: DayReport;
}

export interface AutopilotRun {
  at: string;
  honour: StepRecord;
  campaigns: CampaignRun[];
}

export async function runAutopilot(
  client: CxoneClient,
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
      runCampaign(client, store, job, files, params.nowMs, honour, { dncCopy: params.dncCopy, signal }),
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

/**
 * Attempts per request of the honour step. Every run honours again, so a CXone that fails for a
 * while (a DNC outage: every write answering 503) is tried again by the next run; a request's
 * six attempts with their backoff held each run of a 12-hour outage 20–40 s (the week bench's
 * slowest runs), and the rest of the run waited on them.
 */
const HONOUR_ATTEMPTS = 2;

/** Consent honoured once per run for the business unit (every campaign's revocations). */
async function honourStep(
  client: CxoneClient,
  at: string,
  signal: AbortSignal | undefined,
): Promise<StepRecord & { sent?: number; failure?: Failure }> {
  try {
    const { summary, callbacks } = await honourConsent(client, {
      maxAttempts: HONOUR_ATTEMPTS,
      ...(signal ? { signal } : {}),
    });
    const sent = summary?.sent ?? 0;
    const cancelled = callbacks?.cancelled.length ?? 0;
    return {
      step: "honour",
      at,
      ok: true,
      text: `${sent} revocation(s) sent to CXone${cancelled ? `, ${cancelled} callback(s) cancelled` : ""}`,
      sent,
    };
  } catch (error) {
    const failure = failureOf(error);
    return { step: "honour", at, ok: false, text: failure.text, failure };
  }
}

async function runCampaign(
  client: CxoneClient,
  store: Store,
  job: AutopilotJob,
  files: CampaignFiles,
  nowMs: number,
  honour: Awaited<ReturnType<typeof honourStep>>,
  run: { dncCopy?: DncCopyRule | undefined; signal?: AbortSignal | undefined },
): Promise<Omit<CampaignRun, "campaign">> {
  const zone = job.zone;
  const nowIso = isoIn(nowMs, zone);
  const today = localDate(nowMs, zone);
  const state = await loadState(store, files.job.campaign);
  state.lastRunAt = nowIso;
  const steps: StepRecord[] = [];
  const record = (step: StepName, ok: boolean, text: string) => {
    const done = { step, at: nowIso, ok, text };
    steps.push(done);
    state.lastStep = done;
  };
  let report: DayReport | undefined;
  // A day whose report was never written (the process was down at its evening) is reported first.
  if (state.day && state.day.date !== today) {
    if (!state.day.reportedAt) await writeDayReport(client, store, job, files.job, state, nowMs, run.signal);
    state.day = undefined;
  }
  state.day ??= freshDay(today);
  const day = state.day;
  if (honour.ok) day.honoured += honour.sent ?? 0;
  let step: StepName = "honour";
  let passing: { step: StepName; code: string; text: string } | undefined;
  let escalateNow = false;
  try {
    // A passing failure of the honour step (CXone's DNC routes answering 503) does not stop the
    // rest (issue 101 §4): the plan already leaves out every revocation the ledger holds, and a
    // push to a skill whose consent group cannot be written is refused while a revocation for a
    // number in it is pending. What the honour step cannot judge still stops the campaign.
    if (honour.failure?.kind === "passing") {
      day.retried.push({ at: nowIso, step: "honour", text: honour.failure.text });
      passing = { step: "honour", code: honour.failure.code, text: honour.failure.text };
    } else if (honour.failure) throw honourError(honour.failure);
    if (state.stopped) {
      record(
        "watch",
        false,
        `stopped since ${state.stopped.at}: ${state.stopped.reason} (cxo autopilot resume)`,
      );
      await saveState(store, state);
      return { steps, stopped: state.stopped };
    }
    step = "watch";
    await watchStep(client, files.job, day, nowIso, record);
    rememberConversations(
      state,
      await conversationsToday(client, day),
      nowMs,
      files.job.restAfterConversationDays,
    );
    const morningAt = instantOn(today, files.job.morning, zone);
    const eveningAt = instantOn(today, files.job.evening, zone);
    if (nowMs >= morningAt && nowMs < eveningAt)
      await daySteps({ client, store, job, files, state, nowMs, record }, honour, (next) => {
        step = next;
      });
    if (nowMs >= eveningAt && !day.reportedAt) {
      step = "report";
      report = await writeDayReport(client, store, job, files.job, state, nowMs, run.signal);
      record(
        "report",
        true,
        `day report written: ${report.pushed} pushed, ${report.dialled} dialled, ${report.answered} answered`,
      );
    }
  } catch (error) {
    // A run abandoned (cxo serve stopping, the run's deadline): not the step's failure, nothing
    // recorded; the next run takes the day up where the store says it is.
    if (run.signal?.aborted) throw error;
    const failure = failureOf(error);
    // A passing failure with the DNC copy past its rule, for a skill no group of the copy
    // scrubs: nothing can be planned or pushed; said at once. (For a skill a group scrubs the
    // plan and the push went on over the old copy: this failure is another one.)
    const past =
      failure.kind === "passing"
        ? await dncCopyPastRule(store, run.dncCopy, Date.now(), failure.text, files.job.campaign)
        : undefined;
    const blind = past && !past.goesOn ? { code: past.code, text: past.text } : undefined;
    if (failure.kind === "passing")
      passing = { step, code: blind?.code ?? failure.code, text: blind?.text ?? failure.text };
    await onFailure(client, store, state, step, blind ? { ...failure, ...blind } : failure, nowIso, record);
    if (blind) escalateNow = true;
  }
  // CXone's DNC routes failing with the copy past its rule while the skill is scrubbed by a group
  // of it: the day went on over the old copy; said as its own episode, escalated after
  // escalateAfterMinutes like any passing failure, the item saying the push goes on and why.
  if (passing?.step === "honour" && !escalateNow) {
    const past = await dncCopyPastRule(store, run.dncCopy, Date.now(), passing.text, files.job.campaign);
    if (past?.goesOn) passing = { step: "push", code: past.code, text: past.text };
  }
  const escalated = await followPassing(
    store,
    state,
    passing,
    { ms: nowMs, iso: nowIso },
    escalateNow ? 0 : job.escalateAfterMinutes,
  );
  if (escalated)
    record(
      escalated.step,
      false,
      `needs attention: ${escalated.step} has failed since ${escalated.since} (${escalated.text})`,
    );
  await saveState(store, state);
  const attention = openAttention(state);
  return {
    steps,
    ...(state.stopped ? { stopped: state.stopped } : {}),
    ...(attention ? { attention } : {}),
    ...(report ? { report } : {}),
  };
}

/** From the morning to the evening: plan, push, and plan again what the day's facts call for. */
async function daySteps(
  context: RunContext,
  honour: Awaited<ReturnType<typeof honourStep>>,
  stepTo: (step: StepName) => void,
): Promise<void> {
  const { client, store, files, state, nowMs, record } = context;
  const day = state.day as CampaignDay;
  const zone = context.job.zone;
  if (!day.morningAt) {
    stepTo("plan");
    await morningStep(context);
    // Kept before the push: a run killed mid-push leaves the plan to the next run, which
    // pushes the same file and adopts the upload (a new plan would be a second list).
    await saveState(store, state);
  }
  stepTo("push");
  await pushDuePlans(client, files.job, day, nowMs, zone, record);
  // CXone's DNC group not told of the revocations: cxo takes their numbers out of the day's lists.
  if (honour.failure?.kind === "passing") {
    const { screenPushedAgain } = await import("./screen-again.ts");
    await screenPushedAgain(client, files.job, day, nowMs, record);
  }
  // Records taken out by any watch (the service's or this run's) since the last re-plan of them.
  const removal = await removalToReplan(store, files.job.campaign, day);
  if (removal) {
    stepTo("replan");
    await replanTakenOut(context, removal.lists);
    day.takenOutReplannedFor = removal.at;
    await saveState(store, state);
  }
  if (files.job.replanHeld === "sibling-outcome" && day.morningAt) {
    stepTo("replan");
    await replanStep(context);
  }
  if (files.job.retryUnanswered > 0 && day.morningAt) {
    stepTo("replan");
    await retryStep(context);
  }
}

/** An honour step that cannot judge (a DNC copy it cannot refresh) stops every campaign. */
function honourError(failure: Failure): Error {
  return Object.assign(new Error(`consent honour: ${failure.text}`), { code: failure.code });
}

async function watchStep(
  client: CxoneClient,
  job: AutopilotCampaign,
  day: CampaignDay,
  at: string,
  record: Recorder,
): Promise<void> {
  const drifts = await client.strategy.watchSkills({ campaign: job.campaign });
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
  record(
    "watch",
    true,
    drifts.length === 0 ? "the skill is as pushed" : `${drifts.length} change(s) acted on`,
  );
}

/**
 * After a change of the skill took the push's records out of its lists, the records not dialled
 * yet are planned again for the rest of the day and pushed: the plans keep to the hours the
 * taken-out push counted until the skill is put back (strategy/skill-hours-held.ts), so nothing
 * the change opened is dialled, and the day is not lost (issue 91's week bench lost every
 * weekday after a supervisor's edit).
 */
async function replanTakenOut(ctx: RunContext, fromLists: readonly string[] | undefined): Promise<void> {
  const { client, state } = ctx;
  const day = state.day as CampaignDay;
  const sent = await pushedByAccount(day);
  const dialled = await dialsOfDay(client, day);
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

async function morningStep(ctx: RunContext): Promise<void> {
  const { client, job, files, state, nowMs, record } = ctx;
  const day = state.day as CampaignDay;
  const { model, learnedAt } = await modelForToday(client, files, state.lastLearnAt, nowMs);
  if (learnedAt) {
    state.lastLearnAt = learnedAt;
    day.learnedAt = learnedAt;
    record("learn", true, `model learned again from the last ${files.job.learnDays} days`);
  }
  const file = planFileOf(client, files.job, day, "morning");
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
  );
  day.plans.push({ file, rows, why: "morning" });
  day.planned += rows;
  day.morningAt = isoIn(nowMs, job.zone);
  record("plan", true, `${rows} attempt(s) planned for what skill ${files.job.campaign} can dial`);
}

/** Pushes each of the day's plans not yet held by CXone (or with records due again). */
async function pushDuePlans(
  client: CxoneClient,
  job: AutopilotCampaign,
  day: CampaignDay,
  nowMs: number,
  zone: string,
  record: Recorder,
): Promise<void> {
  for (const plan of day.plans) {
    const due =
      plan.pushedAt === undefined || (plan.nextPushAt !== undefined && Date.parse(plan.nextPushAt) <= nowMs);
    if (!due || plan.rows === 0) continue;
    let summary: Awaited<ReturnType<typeof pushDay>>;
    try {
      summary = await pushDay(client, job, plan.file, day);
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

async function replanStep(ctx: RunContext): Promise<void> {
  const { client, state, nowMs, record } = ctx;
  const day = state.day as CampaignDay;
  if (!day.held.some((h) => h.state === "waiting")) return;
  const sent = await pushedByAccount(day);
  const decision = await decideHeld(client, day, sent.byAccount, sent.windowEnds, nowMs);
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

/** Records dialled today and not answered planned again for later in the day (retry.ts). */
async function retryStep(ctx: RunContext): Promise<void> {
  const { client, state, files, nowMs } = ctx;
  const day = state.day as CampaignDay;
  if (day.plans.length === 0) return;
  const sent = await pushedByAccount(day);
  const only = recordsToRetry({
    dials: await dialsOfDay(client, day),
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

interface RunContext {
  client: CxoneClient;
  store: Store;
  job: AutopilotJob;
  files: CampaignFiles;
  state: CampaignState;
  nowMs: number;
  record: Recorder;
}

/**
 * Plans the named records again from now to the evening (the accounts resting left out), keeps
 * the plan in the day before its push (a run killed mid-push leaves it to the next), and pushes
 * what is due: the held records, the records a skill's change took out, the unanswered ones.
 */
async function planAgain(
  ctx: RunContext,
  only: ReadonlySet<string>,
  why: "replan" | "drift" | "retry",
  said: (rows: number) => string,
): Promise<void> {
  const { client, store, job, files, state, nowMs, record } = ctx;
  const day = state.day as CampaignDay;
  const { model } = await modelForToday(client, files, isoIn(nowMs, job.zone), nowMs);
  const file = planFileOf(client, files.job, day, why);
  const eveningAt = instantOn(day.date, files.job.evening, job.zone);
  const resting = restingAccounts(state, nowMs, files.job.restAfterConversationDays);
  const rows = await planDay(client, files, model, isoIn(nowMs, job.zone), file, only, eveningAt, resting);
  day.plans.push({ file, rows, why });
  day.planned += rows;
  record("replan", true, said(rows));
  await saveState(store, state);
  if (rows > 0) await pushDuePlans(client, files.job, day, nowMs, job.zone, record);
}

/** The records sent per account by the day's plans (the held ones are not sent), and when each one's window ends. */
async function pushedByAccount(
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

/** A new plan file of the day in the data dir's `autopilot/` folder. */
function planFileOf(client: CxoneClient, job: AutopilotCampaign, day: CampaignDay, why: string): string {
  const dir = path.join(client.dataDir, "autopilot");
  ensureRealDirectory(dir, { field: "dataDir" });
  const safe = job.campaign.replace(/[^A-Za-z0-9_-]/g, "_");
  return path.join(dir, `${safe}-${day.date}-${day.plans.length + 1}-${why}.ndjson`);
}
