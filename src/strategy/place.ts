import { DateTime } from "luxon";
import { resolveCandidates } from "../campaigns/compliance/candidates.ts";
import { parseNanp } from "../campaigns/compliance/phone-number.ts";
import { ENGINE_LOCALE, zoneFor } from "../campaigns/compliance/zone-clock.ts";

/**
 * Where and when a called party is, from the compliance engine's phone data (never a copy):
 * the number's zones (the first is the one its slots are counted in), its area code's place
 * (a state code such as "FL"; "YT/NT/NU" where the area code spans several), and the hour of
 * week of an instant in a zone. Both are remembered: a learn or plan run meets tens of thousands of exchanges
 * and a few thousand distinct hours, not ten million.
 */
export interface Place {
  npa: string;
  /** Candidate zones, the primary first (empty: the data does not know the number). */
  zones: readonly string[];
  /** The area code's region(s), e.g. "FL"; "" when unknown. */
  state: string;
}

const places = new Map<string, Place | null>();

/** The place of an E.164 NANP number; null when it is not one. */
export function placeOf(phone: string, addressState?: string): Place | null {
  const key = addressState ? `${phone.slice(0, 8)}|${addressState}` : phone.slice(0, 8);
  let place = places.get(key);
  if (place === undefined) {
    const number = parseNanp(phone);
    if (!number) place = null;
    else {
      const candidates = resolveCandidates({ number, addressState });
      place = {
        npa: number.npa,
        zones: candidates.zones.map((z) => z.zone),
        state: addressState ?? candidates.areaCodePlace ?? "",
      };
    }
    if (places.size >= 250_000) places.clear();
    places.set(key, place);
  }
  return place;
}

const HOUR_MS = 3_600_000;
const slots = new Map<string, number>();

/** Hour of week (0 = Monday 00:00) of an instant in a zone's local time, DST included. */
export function slotAt(ms: number, zone: string): number {
  const hour = Math.floor(ms / HOUR_MS);
  const key = `${zone}|${hour}`;
  let slot = slots.get(key);
  if (slot === undefined) {
    const t = DateTime.fromMillis(hour * HOUR_MS, { zone: zoneFor(zone), locale: ENGINE_LOCALE });
    slot = (t.weekday - 1) * 24 + t.hour;
    if (slots.size >= 200_000) slots.clear();
    slots.set(key, slot);
  }
  return slot;
}
