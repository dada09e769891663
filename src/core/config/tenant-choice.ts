import path from "node:path";
import { ConfigError } from "./errors.ts";
import { resolveSecret } from "./secret-refs.ts";
import { isMapping, serviceOf, TENANTS_HINT, type Tree } from "./tenant-block.ts";
import { CREDENTIAL_KEYS, SECRET_KEYS } from "./tenant-identity.ts";
import { tenantBlocks, webhookSecretProblems } from "./tenants.ts";

// The tenant a run works for (the flag, CXO_TENANT, or the only one configured), folded into the
// run's settings tree before the environment and the flags are layered on, so everything below
// the config layer keeps seeing one `cxone` block. What the environment and the flags may add to
// a tenant's connection is decided here: never a credential, never another host, never a value
// that contradicts the tenant's own, never one webhook secret for several business units.

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
  tree.autopilot = autopilotOfTenant(name, block, blocks, tree.autopilot);
  if (tree.autopilot === undefined) delete tree.autopilot;
  if (blocks.size > 1) guardSharedWebhookSecret(name, blocks, tree, options.env, configDir);
  tree.tenant = name;
  return { name, block, blocks };
}

/**
 * The chosen tenant's autopilot section (High: one business unit's autopilot ran in
 * every unit and uploaded acme's list into globex's skill 301). Its own `tenants.NAME.autopilot`;
 * else a top-level section when it names this unit (`autopilot.tenant`) or when this is the only
 * unit configured; a top-level section naming another unit is not this one's; one naming none
 * with several units configured is refused, as is a unit given two.
 */
function autopilotOfTenant(name: string, block: Tree, blocks: Map<string, Tree>, shared: unknown): unknown {
  const top = isMapping(shared) ? shared : undefined;
  const named = top?.tenant;
  if (named !== undefined && (typeof named !== "string" || !blocks.has(named)))
    throw new ConfigError(
      "autopilot.tenant",
      `names ${JSON.stringify(named)}, which is not a configured tenant (configured: ${[...blocks.keys()].join(", ")})`,
      TENANTS_HINT,
    );
  if (top !== undefined && named === undefined && blocks.size > 1)
    throw new ConfigError(
      "autopilot",
      `is a top-level section, but several business units are configured (${[...blocks.keys()].join(", ")}) and a campaign id belongs to one: move it under tenants.NAME.autopilot, or name its unit with autopilot.tenant`,
      TENANTS_HINT,
    );
  const own = block.autopilot;
  if (own !== undefined && top !== undefined && (named === undefined || named === name))
    throw new ConfigError(
      `tenants.${name}.autopilot`,
      "is given, and the top-level autopilot section is this business unit's too: keep one",
      TENANTS_HINT,
    );
  if (own !== undefined) return own;
  if (top === undefined || (named !== undefined && named !== name)) return undefined;
  return top;
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
          TENANTS_HINT,
        );
      // A tenant's platform is its own even unset (seed): another would send its credentials elsewhere.
      const own = key === "platform" ? (cxone.platform ?? "seed") : cxone[key];
      if (own === undefined && HOST_KEYS.has(key))
        throw new ConfigError(
          via,
          `${verb}, but a business unit's hosts come from its own block, never from the environment or a flag: set tenants.${name}.cxone.${key} and ${undo} ${via}`,
          TENANTS_HINT,
        );
      if (own !== undefined && String(own) !== value)
        throw new ConfigError(
          via,
          `is ${JSON.stringify(value)}, but tenant ${name} sets cxone.${key} to ${JSON.stringify(String(own))}: ${undo} ${via} or change the tenant`,
          TENANTS_HINT,
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
      TENANTS_HINT,
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
  if (twin) throw new ConfigError(twin.field, twin.rule, TENANTS_HINT);
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
    TENANTS_HINT,
  );
}
