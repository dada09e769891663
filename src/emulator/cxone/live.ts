import type { Skill } from "./data/model.ts";
import type { World } from "./data/world.ts";
import type { CxoneState } from "./state.ts";

/**
 * The production emulator's real-time figures (reference §4), following its own state: a
 * running outbound skill has agents logged in (some working its active contacts, one in
 * wrap-up when there are spare agents) and dials through the day at a steady pace; a stopped
 * skill has no live work. The admin API makes a skill go bad on cue: its agents log out, its
 * contacts stop (the active ones end), or its abandon rate jumps; or it sets today's counts
 * outright (a day's history, e.g. abandons eating a campaign's budget).
 *
 * A skill's activity changes are time-stamped when a read first sees them, which is what
 * `updatedSince` filters on (and what makes a read with nothing newer a 304).
 */
export interface SkillLiveControl {
  agentsLoggedOut: boolean;
  /**
   * How many agents are logged in to the skill while it is staffed (round 7: the callback cap,
   * 50 + 100 × agents logged in per 15 minutes, reads it); null = the seeded count (4–6).
   */
  agentsLoggedIn: number | null;
  /** Logged in, but every agent unavailable (issue 65: `agents_not_available`). */
  agentsUnavailable: boolean;
  contactsStopped: boolean;
  /** Forced abandon rate (fraction of connects); null = the skill's normal rate. */
  abandonRate: number | null;
  /** Today's counts as given (a day's history loaded on cue); null = counted from running time. */
  today: { dials: number; connects: number; abandons: number } | null;
}

interface Book {
  control: SkillLiveControl;
  /** Running time counted so far today (ms), and since when the current run is counted. */
  runMs: number;
  runningSinceMs: number | null;
  served: string | null;
  changedAtMs: number;
}

const NORMAL_ABANDON_RATE = 0.02;
const DIALS_PER_SECOND = 0.4;
const CONNECT_SHARE = 0.35;
const RIGHT_PARTY_SHARE = 0.8;

const books = new WeakMap<World, Map<number, Book>>();

function bookOf(state: CxoneState, skill: Skill, nowMs: number): Book {
  let byId = books.get(state.world);
  if (!byId) {
    byId = new Map();
    books.set(state.world, byId);
  }
  let book = byId.get(skill.skillId);
  if (!book) {
    // A skill found running has been running for two hours, whatever the hour: counted from
    // UTC midnight ("up to two hours today"), a read in the first minutes of a day found no
    // abandons yet, and doctor's unit probe (and its tests) failed by the clock from 00:00 UTC.
    book = {
      control: {
        agentsLoggedOut: false,
        agentsLoggedIn: null,
        agentsUnavailable: false,
        contactsStopped: false,
        abandonRate: null,
        today: null,
      },
      runMs: 0,
      runningSinceMs: skill.isRunning ? nowMs - 2 * 3_600_000 : null,
      served: null,
      changedAtMs: nowMs,
    };
    byId.set(skill.skillId, book);
  }
  // Follow start/stop as reads observe them.
  if (skill.isRunning && book.runningSinceMs === null) book.runningSinceMs = nowMs;
  if (!skill.isRunning && book.runningSinceMs !== null) {
    book.runMs += nowMs - book.runningSinceMs;
    book.runningSinceMs = null;
  }
  return book;
}

export const isLiveSkill = (skill: Skill) => skill.isOutbound && skill.mediaTypeId === 4;

/** `skillActivity[]` item of one skill, as `GET /skills/activity` shows it now. */
export function skillActivity(
  state: CxoneState,
  skill: Skill,
  nowMs: number,
): Record<string, unknown> & {
  changedAtMs: number;
} {
  const book = bookOf(state, skill, nowMs);
  const contactsActive = book.control.contactsStopped
    ? 0
    : [...state.active.values()].filter((c) => c.skillId === skill.skillId).length;
  const staffed = skill.isRunning || contactsActive > 0;
  const seeded = book.control.agentsLoggedIn ?? 4 + (skill.skillId % 3);
  const loggedIn = book.control.agentsLoggedOut || !staffed ? 0 : Math.max(contactsActive, seeded);
  const working = Math.min(loggedIn, contactsActive);
  const inWrap = loggedIn - working > 1 ? 1 : 0;
  const unavailable = book.control.agentsUnavailable ? loggedIn - working - inWrap : 0;
  const available = loggedIn - working - inWrap - unavailable;
  const activity = {
    skillId: skill.skillId,
    skillName: skill.skillName,
    mediaTypeId: skill.mediaTypeId,
    isOutbound: skill.isOutbound,
    agentsLoggedIn: loggedIn,
    agentsAvailable: available,
    agentsWorking: working,
    agentsACW: inWrap,
    agentsIdle: available,
    agentsUnavailable: unavailable,
    contactsActive,
    queueCount: 0,
    inSLA: 0,
    outSLA: 0,
    serviceLevel: 100,
    isActive: skill.isRunning,
  };
  const served = JSON.stringify(activity);
  if (served !== book.served) {
    book.served = served;
    book.changedAtMs = nowMs;
  }
  return { ...activity, changedAtMs: book.changedAtMs };
}

/** `skillSummaries[]` item: counts from `sinceMs` (today's start at most) to now. */
export function skillSummary(state: CxoneState, skill: Skill, nowMs: number): Record<string, unknown> {
  const book = bookOf(state, skill, nowMs);
  const runMs = book.runMs + (book.runningSinceMs === null ? 0 : nowMs - book.runningSinceMs);
  const given = book.control.today;
  const dials = given ? given.dials : Math.floor((runMs / 1000) * DIALS_PER_SECOND);
  const connects = given ? given.connects : Math.floor(dials * CONNECT_SHARE);
  const rate = book.control.abandonRate ?? NORMAL_ABANDON_RATE;
  const abandonCount = given ? given.abandons : Math.floor(connects * rate);
  const activity = skillActivity(state, skill, nowMs);
  // A rate set through the admin API is the rate reported (unless counts were set too): derived
  // from the day's counts so far it read 0.61% for a set 0.8% just after midnight UTC, when the
  // day held ~160 connects, and a test of the unit passed or failed by the hour.
  const forced = given ? null : book.control.abandonRate;
  const fraction = forced !== null ? forced : connects === 0 ? 0 : abandonCount / connects;
  const counts = state.knobs.summaryCounts
    ? {
        dials,
        connects,
        rightPartyConnects: Math.floor(connects * RIGHT_PARTY_SHARE),
        abandonCount,
      }
    : {};
  return {
    skillId: skill.skillId,
    skillName: skill.skillName,
    isOutbound: skill.isOutbound,
    ...counts,
    // A percentage with two decimals, or a fraction (knob summaryAbandonRateUnit).
    abandonRate:
      state.knobs.summaryAbandonRateUnit === "percent"
        ? Math.round(fraction * 10_000) / 100
        : Math.round(fraction * 1_000_000) / 1_000_000,
    agentsLoggedIn: activity.agentsLoggedIn,
  };
}

/** The admin API's change to one skill; the active contacts end when its contacts stop. */
export function controlSkill(
  state: CxoneState,
  skill: Skill,
  change: Partial<SkillLiveControl>,
  nowMs: number,
): SkillLiveControl {
  const book = bookOf(state, skill, nowMs);
  Object.assign(book.control, change);
  if (change.contactsStopped) {
    for (const contact of [...state.active.values()])
      if (contact.skillId === skill.skillId) state.endActive(contact.contactId, nowMs);
  }
  return { ...book.control };
}
