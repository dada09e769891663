import { realpathSync, statSync } from "node:fs";
import path from "node:path";
import { readBoundedFile } from "../input-file.ts";
import { ConfigError } from "./errors.ts";
import {
  apiUserLabel,
  CREDENTIAL_KEYS,
  SECRET_KEYS,
  SHARED_API_USER_RULE,
  secretSource,
  sharedApiUser,
  tenantStoreOf as storeOfTenant,
  TENANT_NAME_PATTERN,
  TENANT_NAME_RULE,
} from "./tenant-identity.ts";

/**
 * Several business units (tenants) from one config file. `tenants:` names each one with its own
 * platform, connection settings, credentials, time zone, tenant profile and destinations; a run
 * works for ONE of them, chosen by `--tenant NAME` / `CXO_TENANT` (or the only one configured).
 * The chosen tenant is folded into the ordinary settings tree here, before the environment and
 * the flags are layered on, so everything below the config layer keeps seeing one `cxone` block.
 *
 * What keeps one business unit from acting with another's credentials:
 * - a credential never comes from the environment once tenants are configured (a stray
 *   CXONE_ACCESS_KEY_SECRET is refused, not silently used for whichever tenant was chosen);
 * - another connection variable that contradicts the tenant's own value is refused;
 * - two tenants with the same API user (access key id or client id) are refused;
 * - a secret written inline in a config file that others can read is refused: secrets are
 *   references (`{env: NAME}` or `{file: PATH}`) or live in a 0600 file;
 * - each tenant has its own store (journal, audit chain, outbox, DNC copies): a directory
 *   `dataDir/tenants/NAME` on SQLite, a schema `cxo_NAME` on PostgreSQL (see `tenantStoreOf`).
 * No `tenants:` block: today's single-business-unit behaviour, unchanged.
 */

type Tree = Record<string, unknown>;

/** Keys a tenant block may hold. */
const TENANT_KEYS = new Set([
  "platform",
  "timeZone",
  "tenantProfile",
  "dataDir",
  "cxone",
  "destinations",
  "service",
  "consent",
  "compliance",
]);

/**
 * The `service.*` settings that name a business unit's campaigns: a tenant block may carry its
 * own (campaign ids belong to one business unit), and one `cxo serve` for several tenants takes
 * them from there only (service-tenants.ts refuses them at the top level).
 */
export const TENANT_SERVICE_KEYS = ["campaigns", "watchdogs", "exports"] as const;

/**
 * Every `service.*` key a tenant block may carry: its campaigns (above) and the secret CXone
 * signs that business unit's webhooks with. One secret for several business units would let a
 * delivery signed for one be replayed, byte for byte, into another (issue 63 N1).
 */
const TENANT_SERVICE_SETTINGS: readonly string[] = [...TENANT_SERVICE_KEYS, "webhookSecret"];

/** The environment variable of each `cxone.*` connection setting a tenant may carry. */
const CONNECTION_ENV: Record<string, string> = {
  platform: "CXONE_PLATFORM",
  baseUrl: "CXONE_BASE_URL",
  tokenUrl: "CXONE_TOKEN_URL",
  clientId: "CXONE_CLIENT_ID",
  clientSecret: "CXONE_CLIENT_SECRET",
  issuer: "CXONE_ISSUER",
  accessKeyId: "CXONE_ACCESS_KEY_ID",
  accessKeySecret: "CXONE_ACCESS_KEY_SECRET",
  tenantId: "CXONE_TENANT_ID",
  apiVersion: "CXONE_API_VERSION",
  area: "CXONE_AREA",
  accessKeyUrl: "CXONE_ACCESS_KEY_URL",
  tenantProfile: "CXONE_TENANT_PROFILE",
};

/**
 * Connection settings that say where requests and credentials go: from the tenant's block only.
 * One from the environment or a flag that filled a tenant's gap sent acme's bearer token to
 * another host (issue 63 N12); the same value as the tenant's is harmless and passes.
 */
const HOST_KEYS = new Set(["baseUrl", "tokenUrl", "issuer", "accessKeyUrl", "area"]);

const HOW = "tenants.NAME in the config file (docs/tenants.md)";

/** The most a secret file (`{file: PATH}`) may hold: a key or a token, never megabytes. */
const SECRET_FILE_BYTES = 64 * 1024;

function isMapping(value: unknown): value is Tree {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One tenant as `cxo tenants list` shows it (no secret, only where each comes from). */
export interface TenantSummary {
  name: string;
  platform: string;
  tenantId: string | null;
  apiUser: string | null;
  /** Where each secret comes from: `env:NAME`, `file:PATH` or `inline`. */
  secrets: Record<string, string>;
  timeZone: string | null;
  tenantProfile: string | null;
  store: string;
}

/** The tenants a config tree names, validated by shape (names, keys, secret references). */
export function tenantBlocks(tree: Tree, configFile: string): Map<string, Tree> {
  const raw = tree.tenants;
  const blocks = new Map<string, Tree>();
  if (raw === undefined || raw === null) return blocks;
  if (!isMapping(raw))
    throw new ConfigError("tenants", "must be a mapping of tenant name to its settings", HOW);
  const lowered = new Map<string, string>();
  for (const [name, block] of Object.entries(raw)) {
    if (!TENANT_NAME_PATTERN.test(name)) throw new ConfigError(`tenants.${name}`, TENANT_NAME_RULE, HOW);
    const twin = lowered.get(name.toLowerCase());
    if (twin) throw new ConfigError(`tenants.${name}`, `has the same name as tenants.${twin}`, HOW);
    lowered.set(name.toLowerCase(), name);
    if (!isMapping(block)) throw new ConfigError(`tenants.${name}`, "must be a mapping of settings", HOW);
    for (const key of Object.keys(block))
      if (!TENANT_KEYS.has(key))
        throw new ConfigError(
          `tenants.${name}.${key}`,
          `is not a tenant setting (known: ${[...TENANT_KEYS].join(", ")})`,
          HOW,
        );
    if (block.cxone !== undefined && !isMapping(block.cxone))
      throw new ConfigError(`tenants.${name}.cxone`, "must be a mapping of connection settings", HOW);
    if (block.destinations !== undefined && !isMapping(block.destinations))
      throw new ConfigError(`tenants.${name}.destinations`, "must be a mapping of destinations", HOW);
    checkServiceBlock(name, block.service);
    blocks.set(name, block);
  }
  checkDistinctApiUsers(blocks);
  checkInlineSecrets(blocks, configFile);
  const problem = webhookSecretProblems(
    isMapping(tree.service) ? tree.service.webhookSecret : undefined,
    [...blocks].map(([name, block]) => ({ name, secret: serviceOf(block).webhookSecret })),
    sameReference,
  )[0];
  if (problem) throw new ConfigError(problem.field, problem.rule, HOW);
  return blocks;
}

function serviceOf(block: Tree): Tree {
  return isMapping(block.service) ? block.service : {};
}

/** Two secret settings that name the same secret (before resolving: one inline value or one reference). */
function sameReference(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What is wrong with the webhook secrets of several business units (none for one, or none
 * configured): a shared `service.webhookSecret`, a tenant without its own while another has one
 * (the service's webhook routes are on), or two tenants with one secret. A delivery is bound to
 * its business unit by the secret it is signed with; a shared one would let a delivery signed
 * for acme act on globex. The config loader (on references) and `cxo serve` (on resolved
 * values, also for the SDK's `startService`) both ask this; neither ever quotes a secret.
 */
export function webhookSecretProblems(
  shared: unknown,
  tenants: ReadonlyArray<{ name: string; secret: unknown }>,
  same: (a: unknown, b: unknown) => boolean = (a, b) => a === b,
): Array<{ field: string; rule: string }> {
  if (tenants.length < 2) return [];
  const names = tenants.map((t) => t.name).join(", ");
  const problems: Array<{ field: string; rule: string }> = [];
  if (shared !== undefined)
    problems.push({
      field: "service.webhookSecret",
      rule: `is one secret for every business unit (${names}): a delivery signed for one would be accepted by every other; give each its own tenants.NAME.service.webhookSecret instead`,
    });
  const withSecret = tenants.filter((t) => t.secret !== undefined);
  if (withSecret.length > 0 || shared !== undefined)
    for (const tenant of tenants)
      if (tenant.secret === undefined)
        problems.push({
          field: `tenants.${tenant.name}.service.webhookSecret`,
          rule: `is required: several business units are configured (${names}) and the service receives webhooks, so each needs the secret its own CXone signs with`,
        });
  withSecret.forEach((tenant, index) => {
    const twin = withSecret.slice(0, index).find((other) => same(other.secret, tenant.secret));
    if (twin)
      problems.push({
        field: `tenants.${tenant.name}.service.webhookSecret`,
        rule: `is the same secret as tenants.${twin.name}.service.webhookSecret: each business unit needs its own, or a delivery signed for one acts on the other`,
      });
  });
  return problems;
}

function checkServiceBlock(name: string, service: unknown): void {
  if (service === undefined) return;
  if (!isMapping(service))
    throw new ConfigError(`tenants.${name}.service`, "must be a mapping of service settings", HOW);
  for (const key of Object.keys(service))
    if (!TENANT_SERVICE_SETTINGS.includes(key))
      throw new ConfigError(
        `tenants.${name}.service.${key}`,
        `is not a tenant's service setting (known: ${TENANT_SERVICE_SETTINGS.join(", ")}; the others are the installation's, under service:)`,
        HOW,
      );
}

/**
 * Two business units never share an API user: a copy-paste slip would act on the wrong one
 * (the rule and its wording: tenant-identity.ts, the same for the SDK's Tenants).
 */
function checkDistinctApiUsers(blocks: Map<string, Tree>): void {
  const shared = sharedApiUser(
    [...blocks].map(([name, block]) => [
      name,
      { ...((block.cxone ?? {}) as Tree), platform: platformOf(block) },
    ]),
  );
  if (shared)
    throw new ConfigError(
      `tenants.${shared.name}.cxone.${shared.key}`,
      SHARED_API_USER_RULE(shared.other, shared.key),
      HOW,
    );
}

/** Secret values in a tenant block: every `cxone.*Secret`, `destinations.*.secret` and `service.webhookSecret`. */
function secretFields(name: string, block: Tree): Array<{ setting: string; value: unknown }> {
  const fields: Array<{ setting: string; value: unknown }> = [];
  const cxone = (block.cxone ?? {}) as Tree;
  for (const key of SECRET_KEYS)
    if (cxone[key] !== undefined) fields.push({ setting: `tenants.${name}.cxone.${key}`, value: cxone[key] });
  for (const [dest, settings] of Object.entries((block.destinations ?? {}) as Tree))
    if (isMapping(settings) && settings.secret !== undefined)
      fields.push({ setting: `tenants.${name}.destinations.${dest}.secret`, value: settings.secret });
  const webhookSecret = serviceOf(block).webhookSecret;
  if (webhookSecret !== undefined)
    fields.push({ setting: `tenants.${name}.service.webhookSecret`, value: webhookSecret });
  return fields;
}

/** The mode bits others than the owner have on a config or secret file (0 when it is not a file). */
function othersCanRead(file: string): number {
  if (file === "-") return 0;
  try {
    return statSync(file).mode & 0o077;
  } catch {
    return 0;
  }
}

/** The file's mode as `ls -l` users know it, from the group/others bits found (owner assumed rw). */
const modeText = (loose: number): string => (0o666 & (loose | 0o600)).toString(8).padStart(4, "0");

function checkInlineSecrets(blocks: Map<string, Tree>, configFile: string): void {
  const loose = othersCanRead(configFile);
  for (const [name, block] of blocks)
    for (const { setting, value } of secretFields(name, block)) {
      if (typeof value === "string") {
        if (loose)
          throw new ConfigError(
            setting,
            `is written inline in ${path.basename(configFile)}, which its group or others can read (mode ${modeText(loose)}): give it as {env: VARIABLE} or {file: PATH} (a 0600 file), or chmod 600 the file`,
            HOW,
          );
        continue;
      }
      if (!isSecretRef(value))
        throw new ConfigError(
          setting,
          "must be {env: VARIABLE} or {file: PATH} (or a string in a 0600 file)",
          HOW,
        );
    }
}

type SecretRef = { env: string } | { file: string };

function isSecretRef(value: unknown): value is SecretRef {
  if (!isMapping(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  return (
    (keys[0] === "env" && typeof value.env === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value.env)) ||
    (keys[0] === "file" && typeof value.file === "string" && value.file.length > 0)
  );
}

/** A secret's value: itself when inline, else the variable's or the file's (trimmed) content. */
function resolveSecret(setting: string, value: unknown, env: NodeJS.ProcessEnv, configDir: string): string {
  if (typeof value === "string") return value;
  const ref = value as SecretRef;
  if ("env" in ref) {
    const found = env[ref.env];
    if (found === undefined || found === "")
      throw new ConfigError(setting, `names the environment variable ${ref.env}, which is not set`, HOW);
    return found;
  }
  const file = path.resolve(configDir, ref.file);
  // The rule an inline secret follows (checkInlineSecrets): a secret no one else may read. A
  // secret file its group or others can read is as exposed as an inline secret in a 0644 config.
  const loose = othersCanRead(file);
  if (loose)
    throw new ConfigError(
      setting,
      `names the file ${file}, which its group or others can read (mode ${modeText(loose)}): chmod 600 it`,
      HOW,
    );
  try {
    // A secret is a line: a regular file, and never more than SECRET_FILE_BYTES read (/dev/zero).
    const text = readBoundedFile(
      file,
      SECRET_FILE_BYTES,
      file,
      (rule) => new ConfigError(setting, `names the file ${rule}`, HOW),
    )
      .toString("utf8")
      .trim();
    if (text === "") throw new ConfigError(setting, `names the file ${file}, which is empty`, HOW);
    return text;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      setting,
      `names the file ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      HOW,
    );
  }
}

/**
 * The top-level secrets (outside `tenants:`) given as references, `{env: NAME}` or `{file:
 * PATH}`, resolved the way a tenant's are: a secret need not be written in the config file
 * whatever its place (issue 63 N13). A string stays as it is; anything else is the schema's to
 * refuse.
 */
export function resolveTopLevelSecrets(
  tree: Tree,
  env: NodeJS.ProcessEnv,
  configFile: string,
  cwd: string,
): void {
  const configDir = configFile === "-" ? cwd : path.dirname(configFile);
  const resolve = (node: unknown, key: string, setting: string) => {
    if (!isMapping(node) || !isSecretRef(node[key])) return;
    node[key] = resolveSecret(setting, node[key], env, configDir);
  };
  resolve(tree.cxone, "clientSecret", "cxone.clientSecret");
  resolve(tree.cxone, "accessKeySecret", "cxone.accessKeySecret");
  resolve(tree.service, "webhookSecret", "service.webhookSecret");
  resolve(tree.service, "accessToken", "service.accessToken");
  resolve(tree.audit, "anchorKey", "audit.anchorKey");
  if (isMapping(tree.compliance)) resolve(tree.compliance.rnd, "clientSecret", "compliance.rnd.clientSecret");
  if (isMapping(tree.destinations))
    for (const [name, destination] of Object.entries(tree.destinations))
      resolve(destination, "secret", `destinations.${name}.secret`);
}

/** The platform a tenant block names (`platform:` or `cxone.platform`), default `seed`. */
function platformOf(block: Tree): string {
  const cxone = (block.cxone ?? {}) as Tree;
  const value = block.platform ?? cxone.platform ?? "seed";
  return String(value);
}

/** Where a tenant's store lives (tenant-identity.ts): its own `dataDir`, else DATA_DIR/tenants/NAME. */
export function tenantStoreOf(
  name: string,
  dataDir: string,
  block: Tree,
): { dataDir: string; schema: string } {
  return storeOfTenant(name, {
    dataDir,
    ownDataDir: typeof block.dataDir === "string" ? block.dataDir : undefined,
  });
}

/**
 * Where a store really is: the real path of its directory, or of its nearest existing ancestor
 * with the rest appended (a store not made yet). Two spellings of one directory — a symbolic
 * link, `..`, a bind of the parent — are one store (issue 63 N8: compared as resolved strings,
 * a linked alias let two tenants share one through the CLI).
 */
export function storeIdentity(dir: string): string {
  let existing = path.resolve(dir);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(dir);
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}

/**
 * A tenant whose store (its identity, storeIdentity) is the installation's or another tenant's:
 * every store row is its tenant's by construction, or nothing is. The one check, for the config
 * loader and for `cxo serve` (startService's settings may come from the SDK).
 */
export function sharedStoreProblems(
  installation: string,
  tenants: ReadonlyArray<{ name: string; identity: string }>,
): Array<{ field: string; rule: string }> {
  const owners = new Map<string, string>([[installation, "the installation"]]);
  const problems: Array<{ field: string; rule: string }> = [];
  for (const { name, identity } of tenants) {
    const other = owners.get(identity);
    if (other)
      problems.push({
        field: `tenants.${name}.dataDir`,
        rule: `is the store of ${other}: each business unit needs its own (leave dataDir unset for DATA_DIR/tenants/${name})`,
      });
    else owners.set(identity, `tenant ${name}`);
  }
  return problems;
}

export function summarizeTenants(tree: Tree, configFile: string): TenantSummary[] {
  const blocks = tenantBlocks(tree, configFile);
  const dataDir = typeof tree.dataDir === "string" ? tree.dataDir : "./.cxo";
  const storeUrl = isMapping(tree.store) && typeof tree.store.url === "string";
  return [...blocks].map(([name, block]) => {
    const cxone = (block.cxone ?? {}) as Tree;
    const secrets: Record<string, string> = {};
    for (const key of SECRET_KEYS) if (cxone[key] !== undefined) secrets[key] = secretSource(cxone[key]);
    const store = tenantStoreOf(name, dataDir, block);
    return {
      name,
      platform: platformOf(block),
      tenantId: typeof cxone.tenantId === "string" ? cxone.tenantId : null,
      apiUser: apiUserLabel(cxone) ?? null,
      secrets,
      timeZone: typeof block.timeZone === "string" ? block.timeZone : null,
      tenantProfile:
        typeof block.tenantProfile === "string"
          ? block.tenantProfile
          : typeof cxone.tenantProfile === "string"
            ? cxone.tenantProfile
            : null,
      store: storeUrl ? `schema ${store.schema}` : store.dataDir,
    };
  });
}

/** The tenant a run works for, with its block (what placeTenantStore needs after the flags). */
export interface ChosenTenant {
  name: string;
  block: Tree;
  /** Every configured tenant's block: no two may share a store (placeTenantStore checks). */
  blocks: Map<string, Tree>;
}

/** How the loader names the tenant choice in its errors (the flag lives in tree.ts's table). */
export interface TenantChoiceNaming {
  field: string;
  hint: string;
}

/** The tenant a run works for: the flag, else CXO_TENANT, else the only one configured. */
export function chooseTenant(
  blocks: Map<string, Tree>,
  asked: string | undefined,
  configFile: string,
  naming: TenantChoiceNaming,
): string | undefined {
  const { field, hint } = naming;
  const names = [...blocks.keys()];
  if (asked !== undefined && asked !== "") {
    if (blocks.size === 0)
      throw new ConfigError(
        field,
        `names ${JSON.stringify(asked)}, but ${path.basename(configFile)} configures no tenants`,
        "tenants: in the config file (docs/tenants.md)",
      );
    if (!blocks.has(asked))
      throw new ConfigError(
        field,
        `${JSON.stringify(asked)} is not a configured tenant (configured: ${names.join(", ")})`,
        hint,
      );
    return asked;
  }
  if (blocks.size === 0) return undefined;
  if (blocks.size === 1) return names[0];
  throw new ConfigError(
    field,
    `several tenants are configured (${names.join(", ")}): name the one this command is for`,
    hint,
  );
}

/**
 * Folds the chosen tenant into `tree` (in place): its connection settings become `cxone`, its
 * destinations join the shared ones, its time zone the service's, and its store its own.
 * Refuses a credential from the environment and any connection variable that contradicts it.
 */
export function applyTenant(
  tree: Tree,
  options: {
    asked: string | undefined;
    env: NodeJS.ProcessEnv;
    configFile: string;
    cwd: string;
    naming: TenantChoiceNaming;
    /**
     * The run's connection flags by `cxone.*` key, each with the flag's name (the loader's table,
     * tree.ts): refused and allowed as the environment's variables are.
     */
    flags?: Readonly<Record<string, { flag: string; value: string | undefined }>>;
  },
): ChosenTenant | undefined {
  const blocks = tenantBlocks(tree, options.configFile);
  delete tree.tenants;
  const name = chooseTenant(blocks, options.asked, options.configFile, options.naming);
  if (name === undefined) return undefined;
  const block = blocks.get(name)!;
  const configDir = options.configFile === "-" ? options.cwd : path.dirname(options.configFile);
  const cxone: Tree = { ...(isMapping(tree.cxone) ? tree.cxone : {}) };
  for (const key of CREDENTIAL_KEYS) delete cxone[key]; // the shared block's credentials never apply
  for (const [key, value] of Object.entries((block.cxone ?? {}) as Tree))
    cxone[key] = SECRET_KEYS.has(key)
      ? resolveSecret(`tenants.${name}.cxone.${key}`, value, options.env, configDir)
      : value;
  if (block.platform !== undefined) cxone.platform = block.platform;
  if (block.tenantProfile !== undefined) cxone.tenantProfile = block.tenantProfile;
  guardOverrides(name, cxone, options.env, options.flags ?? {});
  requireCredentials(name, cxone);
  tree.cxone = cxone;

  const destinations: Tree = { ...(isMapping(tree.destinations) ? tree.destinations : {}) };
  for (const [dest, settings] of Object.entries((block.destinations ?? {}) as Tree)) {
    const copy = isMapping(settings) ? { ...settings } : settings;
    if (isMapping(copy) && copy.secret !== undefined)
      copy.secret = resolveSecret(
        `tenants.${name}.destinations.${dest}.secret`,
        copy.secret,
        options.env,
        configDir,
      );
    destinations[dest] = copy;
  }
  tree.destinations = destinations;

  if (block.timeZone !== undefined || block.service !== undefined) {
    const service: Tree = { ...(isMapping(tree.service) ? tree.service : {}) };
    if (block.timeZone !== undefined) service.timeZone = block.timeZone;
    const own = { ...serviceOf(block) };
    if (own.webhookSecret !== undefined)
      own.webhookSecret = resolveSecret(
        `tenants.${name}.service.webhookSecret`,
        own.webhookSecret,
        options.env,
        configDir,
      );
    Object.assign(service, own);
    tree.service = service;
  }
  // The consent ledger's settings (seller, CXone DNC group) are the tenant's own, over the shared ones.
  if (isMapping(block.consent))
    tree.consent = { ...(isMapping(tree.consent) ? tree.consent : {}), ...block.consent };
  // A tenant's seller holds its own state registrations (issue 79 §2): they replace the shared ones.
  if (isMapping(block.compliance))
    tree.compliance = { ...(isMapping(tree.compliance) ? tree.compliance : {}), ...block.compliance };
  if (blocks.size > 1) guardSharedWebhookSecret(name, blocks, tree, options.env, configDir);
  tree.tenant = name;
  return { name, block, blocks };
}

/**
 * Puts the chosen tenant's store in its namespace, once the environment and the flags are
 * layered: `CXO_DATA_DIR` / `--data-dir` name the base every tenant's store goes below, never
 * one store that several business units would share.
 */
export function placeTenantStore(tree: Tree, chosen: ChosenTenant | undefined, cwd: string): void {
  if (!chosen) return;
  const dataDir = typeof tree.dataDir === "string" ? tree.dataDir : "./.cxo";
  // On PostgreSQL each tenant's store is the schema of its name: distinct by construction.
  if (!(isMapping(tree.store) && typeof tree.store.url === "string")) {
    const problem = sharedStoreProblems(
      storeIdentity(path.resolve(cwd, dataDir)),
      [...chosen.blocks].map(([name, block]) => ({
        name,
        identity: storeIdentity(path.resolve(cwd, tenantStoreOf(name, dataDir, block).dataDir)),
      })),
    )[0];
    if (problem) throw new ConfigError(problem.field, problem.rule, HOW);
  }
  const store = tenantStoreOf(chosen.name, dataDir, chosen.block);
  tree.dataDir = store.dataDir;
  tree.store = { ...(isMapping(tree.store) ? tree.store : {}), schema: store.schema };
}

/**
 * The environment and the flags layered over a tenant's connection, one rule for both: a
 * credential is refused outright, a host (HOST_KEYS) unless it is the tenant's own value, any
 * other setting when it contradicts the tenant's (one that fills a gap is used).
 */
function guardOverrides(
  name: string,
  cxone: Tree,
  env: NodeJS.ProcessEnv,
  flags: Readonly<Record<string, { flag: string; value: string | undefined }>>,
): void {
  for (const key of new Set([...Object.keys(CONNECTION_ENV), ...Object.keys(flags)])) {
    const sources: Array<{ via: string; value: string | undefined; verb: string; undo: string }> = [
      {
        via: CONNECTION_ENV[key] ?? "",
        value: env[CONNECTION_ENV[key] ?? ""],
        verb: "is set",
        undo: "unset",
      },
      { via: flags[key]?.flag ?? "", value: flags[key]?.value, verb: "is given", undo: "leave out" },
    ];
    for (const { via, value, verb, undo } of sources) {
      if (!via || value === undefined || value === "") continue;
      if ((CREDENTIAL_KEYS as readonly string[]).includes(key))
        throw new ConfigError(
          via,
          `${verb}, but with tenants configured each business unit's credentials come from its own block (tenants.${name}.cxone.${key}${
            via.startsWith("CXONE_")
              ? `, e.g. {env: ${name.toUpperCase().replaceAll("-", "_")}_${via.replace(/^CXONE_/, "")}}`
              : ""
          }): ${undo} ${via}`,
          HOW,
        );
      // A tenant's platform is its own even unset (seed): another would send its credentials elsewhere.
      const own = key === "platform" ? (cxone.platform ?? "seed") : cxone[key];
      if (own === undefined && HOST_KEYS.has(key))
        throw new ConfigError(
          via,
          `${verb}, but a business unit's hosts come from its own block, never from the environment or a flag: set tenants.${name}.cxone.${key} and ${undo} ${via}`,
          HOW,
        );
      if (own !== undefined && String(own) !== value)
        throw new ConfigError(
          via,
          `is ${JSON.stringify(value)}, but tenant ${name} sets cxone.${key} to ${JSON.stringify(String(own))}: ${undo} ${via} or change the tenant`,
          HOW,
        );
    }
  }
}

/**
 * With several business units configured, the webhook secret comes from each tenant's block:
 * `CXO_SERVICE_WEBHOOK_SECRET` would be one secret for all of them (refused like a credential in
 * the environment), and another tenant whose secret resolves to the chosen one's is refused
 * (one that cannot be resolved here, e.g. another host's variable, is that tenant's run's to check).
 */
function guardSharedWebhookSecret(
  name: string,
  blocks: Map<string, Tree>,
  tree: Tree,
  env: NodeJS.ProcessEnv,
  configDir: string,
): void {
  const variable = "CXO_SERVICE_WEBHOOK_SECRET";
  if (env[variable])
    throw new ConfigError(
      variable,
      `is set, but several business units are configured (${[...blocks.keys()].join(", ")}) and one secret for all would let a delivery signed for one act on another: give each tenants.NAME.service.webhookSecret and unset ${variable}`,
      HOW,
    );
  const mine = isMapping(tree.service) ? tree.service.webhookSecret : undefined;
  if (mine === undefined) return;
  const resolved = [...blocks].map(([other, block]) => {
    const value = serviceOf(block).webhookSecret;
    if (value === undefined || other === name)
      return { name: other, secret: other === name ? mine : undefined };
    try {
      return { name: other, secret: resolveSecret(other, value, env, configDir) };
    } catch {
      return { name: other, secret: undefined };
    }
  });
  const twin = webhookSecretProblems(
    undefined,
    resolved.filter((t) => t.secret !== undefined),
  )[0];
  if (twin) throw new ConfigError(twin.field, twin.rule, HOW);
}

function requireCredentials(name: string, cxone: Tree): void {
  const platform = String(cxone.platform ?? "seed");
  const has = (key: string) => typeof cxone[key] === "string" && cxone[key] !== "";
  const application = has("clientId") && has("clientSecret");
  const accessKey = has("accessKeyId") && has("accessKeySecret");
  if (platform === "cxone" ? application || accessKey : application) return;
  throw new ConfigError(
    `tenants.${name}.cxone`,
    platform === "cxone"
      ? "has no credentials: set accessKeyId and accessKeySecret (or clientId and clientSecret)"
      : "has no credentials: set clientId and clientSecret",
    HOW,
  );
}
