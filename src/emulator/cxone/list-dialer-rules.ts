import { DateTime } from "luxon";
import { atWallMinute } from "../../core/local-day.ts";
import type { Skill } from "./data/model.ts";
import { skillActivity, skillSummary } from "./live.ts";
import type { CxoneState } from "./state.ts";

/**
 * Issue 65: what holds a Personal Connection skill's list dialer back, apart from a record's own
 * times — the skill's state, its agents, its abandonment cap — and the skill's calling hours per
 * record zone. The emulator's own reading of CXone, kept apart from the client's (no code shared
 * with platform/ or campaigns/).
 */

/** The emulator's zone names (list uploads use CXone's, the skill's settings the short ones) → IANA. */
const IANA: Record<string, string> = {
  eastern: "America/New_York",
  "eastern standard time": "America/New_York",
  central: "America/Chicago",
  "central standard time": "America/Chicago",
  mountain: "America/Denver",
  "mountain standard time": "America/Denver",
  "us mountain standard time": "America/Phoenix",
  pacific: "America/Los_Angeles",
  "pacific standard time": "America/Los_Angeles",
  "alaskan standard time": "America/Anchorage",
  "hawaiian standard time": "Pacific/Honolulu",
  utc: "UTC",
  "gmt standard time": "Europe/London",
};

export function ianaOf(name: string): string | undefined {
  if (name === "") return undefined;
  if (name.includes("/")) return name;
  return IANA[name.trim().toLowerCase()];
}

/** Why the whole skill dials nothing now, or null: the order CXone's own checks would stop it in. */
export function skillHold(state: CxoneState, skill: Skill, nowMs: number): string | null {
  if (!skill.isActive) return "skill inactive";
  if (!skill.isRunning) return "skill not running";
  const activity = skillActivity(state, skill, nowMs);
  if (activity.agentsLoggedIn === 0) return "no agents logged in";
  if (activity.agentsAvailable === 0) return "no agent available";
  const threshold = Number(skill.parameters?.generalSettings.abandonRateThreshold);
  const summary = skillSummary(state, skill, nowMs);
  const rate = Number(summary.abandonRate);
  // The summary's unit follows a knob; the stored threshold is always percent.
  const ratePercent = state.knobs.summaryAbandonRateUnit === "percent" ? rate : rate * 100;
  if (Number.isFinite(threshold) && Number.isFinite(ratePercent) && ratePercent >= threshold)
    return "abandon cap";
  return null;
}

export interface SkillHours {
  /** Minutes after local midnight, per IANA zone. */
  byZone: Map<string, { start: number; end: number }>;
  /** Windows already worked out, by zone and hour (windowsFrom). */
  windows: Map<string, Array<[number, number]>>;
  /**
   * The skill's weekly schedule (`scheduleSettings` with `isScheduled`), in the tenant's zone:
   * per weekday (0 = Monday) its open minutes, null for a day not active. Issue 65 §4.
   */
  schedule?: { zone: string; days: Array<{ start: number; end: number } | null> } | undefined;
}

const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

export function skillHoursOf(skill: Skill, tenantZone: string, scheduleZone = ""): SkillHours {
  const byZone = new Map<string, { start: number; end: number }>();
  const minutes = (clock: unknown) => {
    const m = /^(\d{1,2}):(\d{2})/.exec(String(clock ?? ""));
    return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
  };
  for (const row of skill.parameters?.timeZoneSettings ?? []) {
    const zone = ianaOf(String(row.timeZone ?? ""));
    const start = minutes(row.startTime);
    const end = minutes(row.endTime);
    // A zone switched off (`timeZoneActiveToCall: false`) is not called at all.
    if (zone && row.timeZoneActiveToCall === false) byZone.set(zone, { start: 0, end: 0 });
    else if (zone && start !== undefined && end !== undefined) byZone.set(zone, { start, end });
  }
  const plan = skill.parameters?.scheduleSettings;
  const zone = ianaOf(scheduleZone || tenantZone);
  const schedule =
    plan?.isScheduled === true && zone
      ? {
          zone,
          days: DAYS.map((day) => {
            const start = minutes(plan[`${day}StartTime`]);
            const end = minutes(plan[`${day}EndTime`]);
            return plan[`${day}IsActive`] === true && start !== undefined && end !== undefined
              ? { start, end }
              : null;
          }),
        }
      : undefined;
  return { byZone, windows: new Map(), schedule };
}

/** Outside any listed zone, the federal window (08:00–21:00 local) is the skill's. */
const DEFAULT_HOURS = { start: 8 * 60, end: 21 * 60 };

/**
 * The first instant in `[fromMs, toMs]` inside the skill's hours for `zone`, or undefined.
 * Looks at most 3 days past `fromMs` (a window that never opens is "never").
 */
export function firstOpenAt(
  hours: SkillHours,
  zone: string,
  fromMs: number,
  toMs: number,
): number | undefined {
  for (const [open, close] of windowsFrom(hours, zone, fromMs)) {
    const at = Math.max(open, fromMs);
    if (at < close) return at <= toMs ? at : undefined;
  }
  return undefined;
}

/** [open, close) of each of `count` local days in `zone` from the one holding `fromMs` (none on a closed day). */
function dailyWindows(
  zone: string,
  fromMs: number,
  count: number,
  hoursOn: (weekday: number) => { start: number; end: number } | null | undefined,
): Array<[number, number]> {
  let day = DateTime.fromMillis(fromMs, { zone }).startOf("day");
  const windows: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    const hours = hoursOn(day.weekday);
    const next = day.plus({ days: 1 });
    if (hours) windows.push([atWallMinute(day, next, hours.start), atWallMinute(day, next, hours.end)]);
    day = next;
  }
  return windows;
}

/**
 * The zone's windows of the local days from the one holding `fromMs`, as [open, close) epoch ms,
 * kept per zone and hour: luxon's zone arithmetic per record made a million-record list's every
 * read take minutes, when its records fall in a handful of hours.
 */
function windowsFrom(hours: SkillHours, zone: string, fromMs: number): Array<[number, number]> {
  const key = `${zone}|${Math.floor(fromMs / 3_600_000)}`;
  let windows = hours.windows.get(key);
  if (!windows) {
    windows = dailyWindows(zone, fromMs, 4, () => hours.byZone.get(zone) ?? DEFAULT_HOURS);
    // A scheduled skill dials only where its zone's hours and its weekly schedule overlap.
    const { schedule } = hours;
    if (schedule) {
      const open = dailyWindows(
        schedule.zone,
        fromMs - 86_400_000,
        6,
        (weekday) => schedule.days[weekday - 1],
      );
      windows = windows.flatMap(([a, b]) =>
        open.flatMap(
          ([c, d]): Array<[number, number]> =>
            Math.max(a, c) < Math.min(b, d) ? [[Math.max(a, c), Math.min(b, d)]] : [],
        ),
      );
    }
    hours.windows.set(key, windows);
  }
  return windows;
}

/** A record's allowable time range (minutes after local midnight in its zone), when it has one. */
export interface RecordRange {
  start: number;
  end: number;
}

/** The record's range from its custom fields (`HH:mm` each), or undefined (none, or not a range). */
export function recordRangeOf(
  customFields: Record<string, string>,
  columns: { start: string; end: string },
): RecordRange | undefined {
  const minutes = (clock: string | undefined) => {
    const m = /^(\d{1,2}):(\d{2})$/.exec(clock?.trim() ?? "");
    return m && Number(m[1]) < 24 && Number(m[2]) < 60 ? Number(m[1]) * 60 + Number(m[2]) : undefined;
  };
  const start = minutes(customFields[columns.start]);
  const end = minutes(customFields[columns.end]);
  return start !== undefined && end !== undefined && start < end ? { start, end } : undefined;
}

/**
 * The first instant in `[fromMs, toMs]` inside the skill's hours for `zone` and, when the record
 * has one, inside its allowable time range (round 7), or undefined.
 */
export function firstOpenForRecord(
  hours: SkillHours,
  zone: string,
  range: RecordRange | undefined,
  fromMs: number,
  toMs: number,
): number | undefined {
  let t = fromMs;
  for (let step = 0; step < 16; step++) {
    const at = firstOpenAt(hours, zone, t, toMs);
    if (at === undefined || range === undefined) return at;
    const local = DateTime.fromMillis(at, { zone });
    const minute = local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000;
    if (minute >= range.start && minute < range.end) return at;
    const day = local.startOf("day");
    const base = minute < range.start ? day : day.plus({ days: 1 });
    t = atWallMinute(base, base.plus({ days: 1 }), range.start);
    if (t > toMs) return undefined;
  }
  return undefined;
}

/**
 * Round 7: the end of the stretch a record stays dialable from `atMs` (an instant
 * firstOpenForRecord answered): the earliest of its zone's close (hours and schedule), the end of
 * its allowable time range that day, and `toMs` (its expiry or stale time). An ordinary record's
 * dial window is this stretch, as a timed request's is its stale window: `late` and `random`
 * pick within it.
 */
export function openStretchEnd(
  hours: SkillHours,
  zone: string,
  range: RecordRange | undefined,
  atMs: number,
  toMs: number,
): number {
  let end = toMs;
  for (const [open, close] of windowsFrom(hours, zone, atMs))
    if (open <= atMs && atMs < close) {
      end = Math.min(end, close - 1);
      break;
    }
  if (range) {
    const day = DateTime.fromMillis(atMs, { zone }).startOf("day");
    end = Math.min(end, atWallMinute(day, day.plus({ days: 1 }), range.end) - 1);
  }
  return Math.max(atMs, end);
}
