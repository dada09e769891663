import path from "node:path";
import type { TenantDiff } from "../campaigns/compare-tenants.ts";
import { ClientClosedError } from "../core/client-closed-error.ts";
import { sellerPeers } from "../core/config/seller.ts";
import {
  SHARED_API_USER_RULE,
  sharedApiUser,
  TENANT_NAME_PATTERN,
  TENANT_NAME_RULE,
  tenantStoreOf,
} from "../core/config/tenant-identity.ts";
import { InputError } from "../core/input-error.ts";
import type { CreateClientOptions, CxoneClient } from "./client-types.ts";
import type { RequestOptions } from "./runtime.ts";
import type { TenantDiffParams } from "./tenants-diff.ts";

/**
 * Several business units from one process: a client per tenant, built on first use and closed
 * together. Each tenant keeps its own connection, credentials, rate budget (CXone limits an API
 * user of a business unit) and store; the registry refuses, before anything is sent, two tenants
 * that would share an API user or a store, so one business unit's work can never be recorded in,
 * or sent with the credentials of, another's.
 *
 *   const tenants = new Tenants({ acme: { connection: … }, globex: { connection: … } });
 *   await tenants.get("acme").campaigns.pause("101");
 *   await tenants.close();
 */
export class Tenants {
  private readonly options = new Map<string, CreateClientOptions>();
  private readonly clients = new Map<string, CxoneClient>();
  private readonly build: (options: CreateClientOptions) => CxoneClient;

  /**
   * @param tenants each business unit's client options, by name (1-32 lowercase letters, digits
   *   or '-'); a tenant's `tenant` option defaults to its name.
   * @param build the client factory (default `createClient`; the CLI passes a lighter one).
   */
  constructor(
    tenants: Record<string, CreateClientOptions>,
    build: (options: CreateClientOptions) => CxoneClient,
  ) {
    if (typeof tenants !== "object" || tenants === null)
      throw new InputError({ field: "tenants", rule: "must be an object: tenant name → client options" });
    const stores = new Map<string, string>();
    const users: Array<
      [string, { platform: string; accessKeyId?: unknown; clientId?: unknown; baseUrl?: unknown }]
    > = [];
    for (const [name, options] of Object.entries(tenants)) {
      if (!TENANT_NAME_PATTERN.test(name))
        throw new InputError({ field: `tenants.${name}`, rule: TENANT_NAME_RULE });
      if (options.tenant !== undefined && options.tenant !== name)
        throw new InputError({
          field: `tenants.${name}.tenant`,
          rule: `must be ${JSON.stringify(name)} (the name it is registered under) or absent`,
        });
      const own = { ...options, tenant: name };
      const connection = (own.connection ?? {}) as unknown as Record<string, unknown>;
      users.push([name, { ...connection, platform: String(connection.platform ?? "seed") }]);
      const where = tenantStoreOf(name, { ownDataDir: own.dataDir });
      const store = own.databaseUrl
        ? `${own.databaseUrl} ${own.databaseSchema ?? where.schema}`
        : path.resolve(where.dataDir);
      const sharing = stores.get(store);
      if (sharing)
        throw new InputError({
          field: `tenants.${name}.dataDir`,
          rule: `is the store of tenant ${sharing}: each business unit keeps its own`,
        });
      stores.set(store, name);
      this.options.set(name, own);
    }
    const shared = sharedApiUser(users);
    if (shared)
      throw new InputError({
        field: `tenants.${shared.name}.connection.${shared.key}`,
        rule: SHARED_API_USER_RULE(shared.other, shared.key),
      });
    this.build = build;
  }

  /** The tenants' names, in the order given. */
  get names(): string[] {
    return [...this.options.keys()];
  }

  /** The tenant's client, built on first use (an unknown name is an InputError naming the known ones). */
  get(name: string): CxoneClient {
    if (this.closed) throw new ClientClosedError();
    const existing = this.clients.get(name);
    if (existing) return existing;
    const options = this.options.get(name);
    if (!options)
      throw new InputError({
        field: "tenant",
        rule: `${JSON.stringify(name)} is not a registered tenant (registered: ${this.names.join(", ") || "none"})`,
      });
    // Scope `all` reaches the registry's other tenants with this one's seller (issue 78 §1).
    const client = this.build({
      ...options,
      consentPeers: async () =>
        sellerPeers(name, this.names, (n) => ({ name: n, consent: this.options.get(n)?.consent })).map((n) =>
          this.get(n),
        ),
    });
    this.clients.set(name, client);
    return client;
  }

  private closed = false;

  /**
   * Two business units side by side: every campaign's definition (calling rules included),
   * dialer settings and disposition matrix, paired by campaign name and compared setting by
   * setting (`cxo tenants diff`). Read-only; each side's reads run within its own rate budget.
   * One call: `deadlineMs` bounds all the reads of both sides together, not each read.
   */
  async diff(
    a: string,
    b: string,
    params: TenantDiffParams = {},
    options?: RequestOptions,
  ): Promise<TenantDiff> {
    if (a === b)
      throw new InputError({
        field: "tenants",
        rule: `compare two different tenants (both are ${JSON.stringify(a)})`,
      });
    const left = this.get(a);
    const right = this.get(b);
    const { diffTenantClients } = await import("./tenants-diff.ts");
    return diffTenantClients({ name: a, client: left }, { name: b, client: right }, params, options);
  }

  /** Closes every client built (their stores, timers and connections); once. */
  async close(): Promise<void> {
    this.closed = true;
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.close()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
