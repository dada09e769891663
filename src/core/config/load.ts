import path from "node:path";
import type { z } from "zod";
import { InputError } from "../input-error.ts";
import { ConfigError } from "./errors.ts";
import { quickSettings } from "./quick.ts";
import { type Settings, settingsSchema } from "./schema.ts";
import { howToSet, type SettingSources, type SettingsInput, settingsInput } from "./tree.ts";

export { DEFAULT_CONFIG_FILE, howToSet, type SettingFlags, type SettingSources } from "./tree.ts";

/**
 * Resolves settings from flags > environment > config file > defaults, validated by one zod schema.
 * A missing or malformed value raises ConfigError naming the setting and how to set it.
 */

/** The value at `path` in the raw settings tree (undefined when absent). */
function valueAt(tree: unknown, path: readonly PropertyKey[]): unknown {
  let node = tree;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function firstIssueAsError(error: z.ZodError, configFile: string, tree: unknown): ConfigError {
  const issue = error.issues[0]!;
  const settingPath = issue.path.join(".") || "(config)";
  // zod does not keep the input in its issues: look the value up, so a value of the wrong type
  // ("fast" for a number) is not reported as missing.
  const given = valueAt(tree, issue.path);
  const problem =
    issue.code === "invalid_type"
      ? given === undefined
        ? "is required"
        : `must be a ${issue.expected} (got ${JSON.stringify(given)})`
      : issue.message;
  return new ConfigError(settingPath, problem, howToSet(settingPath, configFile));
}

export function loadSettings(sources: SettingSources = {}): Settings {
  if (typeof sources !== "object" || sources === null)
    throw new InputError({ field: "sources", rule: "must be an object ({ env, flags, configFile, … })" });
  return settingsOf(settingsInput(sources));
}

/**
 * The settings of a layered tree. Defaults plus named values (the usual run) take the quick
 * path, which needs no schema and gives the same result (quick.ts); anything else, and every
 * invalid value, goes through the zod schema, which words the error.
 */
export function settingsOf(input: SettingsInput): Settings {
  return quickSettings(input) ?? schemaSettingsOf(input);
}

/** The reference: the whole tree through the zod schema (what the quick path must equal). */
export function schemaSettingsOf(input: SettingsInput): Settings {
  const { tree, configFile, cwd } = input;
  const result = settingsSchema.safeParse(tree);
  if (!result.success) throw firstIssueAsError(result.error, path.basename(configFile), tree);
  const settings = result.data;
  settings.dataDir = path.resolve(cwd, settings.dataDir);
  return settings;
}

export {
  accessKeyUrlOf,
  type CxoneConnection,
  type PlatformConnection,
  type ProductionConnection,
  type ProductionLogin,
  requireCxoneConnection,
  requirePlatformConnection,
  requireProductionConnection,
  resolveLogin,
} from "./connection.ts";
