import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { saveUser } from "../../src/service/operators.ts";
import { until } from "../service/harness.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * Issue 54 §2 through the real `cxo`: a config of two tenants and no `--tenant` makes `cxo serve`
 * one service for both (each board under /t/NAME/), and `cxo users` keeps the board's users in
 * the installation's store with their grants — an unknown tenant, a missing `--tenants` and
 * grants where they mean nothing are bad input (exit 2) naming the flag.
 */
let acmeEmu: RunningEmulator;
let globexEmu: RunningEmulator;
let initechEmu: RunningCxoneEmulator;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  const emulator = () => startEmulator({ port: 0, calls: 20, seed: 42, metricsIntervalMs: 0 });
  [acmeEmu, globexEmu, initechEmu] = await Promise.all([
    emulator(),
    emulator(),
    startEmulator({ platform: "cxone", port: 0, seed: 7 }),
  ]);
  const key = initechEmu.fixtures.accessKeys.find((k) => !k.readOnly)!;
  dir = mkdtempSync(path.join(tmpdir(), "cxo-tenants-serve-cli-"));
  const acme = acmeEmu.fixtures.clients[0]!;
  const globex = globexEmu.fixtures.clients[0]!;
  env = {
    ACME_SECRET: acme.clientSecret,
    GLOBEX_SECRET: globex.clientSecret,
    INITECH_SECRET: key.accessKeySecret,
  };
  writeFileSync(
    path.join(dir, "cxo.config.yaml"),
    `
tenants:
  acme:
    cxone: { baseUrl: "${acmeEmu.url}", clientId: "${acme.clientId}", clientSecret: { env: ACME_SECRET } }
    service: { campaigns: ["${acmeEmu.fixtures.campaigns[0]!.id}"] }
  globex:
    cxone: { baseUrl: "${globexEmu.url}", clientId: "${globex.clientId}", clientSecret: { env: GLOBEX_SECRET } }
  initech:
    platform: cxone
    cxone:
      issuer: "${initechEmu.url}"
      accessKeyUrl: "${initechEmu.url}/authentication/v1/token/access-key"
      accessKeyId: "${key.accessKeyId}"
      accessKeySecret: { env: INITECH_SECRET }
`,
  );
});

afterAll(async () => {
  await Promise.all([acmeEmu?.close(), globexEmu?.close(), initechEmu?.close()]);
});

describe("cxo users on an installation serving several tenants", () => {
  it("refuses bad grants (exit 2, naming --tenants) and lists grants from the installation's store", async () => {
    // A user saved in the installation's store (the top-level data dir), as `cxo users add` does.
    const store = await openStore(path.join(dir, ".cxo"));
    await saveUser(store, {
      name: "olivia",
      role: "operator",
      tenants: ["acme"],
      passwordHash: `$2b$04$${"a".repeat(53)}`,
      createdAt: "2026-11-25T15:00:00.000Z",
    });
    await store.close();
    const job = (args: string[], extra: Record<string, string> = {}) => ({
      args,
      env: { ...env, ...extra },
      cwd: dir,
    });
    const [unknown, missing, admin, single, list] = await runCliBatch(
      [
        job(["users", "add", "oscar", "--role", "operator", "--tenants", "acme,umbrella"]),
        job(["users", "add", "oscar", "--role", "viewer"]),
        job(["users", "add", "ada", "--role", "admin", "--tenants", "acme"]),
        job(["users", "add", "oscar", "--role", "operator", "--tenants", "acme"], { CXO_TENANT: "acme" }),
        job(["--json", "users", "list"]),
      ],
      1,
    );
    expect([unknown!.code, unknown!.stderr]).toEqual([
      2,
      expect.stringMatching(
        /--tenants.*"umbrella" is not a configured tenant \(configured: acme, globex, initech\)/,
      ),
    ]);
    expect([missing!.code, missing!.stderr]).toEqual([
      2,
      expect.stringMatching(/--tenants.*is required for a viewer/),
    ]);
    expect([admin!.code, admin!.stderr]).toEqual([
      2,
      expect.stringMatching(/--tenants.*an admin sees and acts on every tenant/),
    ]);
    expect([single!.code, single!.stderr]).toEqual([
      2,
      expect.stringMatching(/--tenants.*serves one business unit/),
    ]);
    expect(list!.code).toBe(0);
    expect(JSON.parse(list!.stdout)).toEqual({
      users: [{ name: "olivia", role: "operator", tenants: ["acme"], createdAt: "2026-11-25T15:00:00.000Z" }],
    });
    // Nothing reached either business unit.
    for (const emu of [acmeEmu, globexEmu, initechEmu]) {
      const log = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as { requests: unknown[] };
      expect(log.requests).toEqual([]);
    }
  }, 60_000);
});

describe("cxo serve with two tenants configured and none named", () => {
  it("serves every business unit (two seed, one production) under /t/NAME/, and stops cleanly on SIGTERM", async () => {
    const token = "a-long-access-token-for-scripts-1234";
    const child = spawn(
      process.execPath,
      [path.resolve("bin/cxo.js"), "--json", "serve", "--port", "0", "--access-token", token],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const doc = await until<{ url: string; tenants: string[] } | undefined>(
      () => {
        try {
          return JSON.parse(stdout) as { url: string; tenants: string[] };
        } catch {
          if (child.exitCode !== null) throw new Error(`cxo serve exited ${child.exitCode}: ${stderr}`);
          return undefined;
        }
      },
      30_000,
      "the URL on stdout",
    );
    expect(doc.tenants).toEqual(["acme", "globex", "initech"]);
    const bearer = { authorization: `Bearer ${token}` };
    const tenants = (await (await fetch(`${doc.url}/api/tenants`, { headers: bearer })).json()) as {
      tenants: Array<{ name: string; path: string }>;
    };
    expect(tenants.tenants.map((t) => t.path)).toEqual(["/t/acme/", "/t/globex/", "/t/initech/"]);
    const acme = (await (await fetch(`${doc.url}/t/acme/api/campaigns`, { headers: bearer })).json()) as {
      campaigns: Array<{ id: string }>;
    };
    expect(acme.campaigns.map((c) => c.id)).toEqual([acmeEmu.fixtures.campaigns[0]!.id]);
    const globex = (await (await fetch(`${doc.url}/t/globex/api/campaigns`, { headers: bearer })).json()) as {
      campaigns: unknown[];
    };
    expect(globex.campaigns).toEqual([]);
    // The production platform's business unit: its skill read through its own adapter, from its
    // own emulator only (a seed tenant's id of the same shape never goes there).
    const skill = initechEmu.fixtures.skills.find(
      (s) => s.outboundStrategy === "Personal Connection" && s.isActive,
    )!;
    const health = await fetch(`${doc.url}/t/initech/api/campaigns/${skill.skillId}/health`, {
      headers: bearer,
    });
    expect(health.status).toBe(200);
    expect(((await health.json()) as { campaign_id: string }).campaign_id).toBe(String(skill.skillId));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
