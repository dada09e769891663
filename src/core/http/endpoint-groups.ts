import type { Clock } from "../clock/clock.ts";
import type { RateGroupSettings } from "../config/schema.ts";
import type { EndpointGroup } from "./group-names.ts";
import { RateLimitGroup } from "./rate-limiter.ts";

/**
 * Endpoint groups sized from the limits the seeds document (a platform adapter may give its own
 * defaults: NICE's production API publishes none, platform/cxone/rate-limits.ts). Every client of one tenant in a
 * process shares one limiter per group (see `limiter-registry.ts`), so two capabilities running
 * at once cannot together exceed a limit.
 */
export { ENDPOINT_GROUPS, type EndpointGroup } from "./group-names.ts";

export interface GroupLimit {
  limit: number;
  windowMs: number;
  concurrency: number;
}

const SECOND = 1000;
const MINUTE = 60_000;

export const DEFAULT_GROUP_LIMITS: Record<EndpointGroup, GroupLimit> = {
  // Generous on the server (10/s per client); we rarely need more than one.
  token: { limit: 5, windowMs: SECOND, concurrency: 2 },
  // Seed 000: disposition updates 100 requests per second per client.
  dispositions: { limit: 100, windowMs: SECOND, concurrency: 32 },
  // Seed 001 documents 429s without a figure; we treat it like 000.
  interactions: { limit: 100, windowMs: SECOND, concurrency: 16 },
  // Seed 002: campaign endpoints 100 requests per minute per client.
  campaigns: { limit: 100, windowMs: MINUTE, concurrency: 8 },
  // Seed 003: dialer writes 100 per minute.
  dialer: { limit: 100, windowMs: MINUTE, concurrency: 4 },
  analytics: { limit: 100, windowMs: MINUTE, concurrency: 4 },
  // Seed 004: outbound call reads 100 per minute.
  outcomes: { limit: 100, windowMs: MINUTE, concurrency: 4 },
  default: { limit: 10, windowMs: SECOND, concurrency: 8 },
};

/** One limiter per group of one tenant, created on first use, settings overriding the defaults. */
export class RateLimitRegistry {
  private readonly groups = new Map<EndpointGroup, RateLimitGroup>();
  private readonly overrides: Partial<Record<EndpointGroup, RateGroupSettings>>;
  private readonly scale: number;
  private readonly clock: Clock | undefined;

  private readonly defaults: Record<EndpointGroup, GroupLimit>;

  constructor(
    overrides: Partial<Record<EndpointGroup, RateGroupSettings>> = {},
    scale = 1,
    options: { clock?: Clock; defaults?: Record<EndpointGroup, GroupLimit> } = {},
  ) {
    this.overrides = overrides;
    this.scale = scale;
    this.clock = options.clock;
    this.defaults = options.defaults ?? DEFAULT_GROUP_LIMITS;
  }

  get(name: EndpointGroup): RateLimitGroup {
    let group = this.groups.get(name);
    if (!group) {
      const fallback = this.defaults[name] ?? this.defaults.default;
      const override = this.overrides[name];
      const limits: GroupLimit = override
        ? {
            limit: override.limit,
            windowMs: override.per === "minute" ? MINUTE : SECOND,
            concurrency: override.concurrency ?? fallback.concurrency,
          }
        : fallback;
      // The scale multiplies the in-flight cap too (Little's law: ten times the rate at the same
      // latency needs ten times the requests in flight). Unscaled, 32 dispositions in flight at
      // ~33 ms held a 1,000/s tenant to ~0.94 of its limit.
      group = new RateLimitGroup(name, {
        ...limits,
        limit: Math.max(1, Math.floor(limits.limit * this.scale)),
        concurrency: Math.max(1, Math.ceil(limits.concurrency * this.scale)),
        ...(this.clock ? { clock: this.clock } : {}),
      });
      this.groups.set(name, group);
    }
    return group;
  }

  /** The groups created so far (used by this process). */
  active(): RateLimitGroup[] {
    return [...this.groups.values()];
  }

  states() {
    return [...this.groups.values()].map((group) => group.state());
  }
}
