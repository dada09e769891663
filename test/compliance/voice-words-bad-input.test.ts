import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { CONSENT_GRANTS } from "../../src/consent/grants.ts";
import { InputError } from "../../src/core/input-error.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createClient } from "../../src/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { planRecords } from "../../src/strategy/push.ts";
import { runCli } from "../support/run-cli.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 92's bad input, on every path that takes it: a voice not in the list, a grant with no
 * purpose, a message over 10 kB, a ZIP that is not 5 digits — exit 2 (an InputError in the SDK)
 * naming the flag, field or column, and nothing recorded. (The webhook's 400 for a long message
 * is test/consent/service-webhook.test.ts; touches import's columns
 * test/consent/touches-messages-cli.test.ts; a spec's and plan's voice
 * test/strategy/plan-voice-cli.test.ts.)
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-92-bad-"));
const dataDir = path.join(dir, "data");
const cxo = (args: string[]) => runCli(["--json", ...args], { CXO_DATA_DIR: dataDir }, { cwd: dir });
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 });
  writeFileSync(
    path.join(dir, "model.json"),
    JSON.stringify(buildModel(new SlotCounts(), { campaign: "C1" })),
  );
  writeFileSync(path.join(dir, "list.csv"), "recordId,phone,zip,consent\nr1,+13055552501,3310,true\n");
  writeFileSync(
    path.join(dir, "long.csv"),
    `phone,at,channel,message\n+13055552502,2026-11-01T10:00:00-05:00,sms,"${"z".repeat(10_300)}"\n`,
  );
}, 60_000);
afterAll(async () => {
  await emu?.close();
});

async function grantsRecorded(): Promise<number> {
  const store = await openStore(dataDir);
  try {
    return (await store.kv.list(CONSENT_GRANTS)).length;
  } finally {
    await store.close();
  }
}

describe("issue 92's bad input from the command line", () => {
  it("compliance check: --voice not in the list, --zip not 5 digits, --purpose unknown", async () => {
    for (const [flags, named] of [
      [["--voice", "robot"], "--voice"],
      [["--zip", "1234"], "--zip"],
      [["--zip", "123456"], "--zip"],
      [["--purpose", "marketing"], "--purpose"],
      [["--announcement", "recorded"], "--announcement"],
    ] as const) {
      const bad = await cxo(["compliance", "check", "--phone", "+12125552501", ...flags]);
      expect(bad.code, `${flags.join(" ")}: ${bad.stderr}`).toBe(2);
      expect(bad.stderr).toContain(named);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("consent grant with no purpose, or an empty one: exit 2, nothing recorded", async () => {
    for (const purpose of [[], ["--purpose", ""], ["--purpose", "sales"]]) {
      const bad = await cxo(["consent", "grant", "--phone", "+12125552502", "--written", "yes", ...purpose]);
      expect(bad.code, bad.stderr).toBe(2);
      expect(bad.stderr).toMatch(/--purpose/);
    }
    expect(await grantsRecorded()).toBe(0);
  });

  it("consent import and touches import of a message over 10 kB: exit 2 naming row and column", async () => {
    for (const command of [
      ["consent", "import"],
      ["touches", "import"],
    ]) {
      const bad = await cxo([...command, "--file", "long.csv"]);
      expect(bad.code, bad.stderr).toBe(2);
      expect(bad.stderr).toMatch(/message/);
      expect(bad.stderr).toMatch(/10 kB/);
    }
    const review = await cxo(["consent", "review"]);
    expect(JSON.parse(review.stdout).messages).toEqual([]);
  });

  it("strategy plan: a list ZIP that is not 5 digits is refused, no plan written", async () => {
    const bad = await cxo([
      "strategy",
      "plan",
      "--list",
      "list.csv",
      "--model",
      "model.json",
      "--from",
      "2026-12-03T08:00:00-05:00",
      "--out",
      "plan.ndjson",
    ]);
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).toMatch(/zip/);
    expect(readdirSync(dir)).not.toContain("plan.ndjson");
  });
});

describe("issue 92's bad input through the SDK", () => {
  it("compliance.check, consent.grant, touches.import and a pushed plan row name the field", async () => {
    const fixtures = emu.fixtures.clients[0];
    if (!fixtures) throw new Error("no fixtures");
    await using client = createClient({
      connection: { baseUrl: emu.url, clientId: fixtures.clientId, clientSecret: fixtures.clientSecret },
      dataDir: path.join(dir, "sdk"),
    });
    const fields = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      return (error as InputError).problems.map((p) => p.field);
    };
    expect(
      await fields(client.compliance.check({ phone: "+12125552503", voice: "robot" as never, zip: "1234" })),
    ).toEqual(["zip", "voice"]);
    expect(await fields(client.consent.grant({ phone: "+12125552503", purpose: [], written: true }))).toEqual(
      ["purpose"],
    );
    expect(await fields(client.touches.import({ file: path.join(dir, "long.csv") }))).toEqual(["message"]);
    expect((await client.consent.review()).length).toBe(0);
    const row = {
      recordId: "r1",
      phone: "+13055552501",
      attemptAt: "2026-12-03T10:00:00-05:00",
      attempt: 1,
      estimate: 0.1,
    };
    expect(await fields(planRecords(engine, [{ ...row, zip: "3310" }], { campaign: "C1" }))).toEqual(["zip"]);
    expect(await fields(planRecords(engine, [{ ...row, voice: "robot" }], { campaign: "C1" }))).toEqual([
      "voice",
    ]);
  });
});
