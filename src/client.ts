import { applicationsOver } from "./applications.ts";
import { ProxyAgent } from "./core/http/undici.ts";
import { connectProductionApi } from "./platform/cxone/connect.ts";
import { connectSeedApi } from "./platform/seed-api/connect.ts";
import { buildClient, type ClientParts, proxyAgentOf } from "./sdk/build-client.ts";
import type { CreateClientOptions, CxoneClient, InternalClient } from "./sdk/client-types.ts";
import { internalsOf } from "./sdk/internals.ts";
import { checkOption } from "./sdk/option-checks.ts";
import { Tenants } from "./sdk/tenants.ts";

// Every type of the client's options and shape, as client-types.ts declares them.
export type * from "./sdk/client-types.ts";

/**
 * The SDK's front door: `createClient(options)` → one client whose capability groups share a
 * CXone connection (port) and a local store (journal, audit log, outbox, checkpoints).
 *
 * ```ts
 * const cxo = createClient({
 *   connection: { baseUrl: "https://api.example.com", clientId: "…", clientSecret: "…" },
 *   dataDir: "./.cxo",
 * });
 * try {
 *   await cxo.dispositions.tag("camp-1", { callId: "c-1", dispositionCodeId: "CONVERTED" });
 * } finally {
 *   await cxo.close();
 * }
 * ```
 *
 * The client reads nothing by itself: no environment variable, no config file. To build it the
 * way the `cxo` CLI does (flags > env > cxo.config.yaml), call `loadSettings()` explicitly and
 * pass `clientOptionsFromSettings(settings)`.
 */
export function createClient(options: CreateClientOptions): CxoneClient {
  return buildClient(options, FULL);
}

/**
 * Both platforms' adapters are here, so a client of either can be made at once (the CLI, which
 * knows its platform before it builds a client, imports only one: sdk/build-client.ts), and the
 * options are checked by their schemas (zod). The applications over the SDK (the autopilot) are
 * attached here, above it: the SDK imports none.
 */
const FULL: ClientParts = {
  connect: { seed: connectSeedApi, cxone: connectProductionApi },
  applications: applicationsOver,
  check: checkOption,
  proxyAgent: proxyAgentOf(ProxyAgent),
};

/**
 * A registry of several business units' clients, built on first use and closed together
 * (docs/tenants.md): `createTenants({ acme: options, globex: options }).get("acme")`.
 */
export function createTenants(tenants: Record<string, CreateClientOptions>): Tenants {
  return new Tenants(tenants, createClient);
}

export { internalsOf } from "./sdk/internals.ts";
export { Tenants };

/**
 * `createClient`, seen with the client's internals (see InternalClient): for this package's CLI,
 * service and tests. The client itself (what `createClient` returns) has no `port` or `core`.
 */
export function createInternalClient(options: CreateClientOptions): InternalClient {
  return internalsOf(createClient(options));
}

export { clientOptionsFromSettings } from "./sdk/build-client.ts";
