import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSettings } from "../../src/core/config/index.ts";
import { ClientClosedError, createClient, createTenants, InputError } from "../../src/index.ts";

/**
 * Issue 68 §2: one tenant identity. The config loader and the SDK's Tenants registry agreed on
 * neither the API user rule nor the store's place: one shared client id with different access
 * keys was refused by the loader and accepted by Tenants. Both now ask tenant-identity.ts, and
 * so does createClient for a tenant's store.
 */
const production = (accessKeyId: string, clientId: string) => ({
  platform: "cxone" as const,
  issuer: "https://cxone.niceincontact.com",
  clientId,
  clientSecret: "app-secret",
  accessKeyId,
  accessKeySecret: "key-secret",
});

describe("one tenant identity", () => {
  it("two tenants sharing an application client id (their own access keys): refused by the loader and by Tenants alike", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-identity-"));
    const config = path.join(dir, "cxo.config.json");
    writeFileSync(
      config,
      JSON.stringify({
        tenants: {
          acme: {
            platform: "cxone",
            cxone: {
              ...production("AK-ACME", "app-1"),
              clientSecret: { env: "S1" },
              accessKeySecret: { env: "S2" },
            },
          },
          globex: {
            platform: "cxone",
            cxone: {
              ...production("AK-GLOBEX", "app-1"),
              clientSecret: { env: "S1" },
              accessKeySecret: { env: "S3" },
            },
          },
        },
      }),
      { mode: 0o600 },
    );
    const loaded = await Promise.resolve()
      .then(() =>
        loadSettings({
          flags: { config },
          env: { S1: "a", S2: "b", S3: "c", CXO_TENANT: "acme" },
          cwd: dir,
        }),
      )
      .catch((e: unknown) => e);
    expect(String((loaded as Error).message ?? loaded)).toMatch(/clientId.*same API user as tenant acme/s);
    let registry: unknown;
    try {
      registry = createTenants({
        acme: { connection: production("AK-ACME", "app-1"), dataDir: path.join(dir, "a") },
        globex: { connection: production("AK-GLOBEX", "app-1"), dataDir: path.join(dir, "g") },
      });
    } catch (error) {
      registry = error;
    }
    expect(registry).toBeInstanceOf(InputError);
    expect((registry as InputError).problems[0]).toMatchObject({
      field: "tenants.globex.connection.clientId",
      rule: expect.stringContaining("same API user as tenant acme"),
    });
  });

  it("a tenant's store is .cxo/tenants/NAME for createClient({tenant}) and for createTenants alike", async () => {
    const cwd = process.cwd();
    const connection = {
      platform: "seed" as const,
      baseUrl: "http://127.0.0.1:9",
      clientId: "c",
      clientSecret: "s",
    };
    const stores: boolean[] = [];
    for (const make of [
      () => createClient({ connection, tenant: "acme" }),
      () => createTenants({ acme: { connection } }).get("acme"),
    ]) {
      const dir = mkdtempSync(path.join(tmpdir(), "cxo-identity-store-"));
      process.chdir(dir);
      try {
        const client = make();
        // A local write: the store opens where the tenant's identity says.
        await client.consent.revoke({ phone: "+12125550199" });
        await client.close();
        stores.push(existsSync(path.join(dir, ".cxo", "tenants", "acme")));
      } finally {
        process.chdir(cwd);
      }
    }
    expect(stores).toEqual([true, true]);
  });

  it("Tenants.get after close() is ClientClosedError", async () => {
    const tenants = createTenants({
      acme: {
        connection: { platform: "seed", baseUrl: "http://127.0.0.1:9", clientId: "c", clientSecret: "s" },
      },
    });
    await tenants.close();
    expect(() => tenants.get("acme")).toThrow(ClientClosedError);
  });
});
