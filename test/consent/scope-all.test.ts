import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 62 §1, scope across business units: acme and globex serve one seller (credco), initech
 * another. A revocation of scope `all` at acme is honoured at acme and globex, not at initech; a
 * `tenant` revocation stays at acme.
 */
let emu: RunningEmulator;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-consent-all-"));
let env: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 });
  const [a, b, c] = emu.fixtures.clients;
  if (!a || !b || !c) throw new Error("three clients needed");
  env = { A_SECRET: a.clientSecret, B_SECRET: b.clientSecret, C_SECRET: c.clientSecret };
  writeFileSync(
    path.join(dir, "cxo.config.yaml"),
    `dataDir: ${path.join(dir, ".cxo")}
tenants:
  acme:
    cxone: { baseUrl: "${emu.url}", clientId: "${a.clientId}", clientSecret: { env: A_SECRET } }
    consent: { seller: credco }
  globex:
    cxone: { baseUrl: "${emu.url}", clientId: "${b.clientId}", clientSecret: { env: B_SECRET } }
    consent: { seller: credco }
  initech:
    cxone: { baseUrl: "${emu.url}", clientId: "${c.clientId}", clientSecret: { env: C_SECRET } }
`,
  );
});

afterAll(async () => {
  await emu?.close();
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

describe("consent scope across tenants", () => {
  it("all: every tenant of the seller, no other; tenant: this one only", async () => {
    const all = await cxo([
      "--tenant",
      "acme",
      "consent",
      "revoke",
      "--phone",
      "+12125550401",
      "--scope",
      "all",
    ]);
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout).tenants.map((t: { tenant: string }) => t.tenant)).toEqual([
      "acme",
      "globex",
    ]);
    expect(await allowed("acme", "+12125550401")).toBe(false);
    expect(await allowed("globex", "+12125550401")).toBe(false);
    expect(await allowed("initech", "+12125550401")).toBe(true);

    const own = await cxo(["--tenant", "acme", "consent", "revoke", "--phone", "+12125550402"]);
    expect(own.code, own.stderr).toBe(0);
    expect(await allowed("acme", "+12125550402")).toBe(false);
    expect(await allowed("globex", "+12125550402")).toBe(true);
  });
});
