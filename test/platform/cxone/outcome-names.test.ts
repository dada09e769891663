import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * `cxo outcomes export --map` on the production platform: CXone's records carry disposition
 * ids ("11"), the map speaks names (CONVERTED, APPOINTMENT_SET…). The adapter resolves the ids'
 * names from the skill's catalogue (once per export) and the map matches by name, so the
 * report has real categories and a conversion rate, computed here independently from the
 * emulator's catalogue and the exported file.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const MAP = path.join(ROOT, "examples/disposition-map.yaml");
const HOUR = 3_600_000;

// The example map's categories for the emulator's disposition names (the rest are unknown).
const EXPECTED: Record<string, string> = {
  Sale: "success",
  "Appointment Set": "success",
  Interested: "warm",
  "Callback Requested": "warm",
  "Not Interested": "cold",
  Busy: "neutral",
  "No Answer": "neutral",
  Disconnected: "failure",
  "Wrong Number": "failure",
};

let emulator: RunningCxoneEmulator;
beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 11,
    contacts: 4_000,
    days: 4,
  })) as RunningCxoneEmulator;
});
afterAll(() => emulator.close());

it("categorises CXone's disposition ids by name, reading the catalogue once per export, and filters --codes by name", async () => {
  const f = emulator.fixtures;
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  const skillId = String(
    f.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!.skillId,
  );
  const d = mkdtempSync(path.join(tmpdir(), "cxo-cxone-names-"));
  const env = (name: string) => ({
    CXONE_PLATFORM: "cxone",
    CXONE_ISSUER: emulator.url,
    CXONE_CLIENT_ID: f.client.clientId,
    CXONE_CLIENT_SECRET: f.client.clientSecret,
    CXONE_ACCESS_KEY_ID: key.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
    CXO_DATA_DIR: path.join(d, name),
  });
  const window = [
    "--from",
    new Date(Date.now() - 3 * 24 * HOUR).toISOString(),
    "--to",
    new Date(Date.now() - HOUR).toISOString(),
  ];
  const base = ["--json", "outcomes", "export", "--campaign", skillId, ...window, "--page-size", "200"];
  const out = path.join(d, "all.ndjson");
  const [all, sales] = await Promise.all([
    runCli([...base, "--map", MAP, "--out", out], env("a"), { timeoutMs: 60_000 }),
    runCli([...base, "--codes", "Sale", "--out", path.join(d, "sales.ndjson")], env("b"), {
      timeoutMs: 60_000,
    }),
  ]);
  expect(all.code, all.stderr).toBe(0);
  expect(sales.code, sales.stderr).toBe(0);

  const nameOf = new Map(f.dispositions.map((x) => [String(x.dispositionId), x.dispositionName]));
  const records = readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  const categories: Record<string, number> = { success: 0, warm: 0, cold: 0, neutral: 0, failure: 0 };
  let unknown = 0;
  for (const r of records) {
    const name = r.dispositionCode === null ? undefined : nameOf.get(r.dispositionCode);
    const category = name === undefined ? undefined : EXPECTED[name];
    if (category === undefined) unknown += 1;
    else categories[category]! += 1;
  }
  const summary = JSON.parse(all.stdout);
  expect(summary.totalRecords).toBe(records.length);
  expect(summary.pages).toBeGreaterThan(2);
  expect(summary.categories).toEqual(categories);
  expect(summary.categories.success).toBeGreaterThan(0);
  expect(summary.unknownRecords).toBe(unknown);
  expect(summary.conversionRate).toBeCloseTo(categories.success! / records.length, 10);
  expect(summary.conversionRate).toBeGreaterThan(0);
  // Each record carries its disposition's name beside the id.
  expect(records.map((r) => r.extra?.dispositionName ?? null)).toEqual(
    records.map((r) => (r.dispositionCode === null ? null : (nameOf.get(r.dispositionCode) ?? null))),
  );
  // Unknown codes name their disposition: "Do Not Call (17)", not a bare "17".
  for (const code of Object.keys(summary.unknownCodes)) expect(code).toMatch(/^(\(none\)|.+ \(\d+\))$/);

  const saleCount = records.filter((r) => nameOf.get(r.dispositionCode) === "Sale").length;
  expect(saleCount).toBeGreaterThan(0);
  expect(JSON.parse(sales.stdout).totalRecords).toBe(saleCount);

  // The catalogue is read once per export (two exports here), not per page or per record.
  const log = (await adminCall(emulator.url, "GET", "/requests")) as { requests: Array<{ path: string }> };
  expect(log.requests.filter((r) => /\/skills\/\d+\/dispositions$/.test(r.path))).toHaveLength(2);
}, 120_000);
