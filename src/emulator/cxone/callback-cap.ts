import type { CallingList, ListRecord, Skill } from "./data/model.ts";
import { skillActivity } from "./live.ts";
import type { CxoneState } from "./state.ts";

/**
 * The timed-call-request cap (round 7; public: NICE help, Personal Connection → Calling Lists →
 * "Timed Call Requests"): records uploaded with a call-request time are callbacks, and a skill
 * takes at most 50 per 15 minutes with no agent logged in, plus 100 per agent logged in; an
 * upload or import over that is rejected ("the calling list is rejected").
 *
 * Assumed (not public), each a knob: the periods are clock periods of the call-request times
 * (00:00, 00:15, … UTC); the agents counted are those logged in to the skill when the upload is
 * processed; callbacks already waiting on the skill's lists (loaded, not yet dialled or finalised,
 * not stale) count against the same periods, except the list's own records when the upload
 * overwrites them.
 */
export interface CallbackCapBreach {
  periodStart: string;
  callbacks: number;
  cap: number;
  agentsLoggedIn: number;
}

export function callbackCapBreach(
  state: CxoneState,
  skill: Skill | undefined,
  list: CallingList,
  arriving: readonly ListRecord[],
  overwrite: boolean,
  nowMs: number,
): CallbackCapBreach | undefined {
  const { knobs } = state;
  if (knobs.callbackCap === "off" || skill === undefined) return undefined;
  const periodMs = knobs.callbackCapPeriodMinutes * 60_000;
  const agentsLoggedIn = Number(skillActivity(state, skill, nowMs).agentsLoggedIn) || 0;
  const cap = knobs.callbackCapBase + knobs.callbackCapPerAgent * agentsLoggedIn;
  const perPeriod = new Map<number, number>();
  const count = (record: ListRecord) => {
    if (record.callRequestTime === undefined) return;
    const at = Date.parse(record.callRequestTime);
    if (!Number.isFinite(at)) return;
    const period = Math.floor(at / periodMs) * periodMs;
    perPeriod.set(period, (perPeriod.get(period) ?? 0) + 1);
  };
  for (const other of state.lists.values()) {
    if (!other.skillIds.includes(skill.skillId)) continue;
    if (overwrite && other.listId === list.listId) continue;
    (other.records ?? []).forEach((record, index) => {
      if (record.loadedAtMs === undefined || other.dialing?.done.has(index)) return;
      count(record);
    });
  }
  for (const record of arriving) count(record);
  const over = [...perPeriod.entries()].filter(([, n]) => n > cap).sort((a, b) => a[0] - b[0])[0];
  if (!over) return undefined;
  return { periodStart: new Date(over[0]).toISOString(), callbacks: over[1], cap, agentsLoggedIn };
}

/** CXone's words for the rejection (the help page's; the exact error text is assumed). */
export const callbackCapMessage = (breach: CallbackCapBreach): string =>
  `The calling list is rejected: ${breach.callbacks} timed call requests in the 15 minutes from ` +
  `${breach.periodStart} exceed the skill's limit of ${breach.cap} (50 + 100 per agent logged in; ` +
  `${breach.agentsLoggedIn} logged in)`;
