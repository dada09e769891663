import path from "node:path";
import type { Dispatcher } from "undici";
import { ProxyAgent } from "undici";
import type { CxoneConnection, PlatformConnection, ProductionConnection } from "./core/config/load.ts";
import { requirePlatformConnection } from "./core/config/load.ts";
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
import { InputError } from "./core/input-error.ts";
import { type Logger, registerSecret } from "./core/logging/index.ts";
import { createProductionPort } from "./platform/cxone/adapter.ts";
import { ProductionApi } from "./platform/cxone/api.ts";
import { ProductionSession, passwordGrant } from "./platform/cxone/auth.ts";
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

/** NICE's production platform (`platform: "cxone"`): access-key password grant + discovery. */
export interface ProductionConnectionOptions {
  platform: "cxone";
  /** The OpenID issuer; default `https://cxone.niceincontact.com`. */
  issuer?: string;
  clientId: string;
  clientSecret: string;
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
  /** The raw port: CXone's endpoints as typed functions, no journal, no local rules. */
  readonly port: CxonePort;
  /** The platform and where it is (no secret). */
  readonly connection: ClientConnectionInfo;
  readonly dataDir: string;
  /**
   * The HTTP core underneath (events, limiter state, token state), for this package's service
   * and tests; not a stable API.
   * @internal
   */
  readonly core: CxoneHttp;
  /** Closes the store and the HTTP connections. */
  close(): Promise<void>;
}

/** What a client tells about its connection: the platform and where, never a secret. */
export type ClientConnectionInfo =
  | { platform: "seed"; baseUrl: string; tokenUrl: string; clientId: string }
  | { platform: "cxone"; issuer: string; clientId: string; tenantId: string | undefined; apiVersion: string };

/** The connection with its defaults filled in. */
function resolveConnection(connection: ConnectionOptions): PlatformConnection {
  const auth = authStyleSchema.parse(connection.auth ?? {});
  if (connection.platform === "cxone") {
    return {
      platform: "cxone",
      issuer: (connection.issuer ?? "https://cxone.niceincontact.com").replace(/\/+$/, ""),
      clientId: connection.clientId,
      clientSecret: connection.clientSecret,
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
  // The discovery documents go through the same connection pool as the API calls.
  let shared: Transport | undefined;
  const http = createCxoneHttp({
    ...core,
    // Every request path is absolute (the API host is discovered after the first token).
    connection: { ...connection, baseUrl: "", tokenUrl: connection.issuer },
    grant: (transport) => {
      shared = transport;
      return passwordGrant(connection, transport);
    },
  });
  const session = new ProductionSession(connection, http.tokens, shared as Transport);
  const api = new ProductionApi(http.http, session, connection.apiVersion);
  return { core: http, port: createProductionPort(api, connection, choices) };
}

export function createClient(options: CreateClientOptions): CxoneClient {
  const connection = resolveConnection(options.connection);
  const { groupCommitMs } = options;
  if (
    groupCommitMs !== undefined &&
    !(Number.isInteger(groupCommitMs) && groupCommitMs >= 0 && groupCommitMs <= 100)
  )
    throw new InputError({ field: "groupCommitMs", rule: "must be an integer from 0 to 100 (milliseconds)" });
  registerSecret(connection.clientSecret);
  if (connection.platform === "cxone") registerSecret(connection.accessKeySecret);
  const { dispatcher: _d, proxy: _p, ...httpOverrides } = options.http ?? {};
  const proxied = dispatcherOf(options.http);
  const ownsDispatcher = proxied !== undefined && options.http?.dispatcher === undefined;
  const coreOptions: CoreOptions = {
    http: httpSchema.parse(httpOverrides),
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
          productionApiSchema.parse(
            options.connection.platform === "cxone" ? (options.connection.productionApi ?? {}) : {},
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
    actor: connection.clientId,
    destinations: options.destinations ?? {},
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.onRedrive ? { onRedrive: options.onRedrive } : {}),
  });
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
    async close() {
      try {
        await runtime.close();
      } finally {
        await core.close();
        if (ownsDispatcher) await proxied.close();
      }
    },
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
