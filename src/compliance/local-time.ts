import { DateTime, IANAZone } from "luxon";
import { ENGINE_LOCALE, zoneFor } from "./zone-clock.ts";

/**
 * Local calendar facts of an instant in a zone: what the engine asks of every rule of the clock
 * (a segmentation asks the same few hundred (zone, instant) pairs for every contact; the engine
 * remembers them, engine.ts). Pure.
 */
export interface LocalTime {
  date: string;
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  seconds: number;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** A zone's local calendar facts at an instant (tested against luxon). */
export function localTimeOf(zone: string, ms: number): LocalTime {
  // What luxon's DateTime does (its zone's offset, then the UTC fields of the shifted instant),
  // without making one: an evidence run asks a million distinct instants.
  const z = zoneFor(zone);
  const t = new Date(ms + (typeof z === "string" ? IANAZone.create(z) : z).offset(ms) * 60_000);
  const year = t.getUTCFullYear();
  const month = t.getUTCMonth() + 1;
  const day = t.getUTCDate();
  const hour = t.getUTCHours();
  const minute = t.getUTCMinutes();
  return {
    date:
      year >= 0 && year <= 9999
        ? `${String(year).padStart(4, "0")}-${two(month)}-${two(day)}`
        : (DateTime.fromMillis(ms, { zone: z }).toISODate() as string),
    year,
    month,
    day,
    weekday: t.getUTCDay() || 7,
    hour,
    minute,
    seconds: hour * 3600 + minute * 60 + t.getUTCSeconds(),
  };
}

/** The instant's ISO text in a zone, as luxon's `toISO({ suppressMilliseconds: true })` (tested against it). */
export function isoTextOf(ms: number, zoneName: string): string {
  const z = zoneFor(zoneName);
  // A NANP zone: luxon's ISO text written from the zone's offset (as localTimeOf), without a DateTime.
  if (typeof z !== "string") {
    const offset = z.offset(ms);
    const t = new Date(ms + offset * 60_000);
    const year = t.getUTCFullYear();
    if (year >= 0 && year <= 9999) {
      const millis = t.getUTCMilliseconds();
      const abs = Math.abs(offset);
      return `${String(year).padStart(4, "0")}-${two(t.getUTCMonth() + 1)}-${two(t.getUTCDate())}T${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}${millis === 0 ? "" : `.${String(millis).padStart(3, "0")}`}${offset < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
    }
  }
  return DateTime.fromMillis(ms, { zone: z, locale: ENGINE_LOCALE }).toISO({
    suppressMilliseconds: true,
  }) as string;
}
