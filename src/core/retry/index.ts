/** The one retry toolkit: when to come back (Retry-After) and how long to back off. */
export { fullJitterBackoff } from "./backoff.ts";
export { parseRetryAfter } from "./retry-after.ts";
