import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createClient } from "../../src/index.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Several business units from one installation (issue 54 §1), through the real `cxo`: two seed
 * emulators with the SAME seed (so the same campaign ids, colliding across the two business
 * units) and one production emulator, each a tenant of one config file. Every command reaches
 * only its tenant's emulator, with its tenant's credentials, and records only in its tenant's
 * store; bad tenant settings exit 2 with nothing sent anywhere.
 */

let acmeEmu: RunningEmulator;
let globexEmu: RunningEmulator;
let initechEmu: RunningCxoneEmulator;
let dir: string;
const SECRETS: Record<string, string> = {};

interface LoggedRequest {
  method: string;
  path: string;
  clientId?: string | null;
}

async function requestsOf(url: string): Promise<LoggedRequest[]> {
  return ((await adminCall(url, "GET", "/requests")) as { requests: LoggedRequest[] }).requests;
}

async function clearLogs(): Promise<void> {
  for (const emu of [acmeEmu, globexEmu, initechEmu]) await adminCall(emu.url, "DELETE", "/requests");
}

beforeAll(async () => {
  [acmeEmu, globexEmu, initechEmu] = await Promise.all([
    startEmulator({ port: 0, calls: 50, seed: 42, metricsIntervalMs: 0 }),
    // The dialer change the diff test makes in globex is done in 100 ms, not the default 4 s (its
    // operation is awaited all the same; what the diff reads is what the change left).
    startEmulator({ port: 0, calls: 50, seed: 42, metricsIntervalMs: 0, operationDelayMs: 100 }),
    // any-hour: doctor reads the warehouse lag from the newest contact, which the realistic
    // history has none of 11:00–12:00 UTC (the test failed in that hour).
    startEmulator({ platform: "cxone", port: 0, seed: 7, history: "any-hour" }),
  ]);
  dir = mkdtempSync(path.join(tmpdir(), "cxo-tenants-cli-"));
  const acme = acmeEmu.fixtures.clients[0]!;
  const globex = globexEmu.fixtures.clients[0]!;
  const key = initechEmu.fixtures.accessKeys.find((k) => !k.readOnly)!;
  SECRETS.ACME = acme.clientSecret;
  SECRETS.GLOBEX = globex.clientSecret;
  SECRETS.INITECH = key.accessKeySecret;
  writeFileSync(path.join(dir, "initech.secret"), `${key.accessKeySecret}\n`, { mode: 0o600 });
  const config = `
tenants:
  acme:
    timeZone: America/New_York
    cxone: { baseUrl: "${acmeEmu.url}", clientId: "${acme.clientId}", clientSecret: { env: ACME_SECRET } }
  globex:
    cxone: { baseUrl: "${globexEmu.url}", clientId: "${globex.clientId}", clientSecret: { env: GLOBEX_SECRET } }
  initech:
    platform: cxone
    cxone:
      issuer: "${initechEmu.url}"
      accessKeyUrl: "${initechEmu.url}/authentication/v1/token/access-key"
      accessKeyId: "${key.accessKeyId}"
      accessKeySecret: { file: initech.secret }
`;
  writeFileSync(path.join(dir, "cxo.config.yaml"), config);
  chmodSync(path.join(dir, "cxo.config.yaml"), 0o644); // no inline secret: readable is fine
});

afterAll(async () => {
  await Promise.all([acmeEmu?.close(), globexEmu?.close(), initechEmu?.close()]);
});

const env = { ACME_SECRET: () => SECRETS.ACME!, GLOBEX_SECRET: () => SECRETS.GLOBEX! };
const cxo = (args: string[], extra: Record<string, string> = {}) =>
  runCli(
    args,
    { ACME_SECRET: env.ACME_SECRET(), GLOBEX_SECRET: env.GLOBEX_SECRET(), ...extra },
    { cwd: dir, timeoutMs: 60_000 },
  );

describe("cxo --tenant", () => {
  it("a campaign id both business units have: each command reaches only its tenant, with its credentials, and records in its store", async () => {
    const campaign = acmeEmu.fixtures.campaigns.find((c) => c.status === "active")!;
    expect(globexEmu.fixtures.campaigns.map((c) => c.id)).toContain(campaign.id); // the ids collide
    await clearLogs();

    const paused = await cxo(["--tenant", "acme", "campaigns", "pause", campaign.id, "--json"]);
    expect(paused.stderr).toBe("");
    expect(paused.code).toBe(0);
    const acmeLog = await requestsOf(acmeEmu.url);
    expect(acmeLog.some((r) => r.method !== "GET" && r.path.includes(campaign.id))).toBe(true);
    expect(
      acmeLog.filter((r) => r.clientId).every((r) => r.clientId === acmeEmu.fixtures.clients[0]!.clientId),
    ).toBe(true);
    expect(await requestsOf(globexEmu.url)).toEqual([]);
    expect(await requestsOf(initechEmu.url)).toEqual([]);

    // globex's campaign of the same id is untouched, and its own pause goes to globex only.
    const status = await cxo(["--tenant", "globex", "campaigns", "status", campaign.id, "--json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ campaign: { id: campaign.id, status: "active" } });
    await clearLogs();
    const globexPaused = await cxo(["campaigns", "pause", campaign.id, "--json"], { CXO_TENANT: "globex" });
    expect(globexPaused.code).toBe(0);
    expect((await requestsOf(globexEmu.url)).some((r) => r.method !== "GET")).toBe(true);
    expect(await requestsOf(acmeEmu.url)).toEqual([]);

    // Separate stores, so separate audit chains: each verifies alone and holds its own pause.
    expect(existsSync(path.join(dir, ".cxo", "tenants", "acme", "cxo.sqlite"))).toBe(true);
    expect(existsSync(path.join(dir, ".cxo", "tenants", "globex", "cxo.sqlite"))).toBe(true);
    expect(existsSync(path.join(dir, ".cxo", "cxo.sqlite"))).toBe(false);
    for (const tenant of ["acme", "globex"]) {
      const verify = await cxo(["--tenant", tenant, "audit", "verify", "--json"]);
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, records: 1 });
    }
  });

  it("`cxo tenants list` shows each tenant and where its secrets come from, never a secret", async () => {
    const listed = await cxo(["tenants", "list", "--json"]);
    expect(listed.code).toBe(0);
    const { tenants } = JSON.parse(listed.stdout) as { tenants: Array<Record<string, unknown>> };
    expect(tenants.map((t) => [t.name, t.platform, t.secrets])).toEqual([
      ["acme", "seed", { clientSecret: "env:ACME_SECRET" }],
      ["globex", "seed", { clientSecret: "env:GLOBEX_SECRET" }],
      ["initech", "cxone", { accessKeySecret: "file:initech.secret" }],
    ]);
    const human = await cxo(["tenants", "list"]);
    for (const secret of Object.values(SECRETS)) {
      expect(listed.stdout).not.toContain(secret);
      expect(human.stdout).not.toContain(secret);
    }
    expect(human.stdout).toMatch(/^TENANT\s+PLATFORM/);
  });

  it("`cxo tenants doctor` runs doctor per tenant with its own credentials: one table; doctor does not apply to a seed tenant (not a failure: exit 0)", async () => {
    await clearLogs();
    const human = await cxo(["tenants", "doctor", "initech", "acme"]);
    expect(human.code, human.stdout + human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^acme\s+seed\s.*does not apply \(seed API\)$/m);
    expect(human.stdout).not.toMatch(/failed/);
    const result = await cxo(["tenants", "doctor", "initech", "acme", "--json"]);
    expect(result.code).toBe(0);
    const { tenants } = JSON.parse(result.stdout) as {
      tenants: Array<{
        tenant: string;
        ok: boolean;
        report: { tenantId: string } | null;
        error: { code: string } | null;
      }>;
    };
    expect(tenants.map((t) => t.tenant)).toEqual(["acme", "initech"]);
    expect(tenants[1]).toMatchObject({ ok: true, report: { tenantId: initechEmu.fixtures.tenant.tenantId } });
    expect(tenants[0]).toMatchObject({ ok: true, applies: false, report: null, error: null });
    expect(tenants[1]).toMatchObject({ applies: true });
    expect((await requestsOf(initechEmu.url)).length).toBeGreaterThan(0);
    expect(await requestsOf(acmeEmu.url)).toEqual([]); // refused before anything was sent
  });

  it("bad tenant input exits 2 naming it, with nothing sent to any business unit", async () => {
    await clearLogs();
    const campaign = acmeEmu.fixtures.campaigns[0]!.id;
    const cases: Array<{ args: string[]; env?: Record<string, string>; stderr: RegExp }> = [
      {
        args: ["campaigns", "pause", campaign],
        stderr: /--tenant: several tenants are configured \(acme, globex, initech\)/,
      },
      {
        args: ["--tenant", "umbrella", "campaigns", "pause", campaign],
        stderr: /"umbrella" is not a configured tenant/,
      },
      {
        args: ["--tenant", "acme", "campaigns", "pause", campaign],
        env: { CXONE_CLIENT_SECRET: SECRETS.GLOBEX! },
        stderr: /CXONE_CLIENT_SECRET: is set, but with tenants configured/,
      },
      {
        args: ["--tenant", "acme", "campaigns", "pause", campaign],
        env: { CXONE_BASE_URL: globexEmu.url },
        stderr: /CXONE_BASE_URL: is ".*", but tenant acme sets cxone.baseUrl/,
      },
      {
        args: ["--tenant", "acme", "campaigns", "pause", campaign],
        env: { ACME_SECRET: "" },
        stderr:
          /tenants.acme.cxone.clientSecret: names the environment variable ACME_SECRET, which is not set/,
      },
      { args: ["tenants", "doctor", "umbrella"], stderr: /"umbrella" is not a configured tenant/ },
      { args: ["tenants", "diff", "acme", "umbrella"], stderr: /b: "umbrella" is not a configured tenant/ },
      { args: ["tenants", "diff", "acme", "acme"], stderr: /b: must be another tenant than "acme"/ },
    ];
    for (const c of cases) {
      const result = await cxo(c.args, c.env ?? {});
      expect(result.code, c.args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(c.stderr);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      for (const secret of Object.values(SECRETS)) expect(result.stderr).not.toContain(secret);
    }
    for (const emu of [acmeEmu, globexEmu, initechEmu]) expect(await requestsOf(emu.url)).toEqual([]);
  });

  it("`cxo tenants diff` compares two business units read-only: a campaign both have, by id, and their dialers", async () => {
    const campaign = acmeEmu.fixtures.campaigns[0]!.id;
    await clearLogs();
    const same = await cxo([
      "tenants",
      "diff",
      "acme",
      "globex",
      "--campaign",
      campaign,
      "--json",
      "--exit-code",
    ]);
    expect(same.code, same.stderr).toBe(0);
    const diff = JSON.parse(same.stdout) as { same: boolean; campaigns: Array<{ a: { id: string } | null }> };
    expect(diff.same).toBe(true);
    expect(diff.campaigns.some((c) => c.a?.id === campaign)).toBe(true);
    for (const emu of [acmeEmu, globexEmu])
      expect(
        (await requestsOf(emu.url)).filter((r) => r.method !== "GET" && !r.path.includes("token")),
      ).toEqual([]);
    expect(await requestsOf(initechEmu.url)).toEqual([]);

    // One setting changed in globex's CXone: the table names it with both values; --exit-code says 1.
    const globex = globexEmu.fixtures.clients[0]!;
    const other = createClient({
      connection: {
        platform: "seed",
        baseUrl: globexEmu.url,
        clientId: globex.clientId,
        clientSecret: globex.clientSecret,
      },
      dataDir: path.join(dir, "elsewhere"),
    });
    try {
      const applied = await other.dialer.apply(
        {
          concurrency: { maxAgents: 40, maxSimultaneousCalls: 120, callSpacingMs: 200 },
          algorithm: {
            type: "predictive",
            abandonmentTarget: 0.025,
            agentAvailabilityEstimate: 0.8,
            dialRatio: 1.7,
            warmLineTimeoutSec: 10,
          },
          carrier: { trunks: 200 },
        },
        { waitFor: { maxWaitMs: 60_000, minDelayMs: 100, maxDelayMs: 500 } },
      );
      expect(applied.outcome).toBe("applied");
    } finally {
      await other.close();
    }
    const text = await cxo(["tenants", "diff", "acme", "globex", "--campaign", campaign, "--exit-code"]);
    expect(text.code, text.stdout + text.stderr).toBe(1);
    expect(text.stdout).toMatch(
      /acme and globex: 2 campaigns \(2 in both\), 3 \+ 3 objects compared, 1 difference/,
    );
    expect(text.stdout).toMatch(/\(business unit dialer\)\s+dialer\s+algorithm\.dialRatio\s+2\.5\s+1\.7/);
  });
});
