import { zoneListIdOf } from "../../compliance/candidates.ts";
import type { ComplianceEngine } from "../../compliance/engine.ts";
import { type NanpNumber, parseNanp } from "../../core/phone-number.ts";
import type { CallingHours, RecordFacts } from "./facts.ts";

/** Reasons of the engine that are about the hour or the day, not about the number. */
const HOURS_CODES = new Set(["outside_calling_hours", "no_calls_on_this_day", "holiday"]);

/**
 * The compliance engine's calling hours for the records of a list (issue 65): records with the
 * same area code, exchange zone list, applied zone and state are one group (the engine's own
 * cache key: it judges them alike), and each group is asked through one representative number.
 * The engine is asked, never restated: holidays, day bans and stricter state hours come with it.
 * A group's answer holds until the engine's next clock change (a midnight, a window opening or
 * closing in one of its zones), so the forecast's hundred slots cost a group a few questions: a
 * 155,000-record list is hundreds of groups, and a question per group and slot was seconds.
 */
export function complianceCallingHours(engine: ComplianceEngine): CallingHours {
  const keys = new Map<string, number>();
  const groups: Array<{ number: NanpNumber | undefined; zone: string; state: string | undefined }> = [];
  // Per group, the last stretch asked: its answer holds from `fromMs` until `untilMs`.
  const stretches = new Map<number, { fromMs: number; untilMs: number; open: boolean }>();
  return {
    groupOf(record: RecordFacts): number {
      const number = parseNanp(record.phone);
      const key = number
        ? `${number.npa}|${zoneListIdOf(number)}|${record.zone ?? ""}|${record.state ?? ""}`
        : `?|${record.zone ?? ""}|${record.state ?? ""}`;
      let id = keys.get(key);
      if (id === undefined) {
        id = groups.length;
        keys.set(key, id);
        groups.push({ number, zone: record.zone ?? "", state: record.state });
      }
      return id;
    },
    zoneOf: (group) => groups[group]?.zone ?? "",
    isOpen(group, atMs) {
      const known = stretches.get(group);
      if (known && atMs >= known.fromMs && atMs < known.untilMs) return known.open;
      const g = groups[group];
      const open = hourReasons(engine, g, atMs, 0).length === 0;
      const untilMs = g?.number ? engine.nextClockChange(inputOf(g, atMs, 0)) : Number.POSITIVE_INFINITY;
      stretches.set(group, { fromMs: atMs, untilMs, open });
      return open;
    },
    nextOpen(group, atMs) {
      const g = groups[group];
      if (!g?.number) return undefined;
      const verdict = engine.evaluate(inputOf(g, atMs, 2));
      if (!verdict.reasons.some((r) => HOURS_CODES.has(r.code))) return atMs;
      return verdict.nextAllowedAt ? Date.parse(verdict.nextAllowedAt) : undefined;
    },
  };
}

function inputOf(
  g: { number: NanpNumber | undefined; zone: string; state: string | undefined },
  atMs: number,
  searchDays: number,
) {
  return {
    number: g.number as NanpNumber,
    atMs,
    declaredZone: g.zone || undefined,
    addressState: g.state,
    consent: true,
    onDnc: false,
    searchDays,
  };
}

/** A number the engine cannot parse has no calling hours it can judge: it is treated as closed. */
function hourReasons(
  engine: ComplianceEngine,
  g: { number: NanpNumber | undefined; zone: string; state: string | undefined } | undefined,
  atMs: number,
  searchDays: number,
) {
  if (!g?.number) return ["not_dialable"];
  // Uncached: each (group, stretch) is asked once, and the verdict cache would only copy it.
  return engine.evaluateUncached(inputOf(g, atMs, searchDays)).reasons.filter((r) => HOURS_CODES.has(r.code));
}
