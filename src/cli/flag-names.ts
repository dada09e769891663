import { InputError } from "../core/input-error.ts";

/**
 * The SDK names bad input by its own field paths (`agentId`, `dialerConfig.dialRatio`); the CLI
 * names the flag the user typed (`--agent`). `withFlagNames` runs `fn` and renames the fields of
 * an InputError it raises by `flags` (a field not in the map keeps its name; `tags[3]` maps
 * through `tags`), and a field a rule names in backticks (`` `updatedSince` ``) by its flag too.
 */
export async function withFlagNames<T>(flags: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw renameFields(error, flags);
  }
}

export function renameFields(error: unknown, flags: Record<string, string>): unknown {
  if (!(error instanceof InputError)) return error;
  const renamed = error.problems.map((problem) => ({
    ...problem,
    field: flags[problem.field] ?? flags[problem.field.replace(/\[\d+\]$/, "")] ?? problem.field,
    rule: Object.entries(flags).reduce(
      (rule, [field, flag]) => rule.replaceAll(`\`${field}\``, flag),
      problem.rule,
    ),
  }));
  return Object.assign(new InputError(renamed), { stack: error.stack });
}

/** `withFlagNames` for a synchronous check. */
export function withFlagNamesSync<T>(flags: Record<string, string>, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw renameFields(error, flags);
  }
}
