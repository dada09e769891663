import type { DateTime } from "luxon";

const DAY_MS = 86_400_000;

/**
 * The instant of a wall-clock minute of a local day (a skill's or a window's "08:00–21:00"):
 * `day` is the day's start in its zone, `next` the next day's, `minute` 0–1440 after midnight on
 * the wall. Calling hours are read on the wall clock, so on a day clocks change it is not midnight
 * plus the minutes elapsed (luxon's `plus({ minutes })`): on New York's spring-forward day that
 * put 21:00 at 22:00 EDT and 08:00 at 09:00. A day of 24 hours (all but two a year) takes the
 * cheap sum; a minute inside the spring gap (02:30) is the first instant after it, as luxon sets it.
 */
export function atWallMinute(day: DateTime, next: DateTime, minute: number): number {
  const midnight = day.toMillis();
  if (minute >= 1440) return next.toMillis();
  if (next.toMillis() - midnight === DAY_MS) return midnight + minute * 60_000;
  return day.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
}
