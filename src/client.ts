import {
  loadSettings,
  type PlatformConnection,
  type ProductionConnection,
  requireCxoneConnection,
  requireProductionConnection,
  type SettingSources,
  type Settings,
} from "./core/config/index.ts";
import { type CxoneHttp, createCxoneHttp } from "./core/http/create.ts";
import type { RateLimitRegistry } from "./core/http/endpoint-groups.ts";
import type { Transport } from "./core/http/transport.ts";
import type { Logger } from "./core/logging/index.ts";
import { createProductionPort } from "./platform/cxone/adapter.ts";
import { ProductionApi } from "./platform/cxone/api.ts";
import { ProductionSession, passwordGrant } from "./platform/cxone/auth.ts";
import type { CxonePort } from "./platform/port.ts";
import { createSeedApiPort } from "./platform/seed-api/adapter.ts";

/**
 * The SDK's front door: one client built from a profile (settings), exposing the port's
 * capability groups. The CLI is a thin user of the same client. `cxone.platform` picks the
 * adapter: the seed API (default) or NICE's production inContactAPI.
 *
 *   const cxo = createClient({ settings: loadSettings() });
 *   const matrix = await cxo.dispositions.getMatrix("camp-1");
 *   for await (const call of cxo.outcomes.listCalls({ campaignId, from, to })) …
 *   await cxo.close();
 */
export interface CxoneClient extends CxonePort {
  readonly settings: Settings;
  readonly platform: PlatformConnection["platform"];
  readonly connection: PlatformConnection;
  /** The HTTP core underneath (events, limiter state, token state). */
  readonly core: CxoneHttp;
  close(): Promise<void>;
}

export interface CreateClientOptions {
  /** Resolved settings; when absent they are loaded from `sources` (flags > env > file). */
  settings?: Settings;
  sources?: SettingSources;
  logger?: Logger;
  /**
   * Rate limiters to use. Default: the process's one registry for this tenant (API base URL +
   * client id), shared by every client of the tenant in the process.
   */
  limits?: RateLimitRegistry;
}

function productionClient(
  settings: Settings,
  connection: ProductionConnection,
  logger?: Logger,
  limits?: RateLimitRegistry,
) {
  // The discovery documents go through the same connection pool as the API calls.
  let shared: Transport | undefined;
  const core = createCxoneHttp({
    // Every request path is absolute (the API host is discovered after the first token).
    connection: { ...connection, baseUrl: "", tokenUrl: connection.issuer },
    grant: (transport) => {
      shared = transport;
      return passwordGrant(connection, transport);
    },
    http: settings.http,
    rateLimits: settings.rateLimits,
    ...(logger ? { logger } : {}),
    ...(limits ? { limits } : {}),
  });
  const session = new ProductionSession(connection, core.tokens, shared as Transport);
  const api = new ProductionApi(core.http, session, connection.apiVersion);
  return { core, port: createProductionPort(api, connection, settings.cxone.productionApi) };
}

export function createClient(options: CreateClientOptions = {}): CxoneClient {
  const settings = options.settings ?? loadSettings(options.sources);
  if (settings.cxone.platform === "cxone") {
    const connection = requireProductionConnection(settings);
    const { core, port } = productionClient(settings, connection, options.logger, options.limits);
    return { ...port, settings, platform: "cxone", connection, core, close: () => core.close() };
  }
  const connection = requireCxoneConnection(settings);
  const core = createCxoneHttp({
    connection,
    http: settings.http,
    rateLimits: settings.rateLimits,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const port = createSeedApiPort(core.http, core.tokens, connection.clientId);
  return { ...port, settings, platform: "seed", connection, core, close: () => core.close() };
}
