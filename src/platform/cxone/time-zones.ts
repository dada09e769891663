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
