import type { ComplianceEngine } from "../compliance/engine.ts";
import { parseNanpOrUk } from "../core/phone-number.ts";
import { placeOf } from "./place.ts";

/**
 * The time zone a pushed list record carries (issue 62 §3), so that CXone's own calling windows
 * apply to it: the number's zone, or for a number whose area code spans several zones (850:
 * Eastern and Central Florida) the one whose window is the stricter at the planned interval —
 * the zone in which `[startMs, endMs]` lies nearest an edge of the calling hours (the compliance
 * engine's windows): in the evening the zone whose clock is later, in the morning the one whose
 * clock is earlier. A dialer that times the record by that zone then never calls it later (or
 * earlier) in the other zone's day than the plan allowed. Undefined when the number has no zone.
 */
export function listZoneOf(
  engine: ComplianceEngine,
  phone: string,
  startMs: number,
  endMs: number,
  state?: string,
): string | undefined {
  const zones = placeOf(phone, state)?.zones ?? [];
  const number = parseNanpOrUk(phone);
  if (zones.length <= 1 || !number) return zones[0];
  let chosen = zones[0];
  let smallest = Number.POSITIVE_INFINITY;
  for (const zone of zones) {
    const margin = engine.callingMarginIn({ number, addressState: state }, zone, startMs, endMs);
    if (margin !== null && margin < smallest) {
      smallest = margin;
      chosen = zone;
    }
  }
  return chosen;
}
