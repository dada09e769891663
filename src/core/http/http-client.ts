import { randomUUID } from "node:crypto";
import { type Clock, type Deadline, startDeadline } from "../clock/clock.ts";
import type { HttpSettings } from "../config/schema.ts";
import { DeadlineExceededError } from "../deadline-error.ts";
import {
  AGAIN,
  type AttemptContext,
  type AttemptParts,
  type AttemptState,
  type AttemptsOrParts,
  attemptContextOf,
  requestIdOf,
  runAttempts,
} from "./attempt-loop.ts";
import { currentCallOptions } from "./call-scope.ts";
import type { RateLimitRegistry } from "./endpoint-groups.ts";
import {
  type AnswerBound,
  AuthError,
  type CxoneError,
  errorFromResponse,
  NetworkError,
  whatCxoneSaid,
} from "./errors.ts";
import type { HttpEvent, HttpEventSink } from "./events.ts";
import type { EndpointGroup } from "./group-names.ts";
import type { OAuthTokenProvider } from "./token-provider.ts";
import type { BodySink, RawResponse, Transport } from "./transport.ts";

/**
 * One request to CXone, done right: rate-limited per endpoint group, authenticated with a shared
 * cached token (one refresh and one retry on 401), retried by the one retry policy within an
 * attempt limit and an overall deadline, each attempt bounded by its own timeout, and answered
 * with a typed error when it finally fails. Capabilities never see this: they call the port.
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number>;

export interface RequestOptions {
  method: HttpMethod;
  /** Path with its parameters already encoded (use `pathOf`), e.g. /api/v2/outbound/calls/c-1 */
  path: string;
  /** Stable label for metrics and errors, e.g. "PUT /api/v2/outbound/calls/{callId}/disposition". */
  endpoint?: string;
  group: EndpointGroup;
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Scopes the endpoint requires, named in the error when CXone answers 403. */
  requiredScopes?: string[];
  /**
   * Makes a POST/PATCH safe to retry: the given key, or `true` to generate one. The same key is
   * sent on every attempt of this request.
   */
  idempotencyKey?: string | true;
  signal?: AbortSignal;
  /**
   * Streams a 2xx answer's body into this sink (restarted on each attempt) instead of parsing
   * it: the response's `body` is then undefined. For big pages read record by record.
   */
  bodySink?: BodySink;
  /**
   * The most the answer may have, proportional to what was asked (default: transport.ts's
   * DEFAULT_ANSWER_BOUND): past it the answer is refused unread (AnswerTooLargeError, not retried).
   */
  answerBound?: AnswerBound;
  maxAttempts?: number;
  deadlineMs?: number;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
  requestId: string | undefined;
  /** Attempts sent, the first included (a re-send after a refused token's refresh counts too). */
  attempts: number;
  /** How many of the attempts were answered 429 (each paused the endpoint group). */
  throttled: number;
  /** From the first attempt's start to the final answer. */
  latencyMs: number;
  /** Each attempt's own latency, in order. */
  attemptLatenciesMs: number[];
  idempotencyKey: string | undefined;
}

/**
 * What an HttpClient is built from. What its attempt loops run on is either the HTTP core's one
 * context, `attempts` (createCxoneHttp builds it, and hands the same to the token provider and
 * the login's discovery reads; its `emit` should reach this client's listeners, `emit`), or one
 * of its own built from `clock`, `random` and `requestNumbers` (each defaulted), telling this
 * client's listeners: never both.
 */
export type HttpClientOptions = HttpClientParts & AttemptsOrParts<AttemptParts>;

/** What an HttpClient is built from, but what its attempt loops run on. */
export interface HttpClientParts {
  baseUrl: string;
  transport: Transport;
  tokens: OAuthTokenProvider;
  limits: RateLimitRegistry;
  settings: HttpSettings;
  idempotencyHeader?: string;
  userAgent?: string;
}

/** Encodes each parameter into a path template: pathOf`/calls/${id}/disposition`. */
export function pathOf(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  return strings.reduce(
    (out, part, index) =>
      out + part + (index < values.length ? encodeURIComponent(String(values[index])) : ""),
    "",
  );
}

function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function parseBody(response: RawResponse): unknown {
  if (response.sunk || response.text === "") return undefined;
  const type = response.headers["content-type"] ?? "";
  if (type.includes("json") || /^[[{]/.test(response.text)) {
    try {
      return JSON.parse(response.text);
    } catch {
      return response.text;
    }
  }
  return response.text;
}

export { requestIdOf };

export class HttpClient {
  private readonly options: HttpClientOptions;
  private readonly baseUrl: string;
  private readonly listeners: HttpEventSink[] = [];
  /** What its attempt loops run on: its clock, random source, listeners and count of calls. */
  private readonly attempts: AttemptContext;
  /** This client's clock (a test clock in tests): what its sleeps, deadlines and waiters run on. */
  readonly clock: Clock;

  constructor(options: HttpClientOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.attempts = attemptContextOf(options, (event) => this.emit(event));
    this.clock = this.attempts.clock;
  }

  /** This client's clock (a test clock in tests), in milliseconds. */
  now(): number {
    return this.clock.now();
  }

  /** Waits on this client's clock (a test clock in tests); rejects as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.clock.sleep(ms, signal);
  }

  /** Subscribe to request/response/retry/throttle events; returns the unsubscribe function. */
  on(listener: HttpEventSink): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  emit(event: HttpEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  async request<T = unknown>(given: RequestOptions): Promise<HttpResponse<T>> {
    // A request inside a call scope with a signal (a run of many calls) ends with it too.
    const scoped = withScopeSignal(given.signal);
    const options = scoped === given.signal ? given : { ...given, signal: scoped };
    const deadlineMs = options.deadlineMs ?? this.options.settings.deadlineMs;
    // One deadline for everything this request does: queueing in the limiter, waiting for a
    // token, every attempt and every wait between attempts.
    const deadline = startDeadline(this.clock, deadlineMs, options.signal);
    try {
      return await this.run<T>(options, deadline, deadlineMs);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * The request's attempts, each through the same steps (as AWS SDK v3's middleware stack), run
   * by the one attempt loop: the throttle step (a slot of the endpoint group's limiter), the
   * auth step (the shared token), the transport (one attempt under its own timeout), then on a
   * failure the auth refresh (a 401 renews the token once and goes again at once, told as a
   * retry with no wait) or the retry
   * step (the one retry policy; a throttle pauses the whole group).
   */
  private run<T>(options: RequestOptions, deadline: Deadline, deadlineMs: number): Promise<HttpResponse<T>> {
    const { settings } = this.options;
    const endpoint = options.endpoint ?? `${options.method} ${options.path}`;
    const url = `${this.baseUrl}${options.path}${buildQuery(options.query)}`;
    const group = this.options.limits.get(options.group);
    const idempotencyKey =
      options.idempotencyKey === true
        ? randomUUID()
        : typeof options.idempotencyKey === "string"
          ? options.idempotencyKey
          : undefined;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    let authRefreshed = false;
    // Whatever was awaited when the caller's signal or the deadline fired, saying which it was.
    const stopped = (state: AttemptState): unknown => {
      if (options.signal?.aborted) return options.signal.reason;
      const decision = `the ${deadlineMs} ms deadline passed${state.lastReason ? ` (last: ${state.lastReason})` : ""}`;
      return requestDeadline(
        deadlineMs,
        this.finalError(state.lastResponse, {
          method: options.method,
          endpoint,
          attempt: state.attempt,
          options,
          decision,
          retryAfterMs: state.lastRetryAfterMs,
        }),
      );
    };
    return runAttempts<HttpResponse<T>, string>({
      context: this.attempts,
      group: options.group,
      method: options.method,
      endpoint,
      transport: this.options.transport,
      // One deadline for everything this request does: queueing in the limiter, waiting for a
      // token, every attempt and every wait between attempts.
      signal: deadline.signal,
      maxAttempts: options.maxAttempts ?? currentCallOptions()?.maxAttempts ?? settings.maxAttempts,
      deadlineMs,
      hasIdempotencyKey: idempotencyKey !== undefined,
      backoffBaseMs: settings.backoffBaseMs,
      backoffCapMs: settings.backoffCapMs,
      attemptTimeoutMs: () => settings.timeoutMs,
      acquire: (signal) => group.acquire(signal),
      prepare: async () => {
        const token = await this.options.tokens.getToken(deadline.signal);
        const headers: Record<string, string> = {
          accept: "application/json",
          "user-agent": this.options.userAgent ?? "cxone-outbound",
          ...options.headers,
          authorization: `Bearer ${token}`,
        };
        // JSON unless the caller labels the body otherwise (doctor's probe of how a tenant reads a
        // JSON body labelled text/plain, as NICE's agent SDK sends them).
        if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
          headers["content-type"] = "application/json";
        if (idempotencyKey) headers[this.options.idempotencyHeader ?? "x-idempotency-key"] = idempotencyKey;
        return {
          request: {
            url,
            method: options.method,
            headers,
            ...(body === undefined ? {} : { body }),
            ...(options.bodySink ? { sink: options.bodySink } : {}),
            ...(options.answerBound ? { bound: options.answerBound } : {}),
            endpoint,
          },
          keep: token,
        };
      },
      answered: (response, state, token) => {
        if (response.status < 400) {
          // A successful answer: the group's rate recovers, and the caller gets the parsed body.
          group.succeeded();
          return {
            status: response.status,
            headers: response.headers,
            body: parseBody(response) as T,
            requestId: requestIdOf(response.headers),
            attempts: state.attempt,
            throttled: state.throttledAttempts,
            latencyMs: this.clock.now() - state.started,
            attemptLatenciesMs: state.attemptLatencies,
            idempotencyKey,
          };
        }
        // The auth refresh: a first 401 means the token died early (revoked, clock skew): it is
        // renewed once and the request goes again at once (told as a retry with no wait; the
        // re-send is the next attempt, not counted against maxAttempts).
        if (response.status === 401 && !authRefreshed && token !== undefined) {
          authRefreshed = true;
          this.options.tokens.invalidate(token, state.requestNo);
          return AGAIN;
        }
        return undefined;
      },
      throttled: (pauseMs, failed) => group.throttled(pauseMs, failed.attemptStart),
      giveUp: (failed, decision, state) => {
        const error = this.finalError(failed.response, {
          method: options.method,
          endpoint,
          attempt: state.attempt,
          options,
          decision: decision.reason,
          retryAfterMs: state.lastRetryAfterMs,
        });
        // Given up because the next wait would pass the deadline: the deadline's error, as when it fires.
        return decision.deadline ? requestDeadline(deadlineMs, error) : error;
      },
      againReason: "token refused, refreshed",
      interrupted: stopped,
    });
  }

  private finalError(
    response: RawResponse | undefined,
    context: {
      method: string;
      endpoint: string;
      attempt: number;
      options: RequestOptions;
      decision: string;
      /** The answer's Retry-After, parsed when it came. */
      retryAfterMs: number | undefined;
    },
  ): CxoneError {
    const { method, endpoint, attempt, options } = context;
    if (!response) {
      return new NetworkError(`${endpoint}: no answer (${context.decision})`, {
        method,
        endpoint,
        attempts: attempt,
      });
    }
    const body = parseBody(response);
    const requestId = requestIdOf(response.headers);
    const statusDescription = response.headers.icstatusdescription;
    if (response.status === 401) {
      const said = whatCxoneSaid(body, statusDescription).description;
      return new AuthError(
        `${endpoint} was refused (401) even with a freshly issued token${said ? ` (${said})` : ""}; check the client's credentials`,
        {
          status: 401,
          method,
          endpoint,
          requestId,
          body,
          attempts: attempt,
          statusDescription,
        },
      );
    }
    return errorFromResponse(response.status, {
      method,
      endpoint,
      requestId,
      body,
      statusDescription,
      attempts: attempt,
      retryAfterMs: context.retryAfterMs,
      ...(options.requiredScopes ? { requiredScopes: options.requiredScopes } : {}),
    });
  }
}

/**
 * The client's `http.deadlineMs` passed (or the next wait would pass it): the same
 * DeadlineExceededError as a caller's per-call deadline, with the request's last typed error as
 * its cause (its message, status and request id carried over).
 */
function requestDeadline(deadlineMs: number, last: CxoneError): DeadlineExceededError {
  return new DeadlineExceededError(deadlineMs, { scope: "request", message: last.message, cause: last });
}

/** The request's signal joined with the signal of the call scope it runs in (call-scope.ts). */
function withScopeSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
  const ambient = currentCallOptions()?.signal;
  if (ambient === undefined || ambient === signal) return signal;
  return signal === undefined ? ambient : AbortSignal.any([signal, ambient]);
}
