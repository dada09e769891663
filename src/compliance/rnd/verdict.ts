import type { RndAnswer } from "../../platform/ports/rnd.ts";

/**
 * What an RND answer means for a call (pure). 47 CFR 64.1200(m): a caller who asked the latest
 * database with the date of consent and was told the number was NOT permanently disconnected
 * since then has a safe harbor for a call that reaches a new subscriber. "yes" (disconnected on
 * or after the consent date) means the consent belongs to someone else: the number is refused
 * (`rnd_reassigned`). "no data" gives no safe harbor: refused only when `compliance.rnd.noData`
 * is `refuse` (`rnd_no_data`), otherwise allowed and reported as without one.
 */
export type RndRefusalCode = "rnd_reassigned" | "rnd_no_data";

export interface RndJudgement {
  refused: boolean;
  code: RndRefusalCode | undefined;
  /** True only for "no": the safe harbor of 64.1200(m) covers this call. */
  safeHarbor: boolean;
}

export function judgeRndAnswer(answer: RndAnswer, noData: "allow" | "refuse"): RndJudgement {
  if (answer === "disconnected") return { refused: true, code: "rnd_reassigned", safeHarbor: false };
  if (answer === "no-data")
    return noData === "refuse"
      ? { refused: true, code: "rnd_no_data", safeHarbor: false }
      : { refused: false, code: undefined, safeHarbor: false };
  return { refused: false, code: undefined, safeHarbor: true };
}

/** The reason's words, for refusals shown to people and kept in plans. */
export function rndRefusalMessage(code: RndRefusalCode, consentDate: string, dataAsOf: string): string {
  return code === "rnd_reassigned"
    ? `the Reassigned Numbers Database (data as of ${dataAsOf}) reports this number permanently disconnected on or after its consent date ${consentDate}: the consent is not the current subscriber's`
    : `the Reassigned Numbers Database (data as of ${dataAsOf}) has no data for this number since ${consentDate} (compliance.rnd.noData: refuse)`;
}
