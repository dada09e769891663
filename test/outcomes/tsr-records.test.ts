import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { type CxoneClient, createClient, InputError } from "../../src/index.ts";
import { readDataset } from "../../src/outcomes/parquet/dataset.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 79 §4: the FTC Telemarketing Sales Rule's call-detail records. An exported outcome
 * record carries the seller, the telemarketer and the robocall flag (`compliance.tsr` /
 * `createClient({ tsr })`, per campaign over the defaults) in NDJSON, CSV and Parquet, with the
 * caller ID, numbers, time, duration and disposition already there; `outcomes verify --tsr`
 * says whether a dataset holds every field of every record and every day of the range, and names
 * what is missing (a dataset exported before, without the fields; days outside the export).
 */
const DAY_MS = 86_400_000;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-tsr-"));
let emu: RunningEmulator;
let campaign: string;
let env: Record<string, string>;
const clients: CxoneClient[] = [];
// Three whole UTC days, Tuesday to Thursday (the emulator's campaigns call on weekdays), inside
// its 90 days of calls and at least two days back.
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const tuesday = (() => {
  let day = today - 5 * DAY_MS;
  while (new Date(day).getUTCDay() !== 2) day -= DAY_MS;
  return day;
})();
const from = new Date(tuesday).toISOString().slice(0, 10);
const to = new Date(tuesday + 3 * DAY_MS).toISOString().slice(0, 10);

function client(tsr?: Parameters<typeof createClient>[0]["tsr"]): CxoneClient {
  const admin = emu.fixtures.clients[0]!;
  const made = createClient({
    connection: { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: path.join(dir, `data-${clients.length}`),
    ...(tsr ? { tsr } : {}),
  });
  clients.push(made);
  return made;
}

beforeAll(async () => {
  emu = (await startEmulator({ port: 0, calls: 3000, metricsIntervalMs: 0 })) as RunningEmulator;
  campaign = emu.fixtures.campaigns[0]!.id;
  const admin = emu.fixtures.clients[0]!;
  env = {
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: admin.clientId,
    CXONE_CLIENT_SECRET: admin.clientSecret,
    CXO_DATA_DIR: path.join(dir, "cli"),
  };
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emu.close();
});

const window = () => ({ campaignId: campaign, from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z` });

describe("TSR fields on exported records", () => {
  it("NDJSON, CSV and Parquet carry seller, telemarketer and robocall; the campaign's own values win", async () => {
    const cxo = client({
      seller: "Acme Solar LLC",
      telemarketer: "Northwind Contact Centre",
      robocall: false,
      campaigns: { [campaign]: { seller: "Acme Roofing LLC" } },
    });
    const ndjson = await cxo.outcomes.export(window(), { out: path.join(dir, "calls.ndjson") });
    const lines = readFileSync(path.join(dir, "calls.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(10);
    for (const record of lines)
      expect(record).toMatchObject({
        seller: "Acme Roofing LLC",
        telemarketer: "Northwind Contact Centre",
        robocall: false,
      });
    const csv = await cxo.outcomes.export(window(), { out: path.join(dir, "calls.csv") });
    expect(csv.complianceHash).toBe(ndjson.complianceHash);
    expect(readFileSync(path.join(dir, "calls.csv"), "utf8").split("\n")[1]).toMatch(
      /,Acme Roofing LLC,Northwind Contact Centre,false$/,
    );
    const parquet = await cxo.outcomes.export(window(), { out: path.join(dir, "dataset/") });
    expect(parquet.complianceHash).toBe(ndjson.complianceHash);
    const back = [];
    for await (const r of readDataset(path.join(dir, "dataset"))) back.push(r);
    expect(back).toHaveLength(lines.length);
    expect(back[0]).toMatchObject({
      seller: "Acme Roofing LLC",
      telemarketer: "Northwind Contact Centre",
      robocall: false,
    });
  });

  it("without TSR settings a record has no such keys: the bytes and the compliance hash it always had", async () => {
    const plain = await client().outcomes.export(window(), { out: path.join(dir, "plain.ndjson") });
    const text = readFileSync(path.join(dir, "plain.ndjson"), "utf8");
    expect(text).not.toMatch(/"seller"|"telemarketer"|"robocall"/);
    expect(plain.complianceHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("outcomes verify --tsr", () => {
  it("a dataset with every field and every day: ok; a longer range names the missing days", async () => {
    const result = await client().outcomes.verifyTsr({ dataset: path.join(dir, "dataset"), from, to });
    expect(result).toMatchObject({ ok: true, days: 3, daysPresent: 3, missingDays: [], incomplete: [] });
    expect(result.records).toBeGreaterThan(10);
    const before = new Date(Date.parse(from) - 2 * DAY_MS).toISOString().slice(0, 10);
    const longer = await client().outcomes.verifyTsr({
      dataset: path.join(dir, "dataset"),
      from: before,
      to,
    });
    expect(longer.ok).toBe(false);
    expect(longer.missingDays).toEqual([
      { from: before, to: new Date(Date.parse(from) - DAY_MS).toISOString().slice(0, 10), days: 2 },
    ]);
  });

  it("from the CLI: a dataset exported without the TSR fields is incomplete (exit 1), naming them", async () => {
    const out = path.join(dir, "no-tsr/");
    const exported = await runCli(
      [
        "outcomes",
        "export",
        "--campaign",
        campaign,
        "--from",
        `${from}T00:00:00Z`,
        "--to",
        `${to}T00:00:00Z`,
        "--out",
        out,
      ],
      env,
      { timeoutMs: 60_000 },
    );
    expect(exported.code, exported.stderr).toBe(0);
    const checked = await runCli(
      ["outcomes", "verify", "--tsr", "--dataset", out, "--from", from, "--to", to, "--json"],
      env,
    );
    expect(checked.code).toBe(1);
    const doc = JSON.parse(checked.stdout);
    expect(doc.incomplete).toEqual(["telemarketer", "seller", "robocall"]);
    expect(doc.missingDays).toEqual([]);

    // With compliance.tsr in the config file, the same export is complete.
    const config = path.join(dir, "tsr.yaml");
    writeFileSync(
      config,
      "compliance:\n  tsr:\n    seller: Acme Solar LLC\n    telemarketer: Acme Solar LLC\n    robocall: false\n",
    );
    const withTsr = path.join(dir, "with-tsr/");
    const again = await runCli(
      [
        "outcomes",
        "export",
        "--campaign",
        campaign,
        "--from",
        `${from}T00:00:00Z`,
        "--to",
        `${to}T00:00:00Z`,
        "--out",
        withTsr,
        "--config",
        config,
      ],
      env,
      { timeoutMs: 60_000 },
    );
    expect(again.code, again.stderr).toBe(0);
    const ok = await runCli(
      ["outcomes", "verify", "--tsr", "--dataset", withTsr, "--from", from, "--to", to],
      env,
    );
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok: /);
  });

  it("bad input: exit 2 naming the flag; the SDK's InputError names the field", async () => {
    const missing = await runCli(
      ["outcomes", "verify", "--tsr", "--dataset", path.join(dir, "dataset"), "--from", from],
      env,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--to/);
    const backwards = await runCli(
      ["outcomes", "verify", "--tsr", "--dataset", path.join(dir, "dataset"), "--from", to, "--to", from],
      env,
    );
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toMatch(/--to/);
    const error = await client()
      .outcomes.verifyTsr({ dataset: path.join(dir, "dataset"), from: "yesterday", to })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]?.field).toBe("from");
  });
});

describe("cxo serve's scheduled Parquet export", () => {
  it("stamps the TSR fields of the client's settings on the day's records", async () => {
    const { exportDays } = await import("../../src/service/scheduled-exports.ts");
    const { exportHostOf } = await import("../../src/sdk/export-host.ts");
    const { createInternalClient } = await import("../../src/client.ts");
    const { openStore } = await import("../../src/core/store/index.ts");
    const admin = emu.fixtures.clients[0]!;
    const dataDir = path.join(dir, "serve");
    const internal = createInternalClient({
      connection: { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
      dataDir,
      tsr: { seller: "Acme Solar LLC", telemarketer: "Northwind Contact Centre", robocall: false },
    });
    const store = await openStore(dataDir, { actor: "test" });
    const out = path.join(dir, "scheduled");
    const logger = { info() {}, warn() {}, error() {} } as unknown as Parameters<typeof exportDays>[3];
    try {
      // "Now" is 01:00 the day after the window: the lookback's one whole day is the window's last.
      const now = Date.parse(`${to}T01:00:00Z`);
      await exportDays(
        { campaign, everyMinutes: 60, lookbackMinutes: 1440, format: "parquet", outDir: out },
        exportHostOf(internal),
        store,
        logger,
        new AbortController().signal,
        now,
      );
      const back = [];
      for await (const r of readDataset(out)) back.push(r);
      expect(back.length).toBeGreaterThan(0);
      expect(back.every((r) => r.seller === "Acme Solar LLC" && r.robocall === false)).toBe(true);
    } finally {
      await store.close();
      await internal.close();
    }
  });
});
