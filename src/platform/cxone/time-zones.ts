/**
 * The platform names time zones the Windows way ("Eastern Standard Time") or by a short name in
 * call lists ("Eastern"); the domain uses IANA zones. Unknown names pass through unchanged.
 */
const ZONES: Record<string, string> = {
  eastern: "America/New_York",
  "eastern standard time": "America/New_York",
  "us eastern standard time": "America/Indiana/Indianapolis",
  central: "America/Chicago",
  "central standard time": "America/Chicago",
  mountain: "America/Denver",
  "mountain standard time": "America/Denver",
  "us mountain standard time": "America/Phoenix",
  arizona: "America/Phoenix",
  pacific: "America/Los_Angeles",
  "pacific standard time": "America/Los_Angeles",
  alaska: "America/Anchorage",
  "alaskan standard time": "America/Anchorage",
  hawaii: "Pacific/Honolulu",
  "hawaiian standard time": "Pacific/Honolulu",
  utc: "UTC",
  "gmt standard time": "Europe/London",
};

export function ianaZoneOf(name: string | undefined): string | undefined {
  if (!name) return undefined;
  if (name.includes("/")) return name;
  return ZONES[name.trim().toLowerCase()] ?? name;
}
