import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadSettings } from "../../../src/core/config/index.ts";
import { settingsOf } from "../../../src/core/config/load.ts";
import { installationSettingsInput, servedTenantNames } from "../../../src/core/config/tree.ts";

/**
 * Issue 54 §2's config side: which tenants one `cxo serve` serves together, the installation's
 * own settings (no business unit's connection, the top-level store), and a tenant's own
 * campaign settings under `tenants.NAME.service`.
 */
function dirWith(yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-served-tenants-"));
  writeFileSync(path.join(dir, "cxo.config.yaml"), yaml);
  chmodSync(path.join(dir, "cxo.config.yaml"), 0o600);
  return dir;
}

const TWO = `
dataDir: ./data
service: { port: 9090, passwordHashCost: 4 }
tenants:
  acme:
    cxone: { baseUrl: "http://127.0.0.1:1001", clientId: acme-client, clientSecret: acme-secret }
    service: { campaigns: ["701"], watchdogs: [{ primary: "701", backup: "702" }] }
  globex:
    cxone: { baseUrl: "http://127.0.0.1:1002", clientId: globex-client, clientSecret: globex-secret }
    service: { campaigns: ["701"] }
`;

describe("one cxo serve for several tenants: the settings", () => {
  it("serves every tenant when several are configured and none is named; one otherwise", () => {
    const cwd = dirWith(TWO);
    expect(servedTenantNames({ env: {}, cwd })).toEqual(["acme", "globex"]);
    expect(servedTenantNames({ env: {}, cwd, flags: { tenant: "acme" } })).toBeUndefined();
    expect(servedTenantNames({ env: { CXO_TENANT: "globex" }, cwd })).toBeUndefined();
    const one = dirWith(
      "tenants:\n  acme:\n    cxone: { baseUrl: 'http://127.0.0.1:1', clientId: a, clientSecret: s }\n",
    );
    expect(servedTenantNames({ env: {}, cwd: one })).toBeUndefined();
    expect(servedTenantNames({ env: {}, cwd: dirWith("service: { port: 1 }\n") })).toBeUndefined();
  });

  it("the installation's settings hold no business unit's connection and keep the top-level store", () => {
    const cwd = dirWith(TWO);
    const installation = settingsOf(
      installationSettingsInput({ env: { CXONE_BASE_URL: "http://x:1" }, cwd }),
    );
    expect(installation.dataDir).toBe(path.join(cwd, "data"));
    expect(installation.cxone.clientId).toBeUndefined();
    expect(installation.cxone.clientSecret).toBeUndefined();
    expect(installation.cxone.baseUrl).toBeUndefined();
    expect(installation.service.port).toBe(9090);
    expect(installation.service.campaigns).toEqual([]);
  });

  it("a tenant's own campaign settings are its run's; other service keys under a tenant are refused", () => {
    const cwd = dirWith(TWO);
    const acme = loadSettings({ env: {}, cwd, flags: { tenant: "acme" } });
    expect(acme.service.campaigns).toEqual(["701"]);
    expect(acme.service.watchdogs.map((w) => [w.primary, w.backup])).toEqual([["701", "702"]]);
    expect(acme.service.port).toBe(9090);
    expect(loadSettings({ env: {}, cwd, flags: { tenant: "globex" } }).service.watchdogs).toEqual([]);

    const bad = dirWith(TWO.replace('service: { campaigns: ["701"] }\n', "service: { port: 1 }\n"));
    let error: unknown;
    try {
      loadSettings({ env: {}, cwd: bad, flags: { tenant: "acme" } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /tenants\.globex\.service\.port: is not a tenant's service setting/,
    );
  });
});

describe("two tenants never share a store, whatever the path says (issue 63 N8)", () => {
  it("a tenant's dataDir that is a link to another's (or to the installation's) is refused at config load, naming it", async () => {
    const { mkdirSync, symlinkSync } = await import("node:fs");
    const cwd = dirWith(
      TWO.replace(
        '    service: { campaigns: ["701"] }\n',
        '    dataDir: ./alias\n    service: { campaigns: ["701"] }\n',
      ),
    );
    mkdirSync(path.join(cwd, "data", "tenants", "acme"), { recursive: true });
    symlinkSync(path.join(cwd, "data", "tenants", "acme"), path.join(cwd, "alias"));
    for (const tenant of ["acme", "globex"]) {
      let error: unknown;
      try {
        loadSettings({ env: {}, cwd, flags: { tenant } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/^tenants\.globex\.dataDir: is the store of tenant acme/);
    }
    // The installation's own store (the top-level data dir) is no tenant's either.
    const installation = dirWith(
      TWO.replace(
        '    service: { campaigns: ["701"] }\n',
        '    dataDir: ./top\n    service: { campaigns: ["701"] }\n',
      ),
    );
    mkdirSync(path.join(installation, "data"), { recursive: true });
    symlinkSync(path.join(installation, "data"), path.join(installation, "top"));
    expect(() => loadSettings({ env: {}, cwd: installation, flags: { tenant: "acme" } })).toThrow(
      /^tenants\.globex\.dataDir: is the store of the installation/,
    );
  });
});
