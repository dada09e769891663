import { z } from "zod";
import { InputError, type InputProblem } from "../core/input-error.ts";
import { loadInputFile, parseInput } from "../core/input-file.ts";
import { zonedInstantIssue } from "../core/instant-input.ts";

/**
 * The population file of `cxo strategy bench` (issue 55 §4; schema documented in
 * docs/strategy.md, version 1): a synthetic calling list whose contacts have hidden
 * hour-of-week right-party-contact (RPC) propensities. Segments carry their own weekly profile
 * (answer rate per day and hour range, in the called party's local time, times the share of
 * answers that are the right party); each contact varies around its segment's profile; the
 * list tells the segment through one column with a stated accuracy, and a share of the list
 * arrives with earlier attempts. Pure: reading the file is loadPopulationFile's only I/O.
 */

export const POPULATION_VERSION = 1;
export const HOURS_OF_WEEK = 168;

const DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const DAYS_RULE = `must be a day (${DAY_NAMES.join(", ")}) or a range of them such as "mon-fri"`;
const DAYS = /^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?$/;

const fraction = (what: string) =>
  z
    .number({ message: `must be a number (${what})` })
    .min(0, "must be from 0 to 1")
    .max(1, "must be from 0 to 1");

const hoursSchema = z
  .object({
    days: z.string().regex(DAYS, DAYS_RULE),
    from: z
      .number()
      .int("must be a whole hour")
      .min(0, "must be from 0 to 23")
      .max(23, "must be from 0 to 23"),
    to: z.number().int("must be a whole hour").min(1, "must be from 1 to 24").max(24, "must be from 1 to 24"),
    answer: fraction("the answer rate in these hours"),
  })
  .strict()
  .refine((h) => h.to > h.from, { message: "`to` must be after `from`", path: ["to"] });

const segmentSchema = z
  .object({
    name: z.string().min(1, "is required"),
    share: z.number().positive("must be above 0").max(1, "must be at most 1"),
    /** The value the observable column shows for this segment (default: the name). */
    value: z.string().min(1).optional(),
    /** Share of answers that are the right party (default 0.8). */
    rightParty: fraction("share of answers that reach the right party").default(0.8),
    /** Answer rate in the hours no range names (default 0.02). */
    otherHours: fraction("answer rate outside the named hours").default(0.02),
    hours: z.array(hoursSchema).min(1, "needs at least one range of hours"),
  })
  .strict();

const areaSchema = z
  .object({
    areaCode: z.string().regex(/^[2-9]\d{2}$/, "must be a 3-digit NANP area code"),
    /** The contact's address state (two letters), as a list's `state` column would give it. */
    state: z.string().regex(/^[A-Z]{2}$/, "must be a two-letter state code"),
    /** The zone the contact lives in (IANA); the compliance engine still checks every candidate zone of the number. */
    zone: z.string().min(1, "must be an IANA time zone such as America/Chicago"),
    share: z.number().positive("must be above 0").max(1, "must be at most 1"),
  })
  .strict();

export const populationSchema = z
  .object({
    version: z.literal(POPULATION_VERSION, { message: `must be ${POPULATION_VERSION}` }),
    name: z.string().min(1).optional(),
    /** First instant of the horizon, ISO with offset; its week may hold a daylight-saving change. */
    start: z.string().transform(zonedInstantIssue),
    horizonDays: z.number().int().min(1, "must be from 1 to 90").max(90, "must be from 1 to 90"),
    attemptsPerRecord: z.number().int().min(1, "must be from 1 to 50").max(50, "must be from 1 to 50"),
    /** Attempts the dialer can place per hour (every strategy gets the same). */
    capacityPerHour: z.number().int().min(1, "must be a whole number ≥ 1"),
    /** The skill's minimum retry minutes: the hour-agnostic baseline's rest, every strategy's floor. */
    minRetryMinutes: z.number().int().min(1).max(10_080).default(120),
    kind: z.enum(["sales", "collections"]).default("sales"),
    list: z
      .object({
        size: z
          .number()
          .int()
          .min(10, "must be from 10 to 1,000,000")
          .max(1_000_000, "must be from 10 to 1,000,000"),
        /** The list column that names the segment, right with probability `accuracy`. */
        observable: z
          .object({
            column: z.string().min(1).default("segment"),
            accuracy: fraction("how often the column is right"),
          })
          .strict(),
        /** A share of the list arrives with `attempts` earlier attempts spread over the `days` before start. */
        history: z
          .object({
            share: fraction("share of the list with earlier attempts"),
            attempts: z.number().int().min(1).max(50).default(4),
            days: z.number().int().min(1).max(365).default(28),
          })
          .strict()
          .default({ share: 0, attempts: 4, days: 28 }),
      })
      .strict(),
    /** Individual variation: a log-normal level factor (sigma) and a shift of up to ± shiftHours. */
    variation: z
      .object({
        level: z.number().min(0).max(2).default(0.3),
        shiftHours: z.number().int().min(0).max(12).default(1),
      })
      .strict()
      .default({ level: 0.3, shiftHours: 1 }),
    areas: z.array(areaSchema).min(1, "needs at least one area"),
    segments: z.array(segmentSchema).min(1, "needs at least one segment"),
  })
  .strict();

export type PopulationSpec = z.infer<typeof populationSchema>;

export interface CompiledSegment {
  name: string;
  value: string;
  share: number;
  /** RPC probability per attempt in each local hour of week (Monday 00:00 = slot 0). */
  rpc: Float64Array;
}

export interface Population {
  spec: PopulationSpec;
  startMs: number;
  segments: CompiledSegment[];
}

function dayRange(days: string): number[] {
  const [first, last = first] = days.split("-") as [string, string?];
  const a = DAY_NAMES.indexOf(first as (typeof DAY_NAMES)[number]);
  const b = DAY_NAMES.indexOf(last as (typeof DAY_NAMES)[number]);
  const out: number[] = [];
  for (let d = a; ; d = (d + 1) % 7) {
    out.push(d);
    if (d === b) break;
  }
  return out;
}

/**
 * Checks what zod cannot say field by field, every problem at once: shares that do not add up
 * to 1, two segments with one name or one column value (overlapping: the list could not tell
 * them apart), two ranges of one segment's hours claiming the same hour.
 */
function crossChecks(spec: PopulationSpec): InputProblem[] {
  const problems: InputProblem[] = [];
  const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
  if (Math.abs(sum(spec.segments.map((s) => s.share)) - 1) > 1e-6)
    problems.push({ field: "segments", rule: "the segments' shares must add up to 1" });
  if (Math.abs(sum(spec.areas.map((a) => a.share)) - 1) > 1e-6)
    problems.push({ field: "areas", rule: "the areas' shares must add up to 1" });
  const names = new Map<string, number>();
  const values = new Map<string, number>();
  spec.segments.forEach((segment, i) => {
    const sameName = names.get(segment.name);
    if (sameName !== undefined)
      problems.push({
        field: `segments.${i}.name`,
        rule: `overlaps segments.${sameName}: two segments named "${segment.name}"`,
      });
    names.set(segment.name, i);
    const value = segment.value ?? segment.name;
    const sameValue = values.get(value);
    if (sameValue !== undefined)
      problems.push({
        field: `segments.${i}.value`,
        rule: `overlaps segments.${sameValue}: both show "${value}" in the list column, so no list could tell them apart`,
      });
    values.set(value, i);
    const owner = new Int32Array(HOURS_OF_WEEK).fill(-1);
    segment.hours.forEach((range, j) => {
      for (const day of dayRange(range.days))
        for (let hour = range.from; hour < range.to; hour++) {
          const slot = day * 24 + hour;
          const before = owner[slot] as number;
          if (before >= 0) {
            problems.push({
              field: `segments.${i}.hours.${j}`,
              rule: `overlaps segments.${i}.hours.${before} (${DAY_NAMES[day]} ${hour}:00 is in both)`,
            });
            return;
          }
          owner[slot] = j;
        }
    });
  });
  return problems;
}

function compileSegment(segment: PopulationSpec["segments"][number]): CompiledSegment {
  const rpc = new Float64Array(HOURS_OF_WEEK).fill(segment.otherHours * segment.rightParty);
  for (const range of segment.hours)
    for (const day of dayRange(range.days))
      for (let hour = range.from; hour < range.to; hour++)
        rpc[day * 24 + hour] = range.answer * segment.rightParty;
  return { name: segment.name, value: segment.value ?? segment.name, share: segment.share, rpc };
}

/** Validates a parsed population document; problems name the field (prefixed by `flag`). */
export function compilePopulation(document: unknown, flag = "population"): Population {
  const spec = parseInput(document, populationSchema, flag);
  const problems = crossChecks(spec);
  if (problems.length > 0) throw new InputError(problems);
  return { spec, startMs: Date.parse(spec.start), segments: spec.segments.map(compileSegment) };
}

/** Reads, validates and compiles a population file (.yaml/.yml/.json). */
export function loadPopulationFile(path: string, flag = "population"): Population {
  const spec = loadInputFile(path, populationSchema, flag);
  const problems = crossChecks(spec);
  if (problems.length > 0) throw new InputError(problems);
  return { spec, startMs: Date.parse(spec.start), segments: spec.segments.map(compileSegment) };
}

/** The same population with another list accuracy or history share (the bench's variants). */
export function withList(
  population: Population,
  change: { accuracy?: number; historyShare?: number },
): Population {
  const list = population.spec.list;
  return {
    ...population,
    spec: {
      ...population.spec,
      list: {
        ...list,
        observable: { ...list.observable, accuracy: change.accuracy ?? list.observable.accuracy },
        history: { ...list.history, share: change.historyShare ?? list.history.share },
      },
    },
  };
}
