import { IANAZone } from "luxon";
import { NANP_ZONES } from "./zone-clock.ts";

/**
 * Whether a name is an IANA zone, remembered: luxon answers by building an Intl.DateTimeFormat,
 * a heavy native object, and a segmentation asks once per contact.
 */
const known = new Map<string, boolean>();

export function isIanaZone(zone: string): boolean {
  // The tables' own zones are valid (a test checks each with luxon): no Intl for them.
  if (NANP_ZONES.has(zone)) return true;
  let valid = known.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (known.size < 10_000) known.set(zone, valid);
  }
  return valid;
}
