import type { Clock } from "../../src/core/clock/clock.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { type CxoneHttp, createCxoneHttp } from "../../src/core/http/create.ts";
import { RateLimitRegistry } from "../../src/core/http/endpoint-groups.ts";
import type { Logger } from "../../src/core/logging/index.ts";
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from "./scripted-server.ts";

/** An HTTP core pointed at a test server, with fast backoff so retry tests take milliseconds. */
export function httpFor(
  baseUrl: string,
  overrides: {
    http?: Record<string, unknown>;
    auth?: Record<string, unknown>;
    rateLimits?: Record<string, unknown>;
    tokenUrl?: string;
    logger?: Logger;
    /** Default: limiters of this core's own (tests must not share the process's tenants). */
    limits?: RateLimitRegistry;
    /** Default: the system clock. */
    clock?: Clock;
    /** The business unit's name (the `tenant` label of the HTTP metrics). */
    tenantName?: string;
  } = {},
): CxoneHttp {
  const settings = settingsSchema.parse({
    cxone: {
      baseUrl,
      clientId: TEST_CLIENT_ID,
      clientSecret: TEST_CLIENT_SECRET,
      auth: overrides.auth ?? {},
    },
    http: { backoffBaseMs: 10, backoffCapMs: 100, timeoutMs: 2_000, deadlineMs: 10_000, ...overrides.http },
    rateLimits: overrides.rateLimits ?? {},
  });
  return createCxoneHttp({
    connection: {
      baseUrl,
      tokenUrl: overrides.tokenUrl ?? `${baseUrl}/oauth/token`,
      clientId: TEST_CLIENT_ID,
      clientSecret: TEST_CLIENT_SECRET,
      auth: settings.cxone.auth,
    },
    http: settings.http,
    rateLimits: settings.rateLimits,
    // The clock given drives the limiters too (their windows and pauses), not only retries.
    limits:
      overrides.limits ??
      new RateLimitRegistry(settings.rateLimits, settings.http.rateLimitScale, {
        ...(overrides.clock ? { clock: overrides.clock } : {}),
      }),
    ...(overrides.logger ? { logger: overrides.logger } : {}),
    ...(overrides.clock ? { clock: overrides.clock } : {}),
    ...(overrides.tenantName ? { tenantName: overrides.tenantName } : {}),
  });
}
