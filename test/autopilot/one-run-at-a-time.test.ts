import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignRunLeaseName } from "../../src/autopilot/campaign-run-lease.ts";
import { openStore } from "../../src/core/store/index.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";
import { autopilotEmulator, uploads, writeAutopilotConfig, writeList, writeModel } from "./fixture.ts";

/**
 * Issue 101 §2–§3: one run advances a campaign at a time, and a run never waits on another. Cron
 * starts the next `run --once` while one overruns, or `cxo serve` runs on another host: each
 * loaded the campaign's state and saved it over the other's (reports of "pushed 0" for lists
 * CXone dialled, three reports for one day). A run that finds the campaign held exits 0 at once,
 * saying who holds it since when, and does nothing for it; once the holder is done, the next run
 * advances the day as one run would.
 */
let emulator: RunningCxoneEmulator;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-autopilot-one-run-"));
const file = (name: string) => path.join(dir, name);
const dataDir = file(".cxo");

const runOnce = async (at: string) => {
  const clock = pinClock(at);
  try {
    const env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: dataDir, ...cliClockEnv() };
    return await runCli(["--config", file("cxo.config.yaml"), "--json", "autopilot", "run", "--once"], env, {
      cwd: dir,
      timeoutMs: 90_000,
    });
  } finally {
    clock.restore();
  }
};

beforeAll(async () => {
  ({ emulator, skillId } = await autopilotEmulator());
  writeModel(file("model.json"), skillId, (hour) => (hour === 10 ? 300 : 8));
  writeList(file("list.csv"), [
    ["r1", "+12125557601", "ACC-1"],
    ["r2", "+12155557602", "ACC-2"],
  ]);
  writeAutopilotConfig(file("cxo.config.yaml"), {
    skillId,
    list: file("list.csv"),
    model: file("model.json"),
    morning: "07:00",
    evening: "22:45",
    retryUnanswered: 0,
  });
}, 60_000);

afterAll(async () => {
  await emulator?.close();
});

describe("a campaign another run is advancing", () => {
  it("is left to that run: exit 0 at once, who holds it said, nothing planned or pushed; then the next run pushes", async () => {
    const store = await openStore(path.join(dataDir));
    const other = await store.leases.acquire(campaignRunLeaseName(skillId), 60_000);
    expect(other).not.toBeNull();
    try {
      const held = await runOnce("2026-12-07T08:00:00-05:00");
      expect(held.code, held.stderr).toBe(0);
      const run = JSON.parse(held.stdout) as {
        campaigns: Array<{ campaign: string; heldBy?: { holder: string }; steps: Array<{ text: string }> }>;
      };
      expect(run.campaigns[0]?.heldBy?.holder).toBe(store.instance.id);
      expect(run.campaigns[0]?.steps[0]?.text).toMatch(/^held by run .* since .*: left to it$/);
      expect(await uploads(emulator)).toBe(0);
    } finally {
      await store.leases.release(other!);
      await store.close();
    }
    const free = await runOnce("2026-12-07T08:05:00-05:00");
    expect(free.code, free.stderr).toBe(0);
    const steps = (
      JSON.parse(free.stdout) as { campaigns: Array<{ steps: Array<{ step: string }> }> }
    ).campaigns[0]?.steps.map((s) => s.step);
    expect(steps).toContain("plan");
    expect(await uploads(emulator)).toBe(1);
  }, 120_000);
});
