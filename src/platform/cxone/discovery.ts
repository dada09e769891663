import { systemClock } from "../../core/http/clock.ts";
import { errorFromResponse, NetworkError, UnreadableAnswerError } from "../../core/http/errors.ts";
import { decideRetry } from "../../core/http/retry-policy.ts";
import { networkErrorCode, type RawResponse, type Transport } from "../../core/http/transport.ts";
import { parseRetryAfter } from "../../core/retry/index.ts";

/**
 * The two unauthenticated discovery documents of NICE's global authentication service:
 * `{issuer}/.well-known/openid-configuration` (where to get a token, which client auth it takes)
 * and `{issuer}/.well-known/cxone-configuration?tenantId=` (which API host serves the tenant).
 * Fetched once per process and retried like any idempotent GET.
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

const MAX_ATTEMPTS = 4;

/** A discovery document's limits: one attempt, and all attempts together (then it fails, naming the host). */
export interface DiscoveryLimits {
  attemptMs: number;
  deadlineMs: number;
}
export const DISCOVERY_LIMITS: DiscoveryLimits = { attemptMs: 15_000, deadlineMs: 30_000 };

/**
 * The limits within the configured HTTP ones (`http.timeoutMs` per attempt, `http.deadlineMs`
 * in all): an issuer that accepts the connection and never answers fails within the deadline
 * the user set, with a sentence naming the host, never later.
 */
export function discoveryLimits(http: { timeoutMs: number; deadlineMs: number }): DiscoveryLimits {
  return {
    attemptMs: Math.min(DISCOVERY_LIMITS.attemptMs, http.timeoutMs, http.deadlineMs),
    deadlineMs: Math.min(DISCOVERY_LIMITS.deadlineMs, http.deadlineMs),
  };
}

export async function getDiscoveryJson(
  transport: Transport,
  url: string,
  what: string,
  signal?: AbortSignal,
  limits: DiscoveryLimits = DISCOVERY_LIMITS,
): Promise<Record<string, unknown>> {
  const endpoint = `GET ${new URL(url).pathname}`;
  const host = new URL(url).host;
  // Real time: a deadline for the network, whatever clock the process reads (CXO_CLOCK).
  const started = performance.now();
  for (let attempt = 1; ; attempt += 1) {
    let response: RawResponse | undefined;
    let code: string | undefined;
    const left = limits.deadlineMs - (performance.now() - started);
    if (left <= 0)
      throw new NetworkError(
        `no answer from ${host} within ${Math.round(limits.deadlineMs / 1000)} s while waiting for the ${what} (${url}): is the issuer right, and can this machine reach ${host}?`,
        { endpoint, attempts: attempt - 1 },
      );
    // Whole milliseconds: AbortSignal.timeout refuses a fraction (performance.now() gives them).
    const attemptSignal = AbortSignal.timeout(Math.max(1, Math.ceil(Math.min(limits.attemptMs, left))));
    try {
      response = await transport.send({
        url,
        method: "GET",
        headers: { accept: "application/json" },
        signal: signal ? AbortSignal.any([signal, attemptSignal]) : attemptSignal,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      code = attemptSignal.aborted ? "ATTEMPT_TIMEOUT" : networkErrorCode(error);
    }
    if (response && response.status >= 200 && response.status < 300) {
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
    }
    const decision = decideRetry(
      response
        ? {
            kind: "status",
            status: response.status,
            retryAfterMs: parseRetryAfter(response.headers["retry-after"]),
          }
        : { kind: "network", code: code! },
      {
        attempt,
        maxAttempts: MAX_ATTEMPTS,
        elapsedMs: performance.now() - started,
        deadlineMs: limits.deadlineMs,
        method: "GET",
        hasIdempotencyKey: false,
        backoffBaseMs: 200,
        backoffCapMs: 5_000,
        random: Math.random,
      },
    );
    if (!decision.retry) {
      if (!response)
        throw new NetworkError(
          code === "ATTEMPT_TIMEOUT"
            ? `no answer from ${host} within ${Math.round((performance.now() - started) / 1000)} s while waiting for the ${what} (${url}): is the issuer right, and can this machine reach ${host}?`
            : `${endpoint}: could not fetch the ${what} from ${url} (${code})`,
          {
            endpoint,
            attempts: attempt,
          },
        );
      let body: unknown = response.text;
      try {
        body = JSON.parse(response.text);
      } catch {
        // keep the text
      }
      const error = errorFromResponse(response.status, {
        endpoint,
        body,
        attempts: attempt,
        statusDescription: response.headers.icstatusdescription,
        retryAfterMs: parseRetryAfter(response.headers["retry-after"]),
      });
      error.message = `${error.message} (fetching the ${what})`;
      throw error;
    }
    // Abortable: a caller giving up does not wait out the backoff.
    await systemClock.sleep(
      Math.min(decision.delayMs, Math.max(0, limits.deadlineMs - (performance.now() - started))),
      signal,
    );
  }
}

const str = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

export async function discoverOpenId(
  transport: Transport,
  issuer: string,
  signal?: AbortSignal,
  limits: DiscoveryLimits = DISCOVERY_LIMITS,
): Promise<OpenIdConfiguration> {
  const url = `${issuer}/.well-known/openid-configuration`;
  const doc = await getDiscoveryJson(transport, url, "OpenID configuration", signal, limits);
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
): Promise<TenantConfiguration> {
  const url = `${issuer}/.well-known/cxone-configuration?tenantId=${encodeURIComponent(tenantId)}`;
  const doc = await getDiscoveryJson(transport, url, "tenant's CXone configuration", signal, limits);
  const apiEndpoint = str(doc.api_endpoint) ?? str(doc.apiEndpoint);
  if (!apiEndpoint)
    throw new UnreadableAnswerError(
      `GET ${issuer}/.well-known/cxone-configuration`,
      `an api_endpoint for tenant ${tenantId} (set cxone.baseUrl, CXONE_BASE_URL, to the tenant's API host)`,
      { service: "the issuer" },
    );
  return { apiEndpoint: apiEndpoint.replace(/\/+$/, ""), area: str(doc.area), tenantId: str(doc.tenantId) };
}
