import { InputError } from "../core/input-error.ts";
import { localDayOf } from "../core/local-day.ts";
import type { Store } from "../core/store/index.ts";
import { localOperation } from "../core/store/local-operation.ts";
import type { CxoneBaseClient as CxoneClient } from "../sdk/client-types.ts";
import { openAttention } from "./attention.ts";
import { instantOn, isoIn, nextDate } from "./local-day.ts";
import { AUTOPILOT_STATE, dayReports, loadState } from "./state.ts";
import type {
  AutopilotJob,
  CampaignState,
  DayReport,
  PassingEpisode,
  StepName,
  StepRecord,
} from "./types.ts";

/** `cxo autopilot status`: each campaign's last step and its next, the day so far and the last report. */
export interface AutopilotCampaignStatus {
  campaign: string;
  kind: "sales" | "collections";
  state: "running" | "stopped";
  lastStep: StepRecord | null;
  next: { step: StepName | "resume"; at: string | null; text: string };
  stopped?: CampaignState["stopped"];
  /** An open attention item: a failure that passes, lasting past `escalateAfterMinutes` (attention.ts). */
  attention?: PassingEpisode;
  today: {
    date: string;
    /** The calling lists pushed today (CXone list ids). */
    lists: string[];
    planned: number;
    pushed: number;
    heldWaiting: number;
    refused: number;
    drifts: number;
  } | null;
  lastReport: DayReport | null;
}

/** A read of CXone's completed contacts not finished, as the application host says (`dispositionsReadUnfinished`). */
export type UnfinishedRead = { calls: number; upTo: string; since: string; first: boolean } | undefined;

/** Each campaign's status; `reading`: the read of CXone's completed contacts not finished, which a plan or push waits on. */
export async function autopilotStatus(
  store: Store,
  job: AutopilotJob,
  nowMs: number,
  reading: UnfinishedRead,
): Promise<AutopilotCampaignStatus[]> {
  const reports = await dayReports(store);
  const out: AutopilotCampaignStatus[] = [];
  for (const campaign of job.campaigns) {
    const state = await loadState(store, campaign.campaign);
    const today = localDayOf(nowMs, job.zone);
    const day = state.day?.date === today ? state.day : undefined;
    out.push({
      campaign: campaign.campaign,
      kind: campaign.kind,
      state: state.stopped ? "stopped" : "running",
      lastStep: state.lastStep ?? null,
      next: withOverdueRun(waitingOn(nextStep(state, job, campaign, nowMs), reading), state, job, nowMs),
      ...(state.stopped ? { stopped: state.stopped } : {}),
      ...(openAttention(state) ? { attention: openAttention(state) } : {}),
      today: day
        ? {
            date: day.date,
            lists: day.lists,
            planned: day.planned,
            pushed: day.pushed,
            heldWaiting: day.held.filter((h) => h.state === "waiting").length,
            refused: day.refused.length,
            drifts: day.drifts.length,
          }
        : null,
      lastReport: reports.find((r) => r.campaign === campaign.campaign) ?? null,
    });
  }
  return out;
}

/**
 * A plan or push waits for CXone's completed contacts while their read has not finished (a first
 * read of 30 days is dozens of pages; a run killed by cron's timeout during it leaves it half
 * way): the next step says so, and that the next run resumes the read where it stopped.
 */
function waitingOn(
  next: AutopilotCampaignStatus["next"],
  reading: UnfinishedRead,
): AutopilotCampaignStatus["next"] {
  if (!reading || (next.step !== "plan" && next.step !== "push")) return next;
  return {
    ...next,
    text: `${next.text}, after CXone's completed contacts are read (${reading.first ? "the first read, " : ""}since ${reading.since}: ${reading.calls} read so far, up to ${reading.upTo}; every dial is counted from them, and the next run resumes the read there)`,
  };
}

function nextStep(
  state: CampaignState,
  job: AutopilotJob,
  campaign: AutopilotJob["campaigns"][number],
  nowMs: number,
): AutopilotCampaignStatus["next"] {
  if (state.stopped)
    return {
      step: "resume",
      at: null,
      // The reason is the state's (`stopped`); the next step is what a person does.
      text: `resume by hand: cxo autopilot resume --campaign ${campaign.campaign}`,
    };
  const zone = job.zone;
  const today = localDayOf(nowMs, zone);
  const morningAt = instantOn(today, campaign.morning, zone);
  const eveningAt = instantOn(today, campaign.evening, zone);
  const nextRun = isoIn(nowMs + job.intervalMinutes * 60_000, zone);
  const day = state.day?.date === today ? state.day : undefined;
  const tomorrow = () => {
    const at = isoIn(instantOn(nextDate(today, zone), campaign.morning, zone), zone);
    return { step: "plan" as const, at, text: `plan and push at ${at}` };
  };
  if (nowMs >= eveningAt)
    return day && !day.reportedAt
      ? { step: "report", at: nextRun, text: "the day report at the next run" }
      : tomorrow();
  if (!day?.morningAt) {
    const at = nowMs < morningAt ? isoIn(morningAt, zone) : nextRun;
    return { step: "plan", at, text: `plan and push at ${at}` };
  }
  const pending = day.plans.find((p) => p.pushedAt === undefined || p.nextPushAt !== undefined);
  if (pending) {
    const at = pending.nextPushAt ?? nextRun;
    return { step: "push", at, text: `push ${pending.rows} planned attempt(s) at ${at}` };
  }
  const waiting = day.held.filter((h) => h.state === "waiting").length;
  if (waiting > 0 && campaign.replanHeld === "sibling-outcome")
    return { step: "replan", at: nextRun, text: `${waiting} held record(s) wait for their debt's outcome` };
  const at = isoIn(eveningAt, zone);
  return { step: "report", at, text: `the day report at ${at}` };
}

/**
 * Runs missed (`cxo serve` never ran a step, and status said "next: plan and push
 * at …", a time that moved forward forever): when no run has been made for three intervals of the
 * clock, the next step says so first, in words a person acts on.
 */
function withOverdueRun(
  next: AutopilotCampaignStatus["next"],
  state: CampaignState,
  job: AutopilotJob,
  nowMs: number,
): AutopilotCampaignStatus["next"] {
  if (state.stopped || state.lastRunAt === undefined) return next;
  if (nowMs - Date.parse(state.lastRunAt) <= 3 * job.intervalMinutes * 60_000) return next;
  return {
    ...next,
    text: `no run since ${state.lastRunAt} (every ${job.intervalMinutes} min expected): is cxo serve leading, or the cron running? Then: ${next.text}`,
  };
}

/** Clears a stop (audited) and resumes the skill in CXone; an InputError when it was not stopped. */
export async function resumeCampaign(
  client: CxoneClient,
  store: Store,
  campaign: string,
  nowMs: number,
  zone: string,
  signal?: AbortSignal,
): Promise<CampaignState> {
  const state = await loadState(store, campaign);
  if (!state.stopped)
    throw new InputError({ field: "campaign", rule: `the autopilot has not stopped campaign ${campaign}` });
  await client.campaigns.resume(campaign, { signal });
  const was = state.stopped;
  delete state.stopped;
  state.lastStep = {
    step: "watch",
    at: isoIn(nowMs, zone),
    ok: true,
    text: `resumed (was stopped: ${was.reason})`,
  };
  const op = localOperation<{ campaign: string; was: typeof was }>("autopilot.resume", (payload) => ({
    details: payload,
    checkpoints: [{ namespace: AUTOPILOT_STATE, key: campaign, value: state }],
  }));
  await store.journal.run(op, { target: `campaign:${campaign}`, payload: { campaign, was } });
  return state;
}
