import type { HttpClient, HttpResponse, RequestOptions } from "../../core/http/http-client.ts";

/** Who answered, as an unreadable answer of the seed API names it (UnreadableAnswerError's `service`). */
export const SEED_API = "the seed API";

/** What a request of the seed API says besides its route: its group and scopes, and what it sends. */
export type SeedRequest = Omit<
  RequestOptions,
  "method" | "path" | "endpoint" | "requiredScopes" | "signal"
> & {
  /** The values of the route's `{name}` parameters, each encoded as `pathOf` encodes it. */
  params?: Record<string, string>;
  /** Scopes the endpoint accepts (any one of them), named in the error when CXone answers 403. */
  scopes: readonly string[];
  signal?: AbortSignal | undefined;
};

/**
 * A request of the seed API to `route`, written once as metrics and errors name the endpoint
 * (`PUT /api/v2/outbound/calls/{callId}/disposition`): sent with the route's method, to its path
 * with the parameters filled in.
 */
export function seedRequest<T = unknown>(
  http: HttpClient,
  route: string,
  request: SeedRequest,
): Promise<HttpResponse<T>> {
  const space = route.indexOf(" ");
  const { params = {}, scopes, signal, ...rest } = request;
  const path = route.slice(space + 1).replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  return http.request<T>({
    method: route.slice(0, space) as RequestOptions["method"],
    path,
    endpoint: route,
    requiredScopes: [...scopes],
    ...rest,
    ...(signal ? { signal } : {}),
  });
}
