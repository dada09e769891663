import { DateTime } from "luxon";

/**
 * The platform names time zones the Windows way ("Eastern Standard Time", as `GET /timezones`
 * lists them) or by a short name in call lists ("Eastern"); the domain uses IANA zones. Unknown
 * names pass through unchanged.
 */
const WINDOWS_NAMES: ReadonlyArray<readonly [string, string]> = [
  ["Eastern Standard Time", "America/New_York"],
  ["US Eastern Standard Time", "America/Indiana/Indianapolis"],
  ["Central Standard Time", "America/Chicago"],
  ["Mountain Standard Time", "America/Denver"],
  ["US Mountain Standard Time", "America/Phoenix"],
  ["Pacific Standard Time", "America/Los_Angeles"],
  ["Alaskan Standard Time", "America/Anchorage"],
  ["Hawaiian Standard Time", "Pacific/Honolulu"],
  ["UTC", "UTC"],
  ["GMT Standard Time", "Europe/London"],
];

const SHORT_NAMES: Record<string, string> = {
  eastern: "America/New_York",
  central: "America/Chicago",
  mountain: "America/Denver",
  arizona: "America/Phoenix",
  pacific: "America/Los_Angeles",
  alaska: "America/Anchorage",
  hawaii: "Pacific/Honolulu",
};

const ZONES: Record<string, string> = {
  ...SHORT_NAMES,
  ...Object.fromEntries(WINDOWS_NAMES.map(([name, zone]) => [name.toLowerCase(), zone])),
};

export function ianaZoneOf(name: string | undefined): string | undefined {
  if (!name) return undefined;
  if (name.includes("/")) return name;
  return ZONES[name.trim().toLowerCase()] ?? name;
}

/**
 * The name CXone accepts for an IANA zone: the tenant's own (`GET /timezones`' `standardName`
 * values, when read) that maps to it, else the Windows name this table knows; undefined if none.
 */
export function cxoneNameOf(iana: string, tenantNames: readonly string[] = []): string | undefined {
  const known = tenantNames.find((name) => ianaZoneOf(name) === iana);
  if (known) return known;
  const named = WINDOWS_NAMES.find(([, zone]) => zone === iana)?.[0];
  if (named && (tenantNames.length === 0 || tenantNames.includes(named))) return named;
  return undefined;
}

/** Mid-winter and mid-summer instants of a year: two zones with the same offsets at both keep the same clock. */
const SEASONS = [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)];

function offsetAt(zone: string, ms: number): number | undefined {
  const local = DateTime.fromMillis(ms, { zone });
  return local.isValid ? local.offset : undefined;
}

/**
 * The name a calling-list record's time-zone column carries for an IANA zone (issue 62 §3): the
 * name CXone knows for it (cxoneNameOf), else that of a known zone keeping the same clock (the
 * same offsets in winter and summer: America/Detroit is "Eastern Standard Time"); undefined when
 * none does, and the record then goes without one (CXone's default zone applies).
 */
export function cxoneListZoneName(iana: string): string | undefined {
  const named = cxoneNameOf(iana);
  if (named) return named;
  const offsets = SEASONS.map((ms) => offsetAt(iana, ms));
  if (offsets.includes(undefined)) return undefined;
  return WINDOWS_NAMES.find(([, zone]) => SEASONS.every((ms, i) => offsetAt(zone, ms) === offsets[i]))?.[0];
}
