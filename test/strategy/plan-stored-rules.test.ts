import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createClient } from "../../src/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * `cxo strategy plan` obeys what the data dir knows, as `cxo compliance check` does: a number on
 * the stored internal DNC list (`compliance dnc add`) or in an imported registry copy
 * (`compliance dnc import`) is never planned, and a campaign this data dir created from a spec
 * with `kind: collections` is planned under Regulation F without `--kind` (a list without
 * accountId is refused, exit 2 naming it). Before, the plan consulted neither: it scheduled the
 * DNC and registry numbers and planned the collections campaign as sales.
 */
let emu: RunningEmulator;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-plan-rules-"));
const file = (name: string) => path.join(dir, name);
let create: CliResult;
let plans: CliResult[];

const CLEAN = "+13055552100";
const ON_DNC = "+13055552101";
const ON_REGISTRY = "+13055552102";

beforeAll(async () => {
  emu = await startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 });
  const client = emu.fixtures.clients[0];
  const listId = emu.fixtures.contactLists[0]?.id;
  if (!client || !listId) throw new Error("no fixtures");
  const env = {
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: client.clientId,
    CXONE_CLIENT_SECRET: client.clientSecret,
    CXO_DATA_DIR: file(".cxo"),
  };
  writeFileSync(
    file("spec.yaml"),
    [
      "name: Collections East",
      "kind: collections",
      `contactListId: "${listId}"`,
      "predictive: { answerRatio: 0.85, maxCallsInFlight: 10, callRate: 2, abandonmentThreshold: 0.03 }",
      "compliance:",
      "  timeZone: America/New_York",
      '  window: { start: "08:00", end: "21:00" }',
      "  allowedDays: [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday]",
      "",
    ].join("\n"),
  );
  writeFileSync(file("national.txt"), `${ON_REGISTRY.slice(2)}\n`);
  writeFileSync(
    file("list.csv"),
    `recordId,phone,state,consent\nr1,${CLEAN},FL,true\nr2,${ON_DNC},FL,true\nr3,${ON_REGISTRY},FL,\n`,
  );
  const job = (args: string[]) => ({ args, env, cwd: dir });
  [create] = await runCliBatch(
    [
      job(["compliance", "dnc", "add", ON_DNC]),
      job([
        "compliance",
        "dnc",
        "import",
        "--registry",
        "national",
        "--as-of",
        "2026-11-25",
        file("national.txt"),
      ]),
      job(["campaigns", "create", "--spec", file("spec.yaml"), "--json"]),
    ],
    1,
  ).then((r) => [r[2] as CliResult]);
  const { campaignId } = JSON.parse((create as CliResult).stdout) as { campaignId: string };
  writeFileSync(file("model.json"), JSON.stringify(buildModel(new SlotCounts(), { campaign: campaignId })));
  const plan = (extra: string[], out: string) =>
    job([
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--from",
      "2026-12-01T08:00:00-05:00",
      "--days",
      "3",
      "--out",
      file(out),
      ...extra,
    ]);
  plans = await runCliBatch(
    [
      plan(["--kind", "sales", "--json", "--report", file("plan.html")], "sales.ndjson"),
      plan([], "default.ndjson"),
    ],
    1,
  );
}, 120_000);

afterAll(() => emu.close());

describe("cxo strategy plan and the data dir's rules", () => {
  it("never plans a number on the stored DNC list or in a registry copy", () => {
    expect(create.code, create.stderr).toBe(0);
    const sales = plans[0] as CliResult;
    expect(sales.code, sales.stderr).toBe(0);
    const phones = readFileSync(file("sales.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { phone: string }).phone);
    expect(phones).toEqual([CLEAN]);
    const summary = JSON.parse(sales.stdout) as { ruledOutByRule: Record<string, number> };
    expect(summary.ruledOutByRule).toHaveProperty("internal_dnc");
    expect(summary.ruledOutByRule).toHaveProperty("national_dnc");
  });

  it("the report's title names the campaign this data dir created, not its id (issue 64 §2)", () => {
    const html = readFileSync(file("plan.html"), "utf8");
    expect(html).toContain("<h1>Contact strategy: Collections East</h1>");
  });

  it("the SDK's plan obeys the same data dir", async () => {
    const admin = emu.fixtures.clients[0]!;
    const client = createClient({
      connection: { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
      dataDir: file(".cxo"),
    });
    try {
      const model = JSON.parse(readFileSync(file("model.json"), "utf8"));
      const list = [CLEAN, ON_DNC].map((phone, i) => ({ recordId: `r${i}`, phone, consent: true }));
      const answer = await client.strategy.plan(list, model, {
        from: "2026-12-01T08:00:00-05:00",
        days: 3,
        kind: "sales",
      });
      expect(answer.rows.map((r) => r.phone)).toEqual([CLEAN]);
      await expect(
        client.strategy.plan(list, model, { from: "2026-12-01T08:00:00-05:00", days: 3 }),
      ).rejects.toMatchObject({ problems: [expect.objectContaining({ field: "accountId" })] });
    } finally {
      await client.close();
    }
  });

  it("takes kind collections from the campaign's spec: a list without accountId is refused", () => {
    const byDefault = plans[1] as CliResult;
    expect(byDefault.code, byDefault.stdout).toBe(2);
    expect(byDefault.stderr).toMatch(/accountId/);
    expect(byDefault.stderr).not.toMatch(/\n\s+at /);
  });
});
