import { ID_RULE, isId } from "./ids.ts";
import { InputError } from "./input-error.ts";
import { ruleTransform } from "./zod-rule-transform.ts";

/**
 * An instant a user hands cxo (`at`, `from`, `to`, `--updated-since`, a file's `attemptAt` …):
 * ONE rule for an ISO 8601 date-time with a zone, so every input accepts the same strings and
 * says the same thing about the rest. Each caller names its own field; the rule text is this
 * module's. Pure, and cheap: no zod, no luxon (`cxo compliance check` runs once per number).
 *
 * The rule: `YYYY-MM-DDTHH:MM[:SS[.f…]]` (1–9 fraction digits), then `Z` or `±HH:MM` (also
 * accepted: `z`, `±HHMM`, `±HH`), a real calendar date and time (no 2026-02-30, no 24:00),
 * an offset within ±14:00. Surrounding spaces are ignored.
 */
export const ZONED_INSTANT_RULE =
  "must be an ISO 8601 date-time with a zone (YYYY-MM-DDTHH:MM[:SS[.fff]] then Z or an offset ±HH:MM, e.g. 2026-03-08T14:30:00-05:00)";

/**
 * An instant a caller gives the SDK (`at`, `from`, `to`, `until`, `timestamp`, `updatedSince` …):
 * the same types everywhere. Text is an ISO 8601 date-time with a zone (`Z` or an offset such as
 * `-05:00`, e.g. `2026-03-08T14:30:00-05:00`); a time without a zone, a bare date or an impossible
 * one (February 30th) is refused. A Date must be valid (`new Date(NaN)` is refused). Bad input is
 * an InputError naming the field. `compliance.check` and `compliance.evidence` also take epoch
 * milliseconds (`InstantInput | number`).
 */
export type InstantInput = string | Date;

/** What is wrong with a date-time: not one at all, not a real one (February 30th), or no zone. */
export type InstantProblemKind = "malformed" | "impossible" | "naive";

const SHAPE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?$/i;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MAX_OFFSET_MINUTES = 14 * 60;

type Reading =
  | { kind: "malformed" | "impossible" }
  | { kind: "zoned"; ms: number; m: RegExpExecArray }
  | { kind: "naive"; wallMs: number };

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function read(text: string): Reading {
  const m = SHAPE.exec(text);
  if (!m) return { kind: "malformed" };
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const milli = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  const monthDays = month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1];
  if (monthDays === undefined || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59)
    return { kind: "impossible" };
  const wall = new Date(Date.UTC(2000, 0, 1, hour, minute, second, milli));
  wall.setUTCFullYear(year, month - 1, day);
  const wallMs = wall.getTime();
  if (m[8] === undefined && m[9] === undefined) return { kind: "naive", wallMs };
  if (m[8] !== undefined) return { kind: "zoned", ms: wallMs, m };
  const offsetMinutes = Number(m[10]) * 60 + (m[11] === undefined ? 0 : Number(m[11]));
  if ((m[11] !== undefined && Number(m[11]) > 59) || offsetMinutes > MAX_OFFSET_MINUTES)
    return { kind: "impossible" };
  return { kind: "zoned", ms: wallMs - (m[9] === "-" ? -1 : 1) * offsetMinutes * 60_000, m };
}

/**
 * What is wrong with a date-time, or null when it is one with a zone (or without one, when
 * `zoneGiven`: the caller has a zone of its own to read it in).
 */
export function instantProblemKind(
  text: string,
  options: { zoneGiven?: boolean } = {},
): InstantProblemKind | null {
  const reading = read(text.trim());
  if (reading.kind === "zoned") return null;
  if (reading.kind === "naive") return options.zoneGiven ? null : "naive";
  return reading.kind;
}

const shown = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

/**
 * The rule a date-time breaks, or undefined when it keeps it; the words every input uses (the
 * caller puts its field's name before them). `naiveHint` adds another way to give the zone
 * (e.g. "or give `tz`").
 */
export function zonedInstantProblem(
  value: unknown,
  options: { zoneGiven?: boolean; naiveHint?: string } = {},
): string | undefined {
  if (typeof value !== "string") return ZONED_INSTANT_RULE;
  const kind = instantProblemKind(value, options);
  if (kind === null) return undefined;
  const text = value.trim();
  if (kind === "impossible")
    return `${shown(text)} is not a real date or time (check the day of the month, the hour and the offset, at most ±14:00)`;
  if (kind === "naive")
    return `has no time zone: add Z or an offset such as +02:00${options.naiveHint ? `, ${options.naiveHint}` : ""}`;
  return `${shown(text)} is not an ISO 8601 date-time with a zone ${ZONED_INSTANT_RULE.slice(ZONED_INSTANT_RULE.indexOf("("))}`;
}

/** The instant (epoch ms) of a date-time that keeps the rule, else undefined. */
export function zonedInstantMs(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const reading = read(value.trim());
  return reading.kind === "zoned" ? reading.ms : undefined;
}

/**
 * A date-time that keeps the rule, written as RFC 3339 (seconds always, `T` and `Z` upper case,
 * the offset as ±HH:MM): the same wall time and offset, in the form Date.parse and CXone read.
 * Undefined for anything else.
 */
export function zonedInstantText(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const reading = read(value.trim());
  if (reading.kind !== "zoned") return undefined;
  const { m } = reading;
  const fraction = m[7] === undefined ? "" : `.${m[7]}`;
  const zone = m[8] !== undefined ? "Z" : `${m[9]}${m[10]}:${m[11] ?? "00"}`;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}${fraction}${zone}`;
}

/**
 * The rule as a zod transform, without loading zod here: `z.string().transform(zonedInstantIssue)`
 * gives the RFC 3339 text (zonedInstantText), or fails with the rule's words.
 */
export const zonedInstantIssue = ruleTransform(
  zonedInstantText,
  (value) => zonedInstantProblem(value),
  ZONED_INSTANT_RULE,
);

/**
 * The wall-clock reading of a date-time without a zone, as if it were UTC (epoch ms), for a
 * caller that has a zone to read it in; undefined for anything else.
 */
export function naiveWallMs(value: string): number | undefined {
  const reading = read(value.trim());
  return reading.kind === "naive" ? reading.wallMs : undefined;
}

/** An instant a user gave (`field` names it in the error), or undefined when none was given. */
export function parseAt(value: string | undefined, field = "at"): number | undefined {
  if (value === undefined) return undefined;
  const ms = zonedInstantMs(value);
  if (ms === undefined)
    throw new InputError({ field, rule: zonedInstantProblem(value) ?? ZONED_INSTANT_RULE });
  return ms;
}

/**
 * The words for a Date that holds no instant (`new Date(NaN)`, `new Date("tomorrow")`) and, where a
 * field takes epoch milliseconds, a number that is none (NaN, ±Infinity): the same words for each
 * such field (the caller names it), as ZONED_INSTANT_RULE's are for text.
 */
export const INVALID_DATE_RULE = "is not a valid date-time (an invalid Date: its time is NaN)";
const invalidEpochMs = (value: number) =>
  `${String(value)} is not a valid date-time (not a finite number of epoch milliseconds)`;

/**
 * The rule an instant a caller gives breaks, or undefined when it keeps it: text by the one rule
 * (zonedInstantProblem, with its options), a Date that is valid, or — only where the field says
 * so (`epochMs`) — a finite number of epoch milliseconds. Anything else breaks ZONED_INSTANT_RULE.
 */
export function instantInputProblem(
  value: unknown,
  options: { epochMs?: boolean; zoneGiven?: boolean; naiveHint?: string } = {},
): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? INVALID_DATE_RULE : undefined;
  if (typeof value === "number" && options.epochMs)
    return Number.isFinite(value) ? undefined : invalidEpochMs(value);
  return zonedInstantProblem(value, options);
}

/**
 * The instant (epoch ms) of a text, a Date or (with `epochMs`) a number a caller gave for `field`,
 * by instantInputProblem's rule; undefined when none was given. Anything else: an InputError
 * naming `field`.
 */
export function instantInputMs(
  value: unknown,
  field: string,
  options: { epochMs?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const problem = instantInputProblem(value, options);
  if (problem !== undefined) throw new InputError({ field, rule: problem });
  if (value instanceof Date) return value.getTime();
  return typeof value === "number" ? value : (zonedInstantMs(value) as number);
}

/**
 * A `string | Date` field as the text its reader takes: a valid Date as its ISO text, text as
 * given (its reader applies the rule, with a zone of its own where it has one). An invalid Date:
 * an InputError naming `field` (INVALID_DATE_RULE), not toISOString's RangeError.
 */
export function instantInputText<T>(value: T | Date, field: string): T | string {
  if (!(value instanceof Date)) return value;
  if (Number.isNaN(value.getTime())) throw new InputError({ field, rule: INVALID_DATE_RULE });
  return value.toISOString();
}

/** A bound on how far an instant may lie from now, and the rule a farther one breaks. */
export interface InstantBound {
  ms: number;
  rule: string;
}

/**
 * The campaign id and the instant (`at`, default now) of a read-only call about one campaign
 * (`cxo why`, `cxo dialer abandonment`): their problems are added to `problems`, so a call names
 * every bad field at once.
 */
export function campaignAtOf(
  given: { campaignId?: unknown; at?: unknown },
  nowMs: number,
  fields: { campaignId: string; at: string },
  bounds: { past?: InstantBound; future: InstantBound },
  problems: Array<{ field: string; rule: string }>,
): { campaignId: string; atMs: number } {
  const { campaignId } = given;
  if (!isId(campaignId)) problems.push({ field: fields.campaignId, rule: ID_RULE });
  let atMs = nowMs;
  if (given.at !== undefined) {
    try {
      atMs = instantInputMs(given.at, fields.at) ?? nowMs;
      if (bounds.past && atMs < nowMs - bounds.past.ms)
        problems.push({ field: fields.at, rule: bounds.past.rule });
      else if (atMs > nowMs + bounds.future.ms) problems.push({ field: fields.at, rule: bounds.future.rule });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  return { campaignId: campaignId as string, atMs };
}
