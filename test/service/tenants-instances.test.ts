import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { RunningService } from "../../src/service/index.ts";
import { createTestDatabase } from "../support/postgres-server.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

/**
 * Issue 54 §4: several business units across instances on ONE PostgreSQL database. Each tenant's
 * store is its own schema (cxo_acme, cxo_globex), and with it its own leadership lease. Two
 * instances (hosts) each run `cxo --tenant NAME serve` for both tenants: every tenant has exactly
 * one leader at any time, the two instances SPLIT the tenants (here instance one leads acme and
 * instance two leads globex), and when instance one dies, its tenant moves to instance two while
 * globex's leader goes on undisturbed.
 */
const TENANTS = ["acme", "globex"] as const;
type Tenant = (typeof TENANTS)[number];
const INSTANCES = ["one", "two"] as const;
type Instance = (typeof INSTANCES)[number];

describe("two instances split several tenants on one PostgreSQL store", () => {
  const harness = {} as Record<Tenant, ServiceHarness>;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  /** `${instance} ${tenant}` → that instance's service for that tenant. */
  const services = new Map<string, RunningService>();

  const start = async (instance: Instance, tenant: Tenant) => {
    const h = harness[tenant];
    const settings = h.settings(
      { instanceId: `${instance}-${tenant}`, pollIntervalSeconds: 3600, leaderLeaseSeconds: 2 },
      { store: { url: database.url, schema: `cxo_${tenant}` } },
    );
    services.set(`${instance} ${tenant}`, await h.start({ settings }));
  };
  const leaders = (tenant: Tenant) =>
    INSTANCES.filter((i) => services.get(`${i} ${tenant}`)?.leadership.state().leader);

  beforeAll(async () => {
    let acme: ServiceHarness;
    let globex: ServiceHarness;
    [acme, globex, database] = await Promise.all([
      serviceHarness(),
      serviceHarness(),
      createTestDatabase(inject("pgUrl"), "cxo_tenant_instances"),
    ]);
    Object.assign(harness, { acme, globex });
  }, 90_000);

  afterAll(async () => {
    await Promise.all(TENANTS.map((t) => harness[t]?.close()));
    await database?.drop();
  });

  it("each tenant has exactly one leader; the instances split them; a dead instance's tenant moves to the other", async () => {
    // Instance one comes up first for acme, instance two first for globex: each leads one.
    await start("one", "acme");
    await until(() => leaders("acme").length === 1, 15_000, "acme's leader");
    await start("two", "globex");
    await until(() => leaders("globex").length === 1, 15_000, "globex's leader");
    await start("two", "acme");
    await start("one", "globex");
    expect(leaders("acme")).toEqual(["one"]);
    expect(leaders("globex")).toEqual(["two"]);

    // Instance one dies (both its services): acme moves to instance two, globex stays there.
    await Promise.all(TENANTS.map((t) => services.get(`one ${t}`)!.close()));
    services.delete("one acme");
    services.delete("one globex");
    await until(() => leaders("acme").length === 1, 20_000, "instance two to take acme over");
    expect(leaders("acme")).toEqual(["two"]);
    expect(leaders("globex")).toEqual(["two"]);
  }, 60_000);
});
