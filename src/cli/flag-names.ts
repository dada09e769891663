import { InputError } from "../core/input-error.ts";

/**
 * The SDK names bad input by its own field paths (`agentId`, `dialerConfig.dialRatio`); the CLI
 * names the flag the user typed (`--agent`). `withFlagNames` runs `fn` and renames the fields of
 * an InputError it raises by `flags` (a field not in the map keeps its name; `tags[3]` maps
 * through `tags`), and a field a rule names in backticks (`` `updatedSince` ``) by its flag too.
 * Any other error's message names fields the same way (a remedy: "or use `history` FILE"): those
 * are renamed in a copy of it (the error thrown, perhaps kept by the caller, is left as it was).
 */
export async function withFlagNames<T>(flags: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw renameFields(error, flags);
  }
}

export function renameFields(error: unknown, flags: Record<string, string>): unknown {
  if (!(error instanceof InputError)) {
    if (!(error instanceof Error)) return error;
    const message = flagsInText(error.message, flags);
    return message === error.message ? error : saying(error, message);
  }
  const renamed = error.problems.map((problem) => ({
    ...problem,
    field: flags[problem.field] ?? flags[problem.field.replace(/\[\d+\]$/, "")] ?? problem.field,
    rule: flagsInText(problem.rule, flags),
  }));
  return Object.assign(new InputError(renamed), { stack: error.stack });
}

/** A copy of `error` (its class and every field of it: name, code, cause, stack) saying `message`. */
function saying(error: Error, message: string): Error {
  const copy = Object.create(Object.getPrototypeOf(error), Object.getOwnPropertyDescriptors(error)) as Error;
  Object.defineProperty(copy, "message", { value: message, writable: true, configurable: true });
  return copy;
}

/** `text` with each field it names in backticks (`` `tz` ``) written as the flag that sets it (`--tz`). */
export function flagsInText(text: string, flags: Record<string, string>): string {
  if (!text.includes("`")) return text;
  return Object.entries(flags).reduce((named, [field, flag]) => named.replaceAll(`\`${field}\``, flag), text);
}

/**
 * The global options' flags by the SDK's names: a message from below the CLI (the store's, the
 * settings') names the option (`` `dataDir` ``), and the CLI user reads the flag (exit-codes.ts).
 */
export const GLOBAL_FLAGS: Readonly<Record<string, string>> = { dataDir: "--data-dir" };

/** `withFlagNames` for a synchronous check. */
export function withFlagNamesSync<T>(flags: Record<string, string>, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw renameFields(error, flags);
  }
}
