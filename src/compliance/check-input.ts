import { clockNowMs } from "../core/clock/now.ts";
import { ACCOUNT_PATTERN, ACCOUNT_RULE } from "../core/ids.ts";
import { InputError, ProblemCollector } from "../core/input-error.ts";
import { type InstantInput, instantInputMs } from "../core/instant-input.ts";
import {
  NANP_OR_UK_RULE,
  NANP_RULE,
  type NanpNumber,
  parseNanp,
  parseNanpOrUk,
} from "../core/phone-number.ts";
import { regionOfCode } from "./geography.ts";
import { nycCountyOf, ZIP_PATTERN, ZIP_RULE } from "./nyc-zips.ts";
import {
  CAMPAIGN_KINDS,
  type CampaignKind,
  CHANNEL_RULE,
  type Channel,
  isChannel,
  NUMBER_TYPES,
  type NumberType,
  TOUCH_PURPOSES,
  type TouchPurpose,
} from "./touches.ts";
import { campaignVoiceOf, type VoiceFacts, voiceFacts } from "./voice-rules.ts";
import { isIanaZone } from "./zone-names.ts";
/**
 * Validation of what a user hands the engine (SDK calls; the CLI maps its flags onto these
 * fields): every problem is an InputError naming the SDK field (`phone`, `at`, `state`, `zone`)
 * and the rule, raised before anything is read or sent.
 */

export const ZONE_RULE = "must be an IANA time zone, e.g. America/Chicago";
export const STATE_RULE = "must be a two-letter US state/territory or Canadian province code, e.g. FL";

export function parsePhone(value: string | undefined, field = "phone"): NanpNumber {
  if (value === undefined) throw new InputError({ field, rule: "is required" });
  const number = parseNanp(value);
  if (!number) throw new InputError({ field, rule: NANP_RULE });
  return number;
}

/** A check's number: NANP or, from the UK, +44 (its own rules: TPS/CTPS, PECR); any other refused. */
export function parseCheckedPhone(value: string | undefined, field = "phone"): NanpNumber {
  if (value === undefined) throw new InputError({ field, rule: "is required" });
  const number = parseNanpOrUk(value);
  if (!number) throw new InputError({ field, rule: NANP_OR_UK_RULE });
  return number;
}

export const isValidZone = (zone: string) => zone.includes("/") && isIanaZone(zone);
export const isValidState = (state: string) =>
  /^[A-Za-z]{2}$/.test(state) && regionOfCode(state) !== undefined;

/** One call to judge, as a caller describes it (the SDK's `ComplianceCheck` fields). */
export interface CheckInput {
  phone?: string | undefined;
  /** A Date, epoch milliseconds, or ISO-8601 with an offset. Default: now. */
  at?: InstantInput | number | undefined;
  state?: string | undefined;
  zone?: string | undefined;
  /** The campaign's kind (`sales` | `collections`); absent: not declared. */
  kind?: string | undefined;
  /** The account (debt) the touch is about. */
  account?: string | undefined;
  /** The touch asked about: `call` (default), `sms`, `email`, `callback`, `voicemail`. */
  channel?: string | undefined;
  /** The consumer's address ZIP code (New York City's rules). */
  zip?: string | undefined;
  /** The consumer's last transaction with the seller (Oregon's established business relationship). */
  lastTransactionAt?: InstantInput | number | undefined;
  /** `personal` (residence, mobile; default) or `other` (Massachusetts). */
  numberType?: string | undefined;
  /** Issue 92 §2: the call's voice, `live` (default), `prerecorded` or `ai`. */
  voice?: string | undefined;
  /** The consent on record is written (telemarketing with an artificial voice needs it). */
  writtenConsent?: boolean | undefined;
  /** The consent was given with the AI voice disclosed. */
  aiDisclosed?: boolean | undefined;
  /** `live`: the call is introduced by a live person (California). */
  announcement?: string | undefined;
  /** `ai`: the introduction says the voice is artificial (California, 2025). */
  discloses?: string | undefined;
  /**
   * `emergency`: exempt from the artificial-voice consent rows; `revocation-confirmation`: the one
   * text confirming a revocation by text (issue 92 §3).
   */
  purpose?: string | undefined;
}

/** What `purpose` may say of a check. */
export const CHECK_PURPOSES: readonly string[] = ["emergency", ...TOUCH_PURPOSES];

export interface CheckedInput {
  number: NanpNumber;
  atMs: number;
  /** Upper-cased. */
  state: string | undefined;
  zone: string | undefined;
  kind?: CampaignKind | undefined;
  account?: string | undefined;
  channel?: Channel | undefined;
  zip?: string | undefined;
  lastTransactionMs?: number | undefined;
  numberType?: NumberType | undefined;
  voice?: VoiceFacts | undefined;
  /** Issue 92 §3: the touch confirms a revocation by text. */
  purpose?: TouchPurpose | undefined;
}

/** `at` and `lastTransactionAt`: a Date, epoch ms or text, by the one rule (core/instant-input.ts). */
const instantOf = (value: unknown, field: string) => instantInputMs(value, field, { epochMs: true });

/** Every field checked; all problems reported together, by their SDK field names. */
export function validateCheckInput(input: CheckInput, now: () => number = clockNowMs): CheckedInput {
  const collector = new ProblemCollector();
  const { problems } = collector;
  const number = collector.attempt(() => parseCheckedPhone(input.phone, "phone"));
  const atMs = collector.attempt(() => instantOf(input.at, "at") ?? now());
  if (input.state !== undefined && !isValidState(input.state))
    problems.push({ field: "state", rule: STATE_RULE });
  if (input.zone !== undefined && !isValidZone(input.zone)) problems.push({ field: "zone", rule: ZONE_RULE });
  const touch = collector.attempt(() => touchFieldsOf(input, atMs ?? now()));
  if (problems.length > 0 || !number || atMs === undefined || !touch) throw new InputError(problems);
  return { number, atMs, state: input.state?.toUpperCase(), zone: input.zone, ...touch };
}

/** Issue 79's fields of a check, each problem naming its SDK field. */
function touchFieldsOf(
  input: CheckInput,
  atMs: number,
): Omit<CheckedInput, "number" | "atMs" | "state" | "zone"> {
  const problems: Array<{ field: string; rule: string }> = [];
  const { kind, account, channel, zip, numberType } = input;
  if (kind !== undefined && !(CAMPAIGN_KINDS as readonly string[]).includes(kind))
    problems.push({ field: "kind", rule: `must be one of ${CAMPAIGN_KINDS.join(", ")}` });
  if (account !== undefined && !ACCOUNT_PATTERN.test(account))
    problems.push({ field: "account", rule: ACCOUNT_RULE });
  if (channel !== undefined && !isChannel(channel)) problems.push({ field: "channel", rule: CHANNEL_RULE });
  if (zip !== undefined && !ZIP_PATTERN.test(zip)) problems.push({ field: "zip", rule: ZIP_RULE });
  else if (
    zip !== undefined &&
    nycCountyOf(zip) &&
    input.state !== undefined &&
    input.state.toUpperCase() !== "NY"
  )
    problems.push({ field: "zip", rule: `${zip} is in New York City (NY), not in ${input.state}` });
  if (numberType !== undefined && !(NUMBER_TYPES as readonly string[]).includes(numberType))
    problems.push({ field: "numberType", rule: `must be one of ${NUMBER_TYPES.join(", ")}` });
  const voice = voiceFactsOf(input, problems);
  let lastTransactionMs: number | undefined;
  try {
    lastTransactionMs = instantOf(input.lastTransactionAt, "lastTransactionAt");
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...error.problems);
  }
  if (lastTransactionMs !== undefined && !(lastTransactionMs <= atMs))
    problems.push({ field: "lastTransactionAt", rule: "must be an instant at or before the call" });
  if (problems.length > 0) throw new InputError(problems);
  return {
    ...(kind === undefined ? {} : { kind: kind as CampaignKind }),
    ...(account === undefined ? {} : { account }),
    ...(channel === undefined ? {} : { channel: channel as Channel }),
    ...(zip === undefined ? {} : { zip }),
    ...(lastTransactionMs === undefined ? {} : { lastTransactionMs }),
    ...(numberType === undefined ? {} : { numberType: numberType as NumberType }),
    ...(voice === undefined ? {} : { voice }),
    ...(input.purpose === "revocation-confirmation" ? { purpose: "revocation-confirmation" as const } : {}),
  };
}

/** The voice fields, checked (each problem naming its SDK field); undefined: a live voice, nothing said. */
function voiceFactsOf(
  input: CheckInput,
  problems: Array<{ field: string; rule: string }>,
): VoiceFacts | undefined {
  const { purpose } = input;
  const voice = campaignVoiceOf(input, problems);
  if (purpose !== undefined && !(CHECK_PURPOSES as readonly string[]).includes(purpose))
    problems.push({
      field: "purpose",
      rule: `must be one of ${CHECK_PURPOSES.join(", ")} (other purposes are the campaign's kind)`,
    });
  for (const field of ["writtenConsent", "aiDisclosed"] as const)
    if (input[field] !== undefined && typeof input[field] !== "boolean")
      problems.push({ field, rule: "must be true or false" });
  if (voice === undefined) return undefined;
  return { ...voiceFacts(voice, input), ...(purpose === "emergency" ? { emergency: true } : {}) };
}
