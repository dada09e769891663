import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerEntries } from "../../src/consent/ledger.ts";
import { scopeText } from "../../src/consent/scope.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { signWebhook } from "../../src/core/outbox/index.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createClient, InputError } from "../../src/index.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 78 §1: scope `all` is every configured tenant that shares the seller, on every path.
 * acme and globex serve one seller (credco), initech another. A CXone DNC write that fails at acme
 * (503) delays acme's group only: globex records it too and gets it in its group, the answer names
 * both; `consent import` with rows of scope `all` reaches the seller's other tenant; a signed
 * `POST /t/acme/webhooks/consent` of scope `all` is recorded at globex before it is answered; a
 * lone SDK client of a named tenant refuses `all` rather than record it in one tenant.
 */
let acmeEmu: RunningCxoneEmulator;
let globexEmu: RunningCxoneEmulator;
let seed: RunningEmulator;
let acmeGroup = 0;
let globexGroup = 0;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-consent-all-78-"));
let env: Record<string, string>;

const cxoneBlock = (emu: RunningCxoneEmulator, secretEnv: string) => {
  const key = emu.fixtures.accessKeys.find((k) => !k.readOnly)!;
  return `{ platform: cxone, issuer: "${emu.url}", accessKeyUrl: "${emu.url}/authentication/v1/token/access-key", accessKeyId: "${key.accessKeyId}", accessKeySecret: { env: ${secretEnv} } }`;
};

beforeAll(async () => {
  // Two seeds: each business unit its own API user.
  const cxone = (s: number) => startEmulator({ platform: "cxone", port: 0, seed: s, contacts: 20, days: 1 });
  [acmeEmu, globexEmu, seed] = (await Promise.all([
    cxone(78),
    cxone(79),
    startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 }),
  ])) as [RunningCxoneEmulator, RunningCxoneEmulator, RunningEmulator];
  acmeGroup = acmeEmu.fixtures.dncGroups[0]!.dncGroupId;
  globexGroup = globexEmu.fixtures.dncGroups[0]!.dncGroupId;
  const c = seed.fixtures.clients[0]!;
  env = {
    A_KEY: acmeEmu.fixtures.accessKeys.find((k) => !k.readOnly)!.accessKeySecret,
    B_KEY: globexEmu.fixtures.accessKeys.find((k) => !k.readOnly)!.accessKeySecret,
    C_SECRET: c.clientSecret,
  };
  writeFileSync(
    path.join(dir, "cxo.config.yaml"),
    `dataDir: ${path.join(dir, ".cxo")}
http: { backoffBaseMs: 5, backoffCapMs: 20 }
tenants:
  acme:
    cxone: ${cxoneBlock(acmeEmu, "A_KEY")}
    consent: { seller: credco, cxoneDncGroup: "${acmeGroup}" }
  globex:
    cxone: ${cxoneBlock(globexEmu, "B_KEY")}
    consent: { seller: credco, cxoneDncGroup: "${globexGroup}" }
  initech:
    cxone: { baseUrl: "${seed.url}", clientId: "${c.clientId}", clientSecret: { env: C_SECRET } }
`,
  );
});

afterAll(async () => {
  await Promise.all([acmeEmu?.close(), globexEmu?.close(), seed?.close()]);
});

const cxo = (args: string[]) => runCli(["--json", ...args], env, { cwd: dir });
const allowed = async (tenant: string, phone: string) => {
  const result = await cxo([
    "--tenant",
    tenant,
    "compliance",
    "check",
    "--phone",
    phone,
    "--consent",
    "yes",
    "--at",
    "2026-12-01T15:00:00-05:00",
  ]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout).allowed as boolean;
};
const inGroup = async (emu: RunningCxoneEmulator, groupId: number, phone: string) =>
  (
    (await adminCall(emu.url, "GET", `/dnc-groups/${groupId}`)) as { records: Array<{ phone: string }> }
  ).records.some((r) => phone.endsWith(r.phone.replace(/\D/g, "").slice(-10)));

describe("scope all through the CLI (issue 78 §1)", () => {
  it("a CXone DNC outage at acme never skips globex: both refuse the number, the answer names both", async () => {
    await adminCall(acmeEmu.url, "POST", "/faults", {
      group: "dnc",
      route: "POST /dnc-groups/:groupId/records",
      errorRate: 1,
      errorStatus: 503,
    });
    const phone = "+12125557801";
    const revoked = await cxo(["--tenant", "acme", "consent", "revoke", "--phone", phone, "--scope", "all"]);
    await adminCall(acmeEmu.url, "DELETE", "/faults");
    expect(revoked.code, revoked.stderr).toBe(0);
    const answer = JSON.parse(revoked.stdout);
    expect(answer.tenants.map((t: { tenant: string; holds: boolean }) => [t.tenant, t.holds])).toEqual([
      ["acme", true],
      ["globex", true],
    ]);
    expect(answer.tenants[0].cxoneDelayed).toMatch(/503|unavailable|server/i);
    expect(answer.tenants[1].cxone).toMatchObject({ sent: 1 });
    expect(await allowed("acme", phone)).toBe(false);
    expect(await allowed("globex", phone)).toBe(false);
    expect(await allowed("initech", phone)).toBe(true);
    expect(await inGroup(globexEmu, globexGroup, phone)).toBe(true);
    expect(await inGroup(acmeEmu, acmeGroup, phone)).toBe(false);
    // The delayed group write is pending, not lost: the next honour sends it.
    const honoured = await cxo(["--tenant", "acme", "consent", "honour"]);
    expect(honoured.code, honoured.stderr).toBe(0);
    expect(await inGroup(acmeEmu, acmeGroup, phone)).toBe(true);
  });

  it("consent import: rows of scope all reach every tenant of the seller, other rows stay here", async () => {
    const file = path.join(dir, "revocations.csv");
    writeFileSync(
      file,
      "phone,at,channel,scope\n+12125557811,2026-11-20T14:05:00-05:00,sms,all\n+12125557812,2026-11-20T14:06:00-05:00,sms,tenant\n",
    );
    const imported = await cxo(["--tenant", "globex", "consent", "import", "--file", file]);
    expect(imported.code, imported.stderr).toBe(0);
    const answer = JSON.parse(imported.stdout);
    expect(answer).toMatchObject({ rows: 2, added: 2 });
    expect(answer.tenants.map((t: { tenant: string; added: number }) => [t.tenant, t.added])).toEqual([
      ["globex", 2],
      ["acme", 1],
    ]);
    expect(await allowed("acme", "+12125557811")).toBe(false);
    expect(await allowed("acme", "+12125557812")).toBe(true);
    expect(await allowed("initech", "+12125557811")).toBe(true);
  });

  it("a lone SDK client of a named tenant refuses scope all (nothing recorded); tenant scope still works", async () => {
    const key = acmeEmu.fixtures.accessKeys.find((k) => !k.readOnly)!;
    const client = createClient({
      connection: {
        platform: "cxone",
        issuer: acmeEmu.url,
        accessKeyUrl: `${acmeEmu.url}/authentication/v1/token/access-key`,
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
      },
      tenant: "acme",
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-consent-lone-")),
    });
    try {
      const refused = await client.consent.revoke({ phone: "+12125557821", scope: "all" }).catch((e) => e);
      expect(refused).toBeInstanceOf(InputError);
      expect(refused.problems[0]).toMatchObject({ field: "scope" });
      const report = await client.consent.report();
      expect(report.entries.map((e) => e.phone)).not.toContain("+12125557821");
    } finally {
      await client.close();
    }
  });
});

describe("scope all through the signed consent webhook (issue 78 §1)", () => {
  const SECRETS = {
    acme: "whsec_YWNtZS1jb25zZW50LWFsbC1zZWNyZXQtNzgwMQ==",
    globex: "whsec_Z2xvYmV4LWNvbnNlbnQtYWxsLXNlY3JldC03OA==",
    initech: "whsec_aW5pdGVjaC1jb25zZW50LWFsbC1zZWNyZXQtNw==",
  };
  let svc: RunningService;
  let hookEmu: RunningEmulator;
  const root = mkdtempSync(path.join(tmpdir(), "cxo-consent-hook-all-"));
  const tenantSettings = (name: keyof typeof SECRETS, index: number, seller: string) =>
    settingsSchema.parse({
      tenant: name,
      cxone: {
        baseUrl: hookEmu.url,
        clientId: hookEmu.fixtures.clients[index]!.clientId,
        clientSecret: hookEmu.fixtures.clients[index]!.clientSecret,
      },
      dataDir: path.join(root, "tenants", name),
      consent: { seller },
      service: { port: 0, pollIntervalSeconds: 3600, webhookSecret: SECRETS[name] },
    });

  beforeAll(async () => {
    hookEmu = await startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 });
    svc = await startService({
      settings: settingsSchema.parse({ dataDir: root, service: { port: 0, passwordHashCost: 4 } }),
      tenants: [
        { name: "acme", settings: tenantSettings("acme", 0, "credco") },
        { name: "globex", settings: tenantSettings("globex", 1, "credco") },
        { name: "initech", settings: tenantSettings("initech", 2, "initech") },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await hookEmu?.close();
  });

  const phonesOf = async (tenant: string) => {
    const store = svc.tenants.get(tenant)!.store;
    return (await ledgerEntries(store, 0, Date.now() + 60_000)).map(
      (e) => `${e.phone} ${scopeText(e.scope)}`,
    );
  };

  it("is recorded at every business unit of the seller before the answer, which names them", async () => {
    const event = {
      id: "msg-all-1",
      type: "consent.revoked",
      occurredAt: new Date().toISOString(),
      data: { phone: "+12125557831", channel: "sms", scope: "all" },
    };
    const body = JSON.stringify(event);
    const answer = await fetch(`${svc.url}/t/acme/webhooks/consent`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signWebhook(SECRETS.acme, { id: event.id, body }) },
      body,
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      tenants: [
        { tenant: "acme", holds: true, added: 1 },
        { tenant: "globex", holds: true, added: 1 },
      ],
    });
    expect(await phonesOf("acme")).toContain("+12125557831 all");
    expect(await phonesOf("globex")).toContain("+12125557831 all");
    expect(await phonesOf("initech")).not.toContain("+12125557831 all");
    // The store a later check reads (its own data dir) holds it too.
    const store = await openStore(path.join(root, "tenants", "globex"));
    try {
      expect((await ledgerEntries(store, 0, Date.now() + 60_000)).map((e) => e.phone)).toContain(
        "+12125557831",
      );
    } finally {
      await store.close();
    }
  });
});

describe("a service for one tenant of a seller with others (cxo serve --tenant; issue 78 §1)", () => {
  it("refuses a webhook of scope all (400 naming the tenants it does not serve), records nothing", async () => {
    const SECRET = "whsec_b25lLXRlbmFudC1zZXJ2ZWQtYWxsLXJlZnVzZWQ=";
    const hookEmu = await startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 });
    const root = mkdtempSync(path.join(tmpdir(), "cxo-consent-one-served-"));
    const svc = await startService({
      settings: settingsSchema.parse({
        tenant: "acme",
        cxone: {
          baseUrl: hookEmu.url,
          clientId: hookEmu.fixtures.clients[0]!.clientId,
          clientSecret: hookEmu.fixtures.clients[0]!.clientSecret,
        },
        dataDir: root,
        consent: { seller: "credco" },
        service: { port: 0, pollIntervalSeconds: 3600, webhookSecret: SECRET },
      }),
      unservedSellerTenants: ["globex"],
    });
    try {
      const post = async (id: string, data: Record<string, unknown>) => {
        const body = JSON.stringify({
          id,
          type: "consent.revoked",
          occurredAt: new Date().toISOString(),
          data,
        });
        const answer = await fetch(`${svc.url}/webhooks/consent`, {
          method: "POST",
          headers: { "content-type": "application/json", ...signWebhook(SECRET, { id, body }) },
          body,
        });
        return { status: answer.status, text: await answer.text() };
      };
      const all = await post("one-served-1", { phone: "+12125557851", channel: "sms", scope: "all" });
      expect(all.status).toBe(400);
      expect(all.text).toMatch(/data\.scope.*globex/);
      // Scope tenant is this tenant's alone: recorded as ever.
      expect((await post("one-served-2", { phone: "+12125557852", channel: "sms" })).status).toBe(204);
      const phones = (await ledgerEntries(svc.store, 0, Date.now() + 60_000)).map((e) => e.phone);
      expect(phones).not.toContain("+12125557851");
      expect(phones).toContain("+12125557852");
    } finally {
      await svc.close();
      await hookEmu.close();
    }
  });
});
