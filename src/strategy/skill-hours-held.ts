import type { Store } from "../core/store/index.ts";
import type { SkillState, WeeklySchedule } from "../platform/ports/diagnosis.ts";

/**
 * The hours a drift did not get to widen (issue 89 §3). When cxo acts on a change that opened the
 * skill's hours or weekly schedule after a push (a supervisor switching the schedule off), it
 * takes the push's records out — and keeps the hours that push counted, so the next morning's
 * plan and push do not silently adopt the wider skill: both judge with the narrower of the skill
 * as read and the hours held. The hold ends when the skill reads back within them (put right by
 * hand); a change made after that, while no push is pending, is the agency's own.
 */
export const SKILL_HOURS_HELD = "strategy.skill-hours-held";

type Hours = { startMinute: number; endMinute: number };
type ZoneHours = Array<{ zone: string } & Hours>;

export interface HeldHours {
  /** When cxo acted on the drift. */
  since: string;
  zoneHours: ZoneHours | undefined;
  schedule: Pick<WeeklySchedule, "zone" | "days"> | undefined;
}

type Timing = Pick<SkillState, "zoneHours" | "schedule">;

const overlap = (a: Hours | null, b: Hours | null): Hours | null => {
  if (!a || !b) return null;
  const start = Math.max(a.startMinute, b.startMinute);
  const end = Math.min(a.endMinute, b.endMinute);
  return end > start ? { startMinute: start, endMinute: end } : null;
};

function narrowZones(read: ZoneHours | undefined, held: ZoneHours | undefined): ZoneHours | undefined {
  if (!held) return read;
  if (!read) return held;
  const byZone = new Map(read.map((r) => [r.zone, r]));
  const out: ZoneHours = held.map((h) => {
    const r = byZone.get(h.zone);
    const both = r ? overlap(r, h) : h;
    return { zone: h.zone, ...(both ?? { startMinute: h.startMinute, endMinute: h.startMinute }) };
  });
  for (const r of read) if (!held.some((h) => h.zone === r.zone)) out.push(r);
  return out;
}

function narrowSchedule(
  read: WeeklySchedule | undefined,
  held: HeldHours["schedule"],
): WeeklySchedule | undefined {
  if (!held) return read;
  const evidence = `the weekly schedule cxo's push counted, held since a drift (${SKILL_HOURS_HELD})`;
  // Switched off, or read in another zone: the held schedule stands alone.
  if (!read || read.zone !== held.zone) return { ...held, evidence };
  return {
    zone: read.zone,
    days: read.days.map((day, i) => overlap(day, held.days[i] ?? null)),
    evidence: `${read.evidence}; narrowed to ${evidence}`,
  };
}

/** The skill as cxo judges with it: its hours and schedule no wider than those held. */
export function narrowedSkill<T extends Timing>(skill: T, held: HeldHours | null | undefined): T {
  if (!held) return skill;
  return {
    ...skill,
    zoneHours: narrowZones(skill.zoneHours, held.zoneHours),
    schedule: narrowSchedule(skill.schedule, held.schedule),
  };
}

const timingKey = (t: Timing): string =>
  JSON.stringify([
    [...(t.zoneHours ?? [])]
      .map(({ zone, startMinute, endMinute }) => [zone, startMinute, endMinute])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    t.schedule?.zone ?? null,
    t.schedule?.days.map((d) => (d ? [d.startMinute, d.endMinute] : null)) ?? null,
  ]);
const sameTiming = (a: Timing, b: Timing): boolean => timingKey(a) === timingKey(b);

/** What a push counted, as the hours to hold after cxo acted on a drift that widened them. */
export function heldFrom(
  counted: {
    zoneHours: ZoneHours | undefined;
    schedule: Array<Hours | null> | undefined;
    scheduleZone?: string | undefined;
  },
  nowMs: number,
): HeldHours {
  return {
    since: new Date(nowMs).toISOString(),
    zoneHours: counted.zoneHours,
    schedule:
      counted.schedule && counted.scheduleZone
        ? { zone: counted.scheduleZone, days: counted.schedule }
        : undefined,
  };
}

/**
 * For plan and push: the skill as just read, narrowed by the hours held for it; a skill that
 * reads back within them (nothing narrowed) ends the hold.
 */
export async function skillAsHeld<T extends Timing & { campaignId: string }>(
  store: Pick<Store, "kv">,
  skill: T,
): Promise<T> {
  const held = await store.kv.get<HeldHours | null>(SKILL_HOURS_HELD, skill.campaignId);
  if (!held) return skill;
  const narrowed = narrowedSkill(skill, held);
  if (sameTiming(narrowed, skill)) {
    await store.kv.set(SKILL_HOURS_HELD, skill.campaignId, null);
    return skill;
  }
  return narrowed;
}
