import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { MAX_INPUT_DOCUMENT_BYTES, parseYaml, readBoundedFile } from "../input-file.ts";
import { ConfigError } from "./errors.ts";
import { resolveTopLevelSecrets } from "./secret-refs.ts";
import { applyTenant } from "./tenant-choice.ts";
import { applyTenantProfile } from "./tenant-profile.ts";
import { placeTenantStore } from "./tenant-stores.ts";
import { tenantBlocks } from "./tenants.ts";

/**
 * The raw settings tree of one run, before validation: the config file, then the environment,
 * then the flags, each layered over the one before (flags > environment > config file). Both
 * validators start from it: the zod schema (load.ts) and the quick path (quick.ts). No zod here.
 */

/** Command-line flags that map to settings (all optional; commander gives camelCase names). */
export interface SettingFlags {
  baseUrl?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  dataDir?: string;
  config?: string;
  logLevel?: string;
  platform?: string;
  issuer?: string;
  accessKeyId?: string;
  tenantId?: string;
  apiVersion?: string;
  /** The business unit of `tenants:` this run is for (`CXO_TENANT`). */
  tenant?: string;
}

export interface SettingSources {
  flags?: SettingFlags;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** The settings a user sets by name: where each lives in every source, for error messages. */
const NAMED_SETTINGS: Record<string, { env: string; flag: string }> = {
  "cxone.baseUrl": { env: "CXONE_BASE_URL", flag: "--base-url" },
  "cxone.tokenUrl": { env: "CXONE_TOKEN_URL", flag: "--token-url" },
  "cxone.clientId": { env: "CXONE_CLIENT_ID", flag: "--client-id" },
  "cxone.clientSecret": { env: "CXONE_CLIENT_SECRET", flag: "--client-secret" },
  "cxone.platform": { env: "CXONE_PLATFORM", flag: "--platform" },
  "cxone.issuer": { env: "CXONE_ISSUER", flag: "--issuer" },
  "cxone.accessKeyId": { env: "CXONE_ACCESS_KEY_ID", flag: "--access-key-id" },
  "cxone.accessKeySecret": { env: "CXONE_ACCESS_KEY_SECRET", flag: "" },
  "cxone.tenantId": { env: "CXONE_TENANT_ID", flag: "--tenant-id" },
  "cxone.apiVersion": { env: "CXONE_API_VERSION", flag: "--api-version" },
  "cxone.auth.mode": { env: "CXONE_AUTH", flag: "" },
  "cxone.area": { env: "CXONE_AREA", flag: "" },
  "cxone.accessKeyUrl": { env: "CXONE_ACCESS_KEY_URL", flag: "" },
  "cxone.tenantProfile": { env: "CXONE_TENANT_PROFILE", flag: "" },
  "cxone.auth.credentials": { env: "CXONE_AUTH_CREDENTIALS", flag: "" },
  "cxone.auth.encoding": { env: "CXONE_AUTH_ENCODING", flag: "" },
  "cxone.auth.scopes": { env: "CXONE_SCOPES", flag: "" },
  dataDir: { env: "CXO_DATA_DIR", flag: "--data-dir" },
  "store.url": { env: "CXO_DATABASE_URL", flag: "" },
  "service.instanceId": { env: "CXO_INSTANCE_ID", flag: "" },
  "log.level": { env: "CXO_LOG_LEVEL", flag: "--log-level" },
  "service.accessToken": { env: "CXO_SERVICE_TOKEN", flag: "--access-token" },
  "service.webhookSecret": { env: "CXO_SERVICE_WEBHOOK_SECRET", flag: "" },
  "audit.anchorKey": { env: "CXO_AUDIT_ANCHOR_KEY", flag: "" },
  "compliance.rnd.url": { env: "CXO_RND_URL", flag: "" },
  "compliance.rnd.clientId": { env: "CXO_RND_CLIENT_ID", flag: "" },
  "compliance.rnd.clientSecret": { env: "CXO_RND_CLIENT_SECRET", flag: "" },
};

export const DEFAULT_CONFIG_FILE = "cxo.config.yaml";

export function howToSet(settingPath: string, configFile = DEFAULT_CONFIG_FILE): string {
  const named = NAMED_SETTINGS[settingPath];
  const dest = /^destinations\.([^.]+)\.(url|secret)$/.exec(settingPath);
  const ways: string[] = [];
  if (named?.flag) ways.push(named.flag);
  if (named?.env) ways.push(named.env);
  if (dest) ways.push(`CXO_DEST_${dest[1]!.toUpperCase()}_${dest[2]!.toUpperCase()}`);
  ways.push(`${settingPath} in ${configFile}`);
  return ways.join(", ");
}

export type Tree = Record<string, unknown>;

function setPath(tree: Tree, dotted: string, value: unknown): void {
  const keys = dotted.split(".");
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Tree;
  }
  node[keys[keys.length - 1]!] = value;
}

// `--config -` reads standard input, once per process (it cannot be read twice).
let stdinText: string | undefined;
function readText(file: string): string {
  // A regular file, and never more than an input document's cap read (/dev/zero, a FIFO).
  if (file !== "-")
    return readBoundedFile(
      file,
      MAX_INPUT_DOCUMENT_BYTES,
      file,
      (rule) => new ConfigError("--config", rule, "--config FILE or CXO_CONFIG"),
    ).toString("utf8");
  stdinText ??= readFileSync(0, "utf8");
  return stdinText;
}

function readConfigFile(file: string, explicit: boolean): Tree {
  if (file !== "-" && !existsSync(file)) {
    if (explicit)
      throw new ConfigError("--config", `file ${file} does not exist`, "--config FILE or CXO_CONFIG");
    return {};
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(readText(file));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      "--config",
      `${file} is not valid YAML/JSON: ${(error as Error).message}`,
      "--config FILE",
    );
  }
  if (parsed == null) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(
      "--config",
      `${file} must hold a mapping of settings at the top level`,
      "--config FILE",
    );
  }
  return parsed as Tree;
}

/** Layers the environment over the file tree. Empty variables count as unset. */
function applyEnv(tree: Tree, env: NodeJS.ProcessEnv): void {
  // `cxone.auth: access-key` in a file is shorthand for `cxone.auth.mode`; spell it out so an
  // environment variable of the auth style (CXONE_AUTH_CREDENTIALS…) adds to it.
  const cxone = tree.cxone as Tree | undefined;
  if (cxone && typeof cxone === "object" && typeof cxone.auth === "string") cxone.auth = { mode: cxone.auth };
  for (const [settingPath, { env: name }] of Object.entries(NAMED_SETTINGS)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    setPath(
      tree,
      settingPath,
      settingPath === "cxone.auth.scopes" ? value.split(/[\s,]+/).filter(Boolean) : value,
    );
  }
  for (const [name, value] of Object.entries(env)) {
    const match = /^CXO_DEST_([A-Z0-9_]+?)_(URL|SECRET)$/.exec(name);
    if (!match || value === undefined || value === "") continue;
    setPath(tree, `destinations.${match[1]!.toLowerCase()}.${match[2]!.toLowerCase()}`, value);
  }
}

function applyFlags(tree: Tree, flags: SettingFlags): void {
  const map: Array<[keyof SettingFlags, string]> = [
    ["baseUrl", "cxone.baseUrl"],
    ["tokenUrl", "cxone.tokenUrl"],
    ["clientId", "cxone.clientId"],
    ["clientSecret", "cxone.clientSecret"],
    ["dataDir", "dataDir"],
    ["logLevel", "log.level"],
    ["platform", "cxone.platform"],
    ["issuer", "cxone.issuer"],
    ["accessKeyId", "cxone.accessKeyId"],
    ["tenantId", "cxone.tenantId"],
    ["apiVersion", "cxone.apiVersion"],
  ];
  for (const [flag, settingPath] of map) {
    const value = flags[flag];
    if (value !== undefined && value !== "") setPath(tree, settingPath, value);
  }
}

/** The run's `cxone.*` connection flags by key, each with its flag's name (for a tenant's guard). */
function connectionFlags(flags: SettingFlags): Record<string, { flag: string; value: string | undefined }> {
  const found: Record<string, { flag: string; value: string | undefined }> = {};
  for (const [settingPath, { flag }] of Object.entries(NAMED_SETTINGS)) {
    const key = settingPath.startsWith("cxone.") ? settingPath.slice("cxone.".length) : undefined;
    if (!key || !flag || !(key in flags)) continue;
    found[key] = { flag, value: flags[key as keyof SettingFlags] };
  }
  return found;
}

/** One run's layered tree, the config file it read (named in errors) and the directory relative paths start from. */
export interface SettingsInput {
  readonly tree: Tree;
  readonly configFile: string;
  readonly cwd: string;
}

/** The config file's own tree, no tenant chosen and nothing layered (what `cxo tenants list` reads). */
export function settingsInputWithoutTenant(sources: SettingSources = {}): SettingsInput {
  const env = sources.env ?? process.env;
  const flags = sources.flags ?? {};
  const cwd = sources.cwd ?? process.cwd();
  const explicitFile = flags.config ?? (env.CXO_CONFIG || undefined);
  const configFile = explicitFile === "-" ? "-" : path.resolve(cwd, explicitFile ?? DEFAULT_CONFIG_FILE);
  return { tree: readConfigFile(configFile, explicitFile !== undefined), configFile, cwd };
}

/** The layered tree of `sources` (reads the config file, if any). */
export function settingsInput(sources: SettingSources = {}): SettingsInput {
  const env = sources.env ?? process.env;
  const flags = sources.flags ?? {};
  const { tree, configFile, cwd } = settingsInputWithoutTenant(sources);
  resolveTopLevelSecrets(tree, env, configFile, cwd);
  const tenant = applyTenant(tree, {
    asked: flags.tenant ?? (env.CXO_TENANT || undefined),
    env,
    configFile,
    cwd,
    naming: { field: "--tenant", hint: "--tenant NAME or CXO_TENANT" },
    flags: connectionFlags(flags),
  });
  applyEnv(tree, env);
  applyFlags(tree, flags);
  placeTenantStore(tree, tenant, cwd);
  applyTenantProfile(tree, cwd);
  return { tree, configFile, cwd };
}

/**
 * The tenants one `cxo serve` serves together: every configured one when several are configured
 * and none is named (`--tenant` / `CXO_TENANT`); undefined otherwise (one business unit: a named
 * tenant, the only one, or no `tenants:` block — today's single-tenant service).
 */
export function servedTenantNames(sources: SettingSources = {}): string[] | undefined {
  const env = sources.env ?? process.env;
  const asked = sources.flags?.tenant ?? (env.CXO_TENANT || undefined);
  if (asked !== undefined && asked !== "") return undefined;
  const { tree, configFile } = settingsInputWithoutTenant(sources);
  const names = [...tenantBlocks(tree, configFile).keys()];
  return names.length > 1 ? names : undefined;
}

/**
 * The installation's own layered tree, for the parts of a multi-tenant service that belong to no
 * business unit (the HTTP front, its users and sessions): the config file without its `tenants:`
 * block, then the environment and the flags, and the top-level data dir / default schema as the
 * store. It holds no tenant's connection, so nothing is ever sent to CXone with it.
 */
export function installationSettingsInput(sources: SettingSources = {}): SettingsInput {
  const env = sources.env ?? process.env;
  const { tree, configFile, cwd } = settingsInputWithoutTenant(sources);
  tenantBlocks(tree, configFile); // checked the way a tenant's run checks it
  delete tree.tenants;
  resolveTopLevelSecrets(tree, env, configFile, cwd);
  applyEnv(tree, env);
  const flags = sources.flags ?? {};
  applyFlags(tree, {
    ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}),
    ...(flags.logLevel !== undefined ? { logLevel: flags.logLevel } : {}),
  });
  delete tree.cxone; // the installation speaks to no business unit: no connection, no credential
  return { tree, configFile, cwd };
}
