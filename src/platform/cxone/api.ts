import type { Clock } from "../../core/clock/clock.ts";
import type { HttpClient, HttpResponse, RequestOptions } from "../../core/http/http-client.ts";
import type { Logger } from "../../core/logging/logger.ts";
import { counter } from "../../core/metrics/registry.ts";
import type { ProductionSession } from "./auth.ts";

/**
 * Requests to `{api_endpoint}/inContactAPI/services/{version}/…` through the HTTP core (rate
 * limits, retries, the shared token, typed errors). The API host is known only after the first
 * token (tenant discovery), so the HTTP client is built without a base URL and every path is
 * made absolute here. `Accept: application/json` goes on every call (the platform answers 406
 * without it).
 */
export interface ApiRequest extends Omit<RequestOptions, "path"> {
  /** Relative to the versioned services root (`/skills/101`), or an absolute URL (`_links.next`). */
  path: string;
  /** Another version than the pinned one, for routes that exist only there (`v27.0`). */
  version?: string;
}

/** Tolerant reads that had to fall back (a body not in the expected shape, a field defaulted). */
const fallbacks = () =>
  counter(
    "cxo_cxone_fallbacks_total",
    "Answers of the production API read through a fallback (unexpected shape, missing field)",
    ["endpoint", "kind"],
  );

export class ProductionApi {
  private readonly http: HttpClient;
  readonly session: ProductionSession;
  readonly version: string;
  private readonly logger: Logger | undefined;
  private readonly warned = new Set<string>();

  constructor(http: HttpClient, session: ProductionSession, version: string, logger?: Logger) {
    this.http = http;
    this.session = session;
    this.version = version;
    this.logger = logger;
  }

  /**
   * A tolerant reader fell back: counted in /metrics (`cxo_cxone_fallbacks_total`) every time,
   * logged at warn once per endpoint, so drift between CXone and this adapter is seen, not hidden.
   */
  fallback(endpoint: string, kind: string): void {
    fallbacks().inc({ endpoint, kind });
    if (this.warned.has(endpoint)) return;
    this.warned.add(endpoint);
    this.logger?.warn(
      { endpoint, kind },
      "CXone answered in a shape this adapter did not expect; read through a fallback (warned once per endpoint, counted in cxo_cxone_fallbacks_total)",
    );
  }

  async url(path: string, version = this.version, signal?: AbortSignal): Promise<string> {
    if (/^https?:\/\//i.test(path)) return path;
    return `${await this.session.endpoint(signal)}/inContactAPI/services/${version}${path}`;
  }

  /** Now on the HTTP client's clock (injectable): for the adapter's caches. */
  now(): number {
    return this.http.now();
  }

  /** The HTTP client's clock (injectable): what a waiter polls on. */
  clock(): Clock {
    return this.http.clock;
  }

  /** A pause between polls, on the HTTP client's clock (injectable), abortable. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.http.sleep(ms, signal);
  }

  async request<T = unknown>(options: ApiRequest): Promise<HttpResponse<T>> {
    const { version, path, ...rest } = options;
    const url = await this.url(path, version, options.signal);
    return this.http.request<T>({
      ...rest,
      path: url,
      headers: { accept: "application/json", ...options.headers },
    });
  }
}
