import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { startListEmulator } from "../support/cxone-list-dialer.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * Issue 79: a list row carries the facts a rule needs beyond the number — `numberType`
 * (Massachusetts counts 2 calls in 7 days to a residence or mobile number, 2 in 30 days to any
 * other) and `lastTransactionAt` (Oregon's established business relationship) — and `strategy
 * plan` judges each row with them, the plan file keeps them, and `strategy push` judges the row
 * again with them. Both Massachusetts numbers below had 2 calls 10 and 14 days ago (imported with
 * `cxo touches import`): the work number is not planned, the mobile is. Bad values are exit 2
 * naming the row and the column, and nothing is sent to CXone.
 */
const NOW = "2026-12-07T14:00:00Z"; // a Monday, 09:00 Boston
const WORK = "+16175553201";
const MOBILE = "+16175553202";
let emulator: RunningCxoneEmulator;
let skillId = "";
let clock: ReturnType<typeof pinClock>;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-list-facts-"));
const file = (name: string) => path.join(dir, name);
let env: Record<string, string>;

const cxo = async (...args: string[]): Promise<CliResult> =>
  (
    await runCliBatch([{ args: ["--json", ...args], env: { ...env, ...cliClockEnv() }, cwd: dir }], 1)
  )[0] as CliResult;
const sent = async () =>
  (
    (await adminCall(emulator.url, "GET", "/requests")) as {
      requests: Array<{ method: string; path: string }>;
    }
  ).requests.filter((r) => r.method !== "GET");
const planArgs = (list: string, out: string) => [
  "strategy",
  "plan",
  "--kind",
  "collections",
  "--list",
  file(list),
  "--model",
  file("model.json"),
  "--campaign",
  skillId,
  "--from",
  NOW,
  "--days",
  "1",
  "--out",
  file(out),
];
const planRows = (name: string) =>
  readFileSync(file(name), "utf8")
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

let planned: CliResult;
/** Push's exit when every record is left out by a rule: the plan holds nothing it may send (exit 2). */
const EDITED_EXIT = 2;

beforeAll(async () => {
  clock = pinClock(NOW);
  ({ emulator, skillId } = await startListEmulator(79));
  env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo") };
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) counts.add(["state"], { state: "MA" }, s, 500, 60);
  writeFileSync(file("model.json"), JSON.stringify(buildModel(counts, { campaign: skillId })));
  const touches = ["phone,at,channel,account"];
  for (const [phone, account] of [
    [WORK, "M1"],
    [MOBILE, "M2"],
  ])
    for (const at of ["2026-11-23T15:00:00Z", "2026-11-27T15:00:00Z"])
      touches.push(`${phone},${at},call,${account}`);
  writeFileSync(file("touches.csv"), `${touches.join("\n")}\n`);
  const imported = await cxo("touches", "import", "--file", file("touches.csv"));
  expect(imported.code, imported.stderr).toBe(0);
  writeFileSync(
    file("list.csv"),
    [
      "recordId,phone,accountId,consent,numberType,lastTransactionAt",
      `work,${WORK},M1,true,other,`,
      `mobile,${MOBILE},M2,true,personal,2026-10-01T12:00:00-04:00`,
    ].join("\n"),
  );
  planned = await cxo(...planArgs("list.csv", "plan.ndjson"));
}, 120_000);

afterAll(async () => {
  clock?.restore();
  await emulator?.close();
});

describe("a list row's number type and last transaction (issue 79)", () => {
  it("plan: the work number is refused by Massachusetts' 2 in 30 days, the mobile is planned", () => {
    expect(planned.code, planned.stderr).toBe(0);
    const rows = planRows("plan.ndjson");
    expect(rows.map((r) => r.recordId)).toEqual(["mobile"]);
    expect(rows[0]).toMatchObject({
      numberType: "personal",
      lastTransactionAt: "2026-10-01T12:00:00-04:00",
      kind: "collections",
    });
    expect(JSON.parse(planned.stdout)).toMatchObject({
      ruledOutByRule: { frequency_cap: expect.any(Number) },
    });
  });

  it("push judges each row with the plan file's number type: edited to other, it is left out", async () => {
    const [row] = planRows("plan.ndjson");
    writeFileSync(file("edited.ndjson"), `${JSON.stringify({ ...row, numberType: "other" })}\n`);
    await adminCall(emulator.url, "DELETE", "/requests");
    const edited = await cxo("strategy", "push", "--plan", file("edited.ndjson"), "--campaign", skillId);
    expect(edited.code, edited.stderr).toBe(EDITED_EXIT);
    expect(edited.stderr).toMatch(/may no longer be called \(frequency_cap: 1\): nothing to push/);
    expect((await sent()).filter((r) => /\/lists/.test(r.path))).toEqual([]);
    const pushed = await cxo("strategy", "push", "--plan", file("plan.ndjson"), "--campaign", skillId);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(JSON.parse(pushed.stdout).blocked?.frequency_cap).toBeUndefined();
  });

  it.each([
    ["numberType", "work", /numberType.*must be one of personal, other/],
    ["lastTransactionAt", "2026-10-01", /lastTransactionAt.*is not an ISO 8601 date-time with a zone/],
  ])("a bad %s (%s): exit 2 naming the row and the column, nothing sent", async (column, value, rule) => {
    writeFileSync(
      file(`bad-${column}.csv`),
      [
        `recordId,phone,accountId,consent,${column}`,
        `ok,${MOBILE},M2,true,`,
        `bad,${WORK},M1,true,${value}`,
      ].join("\n"),
    );
    await adminCall(emulator.url, "DELETE", "/requests");
    const run = await cxo(...planArgs(`bad-${column}.csv`, `bad-${column}.ndjson`));
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(rule);
    expect(run.stderr).toMatch(/row 2/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await sent()).toEqual([]);
  });
});
