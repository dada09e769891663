/**
 * The dial checker's own rule table, written from the sources (not from cxo's compliance engine,
 * whose code and tables it must not share: a checker that reads the engine's table agrees with
 * the engine's mistakes). Where the reference (`reference/dialing-rules.md`) marks a row
 * "secondary", the statute is cited as the reference gives it.
 *
 * Times are the called party's local wall-clock times, minutes after midnight. The statutes say
 * "before 8 a.m. or after 9 p.m." (after 8 p.m. for the states): a call at 21:00:00 sharp is not
 * after 9 p.m., one a second later is.
 */

export interface HoursRule {
  id: string;
  citation: string;
  /** Earliest lawful minute of the day, local. */
  startMinute: number;
  /** Latest lawful instant, in minutes after midnight, local (inclusive). */
  endMinute: number;
}

export interface CapRule {
  id: string;
  citation: string;
  /** More than this many calls in the window is a violation. */
  max: number;
  windowHours: number;
}

/** 47 CFR 64.1200(c)(1): no call before 8 a.m. or after 9 p.m. at the called party's location. */
export const FEDERAL_HOURS: HoursRule = {
  id: "tcpa-hours",
  citation: "47 CFR 64.1200(c)(1): no call before 8 a.m. or after 9 p.m., the called party's local time",
  startMinute: 8 * 60,
  endMinute: 21 * 60,
};

/**
 * States stricter than the federal hours, with their 24-hour caps (dialing-rules.md, "States
 * stricter than federal"; each presumes residency from a home-state area code, which the
 * scenario states for each number). Only the rows a collections week touches.
 */
export const STATE_RULES: Readonly<Record<string, { hours: HoursRule; cap: CapRule }>> = {
  FL: {
    hours: {
      id: "fl-hours",
      citation:
        "Fla. Stat. 501.059(8)(b): no call before 8 a.m. or after 8 p.m., the called person's local time",
      startMinute: 8 * 60,
      endMinute: 20 * 60,
    },
    cap: {
      id: "fl-3-in-24",
      citation:
        "Fla. Stat. 501.059(8)(a): no more than 3 calls to a person in 24 hours on the same subject matter",
      max: 3,
      windowHours: 24,
    },
  },
  OK: {
    hours: {
      id: "ok-hours",
      citation: "15 Okla. Stat. 775C.4 (Telephone Solicitation Act of 2022): 8 a.m. to 8 p.m. local",
      startMinute: 8 * 60,
      endMinute: 20 * 60,
    },
    cap: {
      id: "ok-3-in-24",
      citation: "15 Okla. Stat. 775C.4: no more than 3 calls in 24 hours on the same subject",
      max: 3,
      windowHours: 24,
    },
  },
  MD: {
    hours: {
      id: "md-hours",
      citation: "Md. Code, Com. Law 14-4504 (Stop the Spam Calls Act of 2023): 8 a.m. to 8 p.m. local",
      startMinute: 8 * 60,
      endMinute: 20 * 60,
    },
    cap: {
      id: "md-3-in-24",
      citation:
        "Md. Code, Com. Law 14-4504: no more than 3 calls or texts in 24 hours on the same subject (from 2024-01-01)",
      max: 3,
      windowHours: 24,
    },
  },
};

/**
 * Regulation F, 12 CFR 1006.14(b)(2)(i): a collector is presumed to harass who places a call about
 * a debt (A) more than 7 times within 7 consecutive days, or (B) within 7 consecutive days after a
 * telephone conversation about it, the conversation's date being the first of the 7 days. Days
 * are calendar days (the Official Interpretation's examples), counted in the consumer's zone.
 */
export const REG_F = {
  sevenInSeven: {
    id: "reg-f-7-in-7",
    citation: "12 CFR 1006.14(b)(2)(i)(A): more than 7 calls about a debt within 7 consecutive days",
    max: 7,
    days: 7,
  },
  afterConversation: {
    id: "reg-f-after-conversation",
    citation:
      "12 CFR 1006.14(b)(2)(i)(B): a call about a debt within 7 consecutive days after a telephone conversation about it (its date the first day)",
    days: 7,
  },
} as const;

/** A revoked consent, or a Do Not Call request, is honoured: no call after it within its scope. */
export const REVOCATION = {
  id: "call-after-revocation",
  citation:
    "47 CFR 64.1200(a)(10) (revocation of consent by any reasonable means) and (d)(3) (do-not-call requests); 12 CFR 1006.14(h) (a consumer's request to stop calling about the debt)",
} as const;

/** Not law: the skill's own weekly schedule and hours, as the push counted them (issue 89 §3). */
export const SKILL_SCHEDULE = {
  id: "outside-skill-schedule",
  citation:
    "the skill's weekly schedule and time-zone hours as pushed (issue 89 §3: a change acted on within 10 minutes)",
} as const;
