import { InputError } from "../../core/input-error.ts";
import { campaignAtOf, type InstantInput } from "../../core/instant-input.ts";

/** How far back `at` may go: the facts are read now, so an older instant would judge today's list by a stale clock. */
export const AT_MAX_PAST_MS = 24 * 3_600_000;
/** How far ahead: the forecast covers the rest of the local day and the next. */
export const AT_MAX_FUTURE_MS = 7 * 24 * 3_600_000;

const BOUNDS = {
  past: { ms: AT_MAX_PAST_MS, rule: "must be no more than 24 hours in the past: the facts are read now" },
  future: { ms: AT_MAX_FUTURE_MS, rule: "must be no more than 7 days ahead" },
};

export interface DiagnoseParams {
  campaignId: string;
  /** The instant to diagnose at (ISO 8601 with a zone, or a Date: InstantInput); default now. */
  at?: InstantInput;
}

/** The checked parameters of `campaigns.diagnose`: every problem named before anything is sent. */
export function checkDiagnoseParams(
  params: unknown,
  nowMs: number,
  fields = { campaignId: "campaignId", at: "at" },
) {
  const given = (typeof params === "object" && params !== null ? params : {}) as Partial<DiagnoseParams>;
  const problems: Array<{ field: string; rule: string }> = [];
  const { campaignId, atMs } = campaignAtOf(given, nowMs, fields, BOUNDS, problems);
  if (problems.length > 0) throw new InputError(problems);
  return { campaignId, atMs };
}
