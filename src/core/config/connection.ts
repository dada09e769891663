import { ConfigError } from "./errors.ts";
import type { Settings } from "./schema.ts";
import { howToSet } from "./tree.ts";

// What a client needs of the settings: the connection to CXone, checked complete. A file of its
// own so that building a client does not load the settings schema (load.ts), ~30 ms of zod.

/** The connection settings a command that talks to the seed API needs, all present. */
export interface CxoneConnection {
  platform: "seed";
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  auth: Settings["cxone"]["auth"];
}

/** How a production-platform login is made (`cxone.auth` resolved: never `auto`). */
export type ProductionLogin = "access-key" | "application";

/** The default access-key login URL of a UserHub area. */
export function accessKeyUrlOf(area: string): string {
  return `https://${area}.nice-incontact.com/authentication/v1/token/access-key`;
}

/**
 * The connection settings of NICE's production platform: an access key, logged in with alone
 * (`access-key`) or through a registered application's password grant (`application`), then
 * the tenant's API found by discovery.
 */
export interface ProductionConnection {
  platform: "cxone";
  login: ProductionLogin;
  issuer: string;
  /** The access-key login URL (`access-key` login). */
  accessKeyUrl: string;
  /** The registered application (`application` login only). */
  clientId: string | undefined;
  clientSecret: string | undefined;
  accessKeyId: string;
  accessKeySecret: string;
  tenantId: string | undefined;
  apiVersion: string;
  /** Overrides the api_endpoint the tenant's discovery document names. */
  apiEndpoint: string | undefined;
  auth: Settings["cxone"]["auth"];
  /** The tenant profile `cxo doctor` wrote (absolute path), when one is configured. */
  tenantProfile?: string | undefined;
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
  return seedConnectionOf({
    baseUrl: baseUrl!,
    tokenUrl,
    clientId: clientId!,
    clientSecret: clientSecret!,
    auth,
  });
}

/**
 * The seed API's connection from its checked fields, whether they came from the settings file
 * (`requireCxoneConnection`) or `createClient({ connection })` (sdk/build-client.ts): the base
 * URL's trailing slashes trimmed, the token URL defaulted. One assembly for both.
 */
export function seedConnectionOf(
  c: Omit<CxoneConnection, "platform" | "tokenUrl"> & { tokenUrl?: string | undefined },
): CxoneConnection {
  const base = c.baseUrl.replace(/\/+$/, "");
  return {
    platform: "seed",
    baseUrl: base,
    tokenUrl: c.tokenUrl ?? `${base}/oauth/token`,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    auth: c.auth,
  };
}

/** `auto` resolved: the application's password grant when one is configured, else the access key alone. */
export function resolveLogin(
  mode: "auto" | ProductionLogin,
  clientId: string | undefined,
  clientSecret: string | undefined,
): ProductionLogin {
  if (mode !== "auto") return mode;
  return clientId && clientSecret ? "application" : "access-key";
}

export function requireProductionConnection(settings: Settings): ProductionConnection {
  const c = settings.cxone;
  const login = resolveLogin(c.auth.mode, c.clientId, c.clientSecret);
  requireAll(
    [
      ["cxone.accessKeyId", c.accessKeyId],
      ["cxone.accessKeySecret", c.accessKeySecret],
      ...(login === "application"
        ? ([
            ["cxone.clientId", c.clientId],
            ["cxone.clientSecret", c.clientSecret],
          ] as const)
        : []),
    ],
    login === "application"
      ? "is required to log in to CXone's production platform through a registered application (cxone.auth = application)"
      : "is required to talk to CXone's production platform (cxone.platform = cxone)",
  );
  return productionConnectionOf(login, {
    ...c,
    accessKeyId: c.accessKeyId!,
    accessKeySecret: c.accessKeySecret!,
    apiEndpoint: c.baseUrl,
  });
}

/** The fields a production connection is assembled from, checked (settings or createClient's options). */
export interface ProductionFields {
  issuer: string;
  area: string;
  accessKeyUrl?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  accessKeyId: string;
  accessKeySecret: string;
  tenantId?: string | undefined;
  apiVersion: string;
  apiEndpoint?: string | undefined;
  auth: Settings["cxone"]["auth"];
  tenantProfile?: string | undefined;
}

/**
 * The production platform's connection from its checked fields and resolved login, whether they
 * came from the settings file (`requireProductionConnection`) or `createClient({ connection })`
 * (sdk/build-client.ts): URLs' trailing slashes trimmed, the access-key URL from the area, the
 * application's credentials kept only for its login. One assembly for both.
 */
export function productionConnectionOf(login: ProductionLogin, c: ProductionFields): ProductionConnection {
  return {
    platform: "cxone",
    login,
    issuer: c.issuer.replace(/\/+$/, ""),
    accessKeyUrl: (c.accessKeyUrl ?? accessKeyUrlOf(c.area)).replace(/\/+$/, ""),
    clientId: login === "application" ? c.clientId : undefined,
    clientSecret: login === "application" ? c.clientSecret : undefined,
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    tenantId: c.tenantId,
    apiVersion: c.apiVersion,
    apiEndpoint: c.apiEndpoint?.replace(/\/+$/, ""),
    auth: c.auth,
    ...(c.tenantProfile ? { tenantProfile: c.tenantProfile } : {}),
  };
}

/** The connection of the platform the settings select. */
export function requirePlatformConnection(settings: Settings): PlatformConnection {
  return settings.cxone.platform === "cxone"
    ? requireProductionConnection(settings)
    : requireCxoneConnection(settings);
}
