import path from "node:path";

/**
 * A business unit's identity in one place (issue 68 §2): what a tenant may be called, who its API
 * user is, and where its store lives. The config loader (config/tenants.ts), `createClient` (a
 * client's `tenant` option) and the SDK's `Tenants` registry all ask here, so a configuration
 * one of them refuses, another cannot accept: before, "where a tenant's store lives" was written
 * three times and "the same API user" twice, and one shared client id with different access keys
 * was refused by the loader and accepted by `Tenants`.
 */

/** 1-32 lowercase letters, digits or '-', starting with a letter. */
export const TENANT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
export const TENANT_NAME_RULE =
  "a tenant name is 1-32 lowercase letters, digits or '-', starting with a letter";

/** The data dir a client uses when none is given; tenants' stores go below it. */
export const DEFAULT_DATA_DIR = ".cxo";

/**
 * Where a tenant's store lives: its own directory under the data dir (SQLite), unless the tenant
 * names its own (to keep an existing store), and its own schema (PostgreSQL). Everything keyed in
 * the store (journal, audit chain, outbox, leases, rate shares, DNC copies) is therefore the
 * tenant's by construction.
 */
export function tenantStoreOf(
  name: string,
  where: { dataDir?: string | undefined; ownDataDir?: string | undefined },
): { dataDir: string; schema: string } {
  return {
    dataDir: where.ownDataDir ?? path.join(where.dataDir ?? DEFAULT_DATA_DIR, "tenants", name),
    schema: tenantSchemaOf(name),
  };
}

/** The PostgreSQL schema of a tenant's store. */
export function tenantSchemaOf(name: string): string {
  return `cxo_${name.replaceAll("-", "_")}`;
}

/** What names a tenant's API user: its platform and connection credentials' ids. */
export interface ApiUserSource {
  platform: string;
  accessKeyId?: unknown;
  clientId?: unknown;
  baseUrl?: unknown;
}

/**
 * The identities that make a tenant's API user, each of which two business units must never
 * share: an access key is one user wherever it is used; an application's client id is a user at
 * its API (the seed's base URL; NICE's production API has one issuer for every tenant).
 */
export function apiUserIdentities(
  source: ApiUserSource,
): Array<{ key: "accessKeyId" | "clientId"; identity: string }> {
  const out: Array<{ key: "accessKeyId" | "clientId"; identity: string }> = [];
  if (typeof source.accessKeyId === "string" && source.accessKeyId !== "")
    out.push({ key: "accessKeyId", identity: `accessKeyId\u0000${source.accessKeyId}` });
  if (typeof source.clientId === "string" && source.clientId !== "") {
    const at =
      source.platform === "seed" && typeof source.baseUrl === "string"
        ? source.baseUrl.replace(/\/+$/, "").toLowerCase()
        : "";
    out.push({ key: "clientId", identity: `clientId\u0000${source.clientId}\u0000${at}` });
  }
  return out;
}

/** How the API user is named to people (`cxo tenants list`, the audit actor's "(api …)"): the access key, else the client id. */
export function apiUserLabel(source: Omit<ApiUserSource, "platform">): string | undefined {
  for (const id of [source.accessKeyId, source.clientId]) if (typeof id === "string" && id !== "") return id;
  return undefined;
}

/** The first tenant whose API user another tenant already has, with the key they share. */
export function sharedApiUser(
  tenants: Iterable<[string, ApiUserSource]>,
): { name: string; other: string; key: "accessKeyId" | "clientId" } | undefined {
  const seen = new Map<string, string>();
  for (const [name, source] of tenants)
    for (const { key, identity } of apiUserIdentities(source)) {
      const other = seen.get(identity);
      if (other) return { name, other, key };
      seen.set(identity, name);
    }
  return undefined;
}

/** The one wording of that refusal, for the loader's and the registry's errors alike. */
export const SHARED_API_USER_RULE = (other: string, key: string) =>
  `is the same API user as tenant ${other} (its ${key}): each business unit has its own`;

/** Connection settings that are credentials: from the tenant's own block only, never the environment. */
export const CREDENTIAL_KEYS = [
  "clientId",
  "clientSecret",
  "accessKeyId",
  "accessKeySecret",
  "tenantId",
] as const;
/** The credentials that are secrets: written as references (`{env: NAME}`, `{file: PATH}`), never shown. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(["clientSecret", "accessKeySecret"]);

/** Where a secret comes from, as `cxo tenants list` shows it: `env:NAME`, `file:PATH` or `inline`. */
export function secretSource(value: unknown): string {
  if (typeof value === "string") return "inline";
  const ref = value as { env: string } | { file: string };
  return "env" in ref ? `env:${ref.env}` : `file:${ref.file}`;
}
