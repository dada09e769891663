import { type CheckedInput, validateCheckInput } from "../compliance/check-input.ts";
import type { CampaignCaps } from "../compliance/verdict.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { InputError, ProblemCollector } from "../core/input-error.ts";
import { parseAt } from "../core/instant-input.ts";
import { flagsInText, withFlagNamesSync } from "./flag-names.ts";
/**
 * The calling-rule flags of `cxo compliance check` and `cxo campaigns contacts`: their text
 * syntax (`--consent yes|no`, `--campaign-caps day=1,week=3`) is the CLI's; what they mean is
 * checked by the engine's own validator, whose SDK field names are mapped back to the flags.
 */

export const CAPS_RULE =
  "must be day=N and/or week=N separated by a comma, N a whole number from 1 to 1000 (e.g. day=1,week=3)";

const CHECK_FLAGS: Record<string, string> = {
  phone: "--phone",
  at: "--at",
  state: "--state",
  zone: "--zone",
  kind: "--kind",
  account: "--account",
  channel: "--channel",
  zip: "--zip",
  lastTransactionAt: "--last-transaction",
  numberType: "--number-type",
  voice: "--voice",
  writtenConsent: "--written-consent",
  aiDisclosed: "--ai-disclosed",
  announcement: "--announcement",
  discloses: "--discloses",
  purpose: "--purpose",
};

/**
 * A verdict as `cxo compliance check` shows it: a reason that names the contact's field in
 * backticks (`` `state` ``, the SDK's words) names the flag that sets it (`--state`).
 */
export function verdictInFlags<V extends { reasons: ReadonlyArray<{ message: string }> }>(verdict: V): V {
  return {
    ...verdict,
    reasons: verdict.reasons.map((reason) => ({
      ...reason,
      message: flagsInText(reason.message, CHECK_FLAGS),
    })),
  };
}

/** A cap's count: digits only, 1 to 1000. */
function capCount(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const count = Number(text);
  return count >= 1 && count <= 1000 ? count : undefined;
}

/** `--campaign-caps day=N,week=M` → the engine's per-contact caps. */
export function parseCampaignCapsFlag(value: string | undefined): CampaignCaps | undefined {
  if (value === undefined) return undefined;
  const caps: CampaignCaps = {};
  for (const part of value.split(",")) {
    const match = /^\s*(day|week)\s*=\s*(\S+)\s*$/.exec(part);
    const count = match ? capCount(match[2] as string) : undefined;
    if (!match || count === undefined) throw new InputError({ field: "--campaign-caps", rule: CAPS_RULE });
    if (match[1] === "day") caps.perDay = count;
    else caps.perWeek = count;
  }
  return caps;
}

/** `--at ISO`, absent = undefined (the caller picks "now"). */
export const parseAtFlag = (value: string | undefined): number | undefined => parseAt(value, "--at");

export interface CheckFlags {
  phone?: string;
  at?: string;
  state?: string;
  zone?: string;
  consent?: string;
  campaignCaps?: string;
  kind?: string;
  account?: string;
  channel?: string;
  zip?: string;
  lastTransaction?: string;
  numberType?: string;
  voice?: string;
  writtenConsent?: string;
  aiDisclosed?: string;
  announcement?: string;
  discloses?: string;
  purpose?: string;
}

/** `yes|no` → boolean; anything else is kept as given, for the validator to name. */
const yesNo = (value: string | undefined): boolean | undefined =>
  value === "yes" ? true : value === "no" ? false : undefined;

export interface CheckFlagRequest extends CheckedInput {
  consent: boolean | undefined;
  campaignCaps: CampaignCaps | undefined;
}

/** Every flag checked; all problems reported together, each naming its flag. */
export function parseCheckFlags(flags: CheckFlags, now: () => number = clockNowMs): CheckFlagRequest {
  const collector = new ProblemCollector();
  const checked = collector.attempt(() =>
    withFlagNamesSync(CHECK_FLAGS, () =>
      validateCheckInput(
        {
          ...flags,
          lastTransactionAt: flags.lastTransaction,
          writtenConsent: yesNo(flags.writtenConsent),
          aiDisclosed: yesNo(flags.aiDisclosed),
        },
        now,
      ),
    ),
  );
  for (const [flag, value] of [
    ["--consent", flags.consent],
    ["--written-consent", flags.writtenConsent],
    ["--ai-disclosed", flags.aiDisclosed],
  ] as const)
    if (value !== undefined && !["yes", "no"].includes(value))
      collector.problems.push({ field: flag, rule: "must be yes or no" });
  const campaignCaps = collector.attempt(() => parseCampaignCapsFlag(flags.campaignCaps));
  if (collector.problems.length > 0 || !checked) throw new InputError(collector.problems);
  return {
    ...checked,
    consent: flags.consent === undefined ? undefined : flags.consent === "yes",
    campaignCaps,
  };
}
