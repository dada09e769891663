import { holidayOn } from "./holidays.ts";
import { localTimeOf } from "./local-time.ts";
import type { AccountAttempt } from "./reg-f.ts";
import { type Channel, VOICE } from "./touches.ts";
import type { Reason } from "./verdict.ts";

/**
 * Regulation F's presumption of compliance (12 CFR 1006.14(b)(3): at most 7 calls in 7 days, none
 * within 7 days of a conversation) can be rebutted by the pattern of the calls even under those
 * counts: the CFPB's call-frequency FAQs and comment 14(b)(3)-2 name the frequency and pattern of
 * the calls, their intervals, calls on days or at times the consumer would find inconvenient, and
 * the pattern of voicemails. cxo flags four patterns (codes `regf_pattern_*`); they are evidence a
 * court weighs, not a bar, so `compliance check` and the evidence answer them as warnings, and
 * the planner never places a call that makes one (may-dial.ts):
 *
 * - two calls to one number within 5 minutes, neither a conversation;
 * - a 7th call (or more) to one number on one of the called party's days;
 * - a debt's week concentrated on a Sunday or a federal holiday: at least two calls on that day,
 *   and more than half of the debt's calls of the 7 days ending on it;
 * - a second voicemail about the debt on one day.
 *
 * Pure: the calls in, the patterns out. A planned call is its dial window `[atMs, untilMs]`, and a
 * pattern is flagged when ANY dial times within the windows would make it.
 */
export type RegFPatternCode =
  | "regf_pattern_two_within_5_min"
  | "regf_pattern_7_in_a_day"
  | "regf_pattern_sunday_concentration"
  | "regf_pattern_voicemails";

export const REGF_PATTERN_CITATION =
  "12 CFR 1006.14(b)(3) and comment 14(b)(3)-2 (Regulation F): the presumption of compliance may be rebutted by the frequency, pattern and timing of calls and voicemails; CFPB Debt Collection Rule FAQs, Telephone Call Frequency: rebutting the presumptions (2021-10-01)";

/** The call judged: when it may be dialled, to what number, on what channel, timed in what zone. */
export interface PatternCall {
  atMs: number;
  untilMs?: number | undefined;
  phone: string;
  channel?: Channel | undefined;
  /** The called party's zone (its days); undefined: days are any 24 h (the stricter reading). */
  zone?: string | undefined;
}

const FIVE_MINUTES_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
export const REGF_PATTERN_DAY_CALLS = 7;

const warning = (code: RegFPatternCode, message: string): Reason => ({
  code,
  message,
  jurisdiction: "US",
  zone: null,
  ruleId: code.replaceAll("_", "-"),
  citation: REGF_PATTERN_CITATION,
  confidence: "secondary",
});

const endOf = (a: { atMs: number; untilMs?: number | undefined }) => a.untilMs ?? a.atMs;

/** The patterns this call would make with the debt's other calls (before and after it). */
export function regFPatterns(attempts: readonly AccountAttempt[], call: PatternCall): Reason[] {
  const channel = call.channel ?? "call";
  if (!VOICE.includes(channel)) return [];
  const calls = attempts.filter((a) => VOICE.includes(a.channel ?? "call"));
  const out: Reason[] = [];
  const untilMs = endOf(call);
  // A call whose number is not given is not counted as one to this number (a retry of the same
  // record spaced by the skill's retry settings is given without it: push-reach.ts).
  const sameNumber = calls.filter((a) => a.phone === call.phone);
  const close = sameNumber.find(
    (a) => !a.conversation && a.atMs < untilMs + FIVE_MINUTES_MS && endOf(a) > call.atMs - FIVE_MINUTES_MS,
  );
  if (close)
    out.push(
      warning(
        "regf_pattern_two_within_5_min",
        `another call to ${call.phone} at ${new Date(close.atMs).toISOString()} is within 5 minutes of this one: two unanswered calls 5 minutes apart may rebut the presumption of compliance`,
      ),
    );
  const day = dayOf(call.zone);
  const busiest = Math.max(
    ...[call.atMs, untilMs].map((t) => sameNumber.filter((a) => day.same(a.atMs, t)).length + 1),
  );
  if (busiest >= REGF_PATTERN_DAY_CALLS)
    out.push(
      warning(
        "regf_pattern_7_in_a_day",
        `this would be call ${busiest} to ${call.phone} in one day${call.zone ? ` (${call.zone})` : " (any 24 hours)"}: ${REGF_PATTERN_DAY_CALLS} calls to one number in a day may rebut the presumption of compliance`,
      ),
    );
  const sunday = sundayConcentration(calls, call, day);
  if (sunday) out.push(sunday);
  if (channel === "voicemail") {
    const left = calls.find(
      (a) => a.channel === "voicemail" && (day.same(a.atMs, call.atMs) || day.same(a.atMs, untilMs)),
    );
    if (left)
      out.push(
        warning(
          "regf_pattern_voicemails",
          `a voicemail about this debt was already left at ${new Date(left.atMs).toISOString()}, the same day: a pattern of voicemails may rebut the presumption of compliance`,
        ),
      );
  }
  return out;
}

interface Days {
  same(aMs: number, bMs: number): boolean;
  /** The local date and whether it is a Sunday or a federal holiday. */
  restDay(ms: number): string | undefined;
  /** The instants' day index (local days since the epoch), for a 7-day span. */
  index(ms: number): number;
}

function dayOf(zone: string | undefined): Days {
  if (zone === undefined)
    return {
      same: (a, b) => Math.abs(a - b) < DAY_MS,
      restDay: (ms) => restDayIn("UTC", ms),
      index: (ms) => Math.floor(ms / DAY_MS),
    };
  return {
    same: (a, b) => localTimeOf(zone, a).date === localTimeOf(zone, b).date,
    restDay: (ms) => restDayIn(zone, ms),
    index: (ms) => Math.floor(Date.parse(`${localTimeOf(zone, ms).date}T00:00:00Z`) / DAY_MS),
  };
}

function restDayIn(zone: string, ms: number): string | undefined {
  const local = localTimeOf(zone, ms);
  if (local.weekday === 7) return `Sunday ${local.date}`;
  const holiday = holidayOn("US_FEDERAL", local.year, local.month, local.day);
  return holiday === undefined ? undefined : `${holiday} ${local.date}`;
}

/** The debt's calls of the 7 days ending on the call's Sunday (or holiday), most of them on it. */
function sundayConcentration(
  calls: readonly AccountAttempt[],
  call: PatternCall,
  day: Days,
): Reason | undefined {
  for (const t of new Set([call.atMs, endOf(call)])) {
    const rest = day.restDay(t);
    if (rest === undefined) continue;
    const last = day.index(t);
    const week = calls.filter((a) => {
      const i = day.index(a.atMs);
      return i <= last && i > last - 7;
    });
    const onIt = week.filter((a) => day.index(a.atMs) === last).length + 1;
    const all = week.length + 1;
    if (onIt >= 2 && onIt * 2 > all)
      return warning(
        "regf_pattern_sunday_concentration",
        `${onIt} of this debt's ${all} calls in the 7 days ending ${rest} fall on that day: calls concentrated on a Sunday or holiday may rebut the presumption of compliance`,
      );
  }
  return undefined;
}
