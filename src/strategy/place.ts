import { DateTime } from "luxon";
import { resolveCandidates } from "../compliance/candidates.ts";
import { ENGINE_LOCALE, zoneFor } from "../compliance/zone-clock.ts";
import { parseNanpOrUk } from "../core/phone-number.ts";
import { HOUR_MS } from "../core/time-units.ts";

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

const TEN_DIGITS = /^[2-9]\d{9}$/;
const ELEVEN_DIGITS = /^1[2-9]\d{9}$/;
/** A UK number as cxo sends it to CXone (44 and its national digits, no leading 0): not NANP's 10 or 1 + 10. */
const UK_DIGITS = /^44[1-9]\d{8,9}$/;

/**
 * A NANP number as E.164: CXone's completed contacts (the production platform's outcomes, and so
 * its exports and Parquet datasets) carry the dialled number as 10 digits ("3055552100"), list
 * files and the seed API as E.164 ("+13055552100"). Outcome records and history attempts go
 * through this before they are placed or matched to a list's phones; a UK number CXone holds as
 * cxo sent it (44 and its digits: "447700900123") gets its "+"; anything else is returned as it
 * is (and the compliance engine's phone data then does not know it).
 */
export function nanpE164(phone: string): string {
  if (phone.startsWith("+")) return phone;
  if (TEN_DIGITS.test(phone)) return `+1${phone}`;
  if (ELEVEN_DIGITS.test(phone) || UK_DIGITS.test(phone)) return `+${phone}`;
  return phone;
}

/** The same in SQL (DuckDB), for a column of outcome records' numbers. */
export const nanpE164Sql = (column: string): string =>
  `CASE WHEN regexp_full_match(${column}, '[2-9][0-9]{9}') THEN '+1' || ${column} WHEN regexp_full_match(${column}, '1[2-9][0-9]{9}') OR regexp_full_match(${column}, '44[1-9][0-9]{8,9}') THEN '+' || ${column} ELSE ${column} END`;

/** The place of an E.164 NANP number, or a UK one (Europe/London, state "GB"); null when it is neither. */
export function placeOf(phone: string, addressState?: string): Place | null {
  const key = addressState ? `${phone.slice(0, 8)}|${addressState}` : phone.slice(0, 8);
  let place = places.get(key);
  if (place === undefined) {
    const number = parseNanpOrUk(phone);
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
