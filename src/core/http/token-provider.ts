import { type Clock, raceSignal } from "../clock/clock.ts";
import { clockNowMs } from "../clock/now.ts";
import type { AuthStyle, HttpSettings } from "../config/schema.ts";
import { registerToken } from "../logging/secrets.ts";
import { parseRetryAfter } from "../retry/retry-after.ts";
import {
  type AttemptContext,
  type AttemptParts,
  type AttemptsOrParts,
  attemptContextOf,
  runAttempts,
} from "./attempt-loop.ts";
import {
  AuthError,
  type CxoneError,
  errorFromResponse,
  NetworkError,
  UnreadableAnswerError,
  whatCxoneSaid,
} from "./errors.ts";
import type { HttpEventSink } from "./events.ts";
import { clientCredentialsGrant, type TokenGrant } from "./token-grant.ts";
import type { RawResponse, Transport } from "./transport.ts";

export type { TokenGrant, TokenRequest } from "./token-grant.ts";
/**
 * OAuth2 tokens, cached and shared.
 *
 * - The token is reused until `expiryMargin` before it expires (short-lived tokens: half their
 *   life), so a request never leaves with a token about to die.
 * - Exactly ONE token request is in flight however many callers need a token at once. The shared
 *   fetch belongs to no caller: each caller races its OWN signal against it, so one caller
 *   leaving (Ctrl-C, its deadline) never fails the others. Only when every caller has left is
 *   the fetch itself aborted (its retry sleep included), so nothing is left running for nobody.
 * - `invalidate(token, requestNo)` drops the cached token only if it is still the one the caller used, so
 *   fifty requests that all got a 401 with the same stale token cause one refresh, not fifty.
 * - How a token is asked for is a `TokenGrant` (client credentials in every style of the seeds
 *   by default; other grants plug in), so this file holds no grant-specific code.
 * - Token requests go through the `token` rate-limit group when one is given.
 * - Tokens and the client secret are registered as secrets: no log line or error can print them.
 */
export type TokenProviderOptions = TokenProviderParts &
  AttemptsOrParts<
    AttemptParts & {
      /** Told of its fetches' events. */
      events?: HttpEventSink;
    }
  >;

/**
 * What an OAuthTokenProvider is built from, but what its fetches' attempt loop runs on: either
 * the HTTP core's one context, `attempts` (its clock, random source, listeners and count of
 * calls, so a fetch's events are told to the client's listeners under numbers of its count), or
 * one of its own built from `clock`, `random`, `events` and `requestNumbers` (the client's own
 * count, so its events never share a `requestNo` with the client's requests; default: a count of
 * this provider's own): never both.
 */
export interface TokenProviderParts {
  /** How to ask for a token; default: client credentials from the four fields below. */
  grant?: TokenGrant;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  auth?: AuthStyle;
  transport: Transport;
  /** The token endpoint's rate limit (the `token` group). */
  limiter?: { acquire(signal?: AbortSignal): Promise<() => void> };
  timeoutMs?: number;
  maxAttempts?: number;
  /** Overall bound of one shared fetch, its retries included. */
  deadlineMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Seconds before expiry at which a token is renewed (capped at half its life). */
  expiryMarginSeconds?: number;
}

export interface TokenInfo {
  /** Scopes the server granted, as it listed them. */
  scopes: string[];
  /** Epoch milliseconds (wall clock). */
  expiresAt: number;
  tokenType: string;
}

interface CachedToken extends TokenInfo {
  value: string;
  renewAt: number;
}

/** The fetch in flight, with the number of callers still waiting for it. */
interface SharedFetch {
  promise: Promise<CachedToken>;
  controller: AbortController;
  waiting: number;
  settled: boolean;
}

const DEFAULT_EXPIRES_IN_S = 300;

/**
 * A login's own bounds: at most 4 attempts, 60 s in all, backoff capped at 5 s. A token fetch is
 * shared by every caller that needs a token (one in flight) and belongs to none of them, so no
 * caller's per-call options (its `deadlineMs`, `maxAttempts`, signal) shape it: each caller's own
 * deadline bounds only its own wait. A login retried past a minute is an outage, better told
 * than waited on.
 */
export const LOGIN_LIMITS = { maxAttempts: 4, deadlineMs: 60_000, backoffCapMs: 5_000 } as const;

/** What bounds a login's requests (the token fetch, the production login's discovery reads). */
export interface LoginLimits {
  /** One attempt. */
  timeoutMs: number;
  maxAttempts: number;
  /** All attempts together, waits included. */
  deadlineMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

/** The client's `http` settings a login's limits are made from. */
export type LoginHttpSettings = Pick<
  HttpSettings,
  "timeoutMs" | "maxAttempts" | "deadlineMs" | "backoffBaseMs" | "backoffCapMs"
>;

/**
 * A login's limits where no client's `http` settings shape them (a token provider or a discovery
 * read used alone): LOGIN_LIMITS, 15 s an attempt, backoff from 200 ms.
 */
export const LOGIN_DEFAULTS: LoginLimits = { timeoutMs: 15_000, backoffBaseMs: 200, ...LOGIN_LIMITS };

/**
 * The login's bounds under a client's `http` settings: its per-attempt timeout and backoff base,
 * and LOGIN_LIMITS lowered (never raised) by the client's `maxAttempts`, `deadlineMs` and
 * `backoffCapMs` (a client told to give up fast gives up fast on its login too). The one rule of
 * every request of a login: the token fetch, and the production login's discovery reads (which
 * lower it further: src/platform/cxone/discovery.ts).
 */
export function loginLimits(http: LoginHttpSettings): LoginLimits {
  return {
    timeoutMs: http.timeoutMs,
    maxAttempts: Math.min(LOGIN_LIMITS.maxAttempts, http.maxAttempts),
    deadlineMs: Math.min(LOGIN_LIMITS.deadlineMs, http.deadlineMs),
    backoffBaseMs: http.backoffBaseMs,
    backoffCapMs: Math.min(LOGIN_LIMITS.backoffCapMs, http.backoffCapMs),
  };
}

function grantFrom(options: TokenProviderOptions): TokenGrant {
  if (options.grant) return options.grant;
  const { tokenUrl, clientId, clientSecret, auth } = options;
  if (!tokenUrl || !clientId || clientSecret === undefined || !auth) {
    throw new TypeError("OAuthTokenProvider needs a grant, or tokenUrl, clientId, clientSecret and auth");
  }
  return clientCredentialsGrant({ tokenUrl, clientId, clientSecret, auth });
}

export class OAuthTokenProvider {
  private readonly options: TokenProviderOptions;
  private readonly grant: TokenGrant;
  private readonly clock: Clock;
  private cached: CachedToken | undefined;
  private shared: SharedFetch | undefined;
  private fetches = 0;
  /** What its fetches' attempt loop runs on: its clock, random source, listeners and count of calls. */
  private readonly attempts: AttemptContext;

  constructor(options: TokenProviderOptions) {
    this.options = options;
    this.grant = grantFrom(options);
    const { events } = options;
    this.attempts = attemptContextOf(options, (event) => events?.(event));
    this.clock = this.attempts.clock;
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

  /**
   * The server rejected `token` (401) on call `requestNo` (the `invalidated` event names it):
   * forget it, unless a newer one already replaced it.
   */
  invalidate(token: string, requestNo: number): void {
    if (this.cached?.value === token) {
      this.cached = undefined;
      this.attempts.emit({ type: "token", action: "invalidated", requestNo });
    }
  }

  /** Number of token requests made (each attempt counts): for tests and metrics. */
  get tokenRequests(): number {
    return this.fetches;
  }

  private current(signal?: AbortSignal): Promise<CachedToken> {
    if (this.cached && this.clock.now() < this.cached.renewAt) return Promise.resolve(this.cached);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const shared = this.shared ?? this.startFetch();
    shared.waiting += 1;
    const leave = () => {
      shared.waiting -= 1;
      if (shared.waiting === 0 && !shared.settled) {
        // Nobody wants this token any more: stop it, and let the next caller start afresh.
        if (this.shared === shared) this.shared = undefined;
        shared.controller.abort(new Error("every caller waiting for the token left"));
      }
    };
    return raceSignal(shared.promise, signal).finally(leave);
  }

  private startFetch(): SharedFetch {
    const controller = new AbortController();
    const shared: SharedFetch = { controller, waiting: 0, settled: false, promise: undefined as never };
    shared.promise = this.fetchWithRetries(controller.signal).finally(() => {
      shared.settled = true;
      if (this.shared === shared) this.shared = undefined;
    });
    // Every caller may have left before it settles: its rejection is then nobody's to handle.
    shared.promise.catch(() => undefined);
    this.shared = shared;
    return shared;
  }

  /**
   * One shared fetch: one call of the client's (one `requestNo`, however many callers wait for
   * it), its attempts run by the one attempt loop and told like any request's, in the `token` group.
   */
  private fetchWithRetries(signal: AbortSignal): Promise<CachedToken> {
    const { transport, limiter } = this.options;
    const deadlineMs = this.options.deadlineMs ?? LOGIN_DEFAULTS.deadlineMs;
    const timeoutMs = this.options.timeoutMs ?? LOGIN_DEFAULTS.timeoutMs;
    // The token URL's path names it in errors ("POST /oauth/token: …"), its host when unreachable.
    let path = "token endpoint";
    let host = "";
    return runAttempts<CachedToken>({
      context: this.attempts,
      group: "token",
      method: "POST",
      endpoint: "POST token endpoint",
      transport,
      signal,
      maxAttempts: this.options.maxAttempts ?? LOGIN_DEFAULTS.maxAttempts,
      deadlineMs,
      // The token request changes nothing on the server: safe to repeat.
      hasIdempotencyKey: true,
      backoffBaseMs: this.options.backoffBaseMs ?? LOGIN_DEFAULTS.backoffBaseMs,
      backoffCapMs: this.options.backoffCapMs ?? LOGIN_DEFAULTS.backoffCapMs,
      // Within what is left of the fetch's own deadline.
      attemptTimeoutMs: (state) =>
        Math.floor(Math.min(timeoutMs, deadlineMs - (this.clock.now() - state.started))),
      ...(limiter ? { acquire: (s: AbortSignal | undefined) => limiter.acquire(s) } : {}),
      prepare: async () => {
        const request = await this.grant.prepare(signal);
        const url = URL.parse(request.url);
        if (url) {
          path = url.pathname;
          host = url.host;
        }
        this.fetches += 1;
        return { request: { ...request, method: "POST" }, ...(url ? { endpoint: `POST ${path}` } : {}) };
      },
      answered: (response, state) =>
        response.status >= 200 && response.status < 300
          ? this.accept(response, path, state.requestNo)
          : undefined,
      giveUp: (failed, _decision, state) =>
        this.failure(
          failed.response,
          failed.failure.kind === "network" ? failed.failure.code : undefined,
          path,
          state.attempt,
          host,
        ),
    });
  }

  /** A 2xx answer to fetch `requestNo`: its token, cached and told. */
  private accept(response: RawResponse, endpoint: string, requestNo: number): CachedToken {
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(response.text) as Record<string, unknown>;
    } catch {
      throw new UnreadableAnswerError(`POST ${endpoint}`, "a token response in JSON", {
        status: response.status,
        service: "the token endpoint",
      });
    }
    const value = payload.access_token;
    if (typeof value !== "string" || value === "") {
      throw new UnreadableAnswerError(`POST ${endpoint}`, "an access_token in the token response", {
        status: response.status,
        service: "the token endpoint",
      });
    }
    registerToken(value);
    const expiresInS =
      typeof payload.expires_in === "number" && payload.expires_in > 0
        ? payload.expires_in
        : DEFAULT_EXPIRES_IN_S;
    const marginS = this.options.expiryMarginSeconds ?? this.options.auth?.expiryMarginSeconds ?? 60;
    const marginMs = Math.min(marginS * 1000, (expiresInS * 1000) / 2);
    const now = this.clock.now();
    this.cached = {
      value,
      // Wall-clock time for people ("expires 12:40"); renewal runs on the monotonic clock.
      expiresAt: clockNowMs() + expiresInS * 1000,
      renewAt: now + expiresInS * 1000 - marginMs,
      scopes: typeof payload.scope === "string" ? payload.scope.split(/\s+/).filter(Boolean) : [],
      tokenType: typeof payload.token_type === "string" ? payload.token_type : "Bearer",
    };
    this.attempts.emit({ type: "token", action: "fetched", requestNo, expiresInS });
    return this.cached;
  }

  private failure(
    response: RawResponse | undefined,
    code: string | undefined,
    endpoint: string,
    attempts: number,
    host = "",
  ): CxoneError {
    if (!response) {
      const hint = this.grant.unreachableHint ? `; check ${this.grant.unreachableHint}` : "";
      return new NetworkError(
        `POST ${endpoint}: token request to ${host || "the token URL"} failed (${code})${hint}`,
        {
          method: "POST",
          endpoint,
          attempts,
        },
      );
    }
    let body: unknown = response.text;
    try {
      body = JSON.parse(response.text);
    } catch {
      // keep the text
    }
    const statusDescription = response.headers.icstatusdescription;
    if (response.status === 400 || response.status === 401) {
      const said = whatCxoneSaid(body, statusDescription);
      const reason = said.description ?? said.code ?? `status ${response.status}`;
      return new AuthError(
        `POST ${endpoint}: the token request was rejected (${reason}); check ${this.grant.rejectionHint}`,
        { status: response.status, method: "POST", endpoint, body, attempts, statusDescription },
      );
    }
    return errorFromResponse(response.status, {
      method: "POST",
      endpoint,
      body,
      attempts,
      statusDescription,
      retryAfterMs: parseRetryAfter(response.headers["retry-after"]),
    });
  }
}
