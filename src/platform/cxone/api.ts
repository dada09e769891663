import type { HttpClient, HttpResponse, RequestOptions } from "../../core/http/http-client.ts";
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

export class ProductionApi {
  private readonly http: HttpClient;
  readonly session: ProductionSession;
  readonly version: string;

  constructor(http: HttpClient, session: ProductionSession, version: string) {
    this.http = http;
    this.session = session;
    this.version = version;
  }

  async url(path: string, version = this.version, signal?: AbortSignal): Promise<string> {
    if (/^https?:\/\//i.test(path)) return path;
    return `${await this.session.endpoint(signal)}/inContactAPI/services/${version}${path}`;
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
