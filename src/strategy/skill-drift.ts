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

/** One line for a person: "retry {…} → {…}; schedule … → …". */
export function describeDrift(changes: readonly SkillChange[]): string {
  return changes.map((c) => `${c.field} ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`).join("; ");
}
