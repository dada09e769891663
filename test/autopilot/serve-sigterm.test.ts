import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";
import { autopilotEmulator, writeAutopilotConfig, writeList, writeModel } from "./fixture.ts";

/**
 * Issue 101 §5: `cxo serve` on SIGTERM finishes or abandons the running autopilot step within
 * 10 s. The step here is held mid-push (CXone takes a minute to answer the list's upload): the
 * autopilot's SDK calls end with the run's own call, so the service exits at once, its leases
 * released (the next run is not "held"), no report half written. Before, the service waited for
 * CXone's answer. The clock is fixed (it runs at the wall's pace from the morning): nothing here
 * races a running clock.
 */
let emulator: RunningCxoneEmulator;
let skillId = "";
let clock: ReturnType<typeof pinClock>;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-autopilot-sigterm-"));
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  clock = pinClock("2026-12-07T08:35:00-05:00");
  ({ emulator, skillId } = await autopilotEmulator());
  writeModel(file("model.json"), skillId, (hour) => (hour >= 9 && hour <= 12 ? 300 : 8));
  writeList(file("list.csv"), [["r1", "+12125557731", "ACC-1"]]);
  writeAutopilotConfig(file("cxo.config.yaml"), {
    skillId,
    list: file("list.csv"),
    model: file("model.json"),
    morning: "08:30",
    evening: "21:00",
    reportDir: file("reports"),
    retryUnanswered: 0,
  });
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  clock?.restore();
});

describe("cxo serve stopped mid-step", () => {
  it("SIGTERM while CXone holds the push's upload: exits before CXone answers, leases released, no report half written", async () => {
    // The upload waits a minute for CXone's answer (once: the fault leaves the board when met).
    await adminCall(emulator.url, "POST", "/faults", {
      route: "POST /lists/call-lists/:listId/upload",
      latencyMs: 60_000,
      count: 1,
    });
    const env = { ...accessKeyEnv(emulator), ...cliClockEnv(), CXO_DATA_DIR: file(".cxo") };
    const child = spawn(process.execPath, [path.resolve("bin/cxo.js"), "serve", "--port", "0"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let stoppedInMs = Number.POSITIVE_INFINITY;
    try {
      await waitUntil(
        async () =>
          ((await adminCall(emulator.url, "GET", "/faults")) as { faults: unknown[] }).faults.length === 0,
        { what: "the push's upload held by CXone", timeoutMs: 90_000, intervalMs: 100 },
      );
      const sent = performance.now();
      child.kill("SIGTERM");
      await exited;
      stoppedInMs = performance.now() - sent;
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await adminCall(emulator.url, "DELETE", "/faults");
    }
    // Abandoned, not waited for: the old code held on until its 30 s shutdown bound (~31 s). The
    // bound here is twice the 10 s promised, so a loaded machine's slowness does not fail it.
    expect(stoppedInMs, out).toBeLessThan(20_000);
    // No report (the evening is far) and nothing half written beside one.
    const reports = (() => {
      try {
        return readdirSync(file("reports"));
      } catch {
        return [];
      }
    })();
    expect(reports.filter((f) => !f.endsWith(".json"))).toEqual([]);
    // The campaign's lease was released: the next run advances the day (it adopts the upload).
    const next = await runCli(
      ["--config", file("cxo.config.yaml"), "--json", "autopilot", "run", "--once"],
      { ...env, ...cliClockEnv() },
      { cwd: dir, timeoutMs: 90_000 },
    );
    expect(next.code, next.stdout + next.stderr).toBe(0);
    const steps = (
      JSON.parse(next.stdout) as { campaigns: Array<{ steps: Array<{ step: string; text: string }> }> }
    ).campaigns[0]?.steps;
    expect(
      steps?.some((s) => s.step === "held"),
      JSON.stringify(steps),
    ).toBe(false);
    expect(steps?.find((s) => s.step === "push")?.text).toMatch(/1 record\(s\) on list \d+/);
  }, 150_000);
});
