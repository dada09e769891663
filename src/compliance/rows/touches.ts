import type { RuleRow } from "../rule-table.ts";
import { VOICE_AND_TEXT } from "../touches.ts";
import { EVERY_DAY } from "./every-day.ts";

/** Touches, not calls (docs/compliance.md, "Touches"): caps by channel, per seller and per account; registrations; text STOPs. */
export const TOUCH_ROWS: readonly RuleRow[] = [
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
    effectiveTo: "2025-11-06",
  },
  {
    id: "tx-registration-2025-11",
    jurisdiction: "US-TX",
    kind: "registration",
    state: "TX",
    effectiveFrom: "2025-11-06",
    citation:
      "Tex. Bus. & Com. Code 302.101 (a seller's registration certificate from the Secretary of State, or an exemption), extended to texts by SB 140 (2025) and narrowed for texts sent with consent",
    confidence: "secondary",
    note: "compliance.registrations.TX; a text sent with the recipient's prior consent is exempt (the verdict's exemptions name it); calls and texts without consent still need the registration",
    channels: VOICE_AND_TEXT,
    kinds: ["sales"],
    declaredKindOnly: true,
    consentedTextsExempt:
      "Ecommerce Innovation Alliance, Flux Footwear and Postscript v. Texas (W.D. Tex.), stipulation of settlement 2025-11-06, and the Texas Secretary of State's guidance after it: marketing texts sent only to recipients who gave prior consent need no Chapter 302 registration or bond",
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
];
