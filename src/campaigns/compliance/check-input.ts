import { z } from "zod";
import { dateTimeProblem, describeDateTimeProblem } from "../../core/datetime-input.ts";
import { InputError, ProblemCollector } from "../../core/input-error.ts";
import type { CampaignCaps } from "./evaluate.ts";
import { regionOfCode } from "./geography.ts";
import { NANP_RULE, type NanpNumber, parseNanp } from "./phone-number.ts";
import { isIanaZone } from "./zone-names.ts";

/**
 * Validation of what a user hands the engine (CLI flags, SDK calls): every problem is an
 * InputError naming the field and the rule, raised before anything is read or sent.
 */

export const AT_RULE =
  "must be an ISO-8601 date-time WITH an offset or Z (e.g. 2026-03-08T14:30:00-05:00); a naive time is ambiguous";
export const ZONE_RULE = "must be an IANA time zone, e.g. America/Chicago";
export const STATE_RULE = "must be a two-letter US state/territory or Canadian province code, e.g. FL";
export const CAPS_RULE =
  "must be day=N and/or week=N separated by a comma, N a whole number from 1 to 1000 (e.g. day=1,week=3)";

const atSchema = z.iso.datetime({ offset: true, local: false });
const capCount = z.coerce.number().int().min(1).max(1000);

export function parseAt(value: string | undefined, field = "--at"): number | undefined {
  if (value === undefined) return undefined;
  const problem = dateTimeProblem(value);
  if (problem) throw new InputError({ field, rule: describeDateTimeProblem(problem, value, AT_RULE) });
  if (!atSchema.safeParse(value).success) throw new InputError({ field, rule: AT_RULE });
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new InputError({ field, rule: AT_RULE });
  return ms;
}

export function parsePhone(value: string | undefined, field = "--phone"): NanpNumber {
  if (value === undefined) throw new InputError({ field, rule: "is required" });
  const number = parseNanp(value);
  if (!number) throw new InputError({ field, rule: NANP_RULE });
  return number;
}

export const isValidZone = (zone: string) => zone.includes("/") && isIanaZone(zone);
export const isValidState = (state: string) =>
  /^[A-Za-z]{2}$/.test(state) && regionOfCode(state) !== undefined;

export function parseCampaignCaps(
  value: string | undefined,
  field = "--campaign-caps",
): CampaignCaps | undefined {
  if (value === undefined) return undefined;
  const caps: CampaignCaps = {};
  for (const part of value.split(",")) {
    const match = /^\s*(day|week)\s*=\s*(\S+)\s*$/.exec(part);
    const count = match ? capCount.safeParse(match[2]) : undefined;
    if (!match || !count?.success || /\D/.test(match[2] as string))
      throw new InputError({ field, rule: CAPS_RULE });
    if (match[1] === "day") caps.perDay = count.data;
    else caps.perWeek = count.data;
  }
  return caps;
}

export interface CheckFlags {
  phone?: string;
  at?: string;
  state?: string;
  zone?: string;
  consent?: string;
  campaignCaps?: string;
}

export interface CheckRequest {
  number: NanpNumber;
  atMs: number | undefined;
  state: string | undefined;
  zone: string | undefined;
  consent: boolean | undefined;
  campaignCaps: CampaignCaps | undefined;
}

/** Every flag checked; all problems reported together. */
export function parseCheckFlags(flags: CheckFlags): CheckRequest {
  const collector = new ProblemCollector();
  const { problems } = collector;
  const attempt = <T>(check: () => T) => collector.attempt(check);
  const number = attempt(() => parsePhone(flags.phone));
  const atMs = attempt(() => parseAt(flags.at));
  if (flags.state !== undefined && !isValidState(flags.state))
    problems.push({ field: "--state", rule: STATE_RULE });
  if (flags.zone !== undefined && !isValidZone(flags.zone))
    problems.push({ field: "--zone", rule: ZONE_RULE });
  if (flags.consent !== undefined && !["yes", "no"].includes(flags.consent))
    problems.push({ field: "--consent", rule: "must be yes or no" });
  const campaignCaps = attempt(() => parseCampaignCaps(flags.campaignCaps));
  if (problems.length > 0 || !number) throw new InputError(problems);
  return {
    number,
    atMs,
    state: flags.state?.toUpperCase(),
    zone: flags.zone,
    consent: flags.consent === undefined ? undefined : flags.consent === "yes",
    campaignCaps,
  };
}
