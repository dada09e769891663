import { createRng } from "../random.ts";
import { groupsScrubbing, tenDigitsOf } from "./data/dnc-groups.ts";
import type { CallingList, ListAttempt, ListDialing, ListRecord } from "./data/model.ts";
import type { Knobs } from "./knobs.ts";
import type { CxoneState } from "./state.ts";

/**
 * The production emulator's dialer over calling lists (issue 55 §3): what a Personal Connection
 * skill does with the records of a list bound to it. Each uploaded record is dialled once, never
 * before its `callRequestTime` (a record without one is due when its upload completes) and never
 * after it went stale (`callRequestStaleMins` after the request time: a record first seen later
 * than that is skipped, not dialled late). The dialer runs on its own clock: reads advance it to
 * the real time, and the admin API (`POST /_emulator/lists/:listId/dial {until}`) moves it on to
 * a later instant, so a week's plan is dialled in one request. Outcomes are drawn from the seed,
 * per record: the same upload dials the same way. When within its window a record is dialled is
 * the knob `listDialTiming` (or the admin request's `timing`): `jitter` (the first 5 minutes),
 * `early`, `late` or `random` (uniform over the window) — a plan is legal only if it is legal
 * under every one of them (issue 62 §3).
 *
 * Not modelled (so not claimed): the skill's running state, its calling hours and retries, the
 * dial pace. Seeded lists (the fixtures') are not dialled: only uploaded records are.
 */
const JITTER_MS = 5 * 60_000;

export type ListDialTiming = Knobs["listDialTiming"];

/** System classifications of a dial (names as FULL spells `systemClassName`; numbers assumed). */
const OUTCOMES = [
  { share: 0.35, systemClass: 1, systemClassName: "Answered", talked: true },
  { share: 0.35, systemClass: 2, systemClassName: "No Answer", talked: false },
  { share: 0.1, systemClass: 3, systemClassName: "Busy", talked: false },
  { share: 0.2, systemClass: 4, systemClassName: "Answering Machine", talked: false },
] as const;

const DISPOSITIONS = [
  { agentDisp: 101, agentDispDesc: "Sale" },
  { agentDisp: 102, agentDispDesc: "Call Back" },
  { agentDisp: 103, agentDispDesc: "Not Interested" },
] as const;

export function dialingOf(list: CallingList, nowMs: number): ListDialing {
  list.dialing ??= { attempts: [], done: new Set(), stale: 0, untilMs: nowMs };
  return list.dialing;
}

/** The instant a record is dialled at, or "stale" when it was first seen after it went stale. */
function dialTime(
  state: CxoneState,
  list: CallingList,
  record: ListRecord,
  timing: ListDialTiming,
): number | "stale" {
  const loaded = record.loadedAtMs as number;
  const requested = record.callRequestTime === undefined ? loaded : Date.parse(record.callRequestTime);
  const staleAt =
    record.callRequestStaleMins === undefined
      ? Number.POSITIVE_INFINITY
      : requested + record.callRequestStaleMins * 60_000;
  const earliest = Math.max(requested, loaded);
  if (earliest > staleAt) return "stale";
  const rng = createRng(state.options.seed, `list-dial-${list.listId}-${record.externalId}`);
  // A record without a stale time has no end to its window: `late` and `random` keep the jitter.
  const bounded = Number.isFinite(staleAt);
  if (timing === "early") return earliest;
  if (timing === "late" && bounded) return staleAt;
  if (timing === "random" && bounded) return earliest + Math.floor(rng.next() * (staleAt - earliest + 1));
  return Math.min(earliest + Math.floor(rng.next() * JITTER_MS), staleAt);
}

function attemptOf(state: CxoneState, list: CallingList, record: ListRecord, atMs: number): ListAttempt {
  const rng = createRng(state.options.seed, `list-outcome-${list.listId}-${record.externalId}`);
  const draw = rng.next();
  let upTo = 0;
  const outcome =
    OUTCOMES.find((o) => {
      upTo += o.share;
      return draw < upTo;
    }) ?? OUTCOMES[1];
  const disposition = outcome.talked ? rng.pick(DISPOSITIONS) : null;
  const agent = outcome.talked ? rng.pick(state.world.agents) : undefined;
  const seconds = outcome.talked ? rng.int(40, 600) : rng.int(15, 40);
  const clock = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");
  return {
    contactId: state.nextId("contact"),
    externalId: record.externalId,
    formattedPhone: record.phoneNumber,
    dateOfCall: new Date(atMs).toISOString(),
    lastDuration: clock,
    systemClass: outcome.systemClass,
    systemClassName: outcome.systemClassName,
    agentDisp: disposition?.agentDisp ?? null,
    agentDispDesc: disposition?.agentDispDesc ?? null,
    agentId: agent?.agentId ?? null,
    callRequestDate: record.callRequestTime ?? null,
    timeZone: record.timeZone,
  };
}

/**
 * Moves the list's dialer on to `untilMs` (never back): every uploaded record due by then is
 * dialled (or skipped as stale), in the order of its dial time, at the instant `timing` picks in
 * its window (default: the knob's). Lists bound to no skill are not dialled. Answers the
 * dialer's record.
 */
export function advanceListDialer(
  state: CxoneState,
  list: CallingList,
  untilMs: number,
  timing: ListDialTiming = state.knobs.listDialTiming,
): ListDialing {
  const dialing = dialingOf(list, untilMs);
  dialing.untilMs = Math.max(dialing.untilMs, untilMs);
  if (list.skillIds.length === 0) return dialing;
  const due: Array<{ index: number; atMs: number }> = [];
  (list.records ?? []).forEach((record, index) => {
    if (record.loadedAtMs === undefined || dialing.done.has(index)) return;
    const at = dialTime(state, list, record, timing);
    if (at === "stale") {
      dialing.done.add(index);
      dialing.stale += 1;
    } else if (at <= dialing.untilMs) due.push({ index, atMs: at });
  });
  due.sort((a, b) => a.atMs - b.atMs || a.index - b.index);
  for (const { index, atMs } of due) {
    dialing.done.add(index);
    if (scrubbedAtDial(state, list, index, atMs)) continue;
    dialing.attempts.push(attemptOf(state, list, (list.records as ListRecord[])[index] as ListRecord, atMs));
  }
  return dialing;
}

/**
 * Issue 62 §2: a record whose number is in an active DNC group scrubbing one of the list's skills
 * at its dial time is skipped (never dialled), as a Personal Connection skill scrubs it.
 */
function scrubbedAtDial(state: CxoneState, list: CallingList, index: number, atMs: number): boolean {
  const record = (list.records as ListRecord[])[index] as ListRecord;
  return groupsScrubbing(state.dncGroups, list.skillIds, tenDigitsOf(record.phoneNumber), atMs).length > 0;
}

/** Records still waiting for their time (neither dialled nor stale). */
export function waitingRecords(list: CallingList): number {
  const done = list.dialing?.done.size ?? 0;
  return (list.records ?? []).filter((r) => r.loadedAtMs !== undefined).length - done;
}
