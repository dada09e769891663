export { type CreateCxoneHttpOptions, type CxoneHttp, createCxoneHttp } from "./create.ts";
export * from "./endpoint-groups.ts";
export * from "./errors.ts";
export type { HttpEvent, HttpEventSink } from "./events.ts";
export * from "./http-client.ts";
export * from "./pagination.ts";
export { RateLimitGroup, type RateLimitOptions, type RateLimitState } from "./rate-limiter.ts";
export { parseRetryAfter } from "./retry-after.ts";
export {
  type AttemptFailure,
  decideRetry,
  fullJitterBackoff,
  type RetryContext,
  type RetryDecision,
} from "./retry-policy.ts";
export { OAuthTokenProvider, type TokenInfo, type TokenProviderOptions } from "./token-provider.ts";
export { networkErrorCode, type RawRequest, type RawResponse, Transport } from "./transport.ts";
