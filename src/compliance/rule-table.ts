import type { HolidayCalendarId } from "./holidays.ts";
import { CANADA_ROWS } from "./rows/canada.ts";
import { FEDERAL_ROWS } from "./rows/federal.ts";
import { STATE_ROWS } from "./rows/states.ts";
import { TOUCH_ROWS } from "./rows/touches.ts";
import { UK_ROWS } from "./rows/uk.ts";
import type { CampaignKind, Channel, CountedPer, Counts, NumberType } from "./touches.ts";

/**
 * THE RULE TABLE: every calling rule the engine applies, as dated rows (see
 * docs/compliance.md and the law summary it comes from). The evaluator has no per-state code:
 * it selects the rows of the call's jurisdictions in effect on the called party's local date
 * and applies each by its `kind`. To change the law, change a row (or end it with
 * `effectiveTo` and add its successor); the tests pin the behaviour.
 *
 * Jurisdictions: "US" (federal), "US-XX" (state XX), "CA" (Canada), "GB" (the United Kingdom).
 * Calling windows: "HH:mm-HH:mm" local, start inclusive, end exclusive; `null` = no calls that
 * day. Dates: local calendar dates (yyyy-MM-dd), `effectiveTo` exclusive.
 * Confidence: "verified" (statute read), "statute-seen" (statute seen, values secondary),
 * "secondary" (from secondary sources: needs a statute check before relying on it).
 *
 * A row governs some channels (`channels`, default the voice channels: call, callback,
 * voicemail) and some campaign kinds (`kinds`, default both). A call whose kind is not declared is
 * judged by the rows of every kind (an exemption is never guessed), except a `registration` row,
 * which asks who is selling and applies to a declared `sales` campaign. A cap names what it counts
 * (`counts`) and per what (`per`); "NYC" is New York City, placed by the consumer's ZIP code only.
 */

export type Confidence = "verified" | "statute-seen" | "secondary";

interface RowBase {
  id: string;
  jurisdiction: string;
  effectiveFrom: string;
  effectiveTo?: string;
  citation: string;
  confidence: Confidence;
  note?: string;
  /** The channels the row governs (default VOICE: call, callback, voicemail). */
  channels?: readonly Channel[];
  /** The campaign kinds it governs (default both). */
  kinds?: readonly CampaignKind[];
  /**
   * Governs only a call whose kind is declared and among `kinds` (a registration asks who is
   * selling; Regulation F's count is per debt, which a declared collections call names).
   */
  declaredKindOnly?: boolean;
}

export interface CallingHoursRow extends RowBase {
  kind: "calling_hours";
  window: { monFri: string | null; sat: string | null; sun: string | null };
}

export interface HolidayBanRow extends RowBase {
  kind: "holiday_ban";
  calendar: HolidayCalendarId;
}

export interface FrequencyCapRow extends RowBase {
  kind: "frequency_cap";
  /** At most `max` attempts in any rolling `windowHours` (this one included). */
  max: number;
  windowHours: number;
  /** Which touches count (and so which channels the cap governs: `channels` is COUNTED[counts]). */
  counts: Counts;
  /**
   * Per what: `number` counts touches to the number from every campaign (we cannot tell the
   * "subject"), `number_per_seller` those of one seller, `account` those about the debt.
   */
  per: CountedPer;
  /** Massachusetts: the consumer's own numbers and others have different caps (default: any). */
  numberTypes?: readonly NumberType[];
  /** Oregon: no cap with an established business relationship (a transaction within this many months). */
  exemptAfterTransactionMonths?: number;
  /** The reason code a refusal carries (default `frequency_cap`): Regulation F's own. */
  code?: "reg_f_7_in_7";
}

/** A seller must hold the state's registration (`compliance.registrations`) before soliciting there. */
export interface RegistrationRow extends RowBase {
  kind: "registration";
  state: string;
  /**
   * A text sent with the recipient's prior consent needs no registration: the exemption relied
   * on (its citation), recorded in the verdict's `exemptions` (Texas, from the 2025 settlement).
   */
  consentedTextsExempt?: string;
}

/**
 * What a telemarketing call must say, not whether it may be placed (New York: the offer to join
 * the company's do-not-call list at the beginning of each call). Never refuses: the verdict and
 * the evidence carry it (`scripts`) as a requirement of the call's script.
 */
export interface ScriptRequirementRow extends RowBase {
  kind: "script_requirement";
  requirement: string;
}

/** A STOP reply to a text solicitation bars further texts for `years` (Virginia). */
export interface TextStopRow extends RowBase {
  kind: "text_stop";
  years: number;
}

export interface ConsentRow extends RowBase {
  kind: "consent";
}

export interface InternalDncRow extends RowBase {
  kind: "internal_dnc";
}

/**
 * Issue 92 §2: a call made with an artificial or prerecorded voice (`voices`) needs the called
 * party's prior express consent, written for telemarketing (`writtenFor`); an emergency purpose
 * is exempt.
 */
export interface ArtificialVoiceRow extends RowBase {
  kind: "artificial_voice";
  voices: readonly CallVoice[];
  /** The kinds for which the consent must be written (telemarketing: sales). */
  writtenFor: readonly CampaignKind[];
}

/** California: an automatic dialing-announcing call introduced by a live person; an AI voice said to be one. */
export interface VoiceAnnouncementRow extends RowBase {
  kind: "voice_announcement";
  requires: "live_introduction" | "ai_disclosure";
  voices: readonly CallVoice[];
}

/**
 * Issue 92 §3: after a revocation by text, one text confirming it, sent within `withinMinutes` of
 * the request, is allowed (no marketing in it); any other text or call after the revocation is
 * not. Governs only a touch marked as such a confirmation (`purpose: revocation-confirmation`),
 * whatever its channel: a call or a second text so marked is refused by it.
 */
export interface RevocationConfirmationRow extends RowBase {
  kind: "revocation_confirmation";
  withinMinutes: number;
}

/** The voice a call uses: a person, a recording, or an artificial (AI-generated) one. */
export type CallVoice = "live" | "prerecorded" | "ai";
export const CALL_VOICES: readonly CallVoice[] = ["live", "prerecorded", "ai"];

export type RuleRow =
  | CallingHoursRow
  | HolidayBanRow
  | FrequencyCapRow
  | ConsentRow
  | InternalDncRow
  | RegistrationRow
  | TextStopRow
  | ArtificialVoiceRow
  | VoiceAnnouncementRow
  | RevocationConfirmationRow
  | ScriptRequirementRow;

/** In this order (a verdict lists its reasons in the table's order): rows/ holds each part. */
export const RULE_TABLE: readonly RuleRow[] = [
  ...FEDERAL_ROWS,
  ...STATE_ROWS,
  ...TOUCH_ROWS,
  ...CANADA_ROWS,
  ...UK_ROWS,
];
