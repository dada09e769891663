import { naiveWallMs, zonedInstantMs } from "../../core/instant-input.ts";

/**
 * The date of consent an RND query carries (issue 79 §3): the day the called party gave the
 * consent the call relies on, as YYYY-MM-DD (a full ISO instant is cut to its UTC day). The
 * database answers "was this number permanently disconnected on or after that day?", so a wrong
 * date is a wrong safe harbor: a date that is not a real day, or one in the future, is bad input.
 */
export const CONSENT_DATE_RULE = "must be the date consent was given, YYYY-MM-DD (not in the future)";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The consent day, or undefined when `value` is no valid date up to today. */
export function consentDateOf(value: unknown, nowMs: number): string | undefined {
  // A Date that holds no instant (new Date(NaN)) is no date: refused, not toISOString's RangeError.
  if (value instanceof Date) value = Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  // A day, or an instant by the one rule (core/instant-input.ts): cut to its UTC day. An instant
  // without a zone is its written day (the day does not depend on the machine reading it).
  const instant = text.length > 10 ? (zonedInstantMs(text) ?? naiveWallMs(text)) : undefined;
  if (text.length > 10 && instant === undefined) return undefined;
  const match = DAY.exec(text.length > 10 ? new Date(instant as number).toISOString().slice(0, 10) : text);
  if (!match) return undefined;
  const day = `${match[1]}-${match[2]}-${match[3]}`;
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== day) return undefined;
  return day > new Date(nowMs).toISOString().slice(0, 10) ? undefined : day;
}
