import type { Reason } from "./evaluate.ts";

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
}

export const REG_F_MAX_CALLS = 7;
export const REG_F_PERIOD_MS = 8 * 24 * 3_600_000;
const CITATION = "12 CFR 1006.14(b)(2) (Regulation F)";

/**
 * Reasons a call about the account at `atMs` would break the presumption, given every other
 * attempt about it (before AND after: a plan is not made in time order across an account's
 * numbers).
 */
export function regFReasons(attempts: readonly AccountAttempt[], atMs: number): Reason[] {
  const reasons: Reason[] = [];
  const near = attempts.filter((a) => a.atMs > atMs - REG_F_PERIOD_MS && a.atMs < atMs + REG_F_PERIOD_MS);
  const talk = near.find((a) => a.conversation && a.atMs <= atMs);
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
  // The busiest period holding atMs starts at atMs or at an attempt before it.
  const starts = [atMs, ...near.filter((a) => a.atMs <= atMs).map((a) => a.atMs)];
  let busiest = 0;
  for (const start of starts) {
    const count = near.filter((a) => a.atMs >= start && a.atMs < start + REG_F_PERIOD_MS).length;
    if (count > busiest) busiest = count;
  }
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
