import { clockNowMs } from "../../core/clock/now.ts";
import { createRng } from "../random.ts";
import { groupKeyOf, groupsScrubbing } from "./data/dnc-groups.ts";
import type { CallingList, ListAttempt, ListDialing, ListRecord } from "./data/model.ts";
import type { Knobs } from "./knobs.ts";
import {
  firstOpenForRecord,
  ianaOf,
  openStretchEnd,
  recordRangeOf,
  type SkillHours,
  skillHold,
  skillHoursOf,
} from "./list-dialer-rules.ts";
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
 * Issue 65 (knob `listDialRules: platform`, the default): the dialer also holds back what a
 * Personal Connection skill holds back — nothing is dialled while the skill is inactive or not
 * running, no agent is logged in or available, or today's abandonment is at the skill's cap; a
 * record without a zone is never dialled; a record is dialled only inside the skill's hours for
 * its zone (`timeZoneSettings`; the federal 08:00–21:00 in a zone not listed), never after its
 * upload's `expirationDate`; an unanswered record is retried after `minimumRetryMinutes` only when
 * the skill loads non-fresh records (`loadNonFresh`), and is finalised when answered or at
 * `maximumAttempts`. `timing-only` keeps issue 62's dialer (times, staleness, DNC groups).
 *
 * A scheduled skill (`scheduleSettings.isScheduled`) dials only inside its weekly schedule, read in
 * the tenant's zone (`defaultTimeZone`).
 *
 * Not modelled (so not claimed): the dial pace (every due record is dialled at once). Seeded lists (the fixtures') are not dialled: only uploaded records are.
 */
const JITTER_MS = 5 * 60_000;

export type ListDialTiming = Knobs["listDialTiming"];

/**
 * Whether the dials of one admin request are answered: `seeded` draws each outcome from the
 * seed (the default), `all` answers every dial with an agent's disposition (a conversation),
 * `none` answers none. A test of what follows a conversation needs one on cue, whatever the seed.
 * `{rates}` (issue 91's week bench: an answer model by segment, hour and day) answers a dial of a
 * number the map holds (E.164) with that probability, drawn from the seed per record and attempt
 * (else "No Answer"); a number not in the map draws as `seeded`.
 */
export type ListDialAnswer = "seeded" | "all" | "none" | { rates: Readonly<Record<string, number>> };

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
  ownWindow = false,
): number | "stale" | "expired" {
  const loaded = record.loadedAtMs as number;
  const requested = record.callRequestTime === undefined ? loaded : Date.parse(record.callRequestTime);
  const staleAt =
    record.callRequestStaleMins === undefined
      ? Number.POSITIVE_INFINITY
      : requested + record.callRequestStaleMins * 60_000;
  const earliest = Math.max(requested, loaded);
  if (earliest > staleAt) return "stale";
  if (ownWindow && record.callRequestTime === undefined) {
    const window = ordinaryWindow(state, record, earliest);
    if (window === "expired" || window === undefined) return window ?? earliest;
    return withinStretch(state, list, record, timing, window.from, window.to);
  }
  const rng = createRng(state.options.seed, `list-dial-${list.listId}-${record.externalId}`);
  // A record without a stale time has no end to its window: `late` and `random` keep the jitter.
  const bounded = Number.isFinite(staleAt);
  if (timing === "early") return earliest;
  if (timing === "late" && bounded) return staleAt;
  if (timing === "random" && bounded) return earliest + Math.floor(rng.next() * (staleAt - earliest + 1));
  return Math.min(earliest + Math.floor(rng.next() * JITTER_MS), staleAt);
}

function attemptOf(
  state: CxoneState,
  list: CallingList,
  record: ListRecord,
  atMs: number,
  attempt = 1,
  answer: ListDialAnswer = "seeded",
): ListAttempt & { talked: boolean } {
  // A retry draws again (the first attempt draws as before issue 65).
  const key = `list-outcome-${list.listId}-${record.externalId}${attempt > 1 ? `-${attempt}` : ""}`;
  const rng = createRng(state.options.seed, key);
  const draw = rng.next();
  let upTo = 0;
  const drawn =
    OUTCOMES.find((o) => {
      upTo += o.share;
      return draw < upTo;
    }) ?? OUTCOMES[1];
  const outcome = outcomeOf(answer, drawn, record.phoneNumber, draw);
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
    // Round 7: a record with a call-request time is a timed call request, delivered as a
    // confirmation-required callback (NICE help "Timed Call Requests"); ordinary records are
    // predictive work.
    deliveredAsCallback: record.callRequestTime !== undefined,
    confirmReq: record.callRequestTime !== undefined,
    talked: outcome.talked,
  };
}

function outcomeOf(
  answer: ListDialAnswer,
  drawn: (typeof OUTCOMES)[number],
  phone: string,
  draw: number,
): (typeof OUTCOMES)[number] {
  if (answer === "all") return OUTCOMES[0];
  if (answer === "none") return drawn.talked ? OUTCOMES[1] : drawn;
  if (answer === "seeded") return drawn;
  const rate = answer.rates[`+1${phone.replace(/\D/g, "").slice(-10)}`];
  if (rate === undefined) return drawn;
  return draw < rate ? OUTCOMES[0] : OUTCOMES[1];
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
  answer: ListDialAnswer = state.knobs.listDialAnswer,
): ListDialing {
  const dialing = dialingOf(list, untilMs);
  const fromMs = dialing.untilMs;
  dialing.untilMs = Math.max(dialing.untilMs, untilMs);
  dialing.tries ??= new Map();
  if (list.skillIds.length === 0) return dialing;
  const rules = state.knobs.listDialRules === "platform" ? platformRules(state, list, untilMs) : null;
  const retry = retryOf(state, list);
  // Settings changed since the last advance: the retries they allow start where this advance
  // starts, never at an instant the dialer's clock has already passed (a week's judge would read
  // such a dial as a call that never happened, or one placed before the change).
  const retryKey = JSON.stringify(retry);
  if (dialing.retryKey !== undefined && dialing.retryKey !== retryKey) dialing.retryFloorMs = fromMs;
  dialing.retryKey = retryKey;
  // Round 7: passes until nothing more is due by `untilMs`, so that the retries the skill's
  // settings allow after a dial are made in the same advance (a week dialled in one request).
  for (let pass = 0; pass <= retry.maxAttempts; pass++) {
    const before = dialing.attempts.length;
    dialDue(state, list, dialing, { timing, answer }, rules, retry, fromMs);
    if (dialing.attempts.length === before) break;
  }
  return dialing;
}

/** What the skill does with an unanswered record (retry settings), in both rule modes. */
interface RetryRules {
  maxAttempts: number;
  retryMs: number;
  loadNonFresh: boolean;
}

function retryOf(state: CxoneState, list: CallingList): RetryRules {
  const skill = state.skills.get(list.skillIds[0] as number);
  const retry = skill?.parameters?.retrySettings ?? {};
  return {
    maxAttempts: Number(retry.maximumAttempts ?? 1) || 1,
    retryMs: (Number(retry.minimumRetryMinutes ?? 0) || 0) * 60_000,
    loadNonFresh: retry.loadNonFresh === true,
  };
}

/**
 * `timing-only`: a record's next dial from its own times (call request, time range, expiry) and,
 * after an unanswered dial, the skill's retry settings — not the skill's state or hours.
 */
function timingOnlyDialTime(
  state: CxoneState,
  list: CallingList,
  record: ListRecord,
  index: number,
  timing: ListDialTiming,
  retry: RetryRules,
): number | "stale" | "expired" | "finalized" {
  const tries = list.dialing?.tries?.get(index);
  if (!tries) return dialTime(state, list, record, timing, true);
  if (tries.finalized || !retry.loadNonFresh) return "finalized";
  const next = Math.max(tries.lastMs + retry.retryMs, list.dialing?.retryFloorMs ?? 0);
  if (record.callRequestTime !== undefined) {
    const stale =
      record.callRequestStaleMins === undefined
        ? Number.POSITIVE_INFINITY
        : Date.parse(record.callRequestTime) + record.callRequestStaleMins * 60_000;
    return next > stale ? "stale" : next;
  }
  const window = ordinaryWindow(state, record, next);
  if (window === "expired") return "expired";
  return window === undefined ? next : withinStretch(state, list, record, timing, window.from, window.to);
}

/** One pass: every record due by the dialer's clock is dialled once. */
function dialDue(
  state: CxoneState,
  list: CallingList,
  dialing: ListDialing,
  { timing, answer }: { timing: ListDialTiming; answer: ListDialAnswer },
  rules: PlatformRules | null,
  retry: RetryRules,
  fromMs: number,
): void {
  const tried = dialing.tries as NonNullable<ListDialing["tries"]>;
  const due: Array<{ index: number; atMs: number }> = [];
  (list.records ?? []).forEach((record, index) => {
    if (record.loadedAtMs === undefined || dialing.done.has(index)) return;
    const at = rules
      ? ruledDialTime(state, list, record, index, timing, rules)
      : timingOnlyDialTime(state, list, record, index, timing, retry);
    if (at === "stale" || at === "expired" || at === "finalized") {
      dialing.done.add(index);
      if (at === "stale") dialing.stale += 1;
      if (at === "expired") dialing.expired = (dialing.expired ?? 0) + 1;
    } else if (at !== "held" && at <= dialing.untilMs) due.push({ index, atMs: at });
  });
  due.sort((a, b) => a.atMs - b.atMs || a.index - b.index);
  const pace = rules ? state.knobs.listDialPacePerHour : 0;
  const paced = pace > 0 && rules ? pacedDials(list, dialing, rules, due, pace, fromMs) : due;
  for (const { index, atMs } of paced) {
    if (scrubbedAtDial(state, list, index, atMs)) {
      dialing.done.add(index);
      continue;
    }
    const tries = tried.get(index) ?? { count: 0, lastMs: 0, finalized: false };
    const { talked, ...attempt } = attemptOf(
      state,
      list,
      (list.records as ListRecord[])[index] as ListRecord,
      atMs,
      tries.count + 1,
      answer,
    );
    dialing.attempts.push(attempt);
    tries.count += 1;
    tries.lastMs = atMs;
    // A platform skill keeps an unanswered record (held until it loads non-fresh records again:
    // `cxo why` reads that); the timing-only dialer has nothing to wait for.
    tries.finalized = talked || tries.count >= retry.maxAttempts || (rules === null && !retry.loadNonFresh);
    tried.set(index, tries);
    if (tries.finalized) dialing.done.add(index);
  }
}

/**
 * Dials at a pace: one every 3600/pace seconds from where the last advance left off, each taking
 * the first record (list order) of those due that is dialable at that instant — inside its zone's
 * hours, its call-request window and before its expiry. A record no tick reaches waits for the
 * next advance.
 */
function pacedDials(
  list: CallingList,
  dialing: ListDialing,
  rules: PlatformRules,
  due: Array<{ index: number; atMs: number }>,
  pace: number,
  fromMs: number,
): Array<{ index: number; atMs: number }> {
  if (rules.held !== null || due.length === 0) return [];
  const stepMs = 3_600_000 / pace;
  const records = list.records as ListRecord[];
  // Round 7: predictive work is taken by priority, then score (highest first), then list order
  // (the mapping's priorityColumn/scoreColumn are public; the order itself is assumed).
  const rank = new Map(
    due.map(({ index }) => {
      const record = records[index] as ListRecord;
      const score = Number(record.score);
      return [
        index,
        { priority: record.priority ?? 0, score: Number.isFinite(score) ? score : Number.NEGATIVE_INFINITY },
      ];
    }),
  );
  const pending = [...due].sort((a, b) => {
    const ra = rank.get(a.index) as { priority: number; score: number };
    const rb = rank.get(b.index) as { priority: number; score: number };
    return (
      rb.priority - ra.priority ||
      (rb.score > ra.score ? 1 : rb.score < ra.score ? -1 : 0) ||
      a.index - b.index
    );
  });
  const bounds = pending.map(({ index, atMs }) => {
    const record = records[index] as ListRecord;
    const requested =
      record.callRequestTime === undefined
        ? (record.loadedAtMs as number)
        : Date.parse(record.callRequestTime);
    const stale =
      record.callRequestStaleMins === undefined
        ? Number.POSITIVE_INFINITY
        : requested + record.callRequestStaleMins * 60_000;
    const expires = record.expirationDate ? Date.parse(record.expirationDate) : Number.POSITIVE_INFINITY;
    return {
      index,
      first: atMs,
      end: Math.min(stale, expires),
      zone: ianaOf(record.timeZone) as string,
      range: recordRangeOf(record.customFields, rules.rangeColumns),
    };
  });
  const taken = new Set<number>();
  const dials: Array<{ index: number; atMs: number }> = [];
  let t = Math.max(dialing.nextFreeMs ?? 0, fromMs, Math.min(...bounds.map((b) => b.first)));
  while (t <= dialing.untilMs && taken.size < bounds.length) {
    const pick = bounds.find(
      (b) =>
        !taken.has(b.index) &&
        b.first <= t &&
        t <= b.end &&
        firstOpenForRecord(rules.hours, b.zone, b.range, t, t) === t,
    );
    if (pick) {
      taken.add(pick.index);
      dials.push({ index: pick.index, atMs: t });
      dialing.nextFreeMs = t + stepMs;
    }
    t += stepMs;
  }
  return dials;
}

interface PlatformRules extends RetryRules {
  /** Why the skill dials nothing now (skill state, agents, abandonment cap), or null. */
  held: string | null;
  hours: SkillHours;
  untilMs: number;
  /** Round 7: the custom fields of a record's allowable time range (knob recordTimeRangeColumns). */
  rangeColumns: { start: string; end: string };
}

function platformRules(state: CxoneState, list: CallingList, untilMs: number): PlatformRules {
  const skill = state.skills.get(list.skillIds[0] as number);
  return {
    ...retryOf(state, list),
    // The skill, its agents and its cap as they are now (the live figures follow real time).
    held: skill ? skillHold(state, skill, clockNowMs()) : "no skill",
    hours: skill
      ? skillHoursOf(skill, state.world.tenant.defaultTimeZone, state.knobs.scheduleTimeZone)
      : { byZone: new Map(), windows: new Map() },
    untilMs,
    rangeColumns: state.knobs.recordTimeRangeColumns,
  };
}

/**
 * A record's next dial time under the platform's rules: its (re)try time moved into the skill's
 * hours for its zone, within its call-request window and before its expiry; "held" while it
 * waits for something that may still come (a zone, the skill, a retry the skill does not load).
 */
function ruledDialTime(
  state: CxoneState,
  list: CallingList,
  record: ListRecord,
  index: number,
  timing: ListDialTiming,
  rules: PlatformRules,
): number | "stale" | "expired" | "finalized" | "held" {
  const tries = list.dialing?.tries?.get(index);
  if (tries?.finalized) return "finalized";
  const expiresAt = record.expirationDate ? Date.parse(record.expirationDate) : Number.POSITIVE_INFINITY;
  const requested =
    record.callRequestTime === undefined ? (record.loadedAtMs as number) : Date.parse(record.callRequestTime);
  const staleAt =
    record.callRequestStaleMins === undefined
      ? Number.POSITIVE_INFINITY
      : requested + record.callRequestStaleMins * 60_000;
  const first = tries
    ? rules.loadNonFresh
      ? Math.max(tries.lastMs + rules.retryMs, list.dialing?.retryFloorMs ?? 0)
      : "held"
    : dialTime(state, list, record, timing);
  if (first === "stale" || first === "expired") return first;
  if (first === "held") return "held";
  const zone = ianaOf(record.timeZone);
  if (zone === undefined) return "held";
  const end = Math.min(staleAt, expiresAt);
  const range = recordRangeOf(record.customFields, rules.rangeColumns);
  let open = firstOpenForRecord(rules.hours, zone, range, first, end);
  // Round 7: an ordinary record's first dial falls where `timing` puts it in its open stretch
  // (its time range, the hours, the schedule, its expiry), as a timed request's does in its window.
  if (open !== undefined && !tries && record.callRequestTime === undefined)
    open = withinStretch(
      state,
      list,
      record,
      timing,
      open,
      openStretchEnd(rules.hours, zone, range, open, end),
    );
  if (open === undefined) {
    if (expiresAt <= rules.untilMs && expiresAt <= staleAt) return "expired";
    return staleAt <= rules.untilMs ? "stale" : "held";
  }
  if (open >= expiresAt) return expiresAt <= rules.untilMs ? "expired" : "held";
  if (rules.held !== null) return staleAt <= rules.untilMs ? "stale" : "held";
  return open;
}

/**
 * Round 7, `listDialRules: timing-only`: an ordinary record's own window — its allowable time
 * range (in its zone) and its expiration, which are the record's, not the skill's — from
 * `fromMs`; undefined when it has neither (or no zone: PC applies a range only once the record
 * has a zone), "expired" when the range never opens before it expires.
 */
function ordinaryWindow(
  state: CxoneState,
  record: ListRecord,
  fromMs: number,
): { from: number; to: number } | "expired" | undefined {
  const zone = ianaOf(record.timeZone);
  const range = zone ? recordRangeOf(record.customFields, state.knobs.recordTimeRangeColumns) : undefined;
  const expires = record.expirationDate ? Date.parse(record.expirationDate) : Number.POSITIVE_INFINITY;
  if (!range && !Number.isFinite(expires)) return undefined;
  if (fromMs > expires) return "expired";
  if (!zone || !range) return { from: fromMs, to: Math.max(fromMs, expires) };
  const allDay: SkillHours = { byZone: new Map([[zone, { start: 0, end: 1440 }]]), windows: new Map() };
  const from = firstOpenForRecord(allDay, zone, range, fromMs, expires);
  return from === undefined ? "expired" : { from, to: openStretchEnd(allDay, zone, range, from, expires) };
}

/** The instant `timing` picks in an ordinary record's open stretch `[fromMs, toMs]`. */
function withinStretch(
  state: CxoneState,
  list: CallingList,
  record: ListRecord,
  timing: ListDialTiming,
  fromMs: number,
  toMs: number,
): number {
  if (timing === "early" || timing === "jitter") return fromMs;
  if (timing === "late") return toMs;
  const rng = createRng(state.options.seed, `list-stretch-${list.listId}-${record.externalId}`);
  return fromMs + Math.floor(rng.next() * (toMs - fromMs + 1));
}

/**
 * Issue 62 §2: a record whose number is in an active DNC group scrubbing one of the list's skills
 * at its dial time is skipped (never dialled), as a Personal Connection skill scrubs it — unless
 * the business unit's call suppression is switched off (knob `callSuppression`: assumed to stop
 * DNC-group scrubbing with the rest, as its name and the MCP's "dialing capabilities" suggest).
 */
function scrubbedAtDial(state: CxoneState, list: CallingList, index: number, atMs: number): boolean {
  // The business unit's `callSuppression` off turns every suppression off at once (knob).
  if (!state.knobs.callSuppression) return false;
  const record = (list.records as ListRecord[])[index] as ListRecord;
  return groupsScrubbing(state.dncGroups, list.skillIds, groupKeyOf(record.phoneNumber), atMs).length > 0;
}

/** The ids of the records the dialer has finalised (no more dials). */
export function finalizedIds(list: CallingList): Set<string> {
  const ids = new Set<string>();
  for (const [index, tries] of list.dialing?.tries ?? [])
    if (tries.finalized) {
      const record = list.records?.[index];
      if (record) ids.add(record.externalId);
    }
  return ids;
}

/** Records still waiting for their time (neither dialled nor stale). */
export function waitingRecords(list: CallingList): number {
  const done = list.dialing?.done.size ?? 0;
  return (list.records ?? []).filter((r) => r.loadedAtMs !== undefined).length - done;
}
