/**
 * ISO 8601 date-times as clients send them: `Z`, `+hh:mm`, or naive (no offset: read as UTC,
 * as Python's `datetime.utcnow().isoformat()` means it), with up to 9 fractional digits
 * (Python prints microseconds, which `Date.parse` does not reliably accept). Date-only values
 * are midnight UTC. Returns epoch ms, or null when the text is not such a date-time.
 */
const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export function parseClientDateTime(text: string): number | null {
  const match = PATTERN.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Math.floor(Number(`0.${fraction || "0"}`) * 1000);
  let epoch = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (new Date(epoch).getUTCDate() !== day) return null; // 2024-02-30 and friends
  if (zone && zone !== "Z" && zone !== "z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0");
    epoch -= sign * offsetMinutes * 60_000;
  }
  return epoch;
}
