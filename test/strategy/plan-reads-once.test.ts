import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * Issue 100 §3 from the CLI: `cxo strategy plan --campaign` on a fresh data dir reads CXone's
 * completed contacts once, tenant-wide, at the largest page (10,000: the agents' dispositions and
 * the debts' calls from the same pages, not a second listing of the skill's window); the same plan
 * again on that data dir reads nothing it has read. Before, a plan read the business unit's 30
 * days at 1,000 a page and the skill's window again (126 pages, two minutes idle on its own rate
 * budget), and every plan after it the skill's window again.
 */
const NOW = "2026-12-02T12:00:00Z"; // a Wednesday, 07:00 in New York
const FROM = "2026-12-02T07:00:00-05:00";
let emulator: RunningCxoneEmulator;
let clock: ReturnType<typeof pinClock>;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-plan-reads-once-"));
const file = (name: string) => path.join(dir, name);

interface Logged {
  path: string;
  query: Record<string, string>;
}
const completedRequests = async (): Promise<Logged[]> =>
  ((await adminCall(emulator.url, "GET", "/requests")) as { requests: Logged[] }).requests.filter((r) =>
    r.path.endsWith("/contacts/completed"),
  );

const plan = (out: string) => ({
  args: [
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
    FROM,
    "--days",
    "1",
    "--out",
    file(out),
  ],
  env: { ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo"), ...cliClockEnv() },
  cwd: dir,
});

beforeAll(async () => {
  clock = pinClock(NOW);
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 100,
    contacts: 12_000,
    days: 30,
  })) as RunningCxoneEmulator;
  await adminCall(emulator.url, "POST", "/knobs", { warehouseLagS: 0 });
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")?.skillId,
  );
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) counts.add(["state"], { state: "ZZ" }, s, 400, 20);
  writeFileSync(file("model.json"), JSON.stringify(buildModel(counts, { campaign: skillId })));
  writeFileSync(
    file("list.csv"),
    `recordId,phone,consent\n${Array.from({ length: 60 }, (_, i) => `r${i},+1212555${String(7000 + i)},true`).join("\n")}\n`,
  );
}, 60_000);

afterAll(async () => {
  clock?.restore();
  await emulator?.close();
});

describe("strategy plan reads CXone's completed contacts once", () => {
  let first: Logged[] = [];

  it("on a fresh data dir: every page at 10,000, the business unit's changes only (no window listing of the skill)", async () => {
    await adminCall(emulator.url, "DELETE", "/requests");
    const [run] = (await runCliBatch([plan("first.ndjson")], 1)) as [CliResult];
    expect(run.code, run.stderr).toBe(0);
    first = await completedRequests();
    // 12,000 contacts over 30 days: two pages of the incremental listing, nothing else.
    expect(first.length).toBe(2);
    for (const r of first) {
      expect(r.query.top).toBe("10000");
      expect(r.query.updatedSince).toBeDefined();
      expect(r.query.startDate).toBeUndefined();
      expect(r.query.skillId).toBeUndefined();
    }
  });

  it("the same plan again on that data dir reads nothing it has read", async () => {
    await adminCall(emulator.url, "DELETE", "/requests");
    const [run] = (await runCliBatch([plan("second.ndjson")], 1)) as [CliResult];
    expect(run.code, run.stderr).toBe(0);
    expect(await completedRequests()).toEqual([]);
  });
});
