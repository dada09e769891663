import path from "node:path";
import type { Dispatcher } from "undici";
import { z } from "zod";
import type { CxoneConnection, PlatformConnection, ProductionConnection } from "./core/config/load.ts";
import { accessKeyUrlOf, requirePlatformConnection, resolveLogin } from "./core/config/load.ts";
import type {
  AuthStyle,
  DestinationSettings,
  HttpSettings,
  ProductionApiSettings,
  RateGroupSettings,
  Settings,
} from "./core/config/schema.ts";
import { authStyleSchema, httpSchema, productionApiSchema } from "./core/config/schema.ts";
import { type CxoneHttp, createCxoneHttp } from "./core/http/create.ts";
import type { RateLimitRegistry } from "./core/http/endpoint-groups.ts";
import type { Transport } from "./core/http/transport.ts";
import { ProxyAgent } from "./core/http/undici.ts";
import { InputError } from "./core/input-error.ts";
import { type Logger, registerSecret } from "./core/logging/index.ts";
import { createProductionPort } from "./platform/cxone/adapter.ts";
import { ProductionApi } from "./platform/cxone/api.ts";
import { accessKeyGrant, ProductionSession, passwordGrant } from "./platform/cxone/auth.ts";
import { discoveryLimits } from "./platform/cxone/discovery.ts";
import type { CxonePort } from "./platform/port.ts";
import { createSeedApiPort } from "./platform/seed-api/adapter.ts";
import { type AccessGroup, accessGroup } from "./sdk/access.ts";
import { type CampaignsGroup, campaignsGroup } from "./sdk/campaigns.ts";
import { type ComplianceGroup, complianceGroup } from "./sdk/compliance.ts";
import { type DialerGroup, dialerGroup } from "./sdk/dialer.ts";
import { type DispositionsGroup, dispositionsGroup } from "./sdk/dispositions.ts";
import { type InteractionsGroup, interactionsGroup } from "./sdk/interactions.ts";
import { type OutcomesGroup, outcomesGroup } from "./sdk/outcomes.ts";
import { ClientRuntime, type RedriveNotice } from "./sdk/runtime.ts";

/**
 * The SDK's front door: `createClient(options)` → one client whose capability groups share a
 * CXone connection (port) and a local store (journal, audit log, outbox, checkpoints).
 *
 * ```ts
 * const cxo = createClient({
 *   connection: { baseUrl: "https://api.example.com", clientId: "…", clientSecret: "…" },
 *   dataDir: "./.cxo",
 * });
 * try {
 *   await cxo.dispositions.tag("camp-1", { callId: "c-1", dispositionCodeId: "CONVERTED" });
 * } finally {
 *   await cxo.close();
 * }
 * ```
 *
 * The client reads nothing by itself: no environment variable, no config file. To build it the
 * way the `cxo` CLI does (flags > env > cxo.config.yaml), call `loadSettings()` explicitly and
 * pass `clientOptionsFromSettings(settings)`.
 */

/** The seeds' API (`platform: "seed"`, the default): OAuth2 client credentials. */
export interface SeedConnectionOptions {
  platform?: "seed";
  /** API base URL, e.g. `https://api.example.com`. */
  baseUrl: string;
  /** OAuth2 token URL; default `${baseUrl}/oauth/token`. */
  tokenUrl?: string;
  clientId: string;
  clientSecret: string;
  /** How the token request is made (Basic header or body, form or JSON, scopes). */
  auth?: Partial<AuthStyle>;
}

/**
 * NICE's production platform (`platform: "cxone"`): an access key, logged in with alone or
 * through a registered application (`auth.mode`), then the tenant's API found by discovery.
 */
export interface ProductionConnectionOptions {
  platform: "cxone";
  /** The OpenID issuer (discovery; the application login's token endpoint); default `https://cxone.niceincontact.com`. */
  issuer?: string;
  /** The UserHub area of the access-key login URL; default `na1`. */
  area?: string;
  /** The access-key login URL; default `https://{area}.nice-incontact.com/authentication/v1/token/access-key`. */
  accessKeyUrl?: string;
  /** The registered back-end application (`auth.mode` `application`; with `auto`, its presence selects it). */
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  accessKeyId: string;
  accessKeySecret: string;
  /** Checked against the tenant the token names, when given. */
  tenantId?: string;
  /** inContactAPI version, e.g. `v33.0` (the default). */
  apiVersion?: string;
  /** Overrides the API endpoint the tenant's discovery document names. */
  apiEndpoint?: string;
  auth?: Partial<AuthStyle>;
  /** How the adapter maps the port onto the production API (see docs/platforms.md). */
  productionApi?: Partial<ProductionApiSettings>;
}

/**
 * Where CXone is and how to authenticate: a union discriminated by `platform` (credentials
 * differ per platform); `createClient` picks the adapter from it.
 */
export type ConnectionOptions = SeedConnectionOptions | ProductionConnectionOptions;

/** HTTP behaviour of every request the client makes. */
export interface HttpOptions extends Partial<HttpSettings> {
  /**
   * An undici dispatcher to send every request through (a ProxyAgent, an EnvHttpProxyAgent, a
   * MockAgent in tests…). The client does not close it.
   */
  dispatcher?: Dispatcher;
  /** An HTTP(S) proxy URL (ignored when `dispatcher` is given). */
  proxy?: string;
}

export interface CreateClientOptions {
  connection: ConnectionOptions;
  /** Local store directory (journal, audit log, outbox, checkpoints). Default `./.cxo`. */
  dataDir?: string;
  /** A `postgres://` URL: keep the store in PostgreSQL instead of SQLite in `dataDir`. */
  databaseUrl?: string;
  /**
   * Journal steps of concurrent operations finishing within this many milliseconds share one
   * SQLite transaction and one fsync (group commit; default 10, 0 commits each step on its own).
   * Each operation still waits for its own commit. PostgreSQL groups commits itself.
   */
  groupCommitMs?: number;
  http?: HttpOptions;
  /** Client-side rate limits by endpoint group name (overrides the documented defaults). */
  rateLimits?: Record<string, RateGroupSettings>;
  /**
   * Rate limiters to use. Default: the process's one registry for this tenant (API base URL +
   * client id), shared by every client of the tenant in the process.
   */
  limits?: RateLimitRegistry;
  /** Webhook destinations of the outbox (e.g. `crm` for outcome export summaries). */
  destinations?: Record<string, DestinationSettings>;
  /** A pino logger for retries, throttling and re-drives; silent when absent. */
  logger?: Logger;
  /** Told when work an earlier run left pending is re-driven before new work. */
  onRedrive?: (notice: RedriveNotice) => void;
}

export type { RequestOptions, WriteOptions } from "./sdk/runtime.ts";

export interface CxoneClient {
  /** The credentials at work: what the token grants and until when (`cxo auth check`). */
  readonly access: AccessGroup;
  /** Tag outbound calls with disposition and reason codes (seed 000). */
  readonly dispositions: DispositionsGroup;
  /** Correct dispositions on closed interactions with optimistic locking (seed 001). */
  readonly interactions: InteractionsGroup;
  /** Provision, pause/resume, inspect, segment and guard campaigns (seed 002). */
  readonly campaigns: CampaignsGroup;
  /** The calling-rules engine and the internal do-not-call list. */
  readonly compliance: ComplianceGroup;
  /** Dialer settings lifecycle and the local capacity simulator (seed 003). */
  readonly dialer: DialerGroup;
  /** Stream call outcome records to a file with analysis and a compliance hash (seed 004). */
  readonly outcomes: OutcomesGroup;
  /** The platform and where it is (no secret). */
  readonly connection: ClientConnectionInfo;
  readonly dataDir: string;
  /** Closes the store and the HTTP connections. */
  close(): Promise<void>;
  /** `await using cxo = createClient(…)` closes the client when the scope ends. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A client with its internals: the raw port and the HTTP core, for this package's CLI, service
 * and tests (and `cxone-outbound/internal`); not a stable API.
 */
export interface InternalClient extends CxoneClient {
  /** The raw port: CXone's endpoints as typed functions, no journal, no local rules. */
  readonly port: CxonePort;
  /** The HTTP core underneath (events, limiter state, token state). */
  readonly core: CxoneHttp;
}

/** What a client tells about its connection: the platform and where, never a secret. */
export type ClientConnectionInfo =
  | { platform: "seed"; baseUrl: string; tokenUrl: string; clientId: string }
  | {
      platform: "cxone";
      /** How the client logs in (`access-key` alone, or through the registered `application`). */
      login: "access-key" | "application";
      issuer: string;
      /** The registered application (none with the `access-key` login). */
      clientId: string | undefined;
      tenantId: string | undefined;
      apiVersion: string;
    };

/** An option checked by its schema: InputError naming `field.path` (zod never escapes). */
function option<S extends z.ZodType>(value: unknown, schema: S, field: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InputError(
    result.error.issues.map((issue) => ({
      field: [field, ...issue.path.map(String)].join("."),
      rule: issue.message,
    })),
  );
}

const text = z.string().min(1, "must be a non-empty string");
const seedConnectionSchema = z.object({
  baseUrl: z.url({ error: "must be an http(s) URL", protocol: /^https?$/ }),
  tokenUrl: z.url({ error: "must be an http(s) URL", protocol: /^https?$/ }).optional(),
  clientId: text,
  clientSecret: text,
});
const productionConnectionSchema = z.object({
  issuer: z.url({ error: "must be an http(s) URL", protocol: /^https?$/ }).optional(),
  // The registered application is optional: the access key logs in alone.
  clientId: text.optional(),
  clientSecret: text.optional(),
  area: z
    .string()
    .regex(/^[a-z]{2,4}\d{1,2}$/, "must look like na1")
    .optional(),
  accessKeyUrl: z.url({ error: "must be an http(s) URL", protocol: /^https?$/ }).optional(),
  accessKeyId: text,
  accessKeySecret: text,
  apiEndpoint: z.url({ error: "must be an http(s) URL", protocol: /^https?$/ }).optional(),
});

/** The connection with its defaults filled in. */
function resolveConnection(connection: ConnectionOptions): PlatformConnection {
  if (typeof connection !== "object" || connection === null)
    throw new InputError({ field: "connection", rule: "is required (baseUrl, clientId, clientSecret…)" });
  const platform: unknown = connection.platform;
  if (platform !== undefined && platform !== "seed" && platform !== "cxone")
    throw new InputError({ field: "connection.platform", rule: 'must be "seed" or "cxone"' });
  option(connection, platform === "cxone" ? productionConnectionSchema : seedConnectionSchema, "connection");
  const auth = option(connection.auth ?? {}, authStyleSchema, "connection.auth");
  if (connection.platform === "cxone") {
    const login = resolveLogin(auth.mode, connection.clientId, connection.clientSecret);
    if (login === "application" && !(connection.clientId && connection.clientSecret))
      throw new InputError({
        field: "connection.clientId",
        rule: "the application login (auth.mode application) needs clientId and clientSecret",
      });
    return {
      platform: "cxone",
      login,
      issuer: (connection.issuer ?? "https://cxone.niceincontact.com").replace(/\/+$/, ""),
      accessKeyUrl: (connection.accessKeyUrl ?? accessKeyUrlOf(connection.area ?? "na1")).replace(/\/+$/, ""),
      clientId: login === "application" ? connection.clientId : undefined,
      clientSecret: login === "application" ? connection.clientSecret : undefined,
      accessKeyId: connection.accessKeyId,
      accessKeySecret: connection.accessKeySecret,
      tenantId: connection.tenantId,
      apiVersion: connection.apiVersion ?? "v33.0",
      apiEndpoint: connection.apiEndpoint?.replace(/\/+$/, ""),
      auth,
    };
  }
  const base = connection.baseUrl.replace(/\/+$/, "");
  return {
    platform: "seed",
    baseUrl: base,
    tokenUrl: connection.tokenUrl ?? `${base}/oauth/token`,
    clientId: connection.clientId,
    clientSecret: connection.clientSecret,
    auth,
  };
}

function connectionInfo(connection: PlatformConnection): ClientConnectionInfo {
  return connection.platform === "cxone"
    ? {
        platform: "cxone",
        login: connection.login,
        issuer: connection.issuer,
        clientId: connection.clientId,
        tenantId: connection.tenantId,
        apiVersion: connection.apiVersion,
      }
    : {
        platform: "seed",
        baseUrl: connection.baseUrl,
        tokenUrl: connection.tokenUrl,
        clientId: connection.clientId,
      };
}

function dispatcherOf(http: HttpOptions | undefined): Dispatcher | undefined {
  if (http?.dispatcher) return http.dispatcher;
  if (http?.proxy) return new ProxyAgent({ uri: http.proxy, connections: http.connections ?? 64 });
  return undefined;
}

type CoreOptions = Omit<Parameters<typeof createCxoneHttp>[0], "connection" | "grant">;

/** The seed API: client credentials at the token URL, requests relative to the base URL. */
function seedPort(connection: CxoneConnection, core: CoreOptions) {
  const http = createCxoneHttp({ ...core, connection });
  return { core: http, port: createSeedApiPort(http.http, http.tokens, connection.clientId) };
}

/** The production API: password grant at the issuer, API host discovered after the first token. */
function productionPort(connection: ProductionConnection, core: CoreOptions, choices: ProductionApiSettings) {
  // The discovery documents go through the same connection pool as the API calls, within the
  // configured per-attempt timeout and deadline.
  let shared: Transport | undefined;
  const limits = discoveryLimits(core.http);
  const http = createCxoneHttp({
    ...core,
    // Every request path is absolute (the API host is discovered after the first token).
    // Limiters are shared per tenant: the issuer and whoever logs in name it until discovery.
    connection: {
      ...connection,
      baseUrl: "",
      tokenUrl: connection.issuer,
      clientId: connection.clientId ?? connection.accessKeyId,
      clientSecret: "",
    },
    grant: (transport) => {
      shared = transport;
      return connection.login === "access-key"
        ? accessKeyGrant(connection)
        : passwordGrant(connection, transport, limits);
    },
  });
  const session = new ProductionSession(connection, http.tokens, shared as Transport, limits);
  const api = new ProductionApi(http.http, session, connection.apiVersion, core.logger);
  return { core: http, port: createProductionPort(api, connection, choices) };
}

export function createClient(options: CreateClientOptions): CxoneClient {
  return createInternalClient(options);
}

/** The internals of a client made by `createClient` (TypeError for anything else). */
export function internalsOf(client: CxoneClient): InternalClient {
  const internal = client as Partial<InternalClient>;
  if (!internal.port || !internal.core) throw new TypeError("not a client made by createClient");
  return client as InternalClient;
}

/** `createClient`, typed with the client's internals (see InternalClient). */
export function createInternalClient(options: CreateClientOptions): InternalClient {
  if (typeof options !== "object" || options === null)
    throw new InputError({ field: "options", rule: "must be an object with a connection" });
  const connection = resolveConnection(options.connection);
  const { groupCommitMs } = options;
  if (
    groupCommitMs !== undefined &&
    !(Number.isInteger(groupCommitMs) && groupCommitMs >= 0 && groupCommitMs <= 100)
  )
    throw new InputError({ field: "groupCommitMs", rule: "must be an integer from 0 to 100 (milliseconds)" });
  if (connection.clientSecret) registerSecret(connection.clientSecret);
  if (connection.platform === "cxone") registerSecret(connection.accessKeySecret);
  const { dispatcher: _d, proxy: _p, ...httpOverrides } = options.http ?? {};
  const proxied = dispatcherOf(options.http);
  const ownsDispatcher = proxied !== undefined && options.http?.dispatcher === undefined;
  const coreOptions: CoreOptions = {
    http: option(httpOverrides, httpSchema, "http"),
    rateLimits: options.rateLimits ?? {},
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(proxied ? { dispatcher: proxied } : {}),
  };
  const { core, port } =
    connection.platform === "cxone"
      ? productionPort(
          connection,
          coreOptions,
          option(
            options.connection.platform === "cxone" ? (options.connection.productionApi ?? {}) : {},
            productionApiSchema,
            "connection.productionApi",
          ),
        )
      : seedPort(connection, coreOptions);
  const dataDir = path.resolve(options.dataDir ?? ".cxo");
  const runtime = new ClientRuntime({
    port,
    core,
    dataDir,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(groupCommitMs === undefined ? {} : { groupCommitMs }),
    actor:
      (connection.platform === "cxone" ? connection.clientId : undefined) ??
      (connection.platform === "cxone" ? connection.accessKeyId : connection.clientId),
    destinations: options.destinations ?? {},
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.onRedrive ? { onRedrive: options.onRedrive } : {}),
  });
  let closing: Promise<void> | undefined;
  // Once: `close()` and a disposing `await using` scope may both call it.
  const close = () => {
    closing ??= (async () => {
      try {
        await runtime.close();
      } finally {
        // Before the HTTP core goes: ending what the port opened (agent sessions) takes requests.
        await port
          .close?.()
          .catch((error: unknown) =>
            options.logger?.warn({ err: error }, "closing the client: could not end what it opened on CXone"),
          );
        await core.close();
        if (ownsDispatcher) await proxied.close();
      }
    })();
    return closing;
  };
  return {
    access: accessGroup(runtime),
    dispositions: dispositionsGroup(runtime),
    interactions: interactionsGroup(runtime),
    campaigns: campaignsGroup(runtime),
    compliance: complianceGroup(runtime),
    dialer: dialerGroup(runtime),
    outcomes: outcomesGroup(runtime),
    port,
    connection: connectionInfo(connection),
    dataDir,
    core,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * The client options the resolved settings describe (what the CLI and the service use after
 * `loadSettings()`). Raises ConfigError when the connection settings are missing.
 */
export function clientOptionsFromSettings(settings: Settings): CreateClientOptions {
  const resolved = requirePlatformConnection(settings);
  const connection: ConnectionOptions =
    resolved.platform === "cxone" ? { ...resolved, productionApi: settings.cxone.productionApi } : resolved;
  return {
    connection,
    dataDir: settings.dataDir,
    ...(settings.store.url ? { databaseUrl: settings.store.url } : {}),
    groupCommitMs: settings.store.groupCommitMs,
    http: settings.http,
    rateLimits: settings.rateLimits,
    destinations: settings.destinations,
  };
}
