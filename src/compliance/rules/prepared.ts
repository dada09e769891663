import { type Candidates, resolveCandidates } from "../candidates.ts";
import type { DialInterval, IntervalIndex } from "../interval-caps.ts";
import type { LocalTime } from "../local-time.ts";
import { nycCountyOf } from "../nyc-zips.ts";
import type { CallingHoursRow, FrequencyCapRow, RuleRow } from "../rule-table.ts";
import type { CapCount } from "../touch-caps.ts";
import type { AttemptTime, ComplianceInput, Reason, ReasonCode } from "../verdict.ts";

/**
 * The input every rule family (rules/*.ts) judges: a call with its candidates (zones, states,
 * jurisdictions), the rows of the rule table that govern it and the caps with the touches they
 * count, made once per question by the engine (engine.ts). Each family is a pure function of it:
 * the calendar it asks is the engine's memo of pure answers (local times, windows, boundaries).
 */
export interface Prepared {
  input: ComplianceInput;
  candidates: Candidates;
  zones: string[];
  rows: RuleRow[];
  capRows: CapRow[];
  /** Interval mode: the call's dial window's length (`untilMs − atMs`); undefined: an instant. */
  spanMs: number | undefined;
  calendar: Calendar;
}

/** A cap with the touches it counts. */
export interface CapRow {
  row: FrequencyCapRow;
  max: number;
  windowMs: number;
  attempts: number[];
  /** The touches counted (what `caps` and a reason list). */
  touches: AttemptTime[];
  /** What it counted at one instant, once made (caps.ts countedAt). */
  counted?: { atMs: number; count: CapCount };
  /** The same attempts as dial intervals (interval mode). */
  intervals: DialInterval[];
  /** `intervals` sorted once for mostWithin (asked for every instant tried), when first asked. */
  index?: IntervalIndex;
  campaign: boolean;
}

/** A calling window of a day, in local seconds since midnight (end exclusive). */
export interface Window {
  startS: number;
  endS: number;
  text: string;
}

/** The clock facts the rules ask, answered (and remembered) by the engine. */
export interface Calendar {
  /** A zone's local calendar facts at an instant (local-time.ts). */
  localAt(zone: string, ms: number): LocalTime;
  /** The instant's ISO text in a zone (UTC when none), as a verdict writes it (local-time.ts). */
  isoIn(ms: number, zone: string | undefined): string;
  /** The window of a local weekday (1 = Monday … 7 = Sunday); null = no calls that day. */
  windowOn(row: CallingHoursRow, weekday: number): Window | null;
  /** The calling-hours rows of a governing set (shared by calls with the same set). */
  callingHoursOf(rows: readonly RuleRow[]): CallingHoursOf;
  /** One zone's midnights and window openings in [fromMs, toMs] (hours.ts zoneBoundariesOf). */
  zoneBoundaries(zone: string, hours: CallingHoursOf, fromMs: number, toMs: number): readonly number[];
}

export interface CallingHoursOf {
  hourRows: RuleRow[];
  /** The rows' ids: what a remembered answer about them is keyed by. */
  rowKey: string;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const DAY_S = 86_400;

export const inEffect = (row: RuleRow, isoDate: string) =>
  row.effectiveFrom <= isoDate && (row.effectiveTo === undefined || isoDate < row.effectiveTo);

export const reasonOf = (row: RuleRow, code: ReasonCode, message: string, zone: string | null): Reason => ({
  code,
  message,
  jurisdiction: row.jurisdiction,
  zone,
  ruleId: row.id,
  citation: row.citation,
  confidence: row.confidence,
});

/** The candidates of a call, New York City added by the consumer's address (a listed ZIP code), never by an area code. */
export function candidatesOf(input: ComplianceInput): Candidates {
  const nyc = nycCountyOf(input.zip) !== undefined;
  const found = resolveCandidates(
    nyc && input.addressState === undefined ? { ...input, addressState: "NY" } : input,
  );
  return nyc ? { ...found, jurisdictions: [...found.jurisdictions, "US-NYC"] } : found;
}

/** The call's local date at `atMs` in its first zone (UTC when it has none): what a row's dates are read against. */
export const primaryDate = (p: Prepared, atMs: number) => p.calendar.localAt(p.zones[0] ?? "UTC", atMs).date;
