import { DateTime } from "luxon";
import type { SkillState, WeeklySchedule } from "../../platform/ports/diagnosis.ts";
import type { CallingHours } from "./facts.ts";

const STEP_MS = 5 * 60_000;
const SEARCH_MS = 3 * 24 * 3_600_000;

/**
 * The engine's calling hours narrowed by the platform's own: CXone holds a record back outside
 * the skill's time-zone settings for its zone, the seed API outside the campaign's dialing rules
 * (in the campaign's zone) — whichever is stricter, the engine's law or the platform's setting,
 * decides; and nothing is open while the skill's weekly schedule is closed (a skill dials only
 * inside its schedule). Without platform hours this is the engine alone.
 */
export function withPlatformHours(
  engine: CallingHours,
  skill: Pick<SkillState, "zoneHours" | "window" | "schedule">,
): CallingHours {
  const zoneHours = new Map((skill.zoneHours ?? []).map((h) => [h.zone, h]));
  const { window, schedule } = skill;
  if (zoneHours.size === 0 && !window && !schedule) return engine;
  const platformOpen = (zone: string, atMs: number): boolean => {
    if (schedule && !scheduleOpen(schedule, atMs)) return false;
    const hours = zoneHours.get(zone);
    if (hours && !within(DateTime.fromMillis(atMs, { zone }), hours.startMinute, hours.endMinute))
      return false;
    if (window) {
      const local = DateTime.fromMillis(atMs, { zone: window.zone });
      if (!window.weekdays.includes(local.weekday)) return false;
      if (!within(local, window.startMinute, window.endMinute)) return false;
    }
    return true;
  };
  // Asked once per group and instant: a million records are a few hundred groups. The
  // platform's side depends on the zone only, and many groups share a zone: asked once per zone
  // and instant (each answer is a few time-zone conversions, the forecast's main cost).
  const answers = new Map<string, boolean>();
  const platformAnswers = new Map<string, boolean>();
  const platformOpenOnce = (zone: string, atMs: number) => {
    const key = `${zone}@${atMs}`;
    let open = platformAnswers.get(key);
    if (open === undefined) {
      open = platformOpen(zone, atMs);
      platformAnswers.set(key, open);
    }
    return open;
  };
  const isOpen = (group: number, atMs: number) => {
    const key = `${group}@${atMs}`;
    let open = answers.get(key);
    if (open === undefined) {
      open = engine.isOpen(group, atMs) && platformOpenOnce(engine.zoneOf(group), atMs);
      answers.set(key, open);
    }
    return open;
  };
  return {
    groupOf: (record) => engine.groupOf(record),
    zoneOf: (group) => engine.zoneOf(group),
    isOpen,
    nextOpen(group, atMs) {
      // Both must be open at once: step from the engine's next opening, 5 minutes at a time.
      let at = engine.nextOpen(group, atMs);
      const end = atMs + SEARCH_MS;
      while (at !== undefined && at <= end) {
        if (isOpen(group, at)) return at;
        const next: number = Math.ceil((at + 1) / STEP_MS) * STEP_MS;
        const engineNext = engine.isOpen(group, next) ? next : engine.nextOpen(group, next);
        // Never back, never in place: each turn moves on by a step at least.
        at = engineNext === undefined ? undefined : Math.max(engineNext, next);
      }
      return undefined;
    },
  };
}

/** The skill's weekly schedule is open at `atMs` (its day active, inside its times). */
export function scheduleOpen(schedule: WeeklySchedule, atMs: number): boolean {
  const local = DateTime.fromMillis(atMs, { zone: schedule.zone });
  const day = schedule.days[local.weekday - 1];
  return day != null && within(local, day.startMinute, day.endMinute);
}

/** The local time's minute of the day is in [startMinute, endMinute). */
function within(local: DateTime, startMinute: number, endMinute: number): boolean {
  const minute = local.hour * 60 + local.minute;
  return minute >= startMinute && minute < endMinute;
}
