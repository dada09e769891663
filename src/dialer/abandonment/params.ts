import { InputError } from "../../core/input-error.ts";
import { campaignAtOf, type InstantInput } from "../../core/instant-input.ts";
import { MAX_FALSE_POSITIVE_RATE } from "../pacing/amd-estimate.ts";
import { REGIMES, type RegimeId, regimeOf } from "./regimes.ts";

/** `dialer.abandonment`'s params. */
export interface AbandonmentParams {
  campaignId: string;
  /** The instant the ledger is read at (ISO 8601 with a zone, or a Date: InstantInput); default now. */
  at?: InstantInput;
  /** One regime of the rule table (its window's id: `ftc-30d`, `ofcom-24h`, `day`, `crtc-month`); default every one. */
  window?: string;
  /** The share the sampling plan is to show the AMD false positives are under (default 0.01). */
  under?: number;
}

export const DEFAULT_UNDER = 0.01;

/** How far ahead `at` may be (the counters are read now: a future instant would judge them by a clock not yet come). */
const AT_MAX_FUTURE_MS = 60_000;
const BOUNDS = {
  future: { ms: AT_MAX_FUTURE_MS, rule: "must not be in the future: the ledger reads what was counted" },
};

/** The checked params: every problem named before anything is read or sent. */
export function checkAbandonmentParams(
  params: unknown,
  nowMs: number,
  fields = { campaignId: "campaignId", at: "at", window: "window", under: "under" },
): { campaignId: string; atMs: number; window: RegimeId | undefined; under: number } {
  const given = (typeof params === "object" && params !== null ? params : {}) as Partial<AbandonmentParams>;
  const problems: { field: string; rule: string }[] = [];
  const { campaignId, atMs } = campaignAtOf(given, nowMs, fields, BOUNDS, problems);
  if (given.window !== undefined && (typeof given.window !== "string" || !regimeOf(given.window)))
    problems.push({
      field: fields.window,
      rule: `must be a window the rule table defines: ${REGIMES.map((r) => r.id).join(", ")} (got ${JSON.stringify(given.window)})`,
    });
  const under = given.under ?? DEFAULT_UNDER;
  if (typeof under !== "number" || !(under > 0 && under <= MAX_FALSE_POSITIVE_RATE))
    problems.push({
      field: fields.under,
      rule: "must be a share greater than 0 and at most 0.5 (0.01 = 1%)",
    });
  if (problems.length > 0) throw new InputError(problems);
  return { campaignId, atMs, window: given.window as RegimeId | undefined, under };
}
