import { existsSync } from "node:fs";
import path from "node:path";
import { parseYaml, readCappedText } from "../input-file.ts";
import { ConfigError } from "./errors.ts";

/**
 * The tenant profile (`cxo doctor --profile FILE`, docs/platforms.md): what one tenant was seen
 * to do, written by doctor and loaded by the adapter (`cxone.tenantProfile`,
 * `CXONE_TENANT_PROFILE`) and by the production emulator (`--profile`). Its layout:
 *
 *   profile: 1                 # the layout's version
 *   tenant: {…}                # who was probed, when, by which cxo (read by people)
 *   settings:                  # the adapter settings the tenant's behaviour settles
 *     productionApi: {…}       #   cxone.productionApi.* (under the config file: a value set
 *     auth: { mode: … }        #   there, in the environment or by a flag wins)
 *   facts: {…}                 # each probed fact, by name (the production emulator's knobs)
 *
 * This file reads the layout and layers `settings` under the run's settings; the facts are the
 * production adapter's vocabulary and are checked there (platform/cxone/doctor/facts.ts).
 */
export const TENANT_PROFILE_VERSION = 1;

const TOP_KEYS = ["profile", "tenant", "settings", "facts"] as const;
const SETTINGS_KEYS = ["productionApi", "auth"] as const;

export interface TenantProfileDocument {
  profile: number;
  tenant: Record<string, unknown>;
  settings: { productionApi?: Record<string, unknown>; auth?: Record<string, unknown> };
  facts: Record<string, unknown>;
}

const FIELD = "cxone.tenantProfile";
const HOW = "CXONE_TENANT_PROFILE or cxone.tenantProfile in the config file";

function mapping(value: unknown, where: string, file: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw new ConfigError(FIELD, `${file}: ${where} must be a mapping`, HOW);
  return value as Record<string, unknown>;
}

function refuseUnknown(
  value: Record<string, unknown>,
  known: readonly string[],
  where: string,
  file: string,
) {
  for (const key of Object.keys(value))
    if (!known.includes(key))
      throw new ConfigError(FIELD, `${file}: unknown key "${where}${key}" (known: ${known.join(", ")})`, HOW);
}

/** Reads and checks a profile's layout (not its facts' values). Missing file, bad YAML, unknown key: ConfigError. */
export function readTenantProfile(file: string): TenantProfileDocument {
  if (!existsSync(file)) throw new ConfigError(FIELD, `file ${file} does not exist`, HOW);
  let parsed: unknown;
  let text: string;
  try {
    text = readCappedText(file);
  } catch (error) {
    throw new ConfigError(FIELD, (error as Error).message, HOW);
  }
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(FIELD, `${file} is not valid YAML: ${(error as Error).message}`, HOW);
  }
  const top = mapping(parsed, "the document", file);
  refuseUnknown(top, TOP_KEYS, "", file);
  if (top.profile !== TENANT_PROFILE_VERSION)
    throw new ConfigError(
      FIELD,
      `${file}: "profile" must be ${TENANT_PROFILE_VERSION} (the layout this cxo reads; got ${JSON.stringify(top.profile)})`,
      HOW,
    );
  const settings = mapping(top.settings, "settings", file);
  refuseUnknown(settings, SETTINGS_KEYS, "settings.", file);
  return {
    profile: TENANT_PROFILE_VERSION,
    tenant: mapping(top.tenant, "tenant", file),
    settings: {
      ...(settings.productionApi !== undefined
        ? { productionApi: mapping(settings.productionApi, "settings.productionApi", file) }
        : {}),
      ...(settings.auth !== undefined ? { auth: mapping(settings.auth, "settings.auth", file) } : {}),
    },
    facts: mapping(top.facts, "facts", file),
  };
}

/** `value` under `over`: keys `over` already has win, mappings merge key by key. */
function layerUnder(over: Record<string, unknown>, value: Record<string, unknown>): void {
  for (const [key, under] of Object.entries(value)) {
    const mine = over[key];
    if (mine === undefined) over[key] = structuredClone(under);
    else if (isMapping(mine) && isMapping(under)) layerUnder(mine, under);
  }
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Layers the profile named by `cxone.tenantProfile` under `tree` (its settings below the config
 * file's, the environment's and the flags'). The path is resolved from `cwd` and kept absolute.
 */
export function applyTenantProfile(tree: Record<string, unknown>, cwd: string): void {
  const cxone = tree.cxone;
  if (!isMapping(cxone) || typeof cxone.tenantProfile !== "string" || cxone.tenantProfile === "") return;
  const file = path.resolve(cwd, cxone.tenantProfile);
  cxone.tenantProfile = file;
  const profile = readTenantProfile(file);
  // `cxone.auth: access-key` in the config is shorthand for the mode: spelt out before layering.
  if (typeof cxone.auth === "string") cxone.auth = { mode: cxone.auth };
  layerUnder(cxone, profile.settings);
}
