import type { SkillState, WeeklySchedule } from "../platform/ports/diagnosis.ts";
import { dialsPerRecord } from "./push-reach.ts";

/**
 * What a push counted on the skill doing, and whether the skill as it reads now lets CXone dial
 * what the plan did not count: more dials per record (retry settings), hours or weekly-schedule
 * minutes that were closed, a schedule switched off. Pure: no clock, no I/O.
 */
export interface CountedSkill {
  maxAttempts: number | undefined;
  minRetryMinutes: number | undefined;
  loadNonFresh: boolean | undefined;
  zoneHours: Array<{ zone: string; startMinute: number; endMinute: number }> | undefined;
  /** Undefined: not scheduled (dials every day, within its hours). */
  schedule: Array<{ startMinute: number; endMinute: number } | null> | undefined;
  /** The zone the schedule is read in (kept to hold the schedule after a drift: skill-hours-held.ts). */
  scheduleZone?: string | undefined;
  active: boolean | undefined;
}

export type SkillField = "retry" | "hours" | "schedule" | "state";

export interface SkillChange {
  field: SkillField;
  before: unknown;
  after: unknown;
  /** The change lets CXone dial what the plan did not count. */
  widens: boolean;
}

type SkillRead = Pick<
  SkillState,
  "maxAttempts" | "minRetryMinutes" | "loadNonFresh" | "zoneHours" | "schedule" | "active"
>;

export function countedOf(skill: SkillRead): CountedSkill {
  return {
    maxAttempts: skill.maxAttempts,
    minRetryMinutes: skill.minRetryMinutes,
    loadNonFresh: skill.loadNonFresh,
    zoneHours: skill.zoneHours?.map(({ zone, startMinute, endMinute }) => ({ zone, startMinute, endMinute })),
    schedule: scheduleDays(skill.schedule),
    scheduleZone: skill.schedule?.zone,
    active: skill.active,
  };
}

const scheduleDays = (schedule: WeeklySchedule | undefined) =>
  schedule?.days.map((d) => (d ? { startMinute: d.startMinute, endMinute: d.endMinute } : null));

/** The federal 08:00–21:00 a zone gets when the skill lists no hours for it (as CXone dials). */
const FEDERAL = { startMinute: 8 * 60, endMinute: 21 * 60 };

const widerRange = (
  before: { startMinute: number; endMinute: number } | null,
  after: { startMinute: number; endMinute: number } | null,
) =>
  after !== null &&
  after.endMinute > after.startMinute &&
  (before === null || after.startMinute < before.startMinute || after.endMinute > before.endMinute);

const dialsOf = (s: CountedSkill, staleMinutes: number) =>
  dialsPerRecord({ ...s, zoneHours: undefined, schedule: undefined, evidence: "" }, staleMinutes);

/** `staleMinutes`: the window of one pushed attempt (how many retries fit in it). */
export function skillDrift(counted: CountedSkill, now: SkillRead, staleMinutes: number): SkillChange[] {
  const read = countedOf(now);
  const changes: SkillChange[] = [];
  const retry = (s: CountedSkill) => ({
    maximumAttempts: s.maxAttempts,
    minimumRetryMinutes: s.minRetryMinutes,
    loadNonFresh: s.loadNonFresh,
  });
  if (JSON.stringify(retry(counted)) !== JSON.stringify(retry(read)))
    changes.push({
      field: "retry",
      before: retry(counted),
      after: retry(read),
      widens: dialsOf(read, staleMinutes) > dialsOf(counted, staleMinutes),
    });
  if (JSON.stringify(counted.zoneHours ?? []) !== JSON.stringify(read.zoneHours ?? [])) {
    const hoursOf = (s: CountedSkill, zone: string) => s.zoneHours?.find((h) => h.zone === zone) ?? FEDERAL;
    const zones = new Set([...(counted.zoneHours ?? []), ...(read.zoneHours ?? [])].map((h) => h.zone));
    changes.push({
      field: "hours",
      before: counted.zoneHours ?? [],
      after: read.zoneHours ?? [],
      widens: [...zones].some((zone) => widerRange(hoursOf(counted, zone), hoursOf(read, zone))),
    });
  }
  if (JSON.stringify(counted.schedule ?? null) !== JSON.stringify(read.schedule ?? null)) {
    const allDay = { startMinute: 0, endMinute: 1440 };
    const dayOf = (s: CountedSkill, i: number) =>
      s.schedule === undefined ? allDay : (s.schedule[i] ?? null);
    changes.push({
      field: "schedule",
      before: counted.schedule ?? "not scheduled",
      after: read.schedule ?? "not scheduled",
      widens: Array.from({ length: 7 }, (_, i) => i).some((i) =>
        widerRange(dayOf(counted, i), dayOf(read, i)),
      ),
    });
  }
  if (counted.active !== read.active)
    changes.push({ field: "state", before: counted.active, after: read.active, widens: false });
  return changes;
}

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

function retryText(value: unknown): string {
  const r = value as { maximumAttempts?: number; minimumRetryMinutes?: number; loadNonFresh?: boolean };
  if (r.loadNonFresh === false) return "one dial a record";
  return `${r.maximumAttempts ?? "?"} attempt(s) every ${r.minimumRetryMinutes ?? "?"} min`;
}

function scheduleText(value: unknown): string {
  if (!Array.isArray(value)) return "no weekly schedule";
  const open = (value as CountedSkill["schedule"] & unknown[]).flatMap((day, i) =>
    day ? [`${DAYS[i]} ${hhmm(day.startMinute)}–${hhmm(day.endMinute)}`] : [],
  );
  return open.length === 0 ? "closed all week" : open.join(", ");
}

function hoursText(value: unknown): string {
  const hours = value as NonNullable<CountedSkill["zoneHours"]>;
  if (hours.length === 0) return "the federal 08:00–21:00 everywhere";
  return hours.map((h) => `${h.zone} ${hhmm(h.startMinute)}–${hhmm(h.endMinute)}`).join(", ");
}

const TEXT: Record<SkillField, (value: unknown) => string> = {
  retry: retryText,
  schedule: scheduleText,
  hours: hoursText,
  state: (value) => (value === true ? "active" : value === false ? "inactive" : "not shown"),
};
const LABEL: Record<SkillField, string> = {
  retry: "retries",
  schedule: "weekly schedule",
  hours: "calling hours",
  state: "state",
};

/** One line for a person: "retries one dial a record → 5 attempt(s) every 10 min; …". */
export function describeDrift(changes: readonly SkillChange[]): string {
  return changes
    .map((c) => `${LABEL[c.field]} ${TEXT[c.field](c.before)} → ${TEXT[c.field](c.after)}`)
    .join("; ");
}
