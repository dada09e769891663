import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { accessKeyEnv, accessKeySettings, cxoneApiGet } from "../support/cxone-access-key.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * +44 numbers through a list, a plan and a push, from the CLI on the production emulator: a list
 * of US and UK records is planned (the UK ones in London's local time, inside the UK's
 * calling-hours policy), the TPS copy imported after the plan, and the push leaves out the
 * number registered with the TPS 30 days before (its code named), sends the one registered 10
 * days before (the 28-day rule does not bind it yet), the clean UK number and the US one as
 * before; the UK numbers go on the CXone list as 44 and their national digits, timed by "GMT
 * Standard Time". Before, each UK row was refused as "not an E.164 North American number".
 */
const START = "2026-12-02T10:00:00Z"; // a Wednesday: 10:00 in London, 04:00 in Chicago
const US = "+13125557401";
const TPS_30 = "+447700900101";
const TPS_10 = "+447700900102";
const UK_CLEAN = "+442079460104";
const TPS_CONSENT = "+447700900105";
const CTPS = "+442079460106";
const ASKED = "+442079460107";
let emulator: RunningCxoneEmulator;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-uk-push-"));
const file = (name: string) => path.join(dir, name);
let clock: ReturnType<typeof pinClock>;
let env: Record<string, string> = {};

const cxo = async (...args: string[]) =>
  ((await runCliBatch([{ args, env, cwd: dir }], 1)) as [CliResult])[0];

beforeAll(async () => {
  clock = pinClock(START);
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 103,
    contacts: 10,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")?.skillId,
  );
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) counts.add(["state"], { state: "ZZ" }, s, 400, 40);
  writeFileSync(file("model.json"), JSON.stringify(buildModel(counts, { campaign: skillId })));
  writeFileSync(
    file("list.csv"),
    // The US record's consent as before (the federal rule); the UK ones record none.
    `recordId,phone,consent\nus1,${US},true\nuk-tps30,${TPS_30},\nuk-tps10,${TPS_10},\nuk-clean,${UK_CLEAN},\nuk-consent,${TPS_CONSENT},true\n`,
  );
  // Registered 30 and 10 days before the start; the copy is a day old.
  writeFileSync(
    file("tps.csv"),
    `phone,registeredAt\n${TPS_30},2026-11-02\n${TPS_10},2026-11-22\n${TPS_CONSENT},2026-11-02\n`,
  );
  writeFileSync(file("cxo.config.yaml"), "http:\n  rateLimitScale: 100\n");
  env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo"), ...cliClockEnv() };
}, 60_000);

afterAll(async () => {
  clock?.restore();
  await emulator?.close();
});

interface Row {
  recordId: string;
  phone: string;
  attemptAt: string;
  zone: string;
}

describe("UK numbers through strategy plan and strategy push", () => {
  let rows: Row[] = [];

  it("plan: every record planned, the UK ones in London's time inside 08:00-21:00", async () => {
    const planned = await cxo(
      "--json",
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--campaign",
      skillId,
      "--from",
      START,
      "--days",
      "1",
      "--out",
      file("plan.ndjson"),
    );
    expect(planned.code, planned.stderr).toBe(0);
    // The UK records without consent are told PECR's rule, not the federal one (they are planned).
    expect(planned.stdout + planned.stderr).toMatch(
      /3 of 5 records are UK numbers without recorded consent: PECR/,
    );
    expect(planned.stdout + planned.stderr).not.toMatch(/federal consent rule/);
    rows = readFileSync(file("plan.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Row);
    expect(rows.map((r) => r.recordId).sort()).toEqual([
      "uk-clean",
      "uk-consent",
      "uk-tps10",
      "uk-tps30",
      "us1",
    ]);
    for (const row of rows.filter((r) => r.phone.startsWith("+44"))) {
      expect(row.zone).toBe("Europe/London");
      const local = DateTime.fromISO(row.attemptAt, { zone: "Europe/London" });
      expect(row.attemptAt).toMatch(/\+00:00$/); // December: GMT
      expect(local.hour).toBeGreaterThanOrEqual(8);
      expect(local.hour).toBeLessThan(21);
    }
    expect(rows.find((r) => r.recordId === "us1")?.zone).toBe("America/Chicago");
    // The consent a UK row was planned with goes with it (push judges its TPS listing with it).
    expect(rows.find((r) => r.recordId === "uk-consent")).toMatchObject({ consent: true });
    expect(rows.find((r) => r.recordId === "uk-clean")).not.toHaveProperty("consent");
  });

  it("push after the TPS copy is imported: the 30-day registration left out (tps_registered), the rest sent (a consented one too)", async () => {
    const imported = await cxo(
      "compliance",
      "dnc",
      "import",
      "--registry",
      "tps",
      "--as-of",
      "2026-12-01",
      file("tps.csv"),
    );
    expect(imported.code, imported.stderr).toBe(0);
    const pushed = await cxo(
      "--json",
      "strategy",
      "push",
      "--plan",
      file("plan.ndjson"),
      "--campaign",
      skillId,
      "--fit-skill",
    );
    expect(pushed.code, pushed.stderr).toBe(0);
    const summary = JSON.parse(pushed.stdout) as {
      listId: string;
      records: number;
      blocked?: Record<string, number>;
      blockedRecords?: Array<{ recordId: string; phone: string; codes: string[] }>;
    };
    expect(summary.blocked).toEqual({ tps_registered: 1 });
    expect(summary.blockedRecords).toEqual([
      { recordId: "uk-tps30", phone: TPS_30, codes: ["tps_registered"] },
    ]);
    expect(summary.records).toBe(4);
    const download = (await cxoneApiGet(
      emulator,
      `/lists/call-lists/${summary.listId}?includeRecords=true`,
    )) as {
      resultSet: { contactRecords: Array<Record<string, unknown>> };
    };
    const byId = new Map(download.resultSet.contactRecords.map((r) => [String(r.externalId), r]));
    // Registered 30 days before too, but with recorded consent: sent.
    expect([...byId.keys()].sort()).toEqual(["uk-clean", "uk-consent", "uk-tps10", "us1"]);
    expect(byId.get("uk-tps10")).toMatchObject({
      phoneNumber: "447700900102",
      timeZone: "GMT Standard Time",
    });
    expect(byId.get("uk-clean")).toMatchObject({
      phoneNumber: "442079460104",
      timeZone: "GMT Standard Time",
    });
    expect(byId.get("us1")).toMatchObject({ phoneNumber: "3125557401", timeZone: "Central Standard Time" });
  });

  it("plan with the copy imported: the 30-day registration is not planned, for tps_registered", async () => {
    const planned = await cxo(
      "--json",
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--campaign",
      skillId,
      "--from",
      START,
      "--days",
      "1",
      "--out",
      file("plan2.ndjson"),
    );
    expect(planned.code, planned.stderr).toBe(0);
    const ids = readFileSync(file("plan2.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as Row).recordId);
    expect(ids.sort()).toEqual(["uk-clean", "uk-consent", "uk-tps10", "us1"]);
    expect(planned.stdout).toContain("tps_registered");
  });

  it("the SDK's strategy.push: a CTPS number of 31 days left out (ctps_registered), one on the internal list too (internal_dnc), a row's consent and a ledger's grant honoured", async () => {
    writeFileSync(file("ctps.csv"), `phone,registeredAt\n${CTPS},2026-11-01\n`);
    const imported = await cxo(
      "compliance",
      "dnc",
      "import",
      "--registry",
      "ctps",
      "--as-of",
      "2026-12-01",
      file("ctps.csv"),
    );
    expect(imported.code, imported.stderr).toBe(0);
    // A subscriber who asked not to be called (PECR reg 21(1)(a)): the internal list.
    const asked = await cxo("compliance", "dnc", "add", ASKED, "--reason", "asked on a call");
    expect(asked.code, asked.stderr).toBe(0);
    // A TPS number whose subscriber consented, in the ledger (not on the plan row).
    const granted = await cxo(
      "consent",
      "grant",
      "--phone",
      TPS_CONSENT,
      "--purpose",
      "telemarketing",
      "--written",
      "no",
    );
    expect(granted.code, granted.stderr).toBe(0);
    const client = createInternalClient({
      ...clientOptionsFromSettings(accessKeySettings(emulator)),
      rateLimits: GENEROUS_LIMITS,
      dataDir: file(".cxo"),
    });
    const row = (recordId: string, phone: string, consent?: boolean) => ({
      recordId,
      phone,
      attemptAt: "2026-12-02T14:00:00+00:00",
      zone: "Europe/London",
      slot: 62,
      attempt: 1,
      estimate: 0.1,
      interval: [0.05, 0.15],
      ruledOut: [],
      campaign: skillId,
      staleMinutes: 59,
      kind: "sales",
      ...(consent === undefined ? {} : { consent }),
    });
    try {
      const pushed = await client.strategy.push(
        [
          row("s-ctps", CTPS),
          row("s-tps30-consent", TPS_30, true),
          row("s-tps10", TPS_10),
          row("s-asked", ASKED, true),
          row("s-granted", TPS_CONSENT),
        ],
        { campaign: skillId, listName: "SDK UK" },
      );
      expect(pushed.blocked).toEqual({ ctps_registered: 1, internal_dnc: 1 });
      expect(pushed.blockedRecords).toEqual(
        expect.arrayContaining([
          { recordId: "s-ctps", phone: CTPS, codes: ["ctps_registered"] },
          { recordId: "s-asked", phone: ASKED, codes: ["internal_dnc"] },
        ]),
      );
      expect(pushed.blockedRecords).toHaveLength(2);
      expect(pushed.records).toBe(3);
    } finally {
      await client.close();
    }
  });
});
