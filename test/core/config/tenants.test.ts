import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadSettings } from "../../../src/core/config/index.ts";
import { summarizeTenants } from "../../../src/core/config/tenants.ts";
import { settingsInputWithoutTenant } from "../../../src/core/config/tree.ts";
import { clientOptionsFromSettings } from "../../../src/sdk/build-client.ts";

/** A directory with `cxo.config.yaml` (mode 0600 unless given) and, optionally, other files (secret files: 0600 unless given). */
function dirWith(yaml: string, mode = 0o600, files: Record<string, string> = {}, fileMode = 0o600): string {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-tenants-"));
  const file = path.join(dir, "cxo.config.yaml");
  writeFileSync(file, yaml);
  chmodSync(file, mode);
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), text);
    chmodSync(path.join(dir, name), fileMode);
  }
  return dir;
}

const TWO = `
dataDir: ./data
cxone: { clientId: shared-client, clientSecret: shared-secret }
tenants:
  acme:
    timeZone: America/Chicago
    cxone: { baseUrl: "http://127.0.0.1:1001", clientId: acme-client, clientSecret: { env: ACME_SECRET } }
    destinations:
      crm: { url: "http://127.0.0.1:9000/acme", secret: { file: acme-crm.secret } }
  globex:
    platform: cxone
    cxone: { issuer: "http://127.0.0.1:1002", accessKeyId: GLOBEXKEY, accessKeySecret: { file: globex.secret } }
`;
const FILES = { "globex.secret": "globex-key-secret\n", "acme-crm.secret": "whsec_YWNtZWNybQ==" };
const ENV = { ACME_SECRET: "acme-secret-value" };

/** The ConfigError `fn` throws (fails the test when it throws nothing or something else). */
function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("tenants: in the config file", () => {
  it("no tenants block: one business unit, exactly as before (no tenant, the data dir itself)", () => {
    const cwd = dirWith("cxone: { clientId: c, clientSecret: s }\n");
    const settings = loadSettings({ env: {}, cwd });
    expect(settings.tenant).toBeUndefined();
    expect(settings.dataDir).toBe(path.join(cwd, ".cxo"));
    expect(settings.store.schema).toBeUndefined();
    expect(settings.cxone.clientId).toBe("c");
  });

  it("the named tenant's connection, secrets, time zone, destinations and store are the run's", () => {
    const cwd = dirWith(TWO, 0o644, FILES);
    const acme = loadSettings({ env: ENV, cwd, flags: { tenant: "acme" } });
    expect(acme.tenant).toBe("acme");
    expect(acme.cxone).toMatchObject({
      platform: "seed",
      clientId: "acme-client",
      clientSecret: "acme-secret-value",
    });
    expect(acme.destinations.crm).toMatchObject({
      url: "http://127.0.0.1:9000/acme",
      secret: "whsec_YWNtZWNybQ==",
    });
    expect(acme.service.timeZone).toBe("America/Chicago");
    expect(acme.dataDir).toBe(path.join(cwd, "data", "tenants", "acme"));
    expect(acme.store.schema).toBe("cxo_acme");

    const globex = loadSettings({ env: { CXO_TENANT: "globex" }, cwd });
    expect(globex.cxone).toMatchObject({
      platform: "cxone",
      accessKeyId: "GLOBEXKEY",
      accessKeySecret: "globex-key-secret",
    });
    // The shared block's credentials never apply to a tenant.
    expect(globex.cxone.clientId).toBeUndefined();
    expect(globex.cxone.clientSecret).toBeUndefined();
    expect(globex.dataDir).toBe(path.join(cwd, "data", "tenants", "globex"));
    expect(clientOptionsFromSettings(globex)).toMatchObject({
      tenant: "globex",
      databaseSchema: "cxo_globex",
    });
  });

  it("CXO_DATA_DIR and --data-dir name the base every tenant's store goes below, never one shared store", () => {
    const cwd = dirWith(TWO, 0o600, FILES);
    const fromEnv = loadSettings({
      env: { ...ENV, CXO_DATA_DIR: "/srv/cxo" },
      cwd,
      flags: { tenant: "acme" },
    });
    expect(fromEnv.dataDir).toBe(path.join("/srv/cxo", "tenants", "acme"));
    const fromFlag = loadSettings({ env: ENV, cwd, flags: { tenant: "globex", dataDir: "/srv/other" } });
    expect(fromFlag.dataDir).toBe(path.join("/srv/other", "tenants", "globex"));
    const own = dirWith(
      TWO.replace("timeZone: America/Chicago", "timeZone: America/Chicago\n    dataDir: /srv/legacy"),
      0o600,
      FILES,
    );
    expect(
      loadSettings({ env: { ...ENV, CXO_DATA_DIR: "/srv/cxo" }, cwd: own, flags: { tenant: "acme" } })
        .dataDir,
    ).toBe("/srv/legacy");
  });

  it("the flag beats CXO_TENANT; the only tenant is chosen without either", () => {
    const cwd = dirWith(TWO, 0o600, FILES);
    expect(
      loadSettings({ env: { ...ENV, CXO_TENANT: "globex" }, cwd, flags: { tenant: "acme" } }).tenant,
    ).toBe("acme");
    const one = dirWith(
      "tenants:\n  solo:\n    cxone: { baseUrl: 'http://127.0.0.1:1', clientId: a, clientSecret: { env: S } }\n",
    );
    expect(loadSettings({ env: { S: "x" }, cwd: one }).tenant).toBe("solo");
  });

  it("several tenants and none named, an unknown name, or a name without tenants: exit-2 errors naming the choice", () => {
    const cwd = dirWith(TWO, 0o600, FILES);
    expect(configErrorOf(() => loadSettings({ env: ENV, cwd })).message).toMatch(
      /--tenant: several tenants are configured \(acme, globex\)/,
    );
    expect(
      configErrorOf(() => loadSettings({ env: ENV, cwd, flags: { tenant: "initech" } })).message,
    ).toMatch(/"initech" is not a configured tenant \(configured: acme, globex\)/);
    const none = dirWith("cxone: { clientId: c, clientSecret: s }\n");
    expect(configErrorOf(() => loadSettings({ env: { CXO_TENANT: "acme" }, cwd: none })).message).toMatch(
      /--tenant: names "acme", but cxo.config.yaml configures no tenants/,
    );
  });

  it("a credential from the environment is refused once tenants are configured, even one the tenant lacks", () => {
    const cwd = dirWith(TWO, 0o600, FILES);
    for (const variable of [
      "CXONE_CLIENT_SECRET",
      "CXONE_ACCESS_KEY_ID",
      "CXONE_ACCESS_KEY_SECRET",
      "CXONE_TENANT_ID",
    ])
      expect(
        configErrorOf(() =>
          loadSettings({ env: { ...ENV, [variable]: "stray" }, cwd, flags: { tenant: "acme" } }),
        ).message,
      ).toMatch(
        new RegExp(
          `^${variable}: is set, but with tenants configured each business unit's credentials come from its own block`,
        ),
      );
  });

  it("a connection variable that contradicts the tenant is refused; one that fills a gap is used", () => {
    const cwd = dirWith(TWO, 0o600, FILES);
    expect(
      configErrorOf(() =>
        loadSettings({
          env: { ...ENV, CXONE_BASE_URL: "http://127.0.0.1:9999" },
          cwd,
          flags: { tenant: "acme" },
        }),
      ).message,
    ).toMatch(
      /CXONE_BASE_URL: is "http:\/\/127.0.0.1:9999", but tenant acme sets cxone.baseUrl to "http:\/\/127.0.0.1:1001"/,
    );
    // One that fills a gap is used, unless it says where requests or credentials go (issue 63
    // N12: a stray CXONE_BASE_URL sent acme's bearer token to another host).
    const globex = loadSettings({
      env: { CXONE_API_VERSION: "v34.0" },
      cwd,
      flags: { tenant: "globex" },
    });
    expect(globex.cxone.apiVersion).toBe("v34.0");
    // (globex sets no base, token or access-key URL; acme no issuer)
    for (const [variable, tenant] of [
      ["CXONE_BASE_URL", "globex"],
      ["CXONE_TOKEN_URL", "globex"],
      ["CXONE_ACCESS_KEY_URL", "globex"],
      ["CXONE_ISSUER", "acme"],
    ] as const)
      expect(
        configErrorOf(() =>
          loadSettings({ env: { ...ENV, [variable]: "http://127.0.0.1:7777" }, cwd, flags: { tenant } }),
        ).message,
      ).toMatch(new RegExp(`^${variable}: is set, but a business unit's hosts come from its own block`));
  });

  it("connection flags follow the environment's rule (issue 63 N12)", () => {
    const cwd = dirWith(TWO, 0o600, FILES);
    const load = (flags: Record<string, string>, tenant = "acme") =>
      loadSettings({ env: ENV, cwd, flags: { ...flags, tenant } });
    // A credential flag is refused whatever the tenant sets.
    for (const [flag, value] of [
      ["clientId", "other-client"],
      ["clientSecret", "other-secret"],
      ["accessKeyId", "OTHERKEY"],
      ["tenantId", "other-tenant"],
    ] as const)
      expect(configErrorOf(() => load({ [flag]: value })).message).toMatch(
        /^--[a-z-]+: is given, but with tenants configured each business unit's credentials come from its own block/,
      );
    // A host flag that contradicts the tenant, or fills its gap, is refused; the same value passes.
    expect(configErrorOf(() => load({ baseUrl: "http://127.0.0.1:9999" })).message).toMatch(
      /^--base-url: is "http:\/\/127.0.0.1:9999", but tenant acme sets cxone.baseUrl to "http:\/\/127.0.0.1:1001"/,
    );
    expect(configErrorOf(() => load({ issuer: "http://127.0.0.1:9999" })).message).toMatch(
      /^--issuer: is "http:\/\/127.0.0.1:9999", but tenant acme sets cxone.issuer to "https:\/\/cxone.niceincontact.com"|^--issuer: is given, but a business unit's hosts come from its own block/,
    );
    expect(configErrorOf(() => load({ baseUrl: "http://127.0.0.1:9999" }, "globex")).message).toMatch(
      /^--base-url: is given, but a business unit's hosts come from its own block/,
    );
    expect(load({ baseUrl: "http://127.0.0.1:1001" }).cxone.baseUrl).toBe("http://127.0.0.1:1001");
    expect(configErrorOf(() => load({ platform: "cxone" })).message).toMatch(
      /^--platform: is "cxone", but tenant acme/,
    );
  });

  it("an inline secret is refused in a file its group or others can read, and accepted in a 0600 file", () => {
    const inline = TWO.replace("{ env: ACME_SECRET }", "inline-acme-secret");
    for (const mode of [0o644, 0o640, 0o604]) {
      const cwd = dirWith(inline, mode, FILES);
      const error = configErrorOf(() => loadSettings({ env: {}, cwd, flags: { tenant: "globex" } }));
      expect(error.setting).toBe("tenants.acme.cxone.clientSecret");
      expect(error.message).toMatch(
        /is written inline in cxo.config.yaml, which its group or others can read/,
      );
      expect(error.message).not.toContain("inline-acme-secret");
    }
    const cwd = dirWith(inline, 0o600, FILES);
    expect(loadSettings({ env: {}, cwd, flags: { tenant: "acme" } }).cxone.clientSecret).toBe(
      "inline-acme-secret",
    );
  });

  it("a {file: …} secret follows the inline rule: refused when its group or others can read it (issue 64 §3)", () => {
    for (const mode of [0o644, 0o640, 0o604]) {
      const cwd = dirWith(TWO, 0o600, FILES, mode);
      const error = configErrorOf(() => loadSettings({ env: ENV, cwd, flags: { tenant: "globex" } }));
      expect(error.setting).toBe("tenants.globex.cxone.accessKeySecret");
      expect(error.message).toMatch(
        /globex\.secret, which its group or others can read \(mode 06[0-7]{2}\): chmod 600 it/,
      );
    }
    const cwd = dirWith(TWO, 0o600, FILES, 0o600);
    expect(loadSettings({ env: ENV, cwd, flags: { tenant: "globex" } }).cxone.accessKeySecret).toBeTruthy();
  });

  it("two tenants with one API user, a tenant without credentials, a bad name or key, a missing secret: refused", () => {
    const twinKey = TWO.replace(
      "accessKeyId: GLOBEXKEY",
      "accessKeyId: GLOBEXKEY }\n  initech:\n    platform: cxone\n    cxone: { accessKeyId: GLOBEXKEY",
    );
    expect(
      configErrorOf(() =>
        loadSettings({ env: ENV, cwd: dirWith(twinKey, 0o600, FILES), flags: { tenant: "acme" } }),
      ).message,
    ).toMatch(/tenants.initech.cxone.accessKeyId: is the same API user as tenant globex \(its accessKeyId\)/);
    // The same application client id at another API is another user (two seed emulators).
    const otherApi = `${TWO}  initech:\n    cxone: { baseUrl: "http://127.0.0.1:1003", clientId: acme-client, clientSecret: { env: ACME_SECRET } }\n`;
    expect(
      loadSettings({ env: ENV, cwd: dirWith(otherApi, 0o600, FILES), flags: { tenant: "initech" } }).tenant,
    ).toBe("initech");
    const sameApi = otherApi.replace("127.0.0.1:1003", "127.0.0.1:1001");
    expect(
      configErrorOf(() =>
        loadSettings({ env: ENV, cwd: dirWith(sameApi, 0o600, FILES), flags: { tenant: "acme" } }),
      ).message,
    ).toMatch(/tenants.initech.cxone.clientId: is the same API user as tenant acme \(its clientId\)/);

    const bare = "tenants:\n  acme:\n    platform: cxone\n    cxone: { accessKeyId: K }\n";
    expect(configErrorOf(() => loadSettings({ env: {}, cwd: dirWith(bare) })).message).toMatch(
      /tenants.acme.cxone: has no credentials: set accessKeyId and accessKeySecret/,
    );
    expect(
      configErrorOf(() => loadSettings({ env: {}, cwd: dirWith("tenants:\n  Acme: {}\n") })).message,
    ).toMatch(/tenants.Acme: a tenant name is 1-32 lowercase letters/);
    expect(
      configErrorOf(() => loadSettings({ env: {}, cwd: dirWith("tenants:\n  acme: { clientId: x }\n") }))
        .message,
    ).toMatch(/tenants.acme.clientId: is not a tenant setting/);
    expect(
      configErrorOf(() =>
        loadSettings({ env: {}, cwd: dirWith(TWO, 0o600, FILES), flags: { tenant: "acme" } }),
      ).message,
    ).toMatch(
      /tenants.acme.cxone.clientSecret: names the environment variable ACME_SECRET, which is not set/,
    );
    expect(
      configErrorOf(() => loadSettings({ env: {}, cwd: dirWith(TWO, 0o600), flags: { tenant: "globex" } }))
        .message,
    ).toMatch(
      /tenants.globex.cxone.accessKeySecret: names the file .*globex.secret, which cannot be read \(ENOENT\)/,
    );
  });

  it("`cxo tenants list` reads where each secret comes from, never a secret", () => {
    const cwd = dirWith(TWO, 0o600, FILES);
    const { tree, configFile } = settingsInputWithoutTenant({ env: {}, cwd });
    const list = summarizeTenants(tree, configFile);
    expect(list.map((t) => [t.name, t.platform, t.apiUser, t.secrets])).toEqual([
      ["acme", "seed", "acme-client", { clientSecret: "env:ACME_SECRET" }],
      ["globex", "cxone", "GLOBEXKEY", { accessKeySecret: "file:globex.secret" }],
    ]);
    expect(JSON.stringify(list)).not.toMatch(/globex-key-secret|acme-secret-value/);
  });
});

describe("tenants: compliance.registrations (issue 79 §2)", () => {
  it("a tenant's seller holds its own state registrations, over the shared ones", () => {
    const cwd = dirWith(`
cxone: { clientId: c, clientSecret: s }
compliance: { registrations: { FL: { number: "FL-1", until: "2027-01-31" } } }
tenants:
  north:
    cxone: { baseUrl: "http://127.0.0.1:1001", clientId: north-client, clientSecret: north-secret }
  south:
    cxone: { baseUrl: "http://127.0.0.1:1002", clientId: south-client, clientSecret: south-secret }
    compliance: { registrations: { TX: { number: "TX-9", until: "2027-12-31" } } }
`);
    expect(loadSettings({ env: {}, cwd, flags: { tenant: "north" } }).compliance.registrations).toEqual({
      FL: { number: "FL-1", until: "2027-01-31" },
    });
    expect(loadSettings({ env: {}, cwd, flags: { tenant: "south" } }).compliance.registrations).toEqual({
      TX: { number: "TX-9", until: "2027-12-31" },
    });
  });

  it("an unknown state is refused, naming the setting", () => {
    const cwd = dirWith(`
cxone: { clientId: c, clientSecret: s }
compliance: { registrations: { ZZ: { number: "1", until: "2027-01-31" } } }
`);
    expect(configErrorOf(() => loadSettings({ env: {}, cwd })).message).toContain(
      "compliance.registrations.ZZ",
    );
  });
});

/**
 * Issue 100 (High): one business unit's autopilot ran in every unit — `tenants.NAME.autopilot`
 * was refused, so the section could only be top-level, and `cxo serve` for two units uploaded
 * acme's list into globex's skill of the same id. The autopilot is a unit's setting.
 */
describe("tenants: the autopilot is a business unit's", () => {
  const campaign = (id: string) =>
    `{ campaigns: [{ campaign: "${id}", kind: collections, list: l.csv, model: m.json }] }`;
  const withAutopilot = (acme: string, top = "") =>
    TWO.replace(
      "    timeZone: America/Chicago\n",
      `    timeZone: America/Chicago\n    autopilot: ${acme}\n`,
    ) + top;

  it("tenants.NAME.autopilot is that unit's alone", () => {
    const cwd = dirWith(withAutopilot(campaign("301")), 0o600, FILES);
    const acme = loadSettings({ env: ENV, cwd, flags: { tenant: "acme" } });
    expect(acme.autopilot.campaigns.map((c) => c.campaign)).toEqual(["301"]);
    const globex = loadSettings({ env: ENV, cwd, flags: { tenant: "globex" } });
    expect(globex.autopilot.campaigns).toEqual([]);
  });

  it("a top-level section with several units is refused naming it, unless it names its unit", () => {
    const cwd = dirWith(`${TWO}autopilot: ${campaign("301")}\n`, 0o600, FILES);
    const error = configErrorOf(() => loadSettings({ env: ENV, cwd, flags: { tenant: "acme" } }));
    expect(error.message).toMatch(/^autopilot: is a top-level section, but several business units/);
    const named = dirWith(
      `${TWO}autopilot: { tenant: globex, campaigns: [{ campaign: "301", kind: sales, list: l.csv, model: m.json }] }\n`,
      0o600,
      FILES,
    );
    expect(
      loadSettings({ env: ENV, cwd: named, flags: { tenant: "globex" } }).autopilot.campaigns,
    ).toHaveLength(1);
    expect(loadSettings({ env: ENV, cwd: named, flags: { tenant: "acme" } }).autopilot.campaigns).toEqual([]);
    const unknown = dirWith(`${TWO}autopilot: { tenant: initech, campaigns: [] }\n`, 0o600, FILES);
    expect(
      configErrorOf(() => loadSettings({ env: ENV, cwd: unknown, flags: { tenant: "acme" } })).message,
    ).toMatch(/^autopilot\.tenant: names "initech", which is not a configured tenant/);
  });
});
