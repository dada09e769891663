import { z } from "zod";

/**
 * How the emulator reads the types of a request's values (knob `requestTypes`), as the live
 * platform answers the clients nobody on this project wrote (docs/emulator-cxone.md, "How it reads
 * requests"):
 * - `lenient` (the default): what those clients send and the platform takes. NICE's own QA
 *   automation (walterplaza/protractor `src/utilities/general/api-core.ts`, `getBodyString`)
 *   quotes every value and sends `""` for what it leaves out, and NICE's .NET binder takes that;
 *   the generated client (calljacob/nice-cxone-api) and a client run against live tenants
 *   (outboundani/cxone-mcp `src/tools.js`: "DNC records are {dncGroupRecords: [{phoneNumber:
 *   <integer>}]}", verified live) send phone numbers and ids as JSON numbers; the same MCP uploads
 *   with a date-only `expirationDate`.
 * - `strict`: the JSON types of the generated models only, for a tenant `cxo doctor` shows to be
 *   stricter (its profile sets the knob).
 *
 * Each route schema is built once per mode from one description (`bothWays`), so what a field
 * takes is written in one place and the knob only picks which of the two parses.
 */
export type RequestTypes = "lenient" | "strict";

export interface WireTypes {
  readonly mode: RequestTypes;
  /** A positive integer (an id, a count): lenient also as its digits in a string. */
  id(): z.ZodType<number>;
  /** A number: lenient also as its decimal text. */
  num(): z.ZodType<number>;
  /** A boolean: lenient also `"true"`/`"false"` in any case. */
  bool(): z.ZodType<boolean>;
  /**
   * A NANP number, 10 digits or 11 with the leading 1, or a UK one as 44 and its digits (assumed),
   * returned as digits: lenient also a JSON integer.
   */
  phone(): z.ZodType<string>;
  /** An identifier kept as text (an external id): lenient also a JSON number. */
  key(): z.ZodType<string>;
  /**
   * An instant, ISO 8601 with an offset: lenient also a date alone (`YYYY-MM-DD`, as the MCP sends
   * it live), read as the end of that day in UTC (assumed: no source says which zone or instant).
   */
  instant(): z.ZodType<string>;
  /** An optional field: absent or null; lenient also `""` (read as absent). */
  optional<T>(schema: z.ZodType<T>): z.ZodType<T | undefined>;
}

const DIGITS = /^\d+$/;
/** A NANP number's 10 digits (11 with the 1), or a UK one's 44 and its digits (assumed). */
const NANP = /^(1?\d{10}|44[1-9]\d{8,9})$/;

const strictTypes: WireTypes = {
  mode: "strict",
  id: () => z.number().int().positive(),
  num: () => z.number(),
  bool: () => z.boolean(),
  phone: () => z.string().regex(NANP, "must be 10 digits"),
  key: () => z.string().min(1),
  instant: () => z.iso.datetime({ offset: true }),
  optional: <T>(schema: z.ZodType<T>) =>
    schema
      .nullable()
      .optional()
      .transform((v) => v ?? undefined) as unknown as z.ZodType<T | undefined>,
};

const endOfDay = (date: string) => `${date}T23:59:59.999Z`;

const lenientTypes: WireTypes = {
  mode: "lenient",
  id: () =>
    z.union([
      z.number().int().positive(),
      z.string().trim().regex(DIGITS).transform(Number).pipe(z.number().int().positive()),
    ]),
  num: () =>
    z.union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^-?\d+(\.\d+)?$/)
        .transform(Number),
    ]),
  bool: () =>
    z.union([
      z.boolean(),
      z
        .string()
        .trim()
        .regex(/^(true|false)$/i)
        .transform((v) => v.toLowerCase() === "true"),
    ]),
  phone: () =>
    z
      .union([z.string(), z.number().int().nonnegative().transform(String)])
      .pipe(z.string().regex(NANP, "must be 10 digits")),
  key: () => z.union([z.string().min(1), z.number().transform(String)]),
  instant: () =>
    z.union([z.iso.datetime({ offset: true }), z.iso.date().transform(endOfDay)]) as z.ZodType<string>,
  optional: <T>(schema: z.ZodType<T>) =>
    z
      .union([z.literal(""), schema])
      .nullable()
      .optional()
      .transform((v) => (v === "" || v === null ? undefined : v)) as unknown as z.ZodType<T | undefined>,
};

/** One schema per mode from one description of the request. */
export function bothWays<T>(build: (t: WireTypes) => z.ZodType<T>): Record<RequestTypes, z.ZodType<T>> {
  return { lenient: build(lenientTypes), strict: build(strictTypes) };
}
