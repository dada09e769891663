import {
  type AttemptContext,
  type AttemptState,
  runAttempts,
  unwatchedAttempts,
} from "../../core/http/attempt-loop.ts";
import { errorFromResponse, NetworkError, UnreadableAnswerError } from "../../core/http/errors.ts";
import {
  LOGIN_DEFAULTS,
  type LoginHttpSettings,
  type LoginLimits,
  loginLimits,
} from "../../core/http/token-provider.ts";
import type { Transport } from "../../core/http/transport.ts";
import { parseRetryAfter } from "../../core/retry/index.ts";

/**
 * The two unauthenticated discovery documents of NICE's global authentication service:
 * `{issuer}/.well-known/openid-configuration` (where to get a token, which client auth it takes)
 * and `{issuer}/.well-known/cxone-configuration?tenantId=` (which API host serves the tenant).
 * Fetched once per process and retried like any idempotent GET, within the login's limits
 * (`DiscoveryLimits`).
 */
export interface OpenIdConfiguration {
  tokenEndpoint: string;
  /** `client_secret_basic`, `client_secret_post`; empty when the issuer does not say. */
  authMethods: string[];
}

export interface TenantConfiguration {
  apiEndpoint: string;
  area: string | undefined;
  tenantId: string | undefined;
}

/**
 * A discovery document's limits: one attempt, all attempts together (then it fails, naming the
 * host), how many attempts, and the backoff between them. Discovery is part of the login, so
 * these are the login's limits (token-provider.ts's `loginLimits`: one rule for every request
 * of a login), with an attempt and a deadline of their own below them (DISCOVERY_BOUNDS).
 */
export interface DiscoveryLimits {
  attemptMs: number;
  deadlineMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

/** A discovery read's own bounds below the login's: 15 s an attempt, 30 s in all. */
const DISCOVERY_BOUNDS = { attemptMs: 15_000, deadlineMs: 30_000 } as const;

/** A login's limits `login`, lowered (never raised) by DISCOVERY_BOUNDS: the one rule of both. */
function discoveryWithin(login: LoginLimits): DiscoveryLimits {
  return {
    attemptMs: Math.min(DISCOVERY_BOUNDS.attemptMs, login.timeoutMs, login.deadlineMs),
    deadlineMs: Math.min(DISCOVERY_BOUNDS.deadlineMs, login.deadlineMs),
    maxAttempts: login.maxAttempts,
    backoffBaseMs: login.backoffBaseMs,
    backoffCapMs: login.backoffCapMs,
  };
}

/** A lone read's limits (no client's settings): the login's defaults within DISCOVERY_BOUNDS. */
export const DISCOVERY_LIMITS: DiscoveryLimits = discoveryWithin(LOGIN_DEFAULTS);

/**
 * The limits under a client's `http` settings: the login's (`loginLimits`: LOGIN_LIMITS lowered
 * by `http.maxAttempts`, `http.deadlineMs` and `http.backoffCapMs`; `http.timeoutMs` an attempt,
 * backoff from `http.backoffBaseMs`), within DISCOVERY_BOUNDS. An issuer that accepts the
 * connection and never answers fails within the deadline the user set, with a sentence naming
 * the host, never later; a client told to give up fast (`http.maxAttempts: 1`) reads each
 * document once.
 */
export function discoveryLimits(http: LoginHttpSettings): DiscoveryLimits {
  return discoveryWithin(loginLimits(http));
}

/**
 * One discovery document, read by the HTTP core's one attempt loop (`attempts`: the client's
 * clock, random source, listeners and count of calls), so each read is told to `onHttpEvent` in
 * the `token` group (the login's) and its waits run on the client's clock. Without `attempts`
 * (a lone read), the system clock and no listener.
 */
export function getDiscoveryJson(
  transport: Transport,
  url: string,
  what: string,
  signal?: AbortSignal,
  limits: DiscoveryLimits = DISCOVERY_LIMITS,
  attempts: AttemptContext = unwatchedAttempts(),
): Promise<Record<string, unknown>> {
  const endpoint = `GET ${new URL(url).pathname}`;
  const host = new URL(url).host;
  const { clock } = attempts;
  const unanswered = (elapsedMs: number) =>
    `no answer from ${host} within ${Math.round(elapsedMs / 1000)} s while waiting for the ${what} (${url}): is the issuer right, and can this machine reach ${host}?`;
  const left = (state: AttemptState) => limits.deadlineMs - (clock.now() - state.started);
  return runAttempts<Record<string, unknown>>({
    context: attempts,
    group: "token",
    method: "GET",
    endpoint,
    transport,
    signal,
    maxAttempts: limits.maxAttempts,
    deadlineMs: limits.deadlineMs,
    hasIdempotencyKey: false,
    backoffBaseMs: limits.backoffBaseMs,
    backoffCapMs: limits.backoffCapMs,
    // Whole milliseconds, within what is left of the deadline.
    attemptTimeoutMs: (state) => Math.ceil(Math.min(limits.attemptMs, left(state))),
    prepare: (state) => {
      if (left(state) <= 0)
        throw new NetworkError(unanswered(limits.deadlineMs), { endpoint, attempts: state.attempt - 1 });
      return { request: { url, method: "GET", headers: { accept: "application/json" } } };
    },
    answered: (response) => {
      if (response.status < 200 || response.status >= 300) return undefined;
      try {
        const value = JSON.parse(response.text) as unknown;
        if (typeof value === "object" && value !== null && !Array.isArray(value))
          return value as Record<string, unknown>;
      } catch {
        // reported below
      }
      throw new UnreadableAnswerError(endpoint, `the ${what} as a JSON object`, {
        status: response.status,
        service: host,
      });
    },
    giveUp: ({ failure, response }, _decision, state) => {
      if (!response) {
        const code = failure.kind === "network" ? failure.code : undefined;
        return new NetworkError(
          code === "ATTEMPT_TIMEOUT"
            ? unanswered(clock.now() - state.started)
            : `${endpoint}: could not fetch the ${what} from ${url} (${code})`,
          { endpoint, attempts: state.attempt },
        );
      }
      let body: unknown = response.text;
      try {
        body = JSON.parse(response.text);
      } catch {
        // keep the text
      }
      const error = errorFromResponse(response.status, {
        endpoint,
        body,
        attempts: state.attempt,
        statusDescription: response.headers.icstatusdescription,
        retryAfterMs: parseRetryAfter(response.headers["retry-after"]),
      });
      error.message = `${error.message} (fetching the ${what})`;
      return error;
    },
  });
}

const str = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

export async function discoverOpenId(
  transport: Transport,
  issuer: string,
  signal?: AbortSignal,
  limits: DiscoveryLimits = DISCOVERY_LIMITS,
  attempts?: AttemptContext,
): Promise<OpenIdConfiguration> {
  const url = `${issuer}/.well-known/openid-configuration`;
  const doc = await getDiscoveryJson(transport, url, "OpenID configuration", signal, limits, attempts);
  const tokenEndpoint = str(doc.token_endpoint);
  if (!tokenEndpoint)
    throw new UnreadableAnswerError(
      `GET ${url}`,
      "a token_endpoint in the OpenID configuration (is cxone.issuer right?)",
      {
        service: "the issuer",
      },
    );
  const methods = doc.token_endpoint_auth_methods_supported;
  return {
    tokenEndpoint,
    authMethods: Array.isArray(methods) ? methods.filter((m): m is string => typeof m === "string") : [],
  };
}

export async function discoverTenant(
  transport: Transport,
  issuer: string,
  tenantId: string,
  signal?: AbortSignal,
  limits: DiscoveryLimits = DISCOVERY_LIMITS,
  attempts?: AttemptContext,
): Promise<TenantConfiguration> {
  const url = `${issuer}/.well-known/cxone-configuration?tenantId=${encodeURIComponent(tenantId)}`;
  const doc = await getDiscoveryJson(
    transport,
    url,
    "tenant's CXone configuration",
    signal,
    limits,
    attempts,
  );
  const apiEndpoint = str(doc.api_endpoint) ?? str(doc.apiEndpoint);
  if (!apiEndpoint)
    throw new UnreadableAnswerError(
      `GET ${issuer}/.well-known/cxone-configuration`,
      `an api_endpoint for tenant ${tenantId} (set cxone.baseUrl, CXONE_BASE_URL, to the tenant's API host)`,
      { service: "the issuer" },
    );
  return { apiEndpoint: apiEndpoint.replace(/\/+$/, ""), area: str(doc.area), tenantId: str(doc.tenantId) };
}
