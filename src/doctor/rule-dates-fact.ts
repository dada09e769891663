import { type EffectiveDates, unconfirmedDates } from "../compliance/effective-dates.ts";
import type { DoctorFact } from "../platform/ports/doctor.ts";

/** How many days before a rule's date doctor asks counsel to confirm it. */
export const CONFIRM_WITHIN_DAYS = 30;

/**
 * The rule book's side of doctor: a rule taking effect within 30 days on the date cxo ships
 * with, which `rules.effectiveDates` does not name, is a warning (the regulator has moved such
 * dates before: revoke-all twice). Confirming it — the same date, or the new one — in the config
 * ends the warning. Never fails the run: the date is the law's, not the tenant's.
 */
export function ruleDatesFact(dates: EffectiveDates | undefined, nowMs: number): DoctorFact {
  const today = new Date(nowMs).toISOString().slice(0, 10);
  const due = unconfirmedDates(dates, today, CONFIRM_WITHIN_DAYS);
  return {
    id: "rules.effectiveDates",
    title: `every rule taking effect within ${CONFIRM_WITHIN_DAYS} days has its date confirmed in the config`,
    probe: "read",
    assumed: { confirmed: Object.keys(dates ?? {}).sort() },
    observed: { today, unconfirmed: due },
    evidence: [],
    setting: null,
    matches: true,
    ...(due.length > 0
      ? {
          warning: due
            .map(
              (d) =>
                `${d.ruleId} takes effect ${d.effectiveFrom} (in ${d.daysLeft} days) on the date cxo ships with; confirm it, or the date now in force, as rules.effectiveDates.${d.ruleId} in cxo.config.yaml (${d.citation})`,
            )
            .join("; "),
        }
      : {}),
  };
}
