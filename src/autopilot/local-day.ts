import { DateTime } from "luxon";

/**
 * The autopilot's day in the business unit's zone: which local date an instant falls on, and
 * when a local time of day (`HH:MM`) falls on a date. A day is the business unit's, not UTC's,
 * so a morning step at 07:00 Eastern runs once per Eastern day across a change of offset.
 */
export function localDate(nowMs: number, zone: string): string {
  return DateTime.fromMillis(nowMs, { zone }).toISODate() as string;
}

/** The instant (ms) of `time` (HH:MM) on the local date `date` in `zone`. */
export function instantOn(date: string, time: string, zone: string): number {
  const [hour, minute] = time.split(":").map(Number);
  return DateTime.fromISO(date, { zone }).set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
}

/** The next local date after `date`. */
export function nextDate(date: string, zone: string): string {
  return DateTime.fromISO(date, { zone }).plus({ days: 1 }).toISODate() as string;
}

/** An instant as ISO 8601 with the zone's offset (how reports and the status say times). */
export function isoIn(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) as string;
}
