import { atWallMinute, localDayStart, nextLocalDay, previousLocalDay } from "../core/local-day.ts";
import { DAY_MS } from "../core/time-units.ts";
import type { SkillState } from "../platform/ports/diagnosis.ts";

/**
 * When the platform itself would dial a record: the skill's calling hours for the
 * record's zone (production: `timeZoneSettings`), its weekly schedule, and on the seed API the
 * campaign's own window. Asked through may-dial.ts, the one question plan and push share: a
 * window is allowed only when the skill dials throughout it. Open intervals are kept per zone
 * and day. Without any of these, everything is open (the engine's law still applies).
 */
export type SkillHours = Pick<SkillState, "zoneHours" | "schedule" | "window">;

export interface SkillOpen {
  /** The skill may dial at every instant of `[fromMs, toMs]` for a record in `zone`. */
  throughout(zone: string, fromMs: number, toMs: number): boolean;
}

type Interval = [number, number];

export function skillOpen(skill: SkillHours): SkillOpen {
  const hours = new Map((skill.zoneHours ?? []).map((h) => [h.zone, h]));
  const { schedule, window } = skill;
  const none = hours.size === 0 && !schedule && !window;
  // The open intervals of the local days around an instant, per zone: the zone's hours, the
  // schedule's and the window's days intersected (each read in its own zone), kept per zone and
  // day — luxon's zone arithmetic per question made a week's plan of 10,000 records take 45 s.
  const known = new Map<string, Interval[]>();
  const openAround = (zone: string, atMs: number): Interval[] => {
    const key = `${zone}|${Math.floor(atMs / DAY_MS)}`;
    let open = known.get(key);
    if (!open) {
      const row = hours.get(zone);
      open = daily(zone, atMs, () =>
        row ? { startMinute: row.startMinute, endMinute: row.endMinute } : ALL_DAY,
      );
      if (schedule)
        open = intersect(
          open,
          daily(schedule.zone, atMs, (weekday) => schedule.days[weekday - 1]),
        );
      if (window)
        open = intersect(
          open,
          daily(window.zone, atMs, (weekday) => (window.weekdays.includes(weekday) ? window : null)),
        );
      known.set(key, open);
    }
    return open;
  };
  return {
    throughout: (zone, fromMs, toMs) =>
      none || openAround(zone, fromMs).some(([a, b]) => a <= fromMs && toMs < b),
  };
}

const ALL_DAY = { startMinute: 0, endMinute: 24 * 60 };

/** [open, close) of the local days in `zone` from the day before `atMs` to two days after. */
function daily(
  zone: string,
  atMs: number,
  on: (weekday: number) => { startMinute: number; endMinute: number } | null | undefined,
): Interval[] {
  // Walked day by day from each day's first instant (a day whose midnight is skipped starts at 01:00).
  let day = previousLocalDay(localDayStart(atMs, zone));
  const out: Interval[] = [];
  for (let i = 0; i < 4; i++) {
    const hours = on(day.weekday);
    const next = nextLocalDay(day);
    if (hours && hours.startMinute < hours.endMinute)
      out.push([atWallMinute(day, next, hours.startMinute), atWallMinute(day, next, hours.endMinute)]);
    day = next;
  }
  return merge(out);
}

/** Adjacent days' intervals joined (a skill open until midnight and from midnight is open across it). */
function merge(intervals: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [a, b] of intervals.sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function intersect(left: Interval[], right: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [a, b] of left)
    for (const [c, d] of right)
      if (Math.max(a, c) < Math.min(b, d)) out.push([Math.max(a, c), Math.min(b, d)]);
  return out;
}
