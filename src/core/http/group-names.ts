/**
 * The endpoint groups: the unit of client-side rate limiting. A closed list, so a misspelt group
 * is a type error in code and a named error in config, never a silent extra limiter.
 */
export const ENDPOINT_GROUPS = [
  "token",
  "dispositions",
  "interactions",
  "campaigns",
  "dialer",
  "analytics",
  "outcomes",
  "default",
] as const;

/** A rate-limit group of CXone endpoints: each has its own limit (RateLimitRegistry.get). */
export type EndpointGroup = (typeof ENDPOINT_GROUPS)[number];
