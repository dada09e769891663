import type { WeeklySchedule } from "../ports/diagnosis.ts";
import type { Weekday } from "../types.ts";
import { WEEKDAYS } from "../weekdays.ts";

/**
 * A campaign's closed days on a tenant that refuses an inactive day in a skill's weekly schedule
 * (outboundani/cxone-mcp `src/tools.js`, verified live: "any inactive day is rejected as
 * InvalidParameter, however encoded"). The schedule is then written with every day active, and
 * the days the spec closes are kept in the skill's notes (`cxo-closed-days:saturday,sunday`),
 * beside the create's marker: a write CXone takes, on the tenant, so every cxo reading the skill
 * (`cxo why`, `strategy plan`, `strategy push`, from any data dir) reads the schedule with those
 * days closed. CXone's own dialer does not read the notes: a record cxo pushes carries its own
 * window and expiry on an open day, which is what keeps it off a closed one (docs/platforms.md).
 */
export const CLOSED_DAYS_MARKER = "cxo-closed-days:";

/** The days of the week a spec leaves out, in week order (none when it calls every day). */
export function closedDaysOf(allowed: readonly Weekday[]): Weekday[] {
  return WEEKDAYS.filter((day) => !allowed.includes(day));
}

/** `notes` with its closed-days token set to `closed` (removed when none); the rest kept as written. */
export function notesWithClosedDays(notes: string | undefined, closed: readonly Weekday[]): string {
  const without = (notes ?? "").replace(/\s*cxo-closed-days:\S*/g, "");
  if (closed.length === 0) return without;
  const token = `${CLOSED_DAYS_MARKER}${closed.map((d) => d.toLowerCase()).join(",")}`;
  return without === "" ? token : `${without} ${token}`;
}

/** The closed days a skill's notes name (weekday numbers, 1 = Monday … 7 = Sunday). */
export function closedDaysIn(notes: string | undefined): number[] {
  const token = (notes ?? "").split(/\s+/).find((word) => word.startsWith(CLOSED_DAYS_MARKER));
  if (!token) return [];
  const names = token.slice(CLOSED_DAYS_MARKER.length).toLowerCase().split(",");
  return WEEKDAYS.flatMap((day, i) => (names.includes(day.toLowerCase()) ? [i + 1] : []));
}

const ALL_DAY = { startMinute: 0, endMinute: 24 * 60 };

/**
 * The skill's schedule as cxo reads it: CXone's, with the days the notes close closed. A skill
 * CXone does not schedule is open all day on the other days (in `zone`, the zone its schedule
 * would be read in).
 */
export function scheduleWithClosedDays(
  schedule: WeeklySchedule | undefined,
  closed: readonly number[],
  zone: string,
): WeeklySchedule | undefined {
  if (closed.length === 0) return schedule;
  const names = closed.map((n) => WEEKDAYS[n - 1]).join(", ");
  const base = schedule ?? { zone, days: WEEKDAYS.map(() => ALL_DAY), evidence: "not scheduled in CXone" };
  return {
    zone: base.zone,
    days: base.days.map((hours, i) => (closed.includes(i + 1) ? null : hours)),
    evidence: `${base.evidence}; closed by cxo on ${names} (the skill's notes, ${CLOSED_DAYS_MARKER}: this tenant refuses an inactive schedule day)`,
  };
}
