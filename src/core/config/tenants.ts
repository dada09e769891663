import path from "node:path";
import { ConfigError } from "./errors.ts";
import { isSecretRef, modeText, othersCanRead } from "./secret-refs.ts";
import { isMapping, platformOf, serviceOf, TENANTS_HINT, type Tree } from "./tenant-block.ts";
import {
  apiUserLabel,
  SECRET_KEYS,
  SHARED_API_USER_RULE,
  secretSource,
  sharedApiUser,
  TENANT_NAME_PATTERN,
  TENANT_NAME_RULE,
} from "./tenant-identity.ts";
import { tenantStoreOf } from "./tenant-stores.ts";

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
 *   `dataDir/tenants/NAME` on SQLite, a schema `cxo_NAME` on PostgreSQL (tenant-stores.ts).
 * No `tenants:` block: today's single-business-unit behaviour, unchanged.
 *
 * This file checks the `tenants:` block and lists it (`cxo tenants list`); choosing a tenant and
 * folding it into the run's settings is tenant-choice.ts's, its secrets secret-refs.ts's.
 */

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
  // Issue 100/101: the autopilot runs one business unit's campaigns (a skill id is one unit's).
  "autopilot",
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
    throw new ConfigError("tenants", "must be a mapping of tenant name to its settings", TENANTS_HINT);
  const lowered = new Map<string, string>();
  for (const [name, block] of Object.entries(raw)) {
    if (!TENANT_NAME_PATTERN.test(name))
      throw new ConfigError(`tenants.${name}`, TENANT_NAME_RULE, TENANTS_HINT);
    const twin = lowered.get(name.toLowerCase());
    if (twin) throw new ConfigError(`tenants.${name}`, `has the same name as tenants.${twin}`, TENANTS_HINT);
    lowered.set(name.toLowerCase(), name);
    if (!isMapping(block))
      throw new ConfigError(`tenants.${name}`, "must be a mapping of settings", TENANTS_HINT);
    for (const key of Object.keys(block))
      if (!TENANT_KEYS.has(key))
        throw new ConfigError(
          `tenants.${name}.${key}`,
          `is not a tenant setting (known: ${[...TENANT_KEYS].join(", ")})`,
          TENANTS_HINT,
        );
    if (block.cxone !== undefined && !isMapping(block.cxone))
      throw new ConfigError(
        `tenants.${name}.cxone`,
        "must be a mapping of connection settings",
        TENANTS_HINT,
      );
    if (block.destinations !== undefined && !isMapping(block.destinations))
      throw new ConfigError(
        `tenants.${name}.destinations`,
        "must be a mapping of destinations",
        TENANTS_HINT,
      );
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
  if (problem) throw new ConfigError(problem.field, problem.rule, TENANTS_HINT);
  return blocks;
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
    throw new ConfigError(`tenants.${name}.service`, "must be a mapping of service settings", TENANTS_HINT);
  for (const key of Object.keys(service))
    if (!TENANT_SERVICE_SETTINGS.includes(key))
      throw new ConfigError(
        `tenants.${name}.service.${key}`,
        `is not a tenant's service setting (known: ${TENANT_SERVICE_SETTINGS.join(", ")}; the others are the installation's, under service:)`,
        TENANTS_HINT,
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
      TENANTS_HINT,
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

function checkInlineSecrets(blocks: Map<string, Tree>, configFile: string): void {
  const loose = othersCanRead(configFile);
  for (const [name, block] of blocks)
    for (const { setting, value } of secretFields(name, block)) {
      if (typeof value === "string") {
        if (loose)
          throw new ConfigError(
            setting,
            `is written inline in ${path.basename(configFile)}, which its group or others can read (mode ${modeText(loose)}): give it as {env: VARIABLE} or {file: PATH} (a 0600 file), or chmod 600 the file`,
            TENANTS_HINT,
          );
        continue;
      }
      if (!isSecretRef(value))
        throw new ConfigError(
          setting,
          "must be {env: VARIABLE} or {file: PATH} (or a string in a 0600 file)",
          TENANTS_HINT,
        );
    }
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
