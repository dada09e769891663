import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv, cxoneApi } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 62 §2 from the CLI: `cxo compliance dnc sync` on the production platform, then
 * `compliance check --phone … --consent yes` refuses a number of the tenant's DNC group scrubbing
 * the campaign's skill (`cxone_dnc` naming the group; still exit 0: a check is a query), shows the
 * copy's age, and searches live with no copy; bad input is exit 2 with nothing sent; on the seed
 * API sync is refused (exit 1) before anything is sent.
 */
let cxone: RunningCxoneEmulator;
let seed: RunningEmulator;
const AT = "2026-03-10T19:00:00Z";
const dir = (name: string) => path.join(mkdtempSync(path.join(tmpdir(), `cxo-dnc-cli-${name}-`)), ".cxo");
const requests = async (url: string) =>
  ((await adminCall(url, "GET", "/requests")) as { requests: Array<{ method: string; path: string }> })
    .requests;

beforeAll(async () => {
  [cxone, seed] = await Promise.all([
    startEmulator({
      platform: "cxone",
      port: 0,
      seed: 37,
      contacts: 100,
      days: 1,
    }) as Promise<RunningCxoneEmulator>,
    startEmulator({ port: 0, metricsIntervalMs: 0 }),
  ]);
});
afterAll(async () => {
  await Promise.all([cxone?.close(), seed?.close()]);
});

describe("cxo compliance dnc sync / check on the production platform", () => {
  it("syncs, then refuses a number of a scrubbing group with cxone_dnc naming it and shows the copy's age", async () => {
    const env = { ...accessKeyEnv(cxone), CXO_DATA_DIR: dir("sync") };
    const internal = cxone.fixtures.dncGroups[0]!;
    const sales = String(internal.scrubbedSkillIds[0]);
    const synced = await runCli(["--json", "compliance", "dnc", "sync"], env, { timeoutMs: 60_000 });
    expect(synced.code, synced.stderr).toBe(0);
    expect(JSON.parse(synced.stdout)).toMatchObject({
      groups: 3,
      activeGroups: 2,
      records: cxone.fixtures.dncGroups.reduce((n, g) => n + g.phones.length, 0),
      syncedAt: expect.any(String),
    });
    const phone = `+1${internal.phones[0]}`;
    const args = [
      "compliance",
      "check",
      "--phone",
      phone,
      "--consent",
      "yes",
      "--at",
      AT,
      "--campaign",
      sales,
    ];
    const [json, human] = await Promise.all([
      runCli(["--json", ...args], env, { timeoutMs: 60_000 }),
      runCli(args, env, { timeoutMs: 60_000 }),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const verdict = JSON.parse(json.stdout);
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons).toContainEqual(
      expect.objectContaining({ code: "cxone_dnc", message: expect.stringContaining('"Internal"') }),
    );
    expect(verdict.cxoneDnc).toMatchObject({
      source: "copy",
      stale: false,
      ageMinutes: 0,
      maxAgeMinutes: 60,
    });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain("NOT ALLOWED");
    expect(human.stdout).toContain("cxone_dnc");
    expect(human.stdout).toMatch(
      /CXone DNC groups: local copy synced .*, 0 min old \(trusted up to 60 min\)/,
    );

    // `campaigns contacts` on the skill's list: the group's numbers are not callable, for cxone_dnc.
    const listId = String(cxone.fixtures.skills.find((s) => String(s.skillId) === sales)!.callingListIds[0]);
    const out = path.join(path.dirname(env.CXO_DATA_DIR), "contacts.ndjson");
    const contacts = await runCli(
      ["--json", "campaigns", "contacts", listId, "--campaign", sales, "--at", AT, "--out", out],
      env,
      { timeoutMs: 60_000 },
    );
    expect(contacts.code, contacts.stderr).toBe(0);
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map(
        (line) => JSON.parse(line) as { phone: string; allowed: boolean; reasons: Array<{ code: string }> },
      );
    const held = new Set(internal.phones.map((p) => `+1${p}`));
    const inGroup = rows.filter((r) => held.has(r.phone));
    expect(inGroup.length).toBeGreaterThan(0);
    for (const row of inGroup) {
      expect(row.allowed).toBe(false);
      expect(row.reasons.map((r) => r.code)).toContain("cxone_dnc");
    }
    expect(rows.filter((r) => !held.has(r.phone) && r.reasons.some((x) => x.code === "cxone_dnc"))).toEqual(
      [],
    );
    expect(JSON.parse(contacts.stdout)).toMatchObject({
      byReason: { cxone_dnc: inGroup.length },
      cxoneDnc: { source: "copy", stale: false },
    });

    // Another skill the group does not scrub: not refused for it.
    const other = String(cxone.fixtures.dncGroups[1]!.scrubbedSkillIds[0]);
    const elsewhere = await runCli(["--json", ...args.slice(0, -1), other], env, { timeoutMs: 60_000 });
    expect(JSON.parse(elsewhere.stdout).reasons.map((r: { code: string }) => r.code)).not.toContain(
      "cxone_dnc",
    );
  }, 120_000);

  it("a record added with an integer phoneNumber and read back as one is refused by compliance check (issue 90)", async () => {
    const env = { ...accessKeyEnv(cxone), CXO_DATA_DIR: dir("integer") };
    const internal = cxone.fixtures.dncGroups[0]!;
    const sales = String(internal.scrubbedSkillIds[0]);
    // As the MCP and the generated client send it: the phone number a JSON integer.
    const path = `/dnc-groups/${internal.dncGroupId}/records`;
    await cxoneApi(cxone, "POST", path, { dncGroupRecords: [{ phoneNumber: 3125550147 }] });
    // The generated client's type on the way back too.
    await adminCall(cxone.url, "POST", "/knobs", { dncRecordPhoneType: "number" });
    try {
      const records = (await cxoneApi(cxone, "GET", `${path}?top=100`)) as {
        resultSet: { dncRecords: Array<{ phoneNumber: unknown }> };
      };
      expect(records.resultSet.dncRecords.map((r) => r.phoneNumber)).toContain(3125550147);
      const synced = await runCli(["--json", "compliance", "dnc", "sync"], env, { timeoutMs: 60_000 });
      expect(synced.code, synced.stderr).toBe(0);
      const check = await runCli(
        [
          "--json",
          "compliance",
          "check",
          "--phone",
          "+13125550147",
          "--consent",
          "yes",
          "--at",
          AT,
          "--campaign",
          sales,
        ],
        env,
        { timeoutMs: 60_000 },
      );
      expect(check.code, check.stderr).toBe(0);
      const verdict = JSON.parse(check.stdout);
      expect(verdict.allowed).toBe(false);
      expect(verdict.reasons).toContainEqual(expect.objectContaining({ code: "cxone_dnc" }));
    } finally {
      await adminCall(cxone.url, "POST", "/knobs", { dncRecordPhoneType: "text" });
      await cxoneApi(cxone, "DELETE", path, { dncGroupRecords: [{ phoneNumber: "3125550147" }] });
    }
  });

  it("with no copy searches the number live; bad input is exit 2 with nothing sent", async () => {
    const env = { ...accessKeyEnv(cxone), CXO_DATA_DIR: dir("live") };
    const phone = `+1${cxone.fixtures.dncGroups[0]!.phones[1]}`;
    const before = (await requests(cxone.url)).length;
    const live = await runCli(
      ["--json", "compliance", "check", "--phone", phone, "--consent", "yes", "--at", AT],
      env,
      {
        timeoutMs: 60_000,
      },
    );
    expect(live.code, live.stderr).toBe(0);
    const verdict = JSON.parse(live.stdout);
    expect(verdict.cxoneDnc).toMatchObject({ source: "live", stale: true, syncedAt: null });
    expect(verdict.reasons.map((r: { code: string }) => r.code)).toContain("cxone_dnc");
    expect((await requests(cxone.url)).slice(before).map((r) => r.path)).toContainEqual(
      expect.stringMatching(/\/dnc-groups\/search$/),
    );

    // A search that fails fails the check (exit 1): never an unchecked "allowed".
    await adminCall(cxone.url, "POST", "/faults", { group: "dnc", errorRate: 1, errorStatus: 503 });
    // Short backoffs: the retries of the 503s are not what this test waits for.
    const config = path.join(path.dirname(env.CXO_DATA_DIR), "cxo.config.yaml");
    writeFileSync(config, "http:\n  backoffBaseMs: 5\n  backoffCapMs: 20\n");
    const refused = await runCli(
      ["compliance", "check", "--phone", "+13125550942", "--consent", "yes", "--at", AT],
      { ...env, CXO_CONFIG: config },
      {
        timeoutMs: 60_000,
      },
    );
    await adminCall(cxone.url, "DELETE", "/faults");
    expect(refused.code, refused.stdout).toBe(1);
    expect(refused.stdout).not.toContain("ALLOWED");
    expect(refused.stderr).toContain("dnc-groups/search");

    const quiet = (await requests(cxone.url)).length;
    const bad = await runCli(["compliance", "check", "--phone", "555-0100", "--consent", "yes"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--phone");
    expect((await requests(cxone.url)).length).toBe(quiet);
  }, 120_000);
});

describe("cxo compliance dnc sync on the seed API", () => {
  it("is refused as not supported (exit 1), nothing sent; checks say the ledger and the internal list apply", async () => {
    const client = seed.fixtures.clients[0]!;
    const env = {
      CXONE_BASE_URL: seed.url,
      CXONE_CLIENT_ID: client.clientId,
      CXONE_CLIENT_SECRET: client.clientSecret,
      CXO_DATA_DIR: dir("seed"),
    };
    const before = (await requests(seed.url)).length;
    const sync = await runCli(["compliance", "dnc", "sync"], env);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(/dncGroups is not supported on the .* platform/);
    expect(sync.stderr).toContain("consent ledger and internal DNC list apply");
    const check = await runCli(
      ["--json", "compliance", "check", "--phone", "+12125552637", "--consent", "yes"],
      env,
    );
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout).cxoneDnc).toBeNull();
    // The check read agents' do-not-call dispositions (issue 77 §3): reads of calls and codes
    // only; no DNC group route, nothing written.
    const sent = (await requests(seed.url)).slice(before);
    expect(sent.filter((r) => r.path !== "/oauth/token" && r.method !== "GET")).toEqual([]);
    expect(sent.filter((r) => /dnc/i.test(r.path))).toEqual([]);
  }, 60_000);
});
