import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 92 §2 from the command line: a campaign spec's `voice: ai` (kept by `campaigns create`)
 * is what `strategy plan` plans for without `--voice`: of three records with the list's consent,
 * only the one whose consent the ledger holds written (`consent grant --written yes`) is planned,
 * its row saying `voice: ai`; `--voice live` plans all three. A spec or flag naming a voice not in
 * the list is bad input (exit 2 naming it), nothing created or written.
 */
let emu: RunningEmulator;
let clock: ReturnType<typeof pinClock>;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-plan-voice-"));
const file = (name: string) => path.join(dir, name);
let env: Record<string, string> = {};
const cxo = (args: string[]) => runCli(["--json", ...args], { ...env, ...cliClockEnv() }, { cwd: dir });
const WRITTEN = "+13055552401";
const SPOKEN = "+13055552402";
const NONE = "+13055552403";
let campaignId = "";

const spec = (voice: string) =>
  [
    "name: AI reminders",
    "kind: sales",
    `voice: ${voice}`,
    `contactListId: "${emu.fixtures.contactLists[0]?.id}"`,
    "predictive: { answerRatio: 0.85, maxCallsInFlight: 10, callRate: 2, abandonmentThreshold: 0.03 }",
    "compliance:",
    "  timeZone: America/New_York",
    '  window: { start: "08:00", end: "21:00" }',
    "  allowedDays: [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday]",
    "",
  ].join("\n");

beforeAll(async () => {
  clock = pinClock("2026-12-02T14:00:00Z");
  emu = await startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 });
  const client = emu.fixtures.clients[0];
  if (!client) throw new Error("no fixtures");
  env = {
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: client.clientId,
    CXONE_CLIENT_SECRET: client.clientSecret,
    CXO_DATA_DIR: file(".cxo"),
  };
  writeFileSync(file("spec.yaml"), spec("ai"));
  writeFileSync(file("robot.yaml"), spec("robot"));
  writeFileSync(
    file("list.csv"),
    `recordId,phone,state,consent\nr1,${WRITTEN},FL,true\nr2,${SPOKEN},FL,true\nr3,${NONE},FL,true\n`,
  );
}, 60_000);
afterAll(async () => {
  clock?.restore();
  await emu?.close();
});

const plan = (out: string, extra: string[] = []) =>
  cxo([
    "strategy",
    "plan",
    "--list",
    file("list.csv"),
    "--model",
    file("model.json"),
    "--from",
    "2026-12-03T08:00:00-05:00",
    "--days",
    "2",
    "--out",
    file(out),
    ...extra,
  ]);
const rowsOf = (out: string) =>
  readFileSync(file(out), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { phone: string; voice: string });

describe("a campaign spec's voice in strategy plan", () => {
  it("refuses a spec voice not in the list (exit 2, naming voice)", async () => {
    const bad = await cxo(["campaigns", "create", "--spec", file("robot.yaml")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/voice/);
  });

  it("plans only the record whose consent is written; --voice live plans all", async () => {
    const created = await cxo(["campaigns", "create", "--spec", file("spec.yaml")]);
    expect(created.code, created.stderr).toBe(0);
    campaignId = (JSON.parse(created.stdout) as { campaignId: string }).campaignId;
    writeFileSync(file("model.json"), JSON.stringify(buildModel(new SlotCounts(), { campaign: campaignId })));
    const grant = (phone: string, written: string) =>
      cxo(["consent", "grant", "--phone", phone, "--purpose", "telemarketing", "--written", written]);
    expect((await grant(WRITTEN, "yes")).code).toBe(0);
    expect((await grant(SPOKEN, "no")).code).toBe(0);

    const ai = await plan("ai.ndjson");
    expect(ai.code, ai.stderr).toBe(0);
    expect(rowsOf("ai.ndjson").map((r) => [r.phone, r.voice])).toEqual([[WRITTEN, "ai"]]);
    expect(JSON.parse(ai.stdout).ruledOutByRule).toHaveProperty("artificial_voice_no_written_consent");

    const live = await plan("live.ndjson", ["--voice", "live"]);
    expect(live.code, live.stderr).toBe(0);
    expect(
      rowsOf("live.ndjson")
        .map((r) => r.phone)
        .sort(),
    ).toEqual([WRITTEN, SPOKEN, NONE]);

    const robot = await plan("robot.ndjson", ["--voice", "robot"]);
    expect(robot.code).toBe(2);
    expect(robot.stderr).toMatch(/--voice/);
  });
});
