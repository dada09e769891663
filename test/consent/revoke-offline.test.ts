import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv, accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * A consumer's "stop" is recordable wherever cxo runs: on a data dir with no CXone connection
 * configured, `consent revoke` and `consent import` record the revocation (exit 0, saying CXone is
 * pending) and `compliance check` refuses the number at once; later, with a connection, `consent
 * honour` sends both to the tenant's CXone DNC group.
 */
let cxone: RunningCxoneEmulator;
let clock: ReturnType<typeof pinClock>;
let groupId = "";
const cwd = mkdtempSync(path.join(tmpdir(), "cxo-offline-consent-"));
const dataDir = path.join(cwd, "data");
const REVOKED = "+12124000000";
const IMPORTED = "+12124000001";

beforeAll(async () => {
  clock = pinClock("2026-12-02T14:00:00Z");
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 31,
    contacts: 10,
    days: 1,
  })) as RunningCxoneEmulator;
  const setup = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(cxone)),
    dataDir: path.join(cwd, "setup"),
  });
  groupId = (await setup.port.dncGroups!.create("Consent revocations", "cxo test", undefined)).groupId;
  await setup.close();
  writeFileSync(path.join(cwd, "cxo.config.yaml"), `consent:\n  cxoneDncGroup: "${groupId}"\n`);
  writeFileSync(
    path.join(cwd, "stops.csv"),
    `phone,at,channel\n${IMPORTED},2026-12-02T08:30:00-05:00,email\n`,
  );
});
afterAll(async () => {
  clock?.restore();
  await cxone?.close();
});

const offline = () => ({ CXO_DATA_DIR: dataDir, ...cliClockEnv() });
const cxo = (args: string[], env: Record<string, string>) => runCli(["--json", ...args], env, { cwd });

describe("a revocation recorded without a CXone connection", () => {
  it("is recorded and refused at once; sent to CXone by the first honour run with a connection", async () => {
    const revoke = await cxo(["consent", "revoke", "--phone", REVOKED, "--channel", "sms"], offline());
    expect(revoke.stderr).toBe("");
    expect(revoke.code).toBe(0);
    const revoked = JSON.parse(revoke.stdout);
    expect(revoked).toMatchObject({ added: true, entry: { phone: REVOKED, cxone: { status: "pending" } } });
    expect(revoked.cxoneDelayed).toMatch(/no CXone connection is configured.*pending/);

    const imported = await cxo(["consent", "import", "--file", "stops.csv"], offline());
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ rows: 1, added: 1 });

    for (const phone of [REVOKED, IMPORTED]) {
      const check = await cxo(["compliance", "check", "--phone", phone, "--consent", "yes"], offline());
      expect(check.code, check.stderr).toBe(0);
      const verdict = JSON.parse(check.stdout);
      expect(verdict.allowed).toBe(false);
      expect(verdict.reasons.map((r: { code: string }) => r.code)).toContain("consent_revoked");
    }

    // A campaign scope cannot be checked without CXone: refused, nothing recorded.
    const scoped = await cxo(
      ["consent", "revoke", "--phone", "+12124000002", "--scope", "campaign:201"],
      offline(),
    );
    expect(scoped.code).toBe(2);
    expect(scoped.stderr).toContain("--scope");

    // Later, with a connection: the first honour run sends what was recorded.
    const honour = await cxo(["consent", "honour"], { ...offline(), ...accessKeyEnv(cxone) });
    expect(honour.code, honour.stderr).toBe(0);
    expect(JSON.parse(honour.stdout)).toMatchObject({ sent: 2 });
    const group = (await adminCall(cxone.url, "GET", `/dnc-groups/${groupId}`)) as {
      records: Array<{ phone: string }>;
    };
    expect(group.records.map((r) => r.phone).sort()).toEqual([REVOKED, IMPORTED]);
  });
});

describe("the ledger read without a CXone connection (issue 100)", () => {
  const here = path.join(cwd, "report-offline");
  const env = () => ({ CXO_DATA_DIR: here, ...cliClockEnv() });
  const STOPPED = "+12124000101";
  const TOUCHED = "+12124000102";

  it("consent report answers from the local ledger, says CXone's calls were not read, and counts imported touches", async () => {
    for (const [phone, at] of [
      [STOPPED, "2026-12-01T08:00:00-05:00"],
      [TOUCHED, "2026-12-01T08:00:00-05:00"],
    ] as const) {
      const revoked = await cxo(
        ["consent", "revoke", "--phone", phone, "--channel", "mail", "--at", at],
        env(),
      );
      expect(revoked.code, revoked.stderr).toBe(0);
    }
    const quiet = await cxo(["consent", "report", "--from", "2026-11-30T00:00:00Z"], env());
    expect(quiet.stderr).not.toMatch(/baseUrl is required|at .*\.ts:\d+/);
    expect(quiet.code, quiet.stderr).toBe(0);
    const report = JSON.parse(quiet.stdout);
    expect(report).toMatchObject({ revocations: 2, breached: 0, checked: { listing: "none", touches: 0 } });
    expect(report.entries.map((e: { phone: string }) => e.phone).sort()).toEqual([STOPPED, TOUCHED]);

    // Another dialer's call after the revocation, imported as a touch: a breach the report finds offline.
    writeFileSync(
      path.join(cwd, "after.csv"),
      `phone,at,channel\n${TOUCHED},2026-12-01T10:00:00-05:00,call\n`,
    );
    const touched = await cxo(["touches", "import", "--file", "after.csv"], env());
    expect(touched.code, touched.stderr).toBe(0);
    const found = await runCli(["consent", "report", "--from", "2026-11-30T00:00:00Z"], env(), { cwd });
    expect(found.code, found.stderr).toBe(1);
    expect(found.stdout).toMatch(/TOUCHED AFTER: 2026-12-01T15:00:00.000Z call/);
    expect(found.stdout).toMatch(/NOT CHECKED for calls: no CXone connection is configured/);
  });

  it("consent honour does its local part, says what waits for CXone and which setting is missing, exit 1", async () => {
    const honour = await cxo(["consent", "honour"], env());
    expect(honour.code).toBe(1);
    const answer = JSON.parse(honour.stdout);
    expect(answer).toMatchObject({
      connection: false,
      sent: 0,
      missing: { setting: "cxone.baseUrl" },
      waiting: { pending: 2, noGroup: 0 },
    });
    const words = await runCli(["consent", "honour"], env(), { cwd });
    expect(words.code).toBe(1);
    expect(words.stdout).toMatch(/NOT SENT to CXone: no CXone connection is configured \(cxone\.baseUrl/);
    expect(words.stdout).toMatch(/2 revocation entr\(ies\) pending/);
    expect(words.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
