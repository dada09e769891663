import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallerIdHealthRow } from "../../src/callerid/types.ts";
import { carrierOf } from "../../src/emulator/cxone/data/caller-ids.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";
import { labelledEmulator } from "./labelled-emulator.ts";

/**
 * Issue 66 §3: `cxo callerid health` end to end on the production emulator (a number labelled
 * through the admin route is `suspect`, the others are not; the report says what to do), and bad
 * input: exit 2 naming the flag, nothing sent (the emulator's request log) and nothing written.
 */
let emulator: RunningCxoneEmulator;
let env: Record<string, string>;
let dir: string;
let skillId = "";
let labelled = "";
const DAY = 86_400_000;

beforeAll(async () => {
  ({ emulator, skillId, labelled } = await labelledEmulator(3));
  dir = mkdtempSync(path.join(tmpdir(), "cxo-callerid-cli-"));
  env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: path.join(dir, ".cxo") };
});
afterAll(() => emulator.close());

const requestCount = async () =>
  ((await adminCall(emulator.url, "GET", "/requests")) as { requests: unknown[] }).requests.length;

describe("cxo callerid health", () => {
  it("finds the labelled number suspect from the campaign's outcomes, and writes the report", async () => {
    const report = path.join(dir, "health.html");
    const result = await runCli(
      ["--json", "callerid", "health", "--campaign", skillId, "--report", report],
      env,
      {
        timeoutMs: 60_000,
      },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as CallerIdHealthRow[];
    expect(rows).toHaveLength(6);
    const mine = rows.find((r) => r.callerId === labelled)!;
    expect(mine.status).toBe("suspect");
    expect(mine.ratio).toBeLessThan(0.5);
    expect(Date.parse(mine.onset!)).toBeGreaterThan(Date.now() - 12 * DAY);
    expect(rows.filter((r) => r.status === "suspect").map((r) => r.callerId)).toEqual([labelled]);
    for (const r of rows)
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining([
          "callerId",
          "calls",
          "answered",
          "answerRate",
          "expectedAnswerRate",
          "ratio",
          "status",
          "evidence",
        ]),
      );
    const html = readFileSync(report, "utf8");
    expect(html).toContain("Free Caller Registry");
    expect(html).toContain(labelled);
    expect(html).toMatch(/Do not provision a replacement number/);
    // The campaign by its name (one campaign: named once above the table, not a column of ids).
    const skill = emulator.fixtures.skills.find((s) => String(s.skillId) === skillId)!;
    expect(html).toContain(`Campaign: <strong>${skill.skillName} (${skillId})</strong>`);
    expect(html).not.toContain("<th>campaign</th>");
  });

  it("prints the suspect's onset in UTC minutes, as the report and the board do, not raw ISO", async () => {
    const result = await runCli(["callerid", "health", "--campaign", skillId], env, { timeoutMs: 60_000 });
    expect([result.code, result.stderr]).toEqual([0, ""]);
    const line = result.stdout.split("\n").find((l) => l.startsWith("suspect"))!;
    expect(line).toContain(labelled);
    expect(line).toMatch(/since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    // Every call of the window, then the answers over the calls since the onset (`calls` in --json).
    expect(line).toMatch(
      / \d+ calls {2}\d+\/\d+ answered since onset \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC {2}ratio /,
    );
    const ok = result.stdout.split("\n").find((l) => l.startsWith("ok"))!;
    expect(ok).toMatch(/ (\d+) calls {2}\d+\/\1 answered in the window {2}ratio /);
  });

  it("refuses bad input with exit 2, naming the flag; nothing sent, nothing written", async () => {
    const noCaller = path.join(dir, "old.ndjson");
    writeFileSync(
      noCaller,
      `${JSON.stringify({ id: "1", campaignId: skillId, startTime: "2026-11-02T15:00:00.000Z", agentId: null, callerId: null })}\n`,
    );
    const local = path.join(dir, "local.ndjson");
    writeFileSync(
      local,
      `${JSON.stringify({ id: "1", campaignId: skillId, startTime: "2026-11-02T15:00:00.000Z", agentId: null, callerId: "8005550100" })}\n`,
    );
    const good = path.join(dir, "good.ndjson");
    writeFileSync(
      good,
      `${JSON.stringify({ id: "1", campaignId: skillId, startTime: "2026-11-02T15:00:00.000Z", agentId: null, callerId: "+18005550100" })}\n`,
    );
    const report = path.join(dir, "never.html");
    const cases: Array<[string[], RegExp]> = [
      [["--campaign", skillId, "--false-alarm-rate", "0.7"], /--false-alarm-rate.*\(0, 0\.5\]/],
      [["--campaign", skillId, "--false-alarm-rate", "0"], /--false-alarm-rate/],
      [["--history", noCaller], /callerId.*cxo outcomes export/],
      [["--history", local], /callerId.*E\.164/],
      [["--history", good, "--carrier-column", "carrier"], /--carrier-column.*carrier/],
      [["--dataset", path.join(dir, "nope")], /--dataset/],
      [["--campaign", skillId, "--from", "2026-11-01"], /--from/],
    ];
    const before = await requestCount();
    for (const [args, message] of cases) {
      const result = await runCli(["callerid", "health", ...args, "--report", report], env);
      expect([args, result.code]).toEqual([args, 2]);
      expect(result.stderr).toMatch(message);
    }
    expect(await requestCount()).toBe(before);
    expect(existsSync(report)).toBe(false);
  });

  it("finds a label on one carrier's subscribers when the history carries the carrier (--carrier-column)", async () => {
    const { pools } = (await adminCall(emulator.url, "GET", "/callerid")) as {
      pools: Array<{ skillId: number; numbers: string[] }>;
    };
    const atAndT = pools.find((p) => String(p.skillId) === skillId)!.numbers[1]!;
    await adminCall(emulator.url, "POST", "/callerid/labels", {
      callerId: atAndT,
      from: new Date(Date.now() - 8 * DAY).toISOString(),
      factor: 0,
      carrier: "AT&T",
    });
    const exported = path.join(dir, "history.ndjson");
    const from = new Date(Date.now() - 22 * DAY).toISOString();
    const to = new Date(Date.now() - 3_600_000).toISOString();
    const run = await runCli(
      ["outcomes", "export", "--campaign", skillId, "--from", from, "--to", to, "--out", exported],
      env,
      { timeoutMs: 60_000 },
    );
    expect([run.code, run.stderr]).toEqual([0, ""]);
    // The user's own lookup of each called number's carrier (here the emulator's), as a column.
    const withCarrier = path.join(dir, "history-carrier.ndjson");
    const lines = readFileSync(exported, "utf8").trim().split("\n");
    writeFileSync(
      withCarrier,
      `${lines
        .map((line) => {
          const record = JSON.parse(line) as { phoneNumber: string };
          return JSON.stringify({ ...record, carrier: carrierOf(record.phoneNumber) });
        })
        .join("\n")}\n`,
    );
    const result = await runCli(
      ["--json", "callerid", "health", "--history", withCarrier, "--carrier-column", "carrier"],
      env,
      { timeoutMs: 60_000 },
    );
    expect([result.code, result.stderr]).toEqual([0, ""]);
    const rows = JSON.parse(result.stdout) as CallerIdHealthRow[];
    const mine = rows.filter((r) => r.callerId === atAndT);
    expect(mine.map((r) => r.carrier).sort()).toEqual(["AT&T", "T-Mobile", "Verizon", "other"]);
    expect(mine.filter((r) => r.status === "suspect").map((r) => r.carrier)).toEqual(["AT&T"]);
    // Without the column the label is diluted in the number's one row (no carrier named).
    const whole = await runCli(["--json", "callerid", "health", "--history", exported], env, {
      timeoutMs: 60_000,
    });
    const row = (JSON.parse(whole.stdout) as CallerIdHealthRow[]).find((r) => r.callerId === atAndT)!;
    expect(row.carrier).toBeUndefined();
  });
});
