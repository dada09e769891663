import { z } from "zod";
import type { InputProblem } from "../../core/input-error.ts";
import { zodProblems } from "../../core/input-file.ts";

/** A decimal number as a flag may spell it (no hex, no Infinity, no empty text). */
export const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A flag's text as a number checked by `check`, or the rule it broke. */
export function numberFlag(rule: string, check: (n: number) => boolean) {
  return z
    .string()
    .trim()
    .refine((text) => NUMBER.test(text), { message: `must be a number (${rule})` })
    .transform(Number)
    .refine((n) => Number.isFinite(n) && check(n), { message: rule });
}

/** A whole number from `min` to `max` (`unit`: what it counts, named in the rule, e.g. "days"). */
export function wholeNumberFlag(min: number, max: number, unit?: string) {
  return numberFlag(
    `must be a whole number${unit === undefined ? "" : ` of ${unit}`} from ${min} to ${max}`,
    (n) => Number.isInteger(n) && n >= min && n <= max,
  );
}

export const positive = numberFlag("must be above 0", (n) => n > 0);
export const nonNegative = numberFlag("must be 0 or more", (n) => n >= 0);
export const agentsFlag = wholeNumberFlag(1, 100_000);
/** A seed of the benches' random numbers. */
export const seedFlag = numberFlag(
  "must be a whole number from 0 to 2^31",
  (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 31,
);
export const probability = numberFlag("must be above 0 and at most 1", (n) => n > 0 && n <= 1);

/** Schema problems named by the flag the user typed (`names`: option key → flag). */
export function flagProblems(error: z.ZodError, names: Record<string, string>): InputProblem[] {
  return zodProblems(error).map((p) => ({
    field: names[p.field] ?? p.field,
    rule: p.rule.startsWith("Invalid input: expected string, received undefined") ? "is required" : p.rule,
  }));
}
