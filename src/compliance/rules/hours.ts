import { DateTime } from "luxon";
import { atWallMinute, localDayStart, nextLocalDay } from "../../core/local-day.ts";
import { holidayOn } from "../holidays.ts";
import type { CallingHoursRow, RuleRow } from "../rule-table.ts";
import type { Reason } from "../verdict.ts";
import { ENGINE_LOCALE, zoneFor } from "../zone-clock.ts";
import {
  type Calendar,
  type CallingHoursOf,
  DAY_MS,
  DAY_S,
  inEffect,
  type Prepared,
  reasonOf,
  type Window,
} from "./prepared.ts";

/**
 * The rules of the clock: calling hours, days without calls and holidays, in every candidate zone
 * of the number (the called party's local time). Pure functions of the prepared call.
 */

/** A row's window text ("HH:mm-HH:mm") read (the engine remembers each text's). */
export function parseWindow(text: string): Window {
  const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text);
  if (!match) throw new Error(`rule table: bad window "${text}"`);
  const [, h1, m1, h2, m2] = match.map(Number) as [number, number, number, number, number];
  return { startS: h1 * 3600 + m1 * 60, endS: h2 * 3600 + m2 * 60, text: text.replace("-", "–") };
}

/** The window text of a local weekday (1 = Monday … 7 = Sunday); null = no calls that day. */
export const windowTextOn = (row: CallingHoursRow, weekday: number): string | null =>
  weekday <= 5 ? row.window.monFri : weekday === 6 ? row.window.sat : row.window.sun;

/** The calling-hours rows of a governing set and their key. */
export function callingHoursRows(rows: readonly RuleRow[]): CallingHoursOf {
  const hourRows = rows.filter((row) => row.kind === "calling_hours");
  return { hourRows, rowKey: hourRows.map((row) => row.id).join(",") };
}

const DAY_NAMES = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** The calling-hours, day-ban and holiday rules of one zone at one instant, into `reasons`. */
export function zoneReasonsAt(p: Prepared, zone: string, atMs: number, reasons: Reason[]): void {
  const local = p.calendar.localAt(zone, atMs);
  const { date, seconds } = local;
  const clock = `${String(local.hour).padStart(2, "0")}:${String(local.minute).padStart(2, "0")}`;
  for (const row of p.rows) {
    if (!inEffect(row, date)) continue;
    if (row.kind === "calling_hours") {
      const window = p.calendar.windowOn(row, local.weekday);
      if (window === null)
        reasons.push(
          reasonOf(
            row,
            "no_calls_on_this_day",
            `no calls on ${DAY_NAMES[local.weekday]} (${zone}, ${date})`,
            zone,
          ),
        );
      else if (seconds < window.startS || seconds >= window.endS)
        reasons.push(
          reasonOf(
            row,
            "outside_calling_hours",
            `${clock} ${DAY_NAMES[local.weekday]} in ${zone} is outside ${window.text}`,
            zone,
          ),
        );
    } else if (row.kind === "holiday_ban") {
      const holiday = holidayOn(row.calendar, local.year, local.month, local.day);
      if (holiday) reasons.push(reasonOf(row, "holiday", `no calls on ${holiday} (${zone}, ${date})`, zone));
    }
  }
}

/**
 * The clock's reasons at `atMs` in every zone. In interval mode (`spanMs`), the call is
 * `[atMs, atMs + spanMs]`: the rules are asked at both ends and at every instant in between
 * where one can start to fail (innerInstants), one reason per rule and zone (the first instant
 * that breaks it). `firstOnly` stops at the first reason (the next-allowed search only needs to
 * know whether there is any).
 */
export function hoursReasons(p: Prepared, atMs: number, firstOnly: boolean, reasons: Reason[]): void {
  const endMs = atMs + (p.spanMs ?? 0);
  for (const zone of p.zones) {
    if (firstOnly && reasons.length > 0) return;
    if (endMs === atMs) {
      zoneReasonsAt(p, zone, atMs, reasons);
      continue;
    }
    const found: Reason[] = [];
    for (const t of [atMs, ...innerInstants(p, zone, atMs, endMs), endMs]) {
      zoneReasonsAt(p, zone, t, found);
      if (firstOnly && found.length > 0) break;
    }
    const seen = new Set<string>();
    for (const reason of found) {
      const key = `${reason.ruleId}|${reason.code}`;
      if (seen.has(key)) continue;
      seen.add(key);
      reasons.push(reason);
    }
  }
}

/**
 * The instants in `(fromMs, toMs)` at which a zone rule can start to fail while it held at
 * `fromMs`: a window's closing time, and each local midnight (a new day: a day ban, a holiday,
 * the small hours). Rules fail from such an instant on, so asking them there and at both ends
 * judges every instant of the interval. Within one local day (the planner's case: an hour and
 * its stale window) no clock library is needed; a window never closes inside a daylight-saving
 * jump (they happen at 02:00, outside every calling window).
 */
export function innerInstants(p: Prepared, zone: string, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  const first = p.calendar.localAt(zone, fromMs);
  const last = p.calendar.localAt(zone, toMs);
  if (first.date === last.date && toMs - fromMs < DAY_MS) {
    for (const row of p.rows) {
      if (row.kind !== "calling_hours" || !inEffect(row, first.date)) continue;
      const window = p.calendar.windowOn(row, first.weekday);
      if (window && first.seconds < window.endS && window.endS <= last.seconds)
        out.push(fromMs + (window.endS - first.seconds) * 1000);
    }
    return out;
  }
  let day = localDayStart(fromMs, zoneFor(zone), ENGINE_LOCALE);
  while (day.toMillis() <= toMs) {
    const midnight = day.toMillis();
    if (midnight > fromMs) out.push(midnight);
    const date = day.toISODate() as string;
    const next = nextLocalDay(day);
    for (const row of p.rows) {
      if (row.kind !== "calling_hours" || !inEffect(row, date)) continue;
      const window = p.calendar.windowOn(row, day.weekday);
      if (!window || window.endS >= DAY_S) continue;
      const closes = atWallMinute(day, next, window.endS / 60);
      if (closes > fromMs && closes < toMs) out.push(closes);
    }
    day = next;
  }
  return out;
}

/**
 * One zone's midnights and window openings in [fromMs, toMs] (the engine remembers them per rows
 * and span); with `closings`, each window's closing too: every instant at which this zone's clock
 * rules (calling hours, days without calls, holidays) can change their answer.
 */
export function zoneBoundariesOf(
  calendar: Pick<Calendar, "windowOn">,
  zone: string,
  hourRows: readonly RuleRow[],
  fromMs: number,
  toMs: number,
  closings = false,
): number[] {
  const points: number[] = [];
  const options = { zone: zoneFor(zone), locale: ENGINE_LOCALE };
  let day = localDayStart(fromMs, options.zone, options.locale);
  const last = DateTime.fromMillis(toMs, options);
  while (day <= last) {
    points.push(day.toMillis());
    const date = day.toISODate() as string;
    const next = nextLocalDay(day);
    for (const row of hourRows) {
      if (row.kind !== "calling_hours" || !inEffect(row, date)) continue;
      const window = calendar.windowOn(row, day.weekday);
      // On the wall clock, not elapsed seconds: on a DST change day midnight + 8 h is not 08:00.
      if (window) points.push(atWallMinute(day, next, window.startS / 60));
      // A window closing at 24:00 closes at the next midnight, which is a point already.
      if (window && closings && window.endS < DAY_S) points.push(atWallMinute(day, next, window.endS / 60));
    }
    day = next;
  }
  return points;
}

/**
 * How far inside the calling hours a call placed anywhere in `[startMs, endMs]` is in one zone:
 * the seconds between the interval and the nearer edge of the strictest window in effect for the
 * number's jurisdictions on that local day (negative: outside; null: no window that day, or the
 * zone is not one of the number's candidates). A pushed list record carries one zone for the
 * dialer's own windows: of a number's candidate zones, the one with the smallest margin is the
 * stricter at that interval.
 */
export function callingMargin(p: Prepared, zone: string, startMs: number, endMs: number): number | null {
  if (!p.zones.includes(zone)) return null;
  const local = p.calendar.localAt(zone, startMs);
  let open = 0;
  let close = DAY_S;
  let any = false;
  for (const row of p.rows) {
    if (row.kind !== "calling_hours" || !inEffect(row, local.date)) continue;
    const window = p.calendar.windowOn(row, local.weekday);
    if (window === null) return null;
    any = true;
    open = Math.max(open, window.startS);
    close = Math.min(close, window.endS);
  }
  if (!any) return null;
  const end = local.seconds + Math.round((endMs - startMs) / 1000);
  return Math.min(local.seconds - open, close - end);
}
