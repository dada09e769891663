import { DateTime } from "luxon";
import { clockNowMs } from "../../core/clock/now.ts";
import { e164OfKey, groupKeyOf, groupsScrubbing } from "./data/dnc-groups.ts";
import { ianaOf } from "./list-dialer-rules.ts";
import { skillActivity } from "./live.ts";
import type { CxoneState } from "./state.ts";
/**
 * Scheduled callbacks (`POST scheduled-callbacks`, `GET skills/{id}/scheduled-callbacks`, …): a
 * number an agent of the skill is to call back at a set time, outside any calling list. Shapes
 * from two clients nobody here wrote: NICE's QA automation (walterplaza/protractor,
 * `src/apis/admin/scheduled-callbacks-management/scheduled-callbacks-management-v12.ts`) and a
 * tool run against a live tenant (CtrlAltWilson/Commitment-Automation-backend, `src/rc.py`).
 *
 * The emulator dials a callback at its time through the skill's agents, on a clock of its own
 * like the list dialer's: API reads move it to the real (CXO_CLOCK) time, and
 * `POST /_emulator/scheduled-callbacks/dial {until}` moves it on, so a test sees "dialled" or
 * "never dialled" without waiting. A dial needs an agent logged in to the skill (the target
 * agent, when one is named); until then the callback waits. Whether CXone scrubs a callback
 * against the skill's DNC groups is not public: by default it does not (the knob
 * `scheduledCallbackDncScrub`), which is why a client must delete a callback to a number that
 * revoked consent.
 */
export interface ScheduledCallback {
  callbackId: number;
  skillId: number;
  /** Ten digits (NANP), as the listing's `dialNumber` gives it. */
  dialNumber: string;
  firstName: string;
  lastName: string;
  notes: string;
  targetAgentId: number | null;
  atMs: number;
  createdAtMs: number;
  status: "pending" | "dialled" | "deleted" | "scrubbed";
  dialledAtMs?: number;
  /** The completed contact the dial became. */
  contactId?: number;
}

/** One dial of a callback: what a test asserts "never dialled" against. */
export interface CallbackDial {
  callbackId: number;
  skillId: number;
  agentId: number;
  /** E.164. */
  phone: string;
  atMs: number;
  contactId: number;
}

export interface CallbackDialer {
  /** The dialer's clock: every callback due by then has been dialled (or waits for an agent). */
  untilMs: number;
  dials: CallbackDial[];
}

export const newCallbackDialer = (): CallbackDialer => ({ untilMs: 0, dials: [] });

/** A JSON number or a string of digits (NICE's QA quotes every value): ten NANP digits, or undefined. */
export function nanpDigitsOf(value: string | number): string | undefined {
  const digits = String(value).replace(/[\s().+-]/g, "");
  if (!/^\d+$/.test(digits)) return undefined;
  // A UK number as 44 and its national digits (the form cxo sends; assumed, docs/emulator-cxone.md).
  if (/^44[1-9]\d{8,9}$/.test(digits)) return digits;
  const ten = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
  // NANP: area code and exchange each start 2–9.
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(ten) ? ten : undefined;
}

/** `MM/DD/YYYY` with an optional clock, as NICE's QA builds `scheduleDate` (Utility.getNowDate). */
const US_FORMATS = [
  "MM/dd/yyyy",
  "MM/dd/yyyy HH:mm",
  "MM/dd/yyyy HH:mm:ss",
  "MM/dd/yyyy h:mm a",
  "MM/dd/yyyy h:mm:ss a",
];

/**
 * `scheduleDate` as the platform reads it: an ISO instant with an offset; a local date-time
 * without one (`2026-12-02 09:30:00`, as the live client sends it) or a date alone (QA's
 * `12/12/2026`, midnight) read in `zone` (assumed: the business unit's). Undefined: unreadable.
 */
export function scheduleDateMs(value: string, zone: string): number | undefined {
  const trimmed = value.trim();
  if (/(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) && /^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    const ms = Date.parse(trimmed);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const iso = DateTime.fromISO(trimmed.replace(" ", "T"), { zone });
  if (iso.isValid) return iso.toMillis();
  for (const format of US_FORMATS) {
    const local = DateTime.fromFormat(trimmed, format, { zone });
    if (local.isValid) return local.toMillis();
  }
  return undefined;
}

/** The zone a time without an offset is read in (knob `scheduledCallbackZone`, else the business unit's). */
export function callbackZoneOf(state: CxoneState): string {
  const named = state.knobs.scheduledCallbackZone || state.world.tenant.defaultTimeZone;
  return ianaOf(named) ?? "America/New_York";
}

/** A pending callback as the listings show it (CAB reads these names). */
export function callbackJson(state: CxoneState, callback: ScheduledCallback): Record<string, unknown> {
  return {
    callbackId: callback.callbackId,
    skillId: callback.skillId,
    skillName: state.skills.get(callback.skillId)?.skillName ?? "",
    targetAgentId: callback.targetAgentId,
    firstName: callback.firstName,
    lastName: callback.lastName,
    dialNumber: callback.dialNumber,
    callbackTime: new Date(callback.atMs).toISOString(),
    notes: callback.notes,
    createDate: new Date(callback.createdAtMs).toISOString(),
  };
}

/** The agent a due callback goes to now, or undefined while none of the skill's agents can take it. */
function agentFor(state: CxoneState, callback: ScheduledCallback, nowMs: number): number | undefined {
  const skill = state.skills.get(callback.skillId);
  if (!skill) return undefined;
  if (Number(skillActivity(state, skill, nowMs).agentsLoggedIn) === 0) return undefined;
  if (callback.targetAgentId !== null)
    return state.loggedOutAgents.has(callback.targetAgentId) ? undefined : callback.targetAgentId;
  const agents = state.world.agents.filter((a) => !state.loggedOutAgents.has(a.agentId));
  return agents[callback.callbackId % Math.max(1, agents.length)]?.agentId;
}

/**
 * Moves the callback dialer on to `untilMs` (never back): each pending callback due by then is
 * dialled at its time by an agent of its skill (who to ask is decided on the emulator's present:
 * a skill without agents now holds its callbacks), and the call joins the completed contacts, so
 * a listing of calls after a revocation sees it as any other.
 */
export function advanceCallbackDialer(state: CxoneState, untilMs: number): CallbackDialer {
  const dialer = state.callbackDialer;
  dialer.untilMs = Math.max(dialer.untilMs, untilMs);
  const nowMs = clockNowMs();
  const due = [...state.scheduledCallbacks.values()]
    .filter((c) => c.status === "pending" && c.atMs <= dialer.untilMs)
    .sort((a, b) => a.atMs - b.atMs || a.callbackId - b.callbackId);
  for (const callback of due) {
    const agentId = agentFor(state, callback, nowMs);
    if (agentId === undefined) continue;
    if (
      state.knobs.scheduledCallbackDncScrub &&
      state.knobs.callSuppression &&
      groupsScrubbing(state.dncGroups, [callback.skillId], callback.dialNumber, callback.atMs).length > 0
    ) {
      callback.status = "scrubbed";
      continue;
    }
    const contact = state.addActive(callback.skillId, agentId, callback.atMs, 0);
    contact.toAddress = callback.dialNumber;
    state.endActive(contact.contactId, callback.atMs + 60_000);
    callback.status = "dialled";
    callback.dialledAtMs = callback.atMs;
    callback.contactId = contact.contactId;
    dialer.dials.push({
      callbackId: callback.callbackId,
      skillId: callback.skillId,
      agentId,
      phone: e164OfKey(groupKeyOf(callback.dialNumber)),
      atMs: callback.atMs,
      contactId: contact.contactId,
    });
  }
  return dialer;
}

/** The pending callbacks, the dialer moved to now first (a callback past its time is no longer pending). */
export function pendingCallbacks(state: CxoneState): ScheduledCallback[] {
  advanceCallbackDialer(state, clockNowMs());
  return [...state.scheduledCallbacks.values()].filter((c) => c.status === "pending");
}
