import { InputError, type InputProblem } from "../core/input-error.ts";
import { ZONED_INSTANT_RULE, zonedInstantMs, zonedInstantProblem } from "../core/instant-input.ts";

/**
 * The instants of a port query (`from`, `to`, `updatedSince` …) as epoch ms by field, read by the
 * one rule for a date-time with a zone (src/core/instant-input.ts), so a caller of the raw port
 * (`portOf`) meets the same rule as the SDK and the CLI, which check first. `required` fields must
 * keep the rule; an `optional` one may be absent (undefined). Any other value (no zone, February
 * 30th, not a date-time) is refused before anything is sent: one InputError naming every bad field
 * in the rule's words.
 */
export function queryInstants<R extends string, O extends string = never>(
  required: Record<R, unknown>,
  optional?: Record<O, unknown>,
): Record<R, number> & Partial<Record<O, number>> {
  const read: Record<string, number> = {};
  const problems: InputProblem[] = [];
  const take = (field: string, value: unknown) => {
    const ms = zonedInstantMs(value);
    if (ms === undefined) problems.push({ field, rule: zonedInstantProblem(value) ?? ZONED_INSTANT_RULE });
    else read[field] = ms;
  };
  for (const [field, value] of Object.entries(required)) take(field, value);
  for (const [field, value] of Object.entries(optional ?? {})) if (value !== undefined) take(field, value);
  if (problems.length > 0) throw new InputError(problems);
  return read as Record<R, number> & Partial<Record<O, number>>;
}
