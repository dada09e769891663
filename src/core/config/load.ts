import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { z } from "zod";
import { ConfigError } from "./errors.ts";
import { type Settings, settingsSchema } from "./schema.ts";

/**
 * Resolves settings from flags > environment > config file > defaults, validated by one zod schema.
 * A missing or malformed value raises ConfigError naming the setting and how to set it.
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

type Tree = Record<string, unknown>;

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

// The YAML parser loads only when there is a config file to read (most CLI runs have none).
const require = createRequire(import.meta.url);
const parseYaml = (text: string): unknown => (require("yaml") as typeof import("yaml")).parse(text);

// `--config -` reads standard input, once per process (it cannot be read twice).
let stdinText: string | undefined;
function readText(file: string): string {
  if (file !== "-") return readFileSync(file, "utf8");
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
  const env = sources.env ?? process.env;
  const flags = sources.flags ?? {};
  const cwd = sources.cwd ?? process.cwd();
  const explicitFile = flags.config ?? (env.CXO_CONFIG || undefined);
  const configFile = explicitFile === "-" ? "-" : path.resolve(cwd, explicitFile ?? DEFAULT_CONFIG_FILE);

  const tree = readConfigFile(configFile, explicitFile !== undefined);
  applyEnv(tree, env);
  applyFlags(tree, flags);

  const result = settingsSchema.safeParse(tree);
  if (!result.success) throw firstIssueAsError(result.error, path.basename(configFile), tree);
  const settings = result.data;
  settings.dataDir = path.resolve(cwd, settings.dataDir);
  return settings;
}

/** The connection settings a command that talks to the seed API needs, all present. */
export interface CxoneConnection {
  platform: "seed";
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  auth: Settings["cxone"]["auth"];
}

/** The connection settings of NICE's production platform (access-key password grant + discovery). */
export interface ProductionConnection {
  platform: "cxone";
  issuer: string;
  clientId: string;
  clientSecret: string;
  accessKeyId: string;
  accessKeySecret: string;
  tenantId: string | undefined;
  apiVersion: string;
  /** Overrides the api_endpoint the tenant's discovery document names. */
  apiEndpoint: string | undefined;
  auth: Settings["cxone"]["auth"];
}

export type PlatformConnection = CxoneConnection | ProductionConnection;

function requireAll(entries: ReadonlyArray<readonly [string, string | undefined]>, why: string): void {
  for (const [key, value] of entries) if (!value) throw new ConfigError(key, why, howToSet(key));
}

export function requireCxoneConnection(settings: Settings): CxoneConnection {
  const { baseUrl, clientId, clientSecret, tokenUrl, auth } = settings.cxone;
  requireAll(
    [
      ["cxone.baseUrl", baseUrl],
      ["cxone.clientId", clientId],
      ["cxone.clientSecret", clientSecret],
    ],
    "is required to talk to CXone",
  );
  const base = baseUrl!.replace(/\/+$/, "");
  return {
    platform: "seed",
    baseUrl: base,
    tokenUrl: tokenUrl ?? `${base}/oauth/token`,
    clientId: clientId!,
    clientSecret: clientSecret!,
    auth,
  };
}

export function requireProductionConnection(settings: Settings): ProductionConnection {
  const c = settings.cxone;
  requireAll(
    [
      ["cxone.clientId", c.clientId],
      ["cxone.clientSecret", c.clientSecret],
      ["cxone.accessKeyId", c.accessKeyId],
      ["cxone.accessKeySecret", c.accessKeySecret],
    ],
    "is required to talk to CXone's production platform (cxone.platform = cxone)",
  );
  return {
    platform: "cxone",
    issuer: c.issuer.replace(/\/+$/, ""),
    clientId: c.clientId!,
    clientSecret: c.clientSecret!,
    accessKeyId: c.accessKeyId!,
    accessKeySecret: c.accessKeySecret!,
    tenantId: c.tenantId,
    apiVersion: c.apiVersion,
    apiEndpoint: c.baseUrl?.replace(/\/+$/, ""),
    auth: c.auth,
  };
}

/** The connection of the platform the settings select. */
export function requirePlatformConnection(settings: Settings): PlatformConnection {
  return settings.cxone.platform === "cxone"
    ? requireProductionConnection(settings)
    : requireCxoneConnection(settings);
}
