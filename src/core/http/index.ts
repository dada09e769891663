export { type Clock, systemClock, type Timer } from "../clock/clock.ts";
export { fullJitterBackoff, parseRetryAfter } from "../retry/index.ts";
export { type CreateCxoneHttpOptions, type CxoneHttp, createCxoneHttp } from "./create.ts";
export * from "./endpoint-groups.ts";
export * from "./errors.ts";
export type { HttpEvent, HttpEventSink } from "./events.ts";
export * from "./http-client.ts";
export { processLimiters, type TenantKey, TenantLimiters, tenantKeyOf } from "./limiter-registry.ts";
export * from "./pagination.ts";
export { RateLimitGroup, type RateLimitOptions, type RateLimitState } from "./rate-limiter.ts";
export {
  type AttemptFailure,
  decideRetry,
  isThrottle,
  type RetryContext,
  type RetryDecision,
} from "./retry-policy.ts";
export { clientCredentialsGrant, type TokenGrant } from "./token-grant.ts";
export { OAuthTokenProvider, type TokenInfo, type TokenProviderOptions } from "./token-provider.ts";
export { networkErrorCode, type RawRequest, type RawResponse, Transport } from "./transport.ts";
