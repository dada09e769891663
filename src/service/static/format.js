// @ts-check
// Formatting for the board: ONE time format ("24 Nov 14:05:09") in the business unit's zone,
// with the UTC instant on hover; percentages and counts that never print "NaN" or "n/r".
// Intl is given "en-GB" explicitly (day before month, 24-hour clock), so the page reads the same
// under any browser locale, including a C/POSIX one (core/locale-guard.ts mends the rest).
/** @import { RateAnswer } from "../answers/board.ts" */

let zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
/** @type {Intl.DateTimeFormat} */
let stampFormat;
/** @type {Intl.DateTimeFormat} */
let clockFormat;
/** @type {Intl.DateTimeFormat} */
let dayFormat;

/**
 * Sets the zone every time is shown in (the service's `timeZone`).
 * @param {string} timeZone
 */
export function setZone(timeZone) {
  zone = timeZone || zone;
  /** @type {Intl.DateTimeFormatOptions} */
  const base = { timeZone: zone, hourCycle: "h23" };
  stampFormat = new Intl.DateTimeFormat("en-GB", {
    ...base,
    day: "2-digit",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  clockFormat = new Intl.DateTimeFormat("en-GB", {
    ...base,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  dayFormat = new Intl.DateTimeFormat("en-GB", { ...base, day: "2-digit", month: "short" });
}
setZone(zone);

export const currentZone = () => zone;

/** The zone's short name now ("EST", "GMT+1"), for the page header. */
export function zoneAbbreviation() {
  const part = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" })
    .formatToParts(new Date())
    .find((p) => p.type === "timeZoneName");
  return part ? part.value : zone;
}

/** A date's parts in a format, by type (`day`, `month`, `hour`…). */
const parts = (/** @type {Intl.DateTimeFormat} */ format, /** @type {Date} */ date) =>
  /** @type {Partial<Record<Intl.DateTimeFormatPartTypes, string>>} */ (
    Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]))
  );

/**
 * An instant the API gives (ISO 8601), or epoch milliseconds; nothing is shown as "—".
 * @typedef {string | number | null | undefined} Instant
 */

/**
 * "24 Nov 14:05:09" in the zone; "—" for nothing.
 * @param {Instant} value
 */
export function stamp(value) {
  if (value === null || value === undefined || value === "") return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  const p = parts(stampFormat, date);
  return `${p.day} ${p.month} ${p.hour}:${p.minute}:${p.second}`;
}

/**
 * A <time> element: the stamp, its UTC instant on hover and in `datetime`.
 * @param {Instant} value
 */
export function timeElement(value) {
  const node = document.createElement("time");
  node.textContent = stamp(value);
  if (value) {
    const iso = new Date(value).toISOString();
    node.dateTime = iso;
    node.title = `${iso.replace("T", " ").replace(/\.\d+Z$/, " UTC")}`;
  }
  return node;
}

/**
 * Axis tick labels for epoch-second `splits`: hours and minutes, with seconds when ticks are
 * less than a minute apart and the day when the span crosses days, so no two ticks read alike.
 * @param {number[]} splits
 * @returns {string[]}
 */
export function tickLabels(splits) {
  if (splits.length === 0) return [];
  const step = splits.length > 1 ? splits[1] - splits[0] : 60;
  const span = splits[splits.length - 1] - splits[0];
  return splits.map((s, i) => {
    const date = new Date(s * 1000);
    const c = parts(clockFormat, date);
    const time = step < 60 ? `${c.hour}:${c.minute}:${c.second}` : `${c.hour}:${c.minute}`;
    if (span < 86_400 && step < 86_400) return time;
    const d = parts(dayFormat, date);
    const previous = i > 0 ? parts(dayFormat, new Date(splits[i - 1] * 1000)) : null;
    return previous && previous.day === d.day && previous.month === d.month
      ? time
      : `${d.day} ${d.month}\n${time}`;
  });
}

/** "3.7 %" for a fraction; "—" for none. */
export const percent = (/** @type {number | null | undefined} */ v, digits = 1) =>
  v === null || v === undefined || Number.isNaN(v) ? "—" : `${(v * 100).toFixed(digits)} %`;

/** "1,234"; "—" for none. */
export const integer = (/** @type {number | string | null | undefined} */ v) =>
  v === null || v === undefined || Number.isNaN(Number(v)) ? "—" : Number(v).toLocaleString("en-US");

/** "3 of 81 live answers": what a rate was judged on, or why there is no count. */
export function countText(/** @type {RateAnswer} */ rate) {
  return rate.count
    ? `${integer(rate.count.of)} of ${integer(rate.count.per)} ${rate.count.unit}`
    : "count not reported by CXone";
}

/**
 * "42 s", "4 min", "1.5 h" for a duration in milliseconds.
 * @param {number | null | undefined} ms
 */
export function age(ms) {
  if (ms === null || ms === undefined) return "—";
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/**
 * The legal window a pacing spec names, in words.
 * @param {string} window
 */
export function windowName(window) {
  if (window === "ftc-30d") return "FTC 30-day window";
  if (window === "ofcom-24h") return "Ofcom 24-hour window";
  if (window === "day") return "today";
  return window;
}
