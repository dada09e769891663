import { dateTimeProblem, describeDateTimeProblem } from "./datetime-input.ts";
import { ID_RULE, isId } from "./ids.ts";
import { InputError } from "./input-error.ts";

/**
 * An instant a user hands cxo (`at`, `from`, `to`): an ISO-8601 date-time with its offset, and the
 * campaign-and-instant pair of a read-only call about one campaign. Every room that takes one
 * (compliance checks, plans, a campaign's diagnosis, the abandonment ledger) reads it here.
 */

export const AT_RULE =
  "must be an ISO-8601 date-time WITH an offset or Z (e.g. 2026-03-08T14:30:00-05:00); a naive time is ambiguous";

/**
 * RFC 3339 date-time with seconds and a Z or ±hh:mm offset: the pattern of zod's
 * `z.iso.datetime({ offset: true, local: false })`, written out so that `cxo compliance check`
 * (run once per number by a dialing script) does not load zod for one regex; a test keeps the
 * two equal.
 */
export const AT_PATTERN =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

/** An instant a user gave (`field` names it in the error), or undefined when none was given. */
export function parseAt(value: string | undefined, field = "at"): number | undefined {
  if (value === undefined) return undefined;
  const problem = dateTimeProblem(value);
  if (problem) throw new InputError({ field, rule: describeDateTimeProblem(problem, value, AT_RULE) });
  if (!AT_PATTERN.test(value)) throw new InputError({ field, rule: AT_RULE });
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new InputError({ field, rule: AT_RULE });
  return ms;
}

/** A bound on how far an instant may lie from now, and the rule a farther one breaks. */
export interface InstantBound {
  ms: number;
  rule: string;
}

/**
 * The campaign id and the instant (`at`, default now) of a read-only call about one campaign
 * (`cxo why`, `cxo dialer abandonment`): their problems are added to `problems`, so a call names
 * every bad field at once.
 */
export function campaignAtOf(
  given: { campaignId?: unknown; at?: unknown },
  nowMs: number,
  fields: { campaignId: string; at: string },
  bounds: { past?: InstantBound; future: InstantBound },
  problems: Array<{ field: string; rule: string }>,
): { campaignId: string; atMs: number } {
  const { campaignId } = given;
  if (!isId(campaignId)) problems.push({ field: fields.campaignId, rule: ID_RULE });
  let atMs = nowMs;
  if (given.at !== undefined) {
    try {
      atMs = parseAt(given.at as string, fields.at) ?? nowMs;
      if (bounds.past && atMs < nowMs - bounds.past.ms)
        problems.push({ field: fields.at, rule: bounds.past.rule });
      else if (atMs > nowMs + bounds.future.ms) problems.push({ field: fields.at, rule: bounds.future.rule });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  return { campaignId: campaignId as string, atMs };
}
