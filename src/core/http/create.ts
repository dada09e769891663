import type { CxoneConnection } from "../config/load.ts";
import type { HttpSettings, RateGroupSettings } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import { recordHttpMetrics } from "../metrics/http-metrics.ts";
import { RateLimitRegistry } from "./endpoint-groups.ts";
import type { HttpEvent } from "./events.ts";
import { HttpClient } from "./http-client.ts";
import { OAuthTokenProvider, type TokenGrant } from "./token-provider.ts";
import { Transport } from "./transport.ts";

/** Everything one CXone connection needs, wired together, with one `close()`. */
export interface CxoneHttp {
  http: HttpClient;
  tokens: OAuthTokenProvider;
  limits: RateLimitRegistry;
  close(): Promise<void>;
}

export interface CreateCxoneHttpOptions {
  connection: Pick<CxoneConnection, "baseUrl" | "tokenUrl" | "clientId" | "clientSecret" | "auth">;
  /** A token request other than client credentials (the production platform's password grant). */
  grant?: (transport: Transport) => TokenGrant;
  http: HttpSettings;
  rateLimits?: Record<string, RateGroupSettings>;
  logger?: Logger;
  /** Share limiters between several clients of the same tenant. */
  limits?: RateLimitRegistry;
}

function logEvent(logger: Logger, event: HttpEvent): void {
  switch (event.type) {
    case "retry":
      logger.info(event, "retrying");
      break;
    case "throttle":
      logger.warn(event, "throttled by CXone: pausing the group");
      break;
    case "network-error":
      logger.info(event, "network error");
      break;
    default:
      logger.debug(event, event.type);
  }
}

export function createCxoneHttp(options: CreateCxoneHttpOptions): CxoneHttp {
  const { connection, http: settings } = options;
  const transport = new Transport({ connections: settings.connections });
  const limits = options.limits ?? new RateLimitRegistry(options.rateLimits ?? {}, settings.rateLimitScale);
  const logger = options.logger;
  const sink = logger ? (event: HttpEvent) => logEvent(logger, event) : undefined;
  const tokens = new OAuthTokenProvider({
    tokenUrl: connection.tokenUrl,
    clientId: connection.clientId,
    clientSecret: connection.clientSecret,
    auth: connection.auth,
    ...(options.grant ? { grant: options.grant(transport) } : {}),
    transport,
    timeoutMs: settings.timeoutMs,
    backoffBaseMs: settings.backoffBaseMs,
    // Token events reach every listener of the client (logs, metrics), like request events.
    events: (event) => http.emit(event),
  });
  const http: HttpClient = new HttpClient({
    baseUrl: connection.baseUrl,
    transport,
    tokens,
    limits,
    settings,
  });
  if (sink) http.on(sink);
  http.on(recordHttpMetrics);
  return { http, tokens, limits, close: () => transport.close() };
}
