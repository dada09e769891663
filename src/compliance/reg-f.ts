import { mostWithin } from "./interval-caps.ts";
import { type Channel, VOICE } from "./touches.ts";
import type { Reason } from "./verdict.ts";

/**
 * Regulation F's call-frequency presumption, 12 CFR 1006.14(b)(2): a debt collector is presumed
 * to harass who places a telephone call about a debt (i) more than seven times within seven
 * consecutive days, or (ii) within seven consecutive days after a telephone conversation about
 * it (the conversation's date is the first of the seven days). The rule is per DEBT, across
 * every number of the consumer: the caller keys attempts by account.
 *
 * Days are the consumer's calendar days, which an account with numbers in several zones, and a
 * daylight-saving change, make ambiguous by up to a day. We are stricter by that day, so the
 * verdict is right in every zone: a "seven-day" period is any 8 × 24 h, and a call is refused
 * until 8 × 24 h after a conversation. Pure: no clock, no I/O.
 */
export interface AccountAttempt {
  atMs: number;
  /** An agent talked with the consumer on it. */
  conversation: boolean;
  /**
   * A planned call pushed to a dialer may be placed anywhere up to this instant (its stale
   * window, issue 62 §3); absent: the call is the instant `atMs` (an attempt already made).
   */
  untilMs?: number | undefined;
  /** The touch's channel (absent: a call) and number. Regulation F counts calls only. */
  channel?: Channel | undefined;
  phone?: string | undefined;
}

export const REG_F_MAX_CALLS = 7;
export const REG_F_PERIOD_MS = 8 * 24 * 3_600_000;
const CITATION = "12 CFR 1006.14(b)(2) (Regulation F)";

/**
 * Reasons a call about the account that may be placed anywhere in `[atMs, untilMs]` (default:
 * at the instant `atMs`) would break the presumption, given every other attempt about it (before
 * AND after: a plan is not made in time order across an account's numbers), each itself an
 * interval when it is a planned call (interval-caps.ts: the rule must hold for ANY dial times).
 */
export function regFReasons(attempts: readonly AccountAttempt[], atMs: number, untilMs = atMs): Reason[] {
  const reasons: Reason[] = [];
  const near = attempts.filter(
    (a) =>
      VOICE.includes(a.channel ?? "call") &&
      (a.untilMs ?? a.atMs) > atMs - REG_F_PERIOD_MS &&
      a.atMs < untilMs + REG_F_PERIOD_MS,
  );
  // A conversation before any instant the call may be placed at, within the period before it.
  const talk = near.find((a) => a.conversation && a.atMs <= untilMs);
  if (talk)
    reasons.push({
      code: "reg_f_after_conversation",
      message: `a telephone conversation about this debt took place at ${new Date(talk.atMs).toISOString()}; no call for 7 days after it`,
      jurisdiction: "US",
      zone: null,
      ruleId: "reg-f-after-conversation",
      citation: CITATION,
      confidence: "verified",
    });
  const others = near.map((a) => ({ startMs: a.atMs, endMs: a.untilMs ?? a.atMs }));
  const busiest = mostWithin({ startMs: atMs, endMs: untilMs }, others, REG_F_PERIOD_MS) - 1;
  if (busiest >= REG_F_MAX_CALLS)
    reasons.push({
      code: "reg_f_7_in_7",
      message: `${busiest} calls about this debt already fall in a 7-day period with this one; at most ${REG_F_MAX_CALLS}`,
      jurisdiction: "US",
      zone: null,
      ruleId: "reg-f-7-in-7",
      citation: CITATION,
      confidence: "verified",
    });
  return reasons;
}
