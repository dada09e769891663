import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { ClientClosedError, type CreateClientOptions, createTenants, isSdkError } from "../../src/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { createTestDatabase } from "../support/postgres-server.ts";

/**
 * The SDK's several-business-units registry (issue 54 §1): one client per tenant, built on first
 * use and closed together, and refused up front when two tenants would share an API user or a
 * store. The stores of two tenants on one PostgreSQL database are two schemas: an audit record
 * of one is never in the other's chain.
 */

let a: RunningEmulator;
let b: RunningEmulator;
let dir: string;

beforeAll(async () => {
  // One seed: the two business units have the same campaign ids.
  [a, b] = await Promise.all([
    startEmulator({ port: 0, calls: 20, seed: 42, metricsIntervalMs: 0 }),
    startEmulator({ port: 0, calls: 20, seed: 42, metricsIntervalMs: 0 }),
  ]);
  dir = mkdtempSync(path.join(tmpdir(), "cxo-sdk-tenants-"));
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

function optionsOf(emu: RunningEmulator, extra: Partial<CreateClientOptions> = {}): CreateClientOptions {
  const client = emu.fixtures.clients[0]!;
  return {
    connection: {
      platform: "seed",
      baseUrl: emu.url,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
    },
    ...extra,
  };
}

describe("createTenants", () => {
  it("each tenant's client reaches its own business unit and keeps its own store; close() closes them all", async () => {
    const tenants = createTenants({
      acme: optionsOf(a, { dataDir: path.join(dir, "acme") }),
      globex: optionsOf(b, { dataDir: path.join(dir, "globex") }),
    });
    expect(tenants.names).toEqual(["acme", "globex"]);
    const campaign = a.fixtures.campaigns.find((c) => c.status === "active")!;
    await adminCall(a.url, "DELETE", "/requests");
    await adminCall(b.url, "DELETE", "/requests");
    await tenants.get("acme").campaigns.pause(campaign.id);
    const logA = (await adminCall(a.url, "GET", "/requests")) as { requests: Array<{ method: string }> };
    const logB = (await adminCall(b.url, "GET", "/requests")) as { requests: unknown[] };
    expect(logA.requests.some((r) => r.method !== "GET")).toBe(true);
    expect(logB.requests).toEqual([]);
    expect(tenants.get("acme")).toBe(tenants.get("acme")); // built once
    expect(tenants.get("acme").dataDir).toBe(path.join(dir, "acme"));

    const acme = tenants.get("acme");
    await tenants.close();
    await expect(acme.campaigns.status(campaign.id)).rejects.toMatchObject({ code: "client_closed" });
    // Issue 68 §2: a closed registry is a closed client, as after close() on one.
    expect(() => tenants.get("globex")).toThrow(ClientClosedError);
  });

  it("an unknown name, a bad name, a shared API user or a shared store: InputError before anything is built", () => {
    const tenants = createTenants({ acme: optionsOf(a) });
    expect(tenants.get("acme").dataDir).toBe(path.resolve(".cxo", "tenants", "acme"));
    let error: unknown;
    try {
      tenants.get("initech");
    } catch (e) {
      error = e;
    }
    expect(isSdkError(error)).toBe(true);
    expect((error as Error).message).toMatch(/"initech" is not a registered tenant \(registered: acme\)/);
    expect(() => createTenants({ Acme: optionsOf(a) })).toThrow(
      /tenants.Acme: a tenant name is 1-32 lowercase/,
    );
    expect(() => createTenants({ acme: optionsOf(a), globex: optionsOf(a) })).toThrow(
      /tenants.globex.connection.clientId: is the same API user as tenant acme \(its clientId\)/,
    );
    expect(() =>
      createTenants({ acme: optionsOf(a, { dataDir: dir }), globex: optionsOf(b, { dataDir: dir }) }),
    ).toThrow(/tenants.globex.dataDir: is the store of tenant acme/);
    // The same application client id at another API is another user.
    expect(createTenants({ acme: optionsOf(a), globex: optionsOf(b) }).names).toEqual(["acme", "globex"]);
    void tenants.close();
  });
});

describe("a tenant's store on PostgreSQL is its own schema", () => {
  it("two tenants on one database: separate audit chains, each verifying alone", async () => {
    const db = await createTestDatabase(inject("pgUrl"), "cxo_tenants");
    try {
      const acme = await openStore({ dataDir: dir, store: { url: db.url, schema: "cxo_acme" } });
      const globex = await openStore({ dataDir: dir, store: { url: db.url, schema: "cxo_globex" } });
      try {
        await acme.audit.append({
          operation: "campaigns.pause",
          outcome: "done",
          actor: "acme-op",
          target: "1",
        });
        await acme.audit.append({
          operation: "campaigns.resume",
          outcome: "done",
          actor: "acme-op",
          target: "1",
        });
        await globex.audit.append({
          operation: "campaigns.pause",
          outcome: "done",
          actor: "globex-op",
          target: "1",
        });
        expect((await acme.audit.tail(10)).map((r) => r.actor)).toEqual(["acme-op", "acme-op"]);
        expect((await globex.audit.tail(10)).map((r) => r.actor)).toEqual(["globex-op"]);
        expect(acme.location).toMatch(/\(schema cxo_acme\)$/);
      } finally {
        await acme.close();
        await globex.close();
      }
    } finally {
      await db.drop();
    }
  });
});
