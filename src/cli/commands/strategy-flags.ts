import { existsSync } from "node:fs";
import { InputError } from "../../core/input-error.ts";
import { zonedInstantProblem, zonedInstantText } from "../../core/instant-input.ts";
import { checkOutput } from "../../strategy/files.ts";
import { columnOfKey, SEGMENT_KEYS, type SegmentKey } from "../../strategy/model-format.ts";

/** The flags `cxo strategy learn` and `plan` share, read and checked the same way. */

/**
 * A date-time flag as RFC 3339 (the same wall time and offset: what every reader takes), or the
 * input error of one given without a zone, or not one at all (core/instant-input.ts's rule).
 */
export function requireOffset(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const text = zonedInstantText(value);
  if (text === undefined) throw new InputError({ field: flag, rule: zonedInstantProblem(value) ?? "" });
  return text;
}

/** A flag's value, or the input error that says it is required (an empty value is none). */
export function requiredFlag(value: string | undefined, flag: string): string {
  if (!value) throw new InputError({ field: flag, rule: "is required" });
  return value;
}

export function freshOut(given: string | undefined, force: boolean | undefined, flag = "--out"): string {
  const out = requiredFlag(given, flag);
  if (existsSync(out) && !force)
    throw new InputError({ field: flag, rule: `${out} exists: pass --force to replace it` });
  // Its directory, and no link or directory in the way: refused before any work or write.
  checkOutput(out, flag);
  return out;
}

export function keysOf(text: string | undefined): SegmentKey[] | undefined {
  if (text === undefined) return undefined;
  const keys = text
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  const bad = keys.filter(
    (k) => !(SEGMENT_KEYS as readonly string[]).includes(k) && columnOfKey(k) === undefined,
  );
  if (bad.length > 0)
    throw new InputError({
      field: "--keys",
      rule: `${bad.join(", ")}: keys are ${SEGMENT_KEYS.join(", ")} or column:NAME (a list column)`,
    });
  return keys as SegmentKey[];
}

export function wholeNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new InputError({ field: flag, rule: "must be a whole number" });
  return Number(text);
}

/** `--history campaign` (no file of that name): the campaign's outcomes, through the platform. */
export const fromCampaign = (value: string): boolean => value === "campaign" && !existsSync(value);

/** A `--list` value that is no file and looks like an id (`--list 4012`): the platform's list. */
export const isPlatformList = (list: string): boolean =>
  !existsSync(list) && /^[A-Za-z0-9_-]{1,64}$/.test(list);
