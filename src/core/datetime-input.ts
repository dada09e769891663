import { DateTime } from "luxon";

/**
 * What is wrong with a date-time a user typed, in the order a person would want to hear it:
 * not a date-time at all ("x"), a date that does not exist (February 30th), or a real date-time
 * without a zone (ambiguous). One place, so `--at`, `--from`, `--to` … all say the same thing.
 */
const ISO_SHAPE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export type DateTimeProblem = "malformed" | "impossible" | "naive";

export function dateTimeProblem(text: string, options: { zoneGiven?: boolean } = {}): DateTimeProblem | null {
  const match = ISO_SHAPE.exec(text.trim());
  if (!match) return "malformed";
  // A named locale: validity does not depend on it, and luxon would otherwise ask Intl for the
  // system's, the most expensive thing `cxo compliance check` did (see compliance/zone-clock.ts).
  if (!DateTime.fromISO(text.trim(), { setZone: true, locale: "en-US" }).isValid) return "impossible";
  if (!match[7] && !options.zoneGiven) return "naive";
  return null;
}

export function describeDateTimeProblem(problem: DateTimeProblem, text: string, naiveHint: string): string {
  if (problem === "malformed")
    return `"${text}" is not an ISO 8601 date-time (e.g. 2026-03-08T14:30:00-05:00)`;
  if (problem === "impossible")
    return `"${text}" is not a real date or time (check the day of the month and the hour)`;
  return naiveHint;
}
