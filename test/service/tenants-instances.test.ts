import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { RunningService } from "../../src/service/index.ts";
import { createTestDatabase } from "../support/postgres-server.ts";
import { type ServiceHarness, serviceHarness, until } from "./harness.ts";

/**
 * Issue 54 §4: several business units across instances on ONE PostgreSQL database. Each tenant's
 * store is its own schema (cxo_acme, cxo_globex), and with it its own leadership lease: two
 * instances of acme elect one leader between them while globex's instance leads globex at the
 * same time, and when acme's leader stops, the other acme instance takes over without globex
 * noticing. Instances can so split the tenants between them.
 */
describe("several tenants' services on one PostgreSQL store", () => {
  let acme: ServiceHarness;
  let globex: ServiceHarness;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const acmeServices: RunningService[] = [];
  let globexService: RunningService;

  beforeAll(async () => {
    [acme, globex, database] = await Promise.all([
      serviceHarness(),
      serviceHarness(),
      createTestDatabase(inject("pgUrl"), "cxo_tenant_instances"),
    ]);
    const settingsOf = (h: ServiceHarness, tenant: string, instanceId: string) =>
      h.settings(
        { instanceId, pollIntervalSeconds: 3600, leaderLeaseSeconds: 2 },
        { store: { url: database.url, schema: `cxo_${tenant}` } },
      );
    for (const id of ["acme-1", "acme-2"])
      acmeServices.push(await acme.start({ settings: settingsOf(acme, "acme", id) }));
    globexService = await globex.start({ settings: settingsOf(globex, "globex", "globex-1") });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([acme?.close(), globex?.close()]);
    await database?.drop();
  });

  it("one leader per tenant, at the same time; a tenant's failover leaves the other's leader alone", async () => {
    await until(() => acmeServices.some((s) => s.leadership.state().leader), 15_000, "an acme leader");
    await until(() => globexService.leadership.state().leader, 15_000, "globex's leader");
    expect(acmeServices.filter((s) => s.leadership.state().leader)).toHaveLength(1);

    const leader = acmeServices.find((s) => s.leadership.state().leader)!;
    const other = acmeServices.find((s) => s !== leader)!;
    await leader.close();
    await until(() => other.leadership.state().leader, 20_000, "the other acme instance to take over");
    expect(globexService.leadership.state().leader).toBe(true);
  }, 60_000);
});
