import type { Dispatcher } from "undici";
import { ClientClosedError } from "../client-closed-error.ts";
import { clockNowDate } from "../clock/now.ts";
import { type AnswerBound, AnswerTooLargeError } from "./errors.ts";
import { Agent } from "./undici.ts";
/**
 * The only file that touches the network: undici with keep-alive connection pooling. One
 * Transport (one pool per origin) is shared by every request of a client, tokens included.
 */
export interface RawRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Receives a 2xx answer's body bytes instead of `text` (see BodySink). */
  sink?: BodySink;
  /** The most a 2xx answer may have (default DEFAULT_ANSWER_BOUND): past it, AnswerTooLargeError. */
  bound?: AnswerBound;
  /** How the error names the request ("POST /api/v1/queries"); default its method and path. */
  endpoint?: string;
}

/**
 * Every answer is read with a bound: one from a third party (CXone, the RND, a token or discovery
 * host) may be hostile or broken, and reading 150 MB whole took 1.1 GB. A request that knows what
 * it asked gives a bound proportional to it; the others get this one, well above the largest page
 * cxo asks for (an outcome page of 5,000 calls is ~1.7 MB).
 */
export const DEFAULT_ANSWER_BOUND: AnswerBound = {
  bytes: 32 * 1024 * 1024,
  why: "the most any one answer cxo asks for may have (32 MiB)",
};

/** An error answer's body is read for its words only: what is past this is dropped. */
const ERROR_BODY_BYTES = 1024 * 1024;

/**
 * Where a successful answer's body goes, chunk by chunk, when a caller wants the bytes rather
 * than one string (big pages decoded record by record). `begin()` starts every attempt afresh:
 * an answer cut off mid-body is retried, and its partial bytes must not be kept.
 */
export interface BodySink {
  begin(): unknown;
  write(chunk: Uint8Array): void;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text ("" when it went to the request's sink). */
  text: string;
  /** True when the body went to the request's sink. */
  sunk?: boolean;
}

/** One request and its answer (or its failure), as the network saw them: for recordings (HAR). */
export interface Exchange {
  startedAt: Date;
  durationMs: number;
  request: { url: string; method: string; headers: Record<string, string>; body: string | undefined };
  /** Undefined when no answer came (a reset, a timeout, an abort): then `error` says why. */
  response: RawResponse | undefined;
  error: string | undefined;
}

export interface TransportOptions {
  /** Told of every exchange once it settles (never its caller's business: a throw is ignored). */
  onExchange?: (exchange: Exchange) => void;
  connections?: number;
  keepAliveTimeoutMs?: number;
  /** Send through this dispatcher (a proxy agent, say) instead of our own pool; not closed by us. */
  dispatcher?: Dispatcher;
  /** The User-Agent of every request that names none (tokens and discovery: user-agent.ts). */
  userAgent?: string;
}

export class Transport {
  private readonly agent: Dispatcher;
  private readonly ownsAgent: boolean;

  private readonly onExchange: ((exchange: Exchange) => void) | undefined;
  private readonly userAgent: string | undefined;
  /** Requests sent through this transport so far (what a run spent, discovery and tokens included). */
  sent = 0;

  constructor(options: TransportOptions = {}) {
    this.onExchange = options.onExchange;
    this.userAgent = options.userAgent;
    this.ownsAgent = options.dispatcher === undefined;
    this.agent =
      options.dispatcher ??
      new Agent({
        connections: options.connections ?? 64,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
        keepAliveMaxTimeout: 60_000,
        // Timeouts are ours (per attempt, via AbortSignal), not undici's defaults.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
  }

  async send(given: RawRequest): Promise<RawResponse> {
    // After close(): refused; during it: every request in flight is aborted (closing.ts).
    this.closed.signal.throwIfAborted();
    this.sent += 1;
    const request = this.withUserAgent(given);
    if (!this.onExchange) return this.exchange(request);
    const startedAt = clockNowDate();
    const startedMs = performance.now();
    const settle = (response: RawResponse | undefined, error: unknown) => {
      try {
        this.onExchange?.({
          startedAt,
          durationMs: performance.now() - startedMs,
          request: { url: request.url, method: request.method, headers: request.headers, body: request.body },
          response,
          error: error === undefined ? undefined : networkErrorCode(error),
        });
      } catch {
        // a recorder's failure is not the request's
      }
    };
    try {
      const response = await this.exchange(request);
      settle(response, undefined);
      return response;
    } catch (error) {
      settle(undefined, error);
      throw error;
    }
  }

  private withUserAgent(request: RawRequest): RawRequest {
    if (this.userAgent === undefined) return request;
    if (Object.keys(request.headers).some((name) => name.toLowerCase() === "user-agent")) return request;
    return { ...request, headers: { ...request.headers, "user-agent": this.userAgent } };
  }

  private async exchange(request: RawRequest): Promise<RawResponse> {
    const url = new URL(request.url);
    const response = await this.agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: request.method as "GET",
      headers: request.headers,
      body: request.body,
      signal: request.signal ? AbortSignal.any([request.signal, this.closed.signal]) : this.closed.signal,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
    // Read the body whole (bounded) so the connection goes back to the pool.
    const status = response.statusCode;
    const ok = status >= 200 && status < 300;
    const bound = request.bound ?? DEFAULT_ANSWER_BOUND;
    const endpoint = request.endpoint ?? `${request.method} ${url.pathname}`;
    const declared = Number(headers["content-length"]);
    if (ok && Number.isFinite(declared) && declared > bound.bytes) {
      response.body.destroy();
      throw new AnswerTooLargeError(endpoint, bound, { status, declared });
    }
    const sink = ok ? request.sink : undefined;
    sink?.begin();
    const limit = ok ? bound.bytes : Math.min(bound.bytes, ERROR_BODY_BYTES);
    const chunks: Uint8Array[] = [];
    let received = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      received += chunk.length;
      if (received > limit) {
        // Leaving the loop destroys the body (and its connection): nothing more is read.
        if (ok) throw new AnswerTooLargeError(endpoint, bound, { status });
        chunks.push(chunk.subarray(0, chunk.length - (received - limit)));
        break;
      }
      if (sink) sink.write(chunk);
      else chunks.push(chunk);
    }
    if (sink) return { status, headers, text: "", sunk: true };
    return { status, headers, text: Buffer.concat(chunks).toString("utf8") };
  }

  /** Idempotent: a second close (a `finally` after an explicit one) resolves with the first. */
  close(): Promise<void> {
    if (!this.closed.signal.aborted) this.closed.abort(new ClientClosedError());
    this.closing ??= this.ownsAgent ? this.agent.close() : Promise.resolve();
    return this.closing;
  }

  private closing: Promise<void> | undefined;
  /** Aborted by close(): refuses new requests and aborts those in flight. */
  private readonly closed = new AbortController();
}

/** The most specific error code of a network failure (undici wraps the socket's in `cause`). */
export function networkErrorCode(error: unknown): string {
  let current: unknown = error;
  let fallback = "NETWORK_ERROR";
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") {
      if (/^E[A-Z]+$/.test(code)) return code; // a system code (ECONNRESET) beats undici's wrapper
      if (fallback === "NETWORK_ERROR") fallback = code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return fallback;
}
