import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallerIdHealthRow } from "../../src/callerid/types.ts";
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
});
