import type { Dispatcher } from "undici";
import { type Clock, systemClock } from "../clock/clock.ts";
import type { CxoneConnection } from "../config/load.ts";
import type { HttpSettings, RateGroupSettings } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import { httpMetricsRecorder } from "../metrics/http-metrics.ts";
import type { AttemptContext } from "./attempt-loop.ts";
import type { GroupLimit, RateLimitRegistry } from "./endpoint-groups.ts";
import { type HttpEvent, type HttpEventSink, type RequestNumbers, requestNumbers } from "./events.ts";
import type { EndpointGroup } from "./group-names.ts";
import { HttpClient } from "./http-client.ts";
import { processLimiters, tenantKeyOf } from "./limiter-registry.ts";
import { clientCredentialsGrant, type TokenGrant } from "./token-grant.ts";
import { loginLimits, OAuthTokenProvider } from "./token-provider.ts";
import { type Exchange, Transport } from "./transport.ts";
import { sdkUserAgent } from "./user-agent.ts";

/** Everything one CXone connection needs, wired together, with one `close()`. */
export interface CxoneHttp {
  http: HttpClient;
  tokens: OAuthTokenProvider;
  limits: RateLimitRegistry;
  /** The tenant's key (API base URL + client id): what limiters and rate budgets are shared by. */
  tenant: string;
  /** Requests sent so far by this client (tokens and discovery included). */
  requestsSent(): number;
  /**
   * The connection pool every request of this core goes through (API calls, tokens, discovery):
   * for a platform's login to send its own reads through it.
   * @internal
   */
  transport: Transport;
  /**
   * What every attempt loop of this core runs on (its clock, random source, listeners and count
   * of calls): the one context its requests, token fetches and discovery reads share.
   * @internal
   */
  attempts: AttemptContext;
  close(): Promise<void>;
}

export interface CreateCxoneHttpOptions {
  connection: Pick<CxoneConnection, "baseUrl" | "tokenUrl" | "clientId" | "clientSecret" | "auth">;
  http: HttpSettings;
  rateLimits?: Partial<Record<EndpointGroup, RateGroupSettings>>;
  /** The platform's limits where `rateLimits` names none (default: the seeds' documented ones). */
  groupDefaults?: Record<EndpointGroup, GroupLimit>;
  logger?: Logger;
  /**
   * The limiters to use. Default: the process's registry for this tenant (base URL + client id),
   * shared by every client of the tenant in the process. Pass one to isolate or share explicitly.
   */
  limits?: RateLimitRegistry;
  /**
   * How to ask for a token when it is not client credentials from `connection` (the production
   * platform's password grant); given the connection pool and what the core's attempt loops run
   * on (its clock, random source, listeners and count of calls), for discovery requests.
   */
  grant?: (transport: Transport, attempts: AttemptContext) => TokenGrant;
  clock?: Clock;
  /** Send through this undici dispatcher (e.g. a proxy agent) instead of a pool of our own. */
  dispatcher?: Dispatcher;
  /** Told of every request and answer (a HAR recording: core/http/har.ts). */
  onExchange?: (exchange: Exchange) => void;
  /** The business unit's name (`createClient({ tenant })`): the `tenant` label of its HTTP metrics. */
  tenantName?: string;
  /** The caller's listener (`createClient({ onHttpEvent })`): told of every event; a throw is logged, not raised. */
  onHttpEvent?: HttpEventSink;
  /**
   * The client's call numbers (HttpEvent's `requestNo`), shared by every HTTP core of one client
   * (CXone's and the RND's tell the same listener). Default: a count of this core's own.
   */
  requestNumbers?: RequestNumbers;
}

/** What a client gives every platform's HTTP core: all but where to log in and how. */
export type SharedHttpOptions = Omit<CreateCxoneHttpOptions, "connection" | "grant">;

/**
 * The caller's listener, guarded: a throw never fails the request it reports on (nor reaches the
 * other listeners); the logger hears of it once per client, at warn.
 */
function guardedListener(listener: HttpEventSink, logger: Logger | undefined): HttpEventSink {
  let warned = false;
  return (event) => {
    try {
      listener(event);
    } catch (error) {
      if (warned) return;
      warned = true;
      logger?.warn(
        { err: error, event: event.type },
        "onHttpEvent threw; the request goes on (told once per client)",
      );
    }
  };
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

function tenantOf(connection: CreateCxoneHttpOptions["connection"]) {
  return { baseUrl: connection.baseUrl || connection.tokenUrl, clientId: connection.clientId };
}

function tenantLimits(options: CreateCxoneHttpOptions): RateLimitRegistry {
  const { connection } = options;
  // The production platform discovers its API host after the first token: its issuer and
  // client id name the tenant's app until then.
  const { registry, settingsDiffer } = processLimiters.forTenant(
    tenantOf(connection),
    options.rateLimits ?? {},
    options.http.rateLimitScale,
    options.groupDefaults,
  );
  if (settingsDiffer) {
    options.logger?.warn(
      { baseUrl: connection.baseUrl },
      "another client of this tenant in this process set other rate limits; the first one's apply to both",
    );
  }
  return registry;
}

export function createCxoneHttp(options: CreateCxoneHttpOptions): CxoneHttp {
  const { connection, http: settings } = options;
  // One User-Agent for every request of the client: API calls, tokens and discovery.
  const userAgent = sdkUserAgent(settings.userAgent);
  const transport = new Transport({
    userAgent,
    connections: settings.connections,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    ...(options.onExchange ? { onExchange: options.onExchange } : {}),
  });
  const logger = options.logger;
  const limits = options.limits ?? tenantLimits(options);
  const sink = logger ? (event: HttpEvent) => logEvent(logger, event) : undefined;
  // One context for every attempt loop of the core: API calls, token fetches and discovery reads
  // run on one clock, number their calls from one count and tell the same listeners.
  const attempts: AttemptContext = {
    clock: options.clock ?? systemClock,
    random: Math.random,
    emit: (event) => http.emit(event),
    requestNumbers: options.requestNumbers ?? requestNumbers(),
  };
  const tokens = new OAuthTokenProvider({
    grant: options.grant ? options.grant(transport, attempts) : clientCredentialsGrant(connection),
    expiryMarginSeconds: connection.auth.expiryMarginSeconds,
    transport,
    limiter: limits.get("token"),
    attempts,
    // The login's own bounds, lowered by the client's http settings (token-provider.ts's LOGIN_LIMITS).
    ...loginLimits(settings),
  });
  const http: HttpClient = new HttpClient({
    baseUrl: connection.baseUrl,
    transport,
    tokens,
    limits,
    settings,
    userAgent,
    attempts,
  });
  if (sink) http.on(sink);
  http.on(httpMetricsRecorder(options.tenantName));
  if (options.onHttpEvent) http.on(guardedListener(options.onHttpEvent, logger));
  return {
    http,
    tokens,
    limits,
    tenant: tenantKeyOf(tenantOf(connection)),
    requestsSent: () => transport.sent,
    transport,
    attempts,
    close: () => transport.close(),
  };
}
