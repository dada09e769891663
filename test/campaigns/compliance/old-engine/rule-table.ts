// A frozen copy of src/campaigns/compliance/rule-table.ts as it was before the engine was split by rule
// family: the property test (engine-equivalence.test.ts) compares its verdicts with the new engine's.
// Never edit it to follow the new code: it is the reference.
import type { HolidayCalendarId } from "../../../../src/campaigns/compliance/holidays.ts";
import {
  type CampaignKind,
  type Channel,
  type CountedPer,
  type Counts,
  type NumberType,
  VOICE_AND_TEXT,
} from "../../../../src/campaigns/compliance/touches.ts";

/**
 * THE RULE TABLE: every calling rule the engine applies, as dated rows (see
 * docs/compliance.md and the law summary it comes from). The evaluator has no per-state code:
 * it selects the rows of the call's jurisdictions in effect on the called party's local date
 * and applies each by its `kind`. To change the law, change a row (or end it with
 * `effectiveTo` and add its successor); the tests pin the behaviour.
 *
 * Jurisdictions: "US" (federal), "US-XX" (state XX), "CA" (Canada).
 * Calling windows: "HH:mm-HH:mm" local, start inclusive, end exclusive; `null` = no calls that
 * day. Dates: local calendar dates (yyyy-MM-dd), `effectiveTo` exclusive.
 * Confidence: "verified" (statute read), "statute-seen" (statute seen, values secondary),
 * "secondary" (from secondary sources: needs a statute check before relying on it).
 *
 * Issue 79: a row governs some channels (`channels`, default the voice channels: call, callback,
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
  | RevocationConfirmationRow;

const EVERY_DAY = (hours: string) => ({ monFri: hours, sat: hours, sun: hours });

export const RULE_TABLE: readonly RuleRow[] = [
  // ── United States, federal ───────────────────────────────────────────────────────────
  {
    id: "us-tcpa-hours",
    jurisdiction: "US",
    kind: "calling_hours",
    window: EVERY_DAY("08:00-21:00"),
    effectiveFrom: "1992-12-20",
    citation: "47 CFR 64.1200(c)(1); 16 CFR 310.4(c)",
    confidence: "verified",
    note: "the called party's local time; a text is a call under the TCPA (quiet hours for texts too)",
    channels: VOICE_AND_TEXT,
  },
  {
    id: "us-consent",
    jurisdiction: "US",
    kind: "consent",
    effectiveFrom: "1992-12-20",
    citation:
      "47 CFR 64.1200(a)(1)-(2): prior express (written, for telemarketing) consent for autodialed calls",
    confidence: "verified",
    channels: VOICE_AND_TEXT,
  },
  {
    id: "us-prerecorded-voice",
    jurisdiction: "US",
    kind: "artificial_voice",
    voices: ["prerecorded"],
    writtenFor: ["sales"],
    effectiveFrom: "1992-12-20",
    citation:
      "47 U.S.C. 227(b)(1)(A)(iii), (B); 47 CFR 64.1200(a)(1)(iii), (a)(2)-(3): a call using an artificial or prerecorded voice needs the called party's prior express consent (written, for telemarketing; since 2013-10-16); emergency purposes exempt",
    confidence: "verified",
  },
  {
    id: "us-ai-voice-artificial",
    jurisdiction: "US",
    kind: "artificial_voice",
    voices: ["ai"],
    writtenFor: ["sales"],
    effectiveFrom: "2024-02-08",
    citation:
      'FCC 24-17 (Declaratory Ruling, released 2024-02-08): AI-generated voices are "artificial" under 47 U.S.C. 227(b)(1); the same consent as a prerecorded voice',
    confidence: "verified",
  },
  {
    id: "ca-adad-live-introduction",
    jurisdiction: "US-CA",
    kind: "voice_announcement",
    requires: "live_introduction",
    voices: ["prerecorded", "ai"],
    effectiveFrom: "1991-01-01",
    citation:
      "Cal. Pub. Util. Code 2874(a)(1): an automatic dialing-announcing device's call is introduced by a live person, who states the caller and asks whether the called party consents to hear the message",
    confidence: "statute-seen",
    note: "the effective date is the statute's long-standing form (secondary); cxo takes a spec's `announcement: live`",
  },
  {
    id: "ca-ai-disclosure-2025",
    jurisdiction: "US-CA",
    kind: "voice_announcement",
    requires: "ai_disclosure",
    voices: ["ai"],
    effectiveFrom: "2025-01-01",
    citation:
      "Cal. Pub. Util. Code 2874, as amended by AB 2905 (Stats. 2024): the live introduction also says when the prerecorded message uses an artificial voice",
    confidence: "secondary",
  },
  {
    id: "us-revocation-confirmation-text",
    jurisdiction: "US",
    kind: "revocation_confirmation",
    withinMinutes: 5,
    effectiveFrom: "2025-04-11",
    citation:
      "47 CFR 64.1200(a)(10), (a)(12) (FCC 24-24): consent revoked by any reasonable means; a one-time text confirming a revocation request, with no marketing, sent within five minutes of its receipt, does not violate the rule",
    confidence: "secondary",
    note: "secondary sources date the confirmation paragraph, (a)(12), from April 2024 (and the FCC's 2012 SoundBite ruling allowed such a text before); cxo applies it from 2025-04-11, when the revocation rules took effect: the stricter reading, a text before then is refused like any text after a revocation",
    channels: ["sms"],
  },
  {
    id: "us-internal-dnc",
    jurisdiction: "US",
    kind: "internal_dnc",
    effectiveFrom: "1992-12-20",
    citation: "47 CFR 64.1200(d): company-specific do-not-call list",
    confidence: "verified",
    channels: VOICE_AND_TEXT,
  },
  // ── States stricter than federal ─────────────────────────────────────────────────────
  {
    id: "fl-hours",
    jurisdiction: "US-FL",
    kind: "calling_hours",
    window: EVERY_DAY("08:00-20:00"),
    effectiveFrom: "2021-07-01",
    citation: "Fla. Stat. 501.059(8)(b) (SB 1120, 2021)",
    confidence: "secondary",
    note: "a telephonic sales call includes a text message (501.059(1)(j))",
    channels: VOICE_AND_TEXT,
  },
  {
    id: "fl-cap",
    jurisdiction: "US-FL",
    kind: "frequency_cap",
    max: 3,
    windowHours: 24,
    counts: "calls_and_texts",
    per: "account",
    effectiveFrom: "2021-07-01",
    citation: "Fla. Stat. 501.059(8)(a): at most 3 calls per 24 h on the same subject",
    confidence: "secondary",
  },
  {
    id: "fl-consent",
    jurisdiction: "US-FL",
    kind: "consent",
    effectiveFrom: "2021-07-01",
    citation: "Fla. Stat. 501.059(8)(a): prior express written consent for automated dialing",
    confidence: "secondary",
  },
  {
    id: "ok-hours",
    jurisdiction: "US-OK",
    kind: "calling_hours",
    window: EVERY_DAY("08:00-20:00"),
    effectiveFrom: "2022-11-01",
    citation: "15 Okla. Stat. 775C.4 (Telephone Solicitation Act of 2022)",
    confidence: "secondary",
  },
  {
    id: "ok-cap",
    jurisdiction: "US-OK",
    kind: "frequency_cap",
    max: 3,
    windowHours: 24,
    counts: "calls",
    per: "account",
    effectiveFrom: "2022-11-01",
    citation: "15 Okla. Stat. 775C.4: at most 3 calls per 24 h on the same subject",
    confidence: "secondary",
  },
  {
    id: "md-hours",
    jurisdiction: "US-MD",
    kind: "calling_hours",
    window: EVERY_DAY("08:00-20:00"),
    effectiveFrom: "2024-01-01",
    citation: "Md. Com. Law 14-4504 (Stop the Spam Calls Act of 2023)",
    confidence: "secondary",
    channels: VOICE_AND_TEXT,
  },
  {
    id: "md-cap",
    jurisdiction: "US-MD",
    kind: "frequency_cap",
    max: 3,
    windowHours: 24,
    counts: "calls_and_texts",
    per: "account",
    effectiveFrom: "2024-01-01",
    citation: "Md. Com. Law 14-4504: at most 3 calls or texts per 24 h on the same subject",
    confidence: "secondary",
  },
  {
    id: "wa-hours",
    jurisdiction: "US-WA",
    kind: "calling_hours",
    window: EVERY_DAY("08:00-20:00"),
    effectiveFrom: "1989-07-23",
    citation: "RCW 19.158.040",
    confidence: "verified",
  },
  {
    id: "ut-hours",
    jurisdiction: "US-UT",
    kind: "calling_hours",
    window: { monFri: "08:00-21:00", sat: "08:00-21:00", sun: null },
    effectiveFrom: "1990-04-23",
    citation: "Utah Code 13-25a-103",
    confidence: "verified",
  },
  {
    id: "ut-holidays",
    jurisdiction: "US-UT",
    kind: "holiday_ban",
    calendar: "UT_LEGAL",
    effectiveFrom: "1990-04-23",
    citation: "Utah Code 13-25a-103 (legal holidays: Utah Code 63G-1-301)",
    confidence: "verified",
  },
  {
    id: "ri-hours",
    jurisdiction: "US-RI",
    kind: "calling_hours",
    window: { monFri: "09:00-18:00", sat: "10:00-17:00", sun: null },
    effectiveFrom: "2003-01-01",
    citation: "R.I. Gen. Laws 5-61-3.6",
    confidence: "statute-seen",
  },
  {
    id: "ri-holidays",
    jurisdiction: "US-RI",
    kind: "holiday_ban",
    calendar: "RI_LEGAL",
    effectiveFrom: "2003-01-01",
    citation: "R.I. Gen. Laws 5-61-3.6 (state legal holidays: R.I. Gen. Laws 25-1-1)",
    confidence: "secondary",
  },
  {
    id: "tx-hours",
    jurisdiction: "US-TX",
    kind: "calling_hours",
    window: { monFri: "09:00-21:00", sat: "09:00-21:00", sun: "12:00-21:00" },
    effectiveFrom: "2009-09-01",
    citation: "Tex. Bus. & Com. Code 301.051",
    confidence: "secondary",
  },
  {
    id: "al-hours",
    jurisdiction: "US-AL",
    kind: "calling_hours",
    window: { monFri: "08:00-20:00", sat: "08:00-20:00", sun: null },
    effectiveFrom: "2008-01-01",
    citation: "Alabama Telemarketing Act, Ala. Code tit. 8 ch. 19A (section to check)",
    confidence: "secondary",
  },
  {
    id: "al-holidays",
    jurisdiction: "US-AL",
    kind: "holiday_ban",
    calendar: "AL_STATE",
    effectiveFrom: "2008-01-01",
    citation: "Alabama Telemarketing Act (state holidays: Ala. Code 1-3-8)",
    confidence: "secondary",
  },
  {
    id: "la-hours",
    jurisdiction: "US-LA",
    kind: "calling_hours",
    window: { monFri: "08:00-20:00", sat: "08:00-20:00", sun: null },
    effectiveFrom: "2008-01-01",
    citation: "La. R.S. 45:844 (section to check)",
    confidence: "secondary",
    note: "also banned during declared emergencies: not modelled, check before dialling Louisiana",
  },
  {
    id: "la-holidays",
    jurisdiction: "US-LA",
    kind: "holiday_ban",
    calendar: "LA_STATE",
    effectiveFrom: "2008-01-01",
    citation: "La. R.S. 45:844 (state holidays: La. R.S. 1:55)",
    confidence: "secondary",
  },
  {
    id: "ms-hours",
    jurisdiction: "US-MS",
    kind: "calling_hours",
    window: { monFri: "08:00-20:00", sat: "08:00-20:00", sun: null },
    effectiveFrom: "2003-07-01",
    citation: "Miss. Code 77-3-725",
    confidence: "secondary",
  },
  {
    id: "ms-holidays",
    jurisdiction: "US-MS",
    kind: "holiday_ban",
    calendar: "MS_LISTED",
    effectiveFrom: "2003-07-01",
    citation: "Miss. Code 77-3-725",
    confidence: "secondary",
  },
  {
    id: "ct-hours",
    jurisdiction: "US-CT",
    kind: "calling_hours",
    window: EVERY_DAY("09:00-20:00"),
    effectiveFrom: "2023-10-01",
    citation: "Conn. Gen. Stat. 42-288a (Public Act 23-98)",
    confidence: "secondary",
  },
  {
    id: "ct-consent",
    jurisdiction: "US-CT",
    kind: "consent",
    effectiveFrom: "2023-10-01",
    citation: "Conn. Gen. Stat. 42-288a (Public Act 23-98): consent for most telemarketing",
    confidence: "secondary",
  },
  {
    id: "ky-hours",
    jurisdiction: "US-KY",
    kind: "calling_hours",
    window: EVERY_DAY("10:00-21:00"),
    effectiveFrom: "2003-01-01",
    citation: "KRS 367.46955 (section to check)",
    confidence: "secondary",
  },
  {
    id: "ma-hours",
    jurisdiction: "US-MA",
    kind: "calling_hours",
    window: EVERY_DAY("08:00-20:00"),
    effectiveFrom: "2003-01-01",
    citation: "M.G.L. c. 159C (section to check)",
    confidence: "secondary",
  },
  ...["MI", "MN", "NM"].map(
    (state): CallingHoursRow => ({
      id: `${state.toLowerCase()}-hours`,
      jurisdiction: `US-${state}`,
      kind: "calling_hours",
      window: EVERY_DAY("09:00-21:00"),
      effectiveFrom: "2003-01-01",
      citation: `${state} telephone solicitation statute (to check)`,
      confidence: "secondary",
    }),
  ),
  {
    id: "nv-hours",
    jurisdiction: "US-NV",
    kind: "calling_hours",
    window: EVERY_DAY("09:00-20:00"),
    effectiveFrom: "2003-01-01",
    citation: "NRS ch. 228 / 599B (section to check)",
    confidence: "secondary",
  },
  // ── Issue 79: touches, not calls (docs/compliance.md, "Touches") ──────────────────────
  {
    id: "us-reg-f-7-in-7",
    jurisdiction: "US",
    kind: "frequency_cap",
    // More than 7 calls in 7 consecutive days about one debt is presumed harassment; the days are
    // counted as any 8 × 24 h, stricter by up to a day (reg-f.ts). State limits stack on it.
    max: 7,
    windowHours: 8 * 24,
    counts: "calls",
    per: "account",
    code: "reg_f_7_in_7",
    effectiveFrom: "2021-11-30",
    citation:
      "12 CFR 1006.14(b)(2)(i)(A) (Regulation F): more than 7 telephone calls within 7 consecutive days about a debt; an abandoned call is a placed call; stricter state limits are not preempted (1006.104)",
    confidence: "verified",
    kinds: ["collections"],
    declaredKindOnly: true,
  },
  {
    id: "or-hours-2026",
    jurisdiction: "US-OR",
    kind: "calling_hours",
    window: EVERY_DAY("08:00-20:00"),
    effectiveFrom: "2026-01-01",
    citation:
      "Or. HB 3865 (2025), amending ORS 646A.370-646A.374: a text (and RCS) message is a telephone solicitation; solicitations only 8 a.m.-8 p.m. local time",
    confidence: "secondary",
    note: "a caller may rely on the area code (503, 541, 458, 971); FDCPA collectors and debt buyers are exempt (kind collections)",
    channels: VOICE_AND_TEXT,
    kinds: ["sales"],
  },
  {
    id: "or-cap-2026",
    jurisdiction: "US-OR",
    kind: "frequency_cap",
    max: 3,
    windowHours: 24,
    counts: "calls_and_texts",
    per: "number_per_seller",
    exemptAfterTransactionMonths: 18,
    effectiveFrom: "2026-01-01",
    citation:
      "Or. HB 3865 (2025): at most 3 telephone solicitations (calls or texts) from one source to one number in 24 hours, unless there is an established business relationship (a transaction within 18 months)",
    confidence: "secondary",
    kinds: ["sales"],
  },
  {
    id: "nyc-collections-7d-2026",
    jurisdiction: "US-NYC",
    kind: "frequency_cap",
    max: 3,
    // "Any seven days" of the consumer's calendar, counted as any 8 × 24 h (as Regulation F in
    // reg-f.ts): stricter by up to a day, so right in every zone and across a DST change.
    windowHours: 8 * 24,
    counts: "every_channel",
    per: "account",
    effectiveFrom: "2026-09-01",
    citation:
      "NYC DCWP debt-collection rules, 6 RCNY 5-77 (as amended, in force 2026-09-01): at most 3 contacts or attempted contacts with a consumer in any 7 days, across calls, texts and emails, per account",
    confidence: "secondary",
    note: "New York City is placed by the consumer's address (the five counties' ZIP codes), never by an area code",
    kinds: ["collections"],
  },
  {
    id: "nyc-electronic-consent-2026",
    jurisdiction: "US-NYC",
    kind: "consent",
    effectiveFrom: "2026-09-01",
    citation:
      "NYC DCWP debt-collection rules, 6 RCNY 5-77 (as amended, in force 2026-09-01): email and text only with the consumer's revocable written consent, with a one-word opt-out",
    confidence: "secondary",
    channels: ["sms", "email"],
    kinds: ["collections"],
  },
  {
    id: "ma-collections-7d",
    jurisdiction: "US-MA",
    kind: "frequency_cap",
    max: 2,
    windowHours: 8 * 24,
    counts: "calls_and_texts",
    per: "account",
    numberTypes: ["personal"],
    effectiveFrom: "2012-03-01",
    citation:
      "940 CMR 7.04(1)(f) (creditors, 2012 amendment); 209 CMR 18.16(1)(d) (debt collectors): at most 2 calls or texts the collector initiates in each 7-day period to the consumer's residence or mobile number, for each debt",
    confidence: "statute-seen",
    note: "an unanswered call counts (Armata v. Target, Mass. SJC 2019); the 2012 effective date is secondary",
    kinds: ["collections"],
  },
  {
    id: "ma-collections-30d",
    jurisdiction: "US-MA",
    kind: "frequency_cap",
    max: 2,
    windowHours: 31 * 24,
    counts: "calls_and_texts",
    per: "account",
    numberTypes: ["other"],
    effectiveFrom: "2012-03-01",
    citation:
      "940 CMR 7.04(1)(f); 209 CMR 18.16(1)(d): at most 2 such communications in each 30-day period to a number other than the consumer's residence or mobile, for each debt",
    confidence: "statute-seen",
    kinds: ["collections"],
  },
  {
    id: "tx-text-hours-2025",
    jurisdiction: "US-TX",
    kind: "calling_hours",
    window: { monFri: "09:00-21:00", sat: "09:00-21:00", sun: "12:00-21:00" },
    effectiveFrom: "2025-09-01",
    citation:
      "Tex. Bus. & Com. Code 301.051, as extended by SB 140 (2025): texts and images are telephone solicitations, 9 a.m.-9 p.m. Monday-Saturday, noon-9 p.m. Sunday",
    confidence: "secondary",
    channels: ["sms"],
    kinds: ["sales"],
  },
  {
    id: "tx-registration-2025",
    jurisdiction: "US-TX",
    kind: "registration",
    state: "TX",
    effectiveFrom: "2025-09-01",
    citation:
      "Tex. Bus. & Com. Code 302.101 (a seller's registration certificate from the Secretary of State, or an exemption), extended to texts by SB 140 (2025)",
    confidence: "secondary",
    note: "compliance.registrations.TX; chapter 302's exemptions are the seller's to claim (a registration entry with the exemption's reference)",
    channels: VOICE_AND_TEXT,
    kinds: ["sales"],
    declaredKindOnly: true,
  },
  {
    id: "va-text-stop-2026",
    jurisdiction: "US-VA",
    kind: "text_stop",
    years: 10,
    effectiveFrom: "2026-01-01",
    citation:
      "Va. Code 59.1-514 (Virginia Telephone Privacy Protection Act), as amended by SB 1339 (2025): a STOP reply to a text solicitation bars further text solicitations for at least 10 years",
    confidence: "secondary",
    channels: ["sms"],
    kinds: ["sales"],
  },
  // ── Canada ───────────────────────────────────────────────────────────────────────────
  {
    id: "ca-crtc-hours",
    jurisdiction: "CA",
    kind: "calling_hours",
    window: { monFri: "09:00-21:30", sat: "10:00-18:00", sun: "10:00-18:00" },
    effectiveFrom: "2008-09-30",
    citation: "CRTC Unsolicited Telecommunications Rules, Part III (Telemarketing Rules)",
    confidence: "secondary",
  },
  {
    id: "ca-consent",
    jurisdiction: "CA",
    kind: "consent",
    effectiveFrom: "2008-09-30",
    citation: "CRTC Unsolicited Telecommunications Rules, Part IV (ADAD rules): express consent",
    confidence: "secondary",
  },
  {
    id: "ca-internal-dnc",
    jurisdiction: "CA",
    kind: "internal_dnc",
    effectiveFrom: "2008-09-30",
    citation: "CRTC Unsolicited Telecommunications Rules, Part II (internal do-not-call list)",
    confidence: "secondary",
  },
];
