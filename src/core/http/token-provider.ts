import type { AuthStyle } from "../config/schema.ts";
import { registerSecret } from "../logging/secrets.ts";
import { AuthError, CxoneError, errorFromResponse, NetworkError } from "./errors.ts";
import type { HttpEventSink } from "./events.ts";
import { parseRetryAfter } from "./retry-after.ts";
import { decideRetry } from "./retry-policy.ts";
import { networkErrorCode, type RawResponse, type Transport } from "./transport.ts";

/**
 * OAuth2 client credentials with a cached token.
 *
 * - The token is reused until `expiryMargin` before it expires (short-lived tokens: half their
 *   life), so a request never leaves with a token about to die.
 * - Exactly ONE token request is in flight however many callers need a token at once: they all
 *   await the same promise.
 * - `invalidate(token)` drops the cached token only if it is still the one the caller used, so
 *   fifty requests that all got a 401 with the same stale token cause one refresh, not fifty.
 * - Every auth style of the seeds is configuration: credentials in a Basic header or in the
 *   body, form or JSON encoding, scopes or none, token URL on any host.
 * - Tokens and the client secret are registered as secrets: no log line or error can print them.
 */
/**
 * How a token request is made when it is not the seeds' client-credentials grant (e.g. the
 * production platform's access-key password grant, whose token URL is discovered first).
 */
export interface TokenGrant {
  /** The request to send for one attempt (called per attempt; may discover and cache the URL). */
  prepare(signal?: AbortSignal): Promise<{ url: string; headers: Record<string, string>; body: string }>;
  /** Which settings to check when the token request is rejected (400/401). */
  readonly rejectionHint: string;
}

export interface TokenProviderOptions {
  tokenUrl: string;
  /** Replaces the client-credentials request built from the options below. */
  grant?: TokenGrant;
  clientId: string;
  clientSecret: string;
  auth: AuthStyle;
  transport: Transport;
  events?: HttpEventSink;
  timeoutMs?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface TokenInfo {
  /** Scopes the server granted, as it listed them. */
  scopes: string[];
  expiresAt: number;
  tokenType: string;
}

interface CachedToken extends TokenInfo {
  value: string;
  renewAt: number;
}

const DEFAULT_EXPIRES_IN_S = 300;

export class OAuthTokenProvider {
  private readonly options: TokenProviderOptions;
  private readonly now: () => number;
  private cached: CachedToken | undefined;
  private inFlight: Promise<CachedToken> | undefined;
  private fetches = 0;

  constructor(options: TokenProviderOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    registerSecret(options.clientSecret);
  }

  /** A valid access token: the cached one, or the one being fetched, or a new one. */
  async getToken(signal?: AbortSignal): Promise<string> {
    return (await this.current(signal)).value;
  }

  /** What the current token grants (fetching one if needed); never the token itself. */
  async info(signal?: AbortSignal): Promise<TokenInfo> {
    const { scopes, expiresAt, tokenType } = await this.current(signal);
    return { scopes, expiresAt, tokenType };
  }

  /** The server rejected `token` (401): forget it, unless a newer one already replaced it. */
  invalidate(token: string): void {
    if (this.cached?.value === token) {
      this.cached = undefined;
      this.options.events?.({ type: "token", action: "invalidated" });
    }
  }

  /** Number of token requests made (each attempt counts): for tests and metrics. */
  get tokenRequests(): number {
    return this.fetches;
  }

  private current(signal?: AbortSignal): Promise<CachedToken> {
    if (this.cached && this.now() < this.cached.renewAt) return Promise.resolve(this.cached);
    if (!this.inFlight) {
      this.inFlight = this.fetchWithRetries(signal).finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  private buildRequest(): { headers: Record<string, string>; body: string } {
    const { clientId, clientSecret, auth } = this.options;
    const fields: Record<string, string> = { grant_type: "client_credentials" };
    const headers: Record<string, string> = { accept: "application/json" };
    if (auth.credentials === "basic") {
      const basic = Buffer.from(
        `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
      ).toString("base64");
      registerSecret(basic);
      headers.authorization = `Basic ${basic}`;
    } else {
      fields.client_id = clientId;
      fields.client_secret = clientSecret;
    }
    if (auth.scopes.length > 0) fields.scope = auth.scopes.join(" ");
    if (auth.encoding === "json") {
      headers["content-type"] = "application/json";
      return { headers, body: JSON.stringify(fields) };
    }
    headers["content-type"] = "application/x-www-form-urlencoded";
    return { headers, body: new URLSearchParams(fields).toString() };
  }

  private async fetchWithRetries(signal?: AbortSignal): Promise<CachedToken> {
    const { transport, grant } = this.options;
    const maxAttempts = this.options.maxAttempts ?? 4;
    const started = this.now();
    for (let attempt = 1; ; attempt += 1) {
      const {
        url: tokenUrl,
        headers,
        body,
      } = grant ? await grant.prepare(signal) : { url: this.options.tokenUrl, ...this.buildRequest() };
      const endpoint = new URL(tokenUrl).pathname;
      this.fetches += 1;
      let response: RawResponse | undefined;
      let failureCode: string | undefined;
      const attemptSignal = AbortSignal.timeout(this.options.timeoutMs ?? 15_000);
      try {
        response = await transport.send({
          url: tokenUrl,
          method: "POST",
          headers,
          body,
          signal: signal ? AbortSignal.any([signal, attemptSignal]) : attemptSignal,
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        failureCode = attemptSignal.aborted ? "ATTEMPT_TIMEOUT" : networkErrorCode(error);
      }
      if (response && response.status >= 200 && response.status < 300) return this.accept(response, endpoint);

      const failure = response
        ? {
            kind: "status" as const,
            status: response.status,
            retryAfterMs: parseRetryAfter(response.headers["retry-after"]),
          }
        : { kind: "network" as const, code: failureCode! };
      const decision = decideRetry(failure, {
        attempt,
        maxAttempts,
        elapsedMs: this.now() - started,
        deadlineMs: 60_000,
        // The token request changes nothing on the server: safe to repeat.
        method: "POST",
        hasIdempotencyKey: true,
        backoffBaseMs: this.options.backoffBaseMs ?? 200,
        backoffCapMs: this.options.backoffCapMs ?? 5_000,
        random: this.options.random ?? Math.random,
      });
      if (!decision.retry) throw this.failure(response, failureCode, endpoint, attempt);
      this.options.events?.({
        type: "retry",
        group: "token",
        method: "POST",
        endpoint,
        attempt,
        delayMs: decision.delayMs,
        reason: decision.reason,
      });
      await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    }
  }

  private accept(response: RawResponse, endpoint: string): CachedToken {
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(response.text) as Record<string, unknown>;
    } catch {
      throw new CxoneError(`POST ${endpoint}: token response is not JSON`, {
        status: response.status,
        endpoint,
      });
    }
    const value = payload.access_token;
    if (typeof value !== "string" || value === "") {
      throw new CxoneError(`POST ${endpoint}: token response has no access_token`, {
        status: response.status,
        endpoint,
      });
    }
    registerSecret(value);
    const expiresInS =
      typeof payload.expires_in === "number" && payload.expires_in > 0
        ? payload.expires_in
        : DEFAULT_EXPIRES_IN_S;
    const marginMs = Math.min(this.options.auth.expiryMarginSeconds * 1000, (expiresInS * 1000) / 2);
    const now = this.now();
    this.cached = {
      value,
      expiresAt: now + expiresInS * 1000,
      renewAt: now + expiresInS * 1000 - marginMs,
      scopes: typeof payload.scope === "string" ? payload.scope.split(/\s+/).filter(Boolean) : [],
      tokenType: typeof payload.token_type === "string" ? payload.token_type : "Bearer",
    };
    this.options.events?.({ type: "token", action: "fetched", expiresInS });
    return this.cached;
  }

  private failure(
    response: RawResponse | undefined,
    code: string | undefined,
    endpoint: string,
    attempts: number,
  ): CxoneError {
    if (!response) {
      return new NetworkError(`POST ${endpoint}: token request failed (${code})`, {
        method: "POST",
        endpoint,
        attempts,
      });
    }
    let body: unknown = response.text;
    try {
      body = JSON.parse(response.text);
    } catch {
      // keep the text
    }
    if (response.status === 400 || response.status === 401) {
      const said = (body as { error?: string; error_description?: string } | undefined) ?? {};
      const reason = said.error_description ?? said.error ?? `status ${response.status}`;
      return new AuthError(
        `POST ${endpoint}: the token request was rejected (${reason}); check ${this.options.grant?.rejectionHint ?? "CXONE_CLIENT_ID, CXONE_CLIENT_SECRET, the requested scopes and the auth style"}`,
        { status: response.status, method: "POST", endpoint, body, attempts },
      );
    }
    return errorFromResponse(response.status, { method: "POST", endpoint, body, attempts });
  }
}
