import { ID_PATTERN, ID_RULE } from "../../core/ids.ts";
import { InputError } from "../../core/input-error.ts";
import { parseAt } from "../compliance/check-input.ts";

/** How far back `at` may go: the facts are read now, so an older instant would judge today's list by a stale clock. */
export const AT_MAX_PAST_MS = 24 * 3_600_000;
/** How far ahead: the forecast covers the rest of the local day and the next. */
export const AT_MAX_FUTURE_MS = 7 * 24 * 3_600_000;

export interface DiagnoseParams {
  campaignId: string;
  /** The instant to diagnose at (ISO 8601 with an offset); default now. */
  at?: string;
}

/** The checked parameters of `campaigns.diagnose`: every problem named before anything is sent. */
export function checkDiagnoseParams(
  params: unknown,
  nowMs: number,
  fields = { campaignId: "campaignId", at: "at" },
) {
  const given = (typeof params === "object" && params !== null ? params : {}) as Partial<DiagnoseParams>;
  const problems = [];
  const { campaignId } = given;
  if (typeof campaignId !== "string" || !ID_PATTERN.test(campaignId))
    problems.push({ field: fields.campaignId, rule: ID_RULE });
  let atMs = nowMs;
  if (given.at !== undefined) {
    try {
      atMs = parseAt(given.at, fields.at) ?? nowMs;
      if (atMs < nowMs - AT_MAX_PAST_MS)
        problems.push({
          field: fields.at,
          rule: "must be no more than 24 hours in the past: the facts are read now",
        });
      else if (atMs > nowMs + AT_MAX_FUTURE_MS)
        problems.push({ field: fields.at, rule: "must be no more than 7 days ahead" });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return { campaignId: campaignId as string, atMs };
}
