import { DateTime } from "luxon";
import { atWallMinute, nextLocalDay } from "../core/local-day.ts";

/**
 * The autopilot's day in the business unit's zone: when a local time of day (`HH:MM`) falls on a
 * date (which local date an instant falls on is core/local-day.ts's localDayOf, and a wall-clock
 * time on it its atWallMinute). A day is the business unit's, not UTC's, so a morning step at
 * 07:00 Eastern runs once per Eastern day across a change of offset.
 */

/** The instant (ms) of `time` (HH:MM) on the local date `date` in `zone`. */
export function instantOn(date: string, time: string, zone: string): number {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  // The date's first instant (luxon moves a midnight the clocks skip to the first instant after it).
  const day = DateTime.fromISO(date, { zone });
  return atWallMinute(day, nextLocalDay(day), hour * 60 + minute);
}

/** The next local date after `date`. */
export function nextDate(date: string, zone: string): string {
  return DateTime.fromISO(date, { zone }).plus({ days: 1 }).toISODate() as string;
}

/** An instant as ISO 8601 with the zone's offset (how reports and the status say times). */
export function isoIn(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) as string;
}

const HOUR_MS = 3_600_000;

/**
 * Where a plan made at `nowMs` starts. The planner's attempts begin on whole hours from its
 * `from`, rounded up: a run at 18:00:00.4 planned from 19:00 and lost the hour it ran in — each
 * held record planned again after its sibling's window closed lost one (issue 91's week bench).
 * While most of the hour is left (under 30 minutes in), the plan starts at the hour: an attempt
 * whose window began a few minutes before its push is dialled in what is left of it, and the
 * rules were judged over the whole window.
 */
export function planFromMs(nowMs: number): number {
  const hourStart = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  return nowMs - hourStart < HOUR_MS / 2 ? hourStart : nowMs;
}
