import { dialWasConversation } from "../core/call-agent.ts";
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
  const campaignId = job.campaign;
  const [dials, revocations, why, suspectCallerIds] = await Promise.all([
    dialsOf(client, day.lists, noteTo(0), signal),
    revocationsOf(client, campaignId, from, to, day.honoured, noteTo(1), signal),
    partOr(noteTo(2), "cxo why could not diagnose the campaign", [] as string[], async () =>
      (await client.campaigns.diagnose({ campaignId }, { signal })).causes.map((c) => c.code),
    ),
    partOr(noteTo(3), "caller-ID health could not be read", [] as string[], async () =>
      (await client.callerId.health({ campaign: campaignId }, { signal }))
        .filter((row) => row.status === "suspect")
        .map((row) => row.callerId),
    ),
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
    // Counted a page at a time; a list whose read fails part way counts for nothing (noted).
    const counted = await partOr(
      note,
      `the dials of list ${listId} could not be read`,
      undefined,
      async () => {
        const list = { dialled: 0, answered: 0, reached: new Set<string>() };
        for await (const attempt of client.strategy.attempts(listId, { signal })) {
          list.dialled += 1;
          if (dialWasConversation(attempt)) list.answered += 1;
          list.reached.add(attempt.recordId);
        }
        return list;
      },
    );
    if (!counted) continue;
    dialled += counted.dialled;
    answered += counted.answered;
    for (const record of counted.reached) reached.add(record);
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

/** A part of the report CXone may not answer: its answer, else `fallback` and a note saying what could not be read. */
async function partOr<T>(
  note: (text: string) => void,
  failed: string,
  fallback: T,
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    note(`${failed}: ${(error as Error).message}`);
    return fallback;
  }
}
