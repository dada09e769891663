import type { RateGroupSettings } from "../config/schema.ts";
import { type GroupLimit, RateLimitRegistry } from "./endpoint-groups.ts";
import type { EndpointGroup } from "./group-names.ts";

/**
 * One rate budget per tenant per process. CXone limits a client of a tenant, not an object in
 * our memory: a service running a watchdog, an export and a tagging job holds three clients of
 * one tenant, and they must share one limiter per group or together exceed the limit. Every
 * client built by `createCxoneHttp` takes its limiters from here unless it is handed a registry.
 *
 * The tenant is the API base URL plus the client id. The first client of a tenant sizes its
 * groups; a later client with other rate settings gets the same limiters (the server's limit
 * does not change with our configuration), and `settingsDiffer` tells the caller so.
 */
export interface TenantKey {
  baseUrl: string;
  clientId: string;
}

interface TenantEntry {
  registry: RateLimitRegistry;
  fingerprint: string;
}

export function tenantKeyOf(tenant: TenantKey): string {
  return `${tenant.baseUrl.replace(/\/+$/, "").toLowerCase()} ${tenant.clientId}`;
}

export class TenantLimiters {
  private readonly tenants = new Map<string, TenantEntry>();

  /** The tenant's registry, created with these settings on first use. */
  forTenant(
    tenant: TenantKey,
    overrides: Partial<Record<EndpointGroup, RateGroupSettings>> = {},
    scale = 1,
    defaults?: Record<EndpointGroup, GroupLimit>,
  ): { registry: RateLimitRegistry; settingsDiffer: boolean } {
    const key = tenantKeyOf(tenant);
    const fingerprint = JSON.stringify({ overrides, scale });
    let entry = this.tenants.get(key);
    if (!entry) {
      entry = {
        registry: new RateLimitRegistry(overrides, scale, defaults ? { defaults } : {}),
        fingerprint,
      };
      this.tenants.set(key, entry);
    }
    return { registry: entry.registry, settingsDiffer: entry.fingerprint !== fingerprint };
  }

  get size(): number {
    return this.tenants.size;
  }

  /**
   * Forgets every tenant's limiters, as a new process starts without any: a host that runs
   * several commands in one process (a warm `cxo` host, test files sharing a worker) starts each
   * afresh, where one command's spent budget would otherwise hold back the next (a minute's wait
   * on a per-minute group, which a user's separate `cxo` processes never see).
   */
  clear(): void {
    this.tenants.clear();
  }
}

/** The process's one set of limiters. */
export const processLimiters = new TenantLimiters();
