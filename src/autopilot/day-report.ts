import type { AutopilotCampaign } from "../core/config/autopilot-schema.ts";
import type { CxoneBaseClient as CxoneClient } from "../sdk/client-types.ts";
import { instantOn, isoIn, nextDate } from "./local-day.ts";
import type { CampaignState, DayNote, DayReport } from "./types.ts";

/**
 * The day report (issue 91 §2; fields in docs/autopilot.md): what was planned, pushed, dialled
 * and answered on the day's lists, what was held and refused and why, the revocations received
 * that day and how long CXone took to have them, the drifts seen, what the autopilot did beyond
 * its plan, `cxo why`'s causes at the end and the caller IDs labelled suspect. A part CXone could
 * not answer is said in `retried`, never left out silently.
 */
export async function buildDayReport(
  client: CxoneClient,
  job: AutopilotCampaign,
  state: CampaignState,
  zone: string,
  nowMs: number,
  signal?: AbortSignal,
): Promise<DayReport> {
  const day = state.day;
  if (!day) throw new Error("no day to report");
  // Each part's notes apart, so the report says them in one order however the reads interleave.
  const parts: DayNote[][] = [[], [], [], []];
  const noteTo = (part: number) => (text: string) =>
    parts[part]?.push({ at: isoIn(nowMs, zone), step: "report", text });
  const from = instantOn(day.date, "00:00", zone);
  const to = Math.min(nowMs, instantOn(nextDate(day.date, zone), "00:00", zone));
  // The four reads are independent and each waits mostly on CXone: read side by side, the
  // evening's run takes the longest of them (cxo why's and caller-ID health's reads), not their sum.
  const [dials, revocations, why, suspectCallerIds] = await Promise.all([
    dialsOf(client, day.lists, noteTo(0), signal),
    revocationsOf(client, job.campaign, from, to, day.honoured, noteTo(1), signal),
    whyOf(client, job.campaign, noteTo(2), signal),
    suspectsOf(client, job.campaign, noteTo(3), signal),
  ]);
  const notes = parts.flat();
  const held = day.held;
  return {
    campaign: job.campaign,
    kind: job.kind,
    date: day.date,
    zone,
    writtenAt: isoIn(nowMs, zone),
    planned: day.planned,
    pushed: day.pushed,
    ...dials,
    blocked: day.blocked,
    held: {
      total: held.length,
      replanned: held.filter((h) => h.state === "replanned").length,
      dropped: held.filter((h) => h.state === "dropped").length,
      waiting: held.filter((h) => h.state === "waiting").length,
      records: held.slice(0, 1000),
    },
    refused: day.refused,
    revocations,
    drifts: day.drifts,
    interventions: day.interventions,
    retried: [...day.retried, ...notes],
    why,
    suspectCallerIds,
    ...(state.stopped ? { stopped: state.stopped } : {}),
  };
}

async function dialsOf(
  client: CxoneClient,
  lists: readonly string[],
  note: (text: string) => void,
  signal?: AbortSignal,
): Promise<Pick<DayReport, "dialled" | "answered" | "recordsReached">> {
  let dialled = 0;
  let answered = 0;
  const reached = new Set<string>();
  for (const listId of lists) {
    try {
      for (const attempt of await client.strategy.attempts(listId, { signal })) {
        dialled += 1;
        if (attempt.agentId !== undefined || attempt.disposition !== undefined) answered += 1;
        reached.add(attempt.recordId);
      }
    } catch (error) {
      note(`the dials of list ${listId} could not be read: ${(error as Error).message}`);
    }
  }
  return { dialled, answered, recordsReached: reached.size };
}

async function revocationsOf(
  client: CxoneClient,
  campaign: string,
  fromMs: number,
  toMs: number,
  honouredToday: number,
  note: (text: string) => void,
  signal?: AbortSignal,
): Promise<DayReport["revocations"]> {
  const empty = {
    received: 0,
    honouredToday,
    late: 0,
    overdue: 0,
    callsAfter: 0,
    lagMinutes: { max: null, median: null },
  };
  if (toMs <= fromMs) return empty;
  try {
    const report = await client.consent.report(
      {
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        campaigns: [campaign],
      },
      { signal },
    );
    const lags = report.entries
      .filter((e) => e.honouredAt !== null)
      .map((e) => Math.max(0, (Date.parse(e.honouredAt as string) - Date.parse(e.receivedAt)) / 60_000))
      .sort((a, b) => a - b);
    return {
      received: report.revocations,
      honouredToday,
      late: report.late,
      overdue: report.overdue,
      callsAfter: report.breached,
      lagMinutes: {
        max: lags.length === 0 ? null : Math.round(lags.at(-1) as number),
        median: lags.length === 0 ? null : Math.round(lags[Math.floor(lags.length / 2)] as number),
      },
    };
  } catch (error) {
    const why = `the consent report could not be made: ${(error as Error).message}`;
    note(why);
    return { ...empty, unknown: why };
  }
}

async function whyOf(
  client: CxoneClient,
  campaign: string,
  note: (text: string) => void,
  signal?: AbortSignal,
): Promise<string[]> {
  try {
    return (await client.campaigns.diagnose({ campaignId: campaign }, { signal })).causes.map((c) => c.code);
  } catch (error) {
    note(`cxo why could not diagnose the campaign: ${(error as Error).message}`);
    return [];
  }
}

async function suspectsOf(
  client: CxoneClient,
  campaign: string,
  note: (text: string) => void,
  signal?: AbortSignal,
): Promise<string[]> {
  try {
    const rows = await client.callerId.health({ campaign }, { signal });
    return rows.filter((row) => row.status === "suspect").map((row) => row.callerId);
  } catch (error) {
    note(`caller-ID health could not be read: ${(error as Error).message}`);
    return [];
  }
}
