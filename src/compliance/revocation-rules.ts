import { BoundedCache } from "../core/bounded-cache.ts";
import { localDayOf, localDayStart } from "../core/local-day.ts";
import { holidayOn } from "./holidays.ts";
import type { Confidence } from "./rule-table.ts";

/**
 * How long a caller has to honour a revocation of consent or an internal do-not-call request,
 * by jurisdiction, as dated rows with their citations (issue 62 §1). cxo honours a revocation
 * the moment it is recorded; these deadlines are what `cxo consent report` judges lateness
 * against (a revocation recorded, or put in the CXone group, after its deadline is late).
 */
export interface RevocationRule {
  id: string;
  /** "US" or "CA": the country of the called number. */
  jurisdiction: "US" | "CA";
  effectiveFrom: string;
  effectiveTo?: string;
  /** Business days (Monday–Friday, US federal holidays excluded) or calendar days. */
  deadline: { businessDays: number } | { days: number } | null;
  citation: string;
  confidence: Confidence;
  note?: string;
}

export const REVOCATION_RULES: readonly RevocationRule[] = [
  {
    id: "us-internal-dnc-30-days",
    jurisdiction: "US",
    effectiveFrom: "1992-12-20",
    effectiveTo: "2025-04-10",
    deadline: { days: 30 },
    citation:
      "47 CFR 64.1200(d)(3): a do-not-call request honoured within a reasonable time, not over 30 days",
    confidence: "verified",
  },
  {
    id: "us-revocation-10-business-days",
    jurisdiction: "US",
    effectiveFrom: "2025-04-11",
    deadline: { businessDays: 10 },
    citation:
      "47 CFR 64.1200(a)(10)-(11) (FCC 24-24, 2024): consent revoked by any reasonable means, honoured within 10 business days",
    confidence: "verified",
  },
  {
    id: "us-revoke-all-purposes",
    jurisdiction: "US",
    effectiveFrom: "2027-01-31",
    deadline: null,
    citation:
      "47 CFR 64.1200(a)(10): a revocation in reply to one kind of call applies to all the caller's robocalls and robotexts on unrelated matters; effective date waived to 2027-01-31 by FCC CGB Order DA 26-12 (2026-01-06)",
    confidence: "secondary",
    note: "the date has been postponed twice (2025-04-11, 2026-04-11) and the FCC's 2025 FNPRM asks whether to change the rule: use scope `all` for such revocations from then, and check the date before relying on it",
  },
  {
    id: "ca-internal-dnc-14-days",
    jurisdiction: "CA",
    effectiveFrom: "2014-03-31",
    deadline: { days: 14 },
    citation:
      "CRTC Unsolicited Telecommunications Rules, Part III (Telemarketing Rules): an internal do-not-call request processed within 14 days (Compliance and Enforcement Regulatory Policy CRTC 2014-155)",
    confidence: "secondary",
  },
];

/** The deadline rule in force for a revocation received on `date` (yyyy-MM-dd) in `jurisdiction`. */
export function revocationRuleOn(jurisdiction: "US" | "CA", date: string): RevocationRule | undefined {
  return REVOCATION_RULES.find(
    (r) =>
      r.jurisdiction === jurisdiction &&
      r.deadline !== null &&
      r.effectiveFrom <= date &&
      (r.effectiveTo === undefined || date <= r.effectiveTo),
  );
}

/**
 * The instant a revocation received at `receivedMs` must be honoured by: the end of the last
 * day of its period in `zone` (the called party's zone). Business days skip Saturdays, Sundays
 * and US federal holidays; the day it was received is not counted.
 *
 * The deadline depends only on the day received (in `zone`), so it is worked out once per rule,
 * zone and day: `consent report` asks it for every ledger entry on every run (the board's
 * findings every 15 minutes: thousands of agents' Do Not Call entries), and the business-day
 * walk is a dozen zone conversions each.
 */
export function revocationDeadline(rule: RevocationRule, receivedMs: number, zone: string): number {
  if (rule.deadline === null) return Number.POSITIVE_INFINITY;
  const deadline = rule.deadline;
  return deadlines.memo(
    `${rule.id}\u0000${JSON.stringify(deadline)}\u0000${zone}`,
    dayKey(receivedMs, zone),
    () => deadlineAfter(deadline, receivedMs, zone),
  );
}

function deadlineAfter(
  deadline: NonNullable<RevocationRule["deadline"]>,
  receivedMs: number,
  zone: string,
): number {
  let day = localDayStart(receivedMs, zone);
  if ("days" in deadline) day = day.plus({ days: deadline.days });
  else {
    let left = deadline.businessDays;
    while (left > 0) {
      day = day.plus({ days: 1 });
      const weekend = day.weekday >= 6;
      if (!weekend && holidayOn("US_FEDERAL", day.year, day.month, day.day) === undefined) left -= 1;
    }
  }
  return day.endOf("day").toMillis();
}

/** Deadlines by rule and zone, then by the local day received: a few years of days, a few zones. */
const deadlines = new BoundedCache<string, string, number>(20_000);

/** The memo's key: the local day received (core/local-day.ts); a zone no one knows keys by the instant. */
function dayKey(ms: number, zone: string): string {
  try {
    return localDayOf(ms, zone);
  } catch {
    return `@${ms}`;
  }
}
