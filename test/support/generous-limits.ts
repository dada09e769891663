/**
 * Client rate limits no test reaches: a file that pushes and reads lists many times would wait
 * out CXone's documented 100 admin reads a minute (the `campaigns` group) — a real tenant's
 * limit, and a minute of a test's time spent waiting (createClient({ rateLimits })).
 */
export const GENEROUS_LIMITS = Object.fromEntries(
  ["token", "dispositions", "interactions", "campaigns", "dialer", "analytics", "outcomes", "default"].map(
    (g) => [g, { limit: 1000, per: "second", concurrency: 8 }],
  ),
) as never;
