/**
 * `new Date(ms).toISOString()`, at a fraction of its cost, for code that formats an instant per
 * record (an export's end times: 100,000s of them). Records of a listing come in time order, so
 * the date part is worked out once per UTC day and the time of day is written from tables.
 * Anything else (not a whole millisecond, a year outside 0000–9999, an invalid time) is left to
 * Date, so the text is always exactly Date's (a RangeError for an invalid time, as Date throws).
 */
const DAY_MS = 86_400_000;
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
let dayStart = Number.NaN;
let dayPrefix = "";

export function isoString(ms: number): string {
  if (!(ms >= dayStart && ms < dayStart + DAY_MS)) {
    if (!Number.isSafeInteger(ms)) return new Date(ms).toISOString();
    const start = Math.floor(ms / DAY_MS) * DAY_MS;
    const prefix = new Date(start).toISOString().slice(0, 11);
    // Years outside 0000–9999 are written with a sign and six digits: leave them to Date.
    if (!/^\d{4}-\d{2}-\d{2}T$/.test(prefix)) return new Date(ms).toISOString();
    dayStart = start;
    dayPrefix = prefix;
  }
  if (!Number.isInteger(ms)) return new Date(ms).toISOString();
  let t = ms - dayStart;
  const milli = t % 1000;
  t = (t - milli) / 1000;
  const second = t % 60;
  t = (t - second) / 60;
  const minute = t % 60;
  const hour = (t - minute) / 60;
  return `${dayPrefix}${TWO[hour]}:${TWO[minute]}:${TWO[second]}.${THREE[milli]}Z`;
}
