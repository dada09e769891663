import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { steppedClock } from "../support/pinned-clock.ts";
import { waitUntil } from "../support/wait-until.ts";
import { autopilotEmulator, writeAutopilotConfig, writeList, writeModel } from "./fixture.ts";

/**
 * Issue 101 §1: the documented way runs it. `cxo serve` — the real command, in its own process,
 * with the `autopilot:` section of cxo.config.yaml and the shared running clock (×600) — takes a
 * Monday through its morning's plan and push and its evening's day report with nothing else
 * driving it, and logs each step at the default level. The clock is a stepped one (CXO_CLOCK=file:):
 * the test steps it to 08:25 once the service is up (a loaded machine's slow start no longer eats
 * the morning) and, once the push is made, over the hours to just before the evening rather than
 * waiting them out (27 s at ×600); the serve's schedule and the emulator's dialer read the new
 * time as they would have read it at ×600. (The new user's `cxo serve` said
 * `running`, `lastStep: null` and a "next" that moved forward forever.)
 */
let emulator: RunningCxoneEmulator;
let skillId = "";
let clock: ReturnType<typeof steppedClock>;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-autopilot-serve-process-"));
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  // From 04:00: however long the machine takes to start the emulator and `cxo serve` (4 h 25 min
  // of this clock is 26 s), the day begins when the test steps the clock to 08:25 once the
  // service is up.
  clock = steppedClock(dir, "2026-12-07T04:00:00-05:00", 600);
  ({ emulator, skillId } = await autopilotEmulator());
  // Four good hours (x600: 24 s of real time) before the evening: a loaded machine's slow push
  // still finds hours to dial in.
  writeModel(file("model.json"), skillId, (hour) => (hour >= 9 && hour <= 12 ? 300 : 8));
  writeList(file("list.csv"), [
    ["r1", "+12125557701", "ACC-1"],
    ["r2", "+12155557702", "ACC-2"],
  ]);
  writeAutopilotConfig(file("cxo.config.yaml"), {
    skillId,
    list: file("list.csv"),
    model: file("model.json"),
    morning: "08:30",
    evening: "13:00",
    reportDir: file("reports"),
    retryUnanswered: 0,
  });
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  clock?.restore();
});

describe("cxo serve (the command) runs the autopilot", () => {
  it("plans, pushes and writes the day report on the shared clock, logging each step", async () => {
    const child = spawn(process.execPath, [path.resolve("bin/cxo.js"), "serve", "--port", "0"], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        ...accessKeyEnv(emulator),
        ...clock.env,
        CXO_DATA_DIR: file(".cxo"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const url = await waitUntil(() => /https?:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0], {
        what: "the service's address",
        timeoutMs: 60_000,
      });
      clock.jumpTo("2026-12-07T08:25:00-05:00");
      type Panel = {
        campaigns: Array<{ lastStep: unknown }>;
        reports: Array<{ date: string; planned: number; pushed: number }>;
      };
      const panel = async () => (await (await fetch(`${url}/api/autopilot`)).json()) as Panel;
      type Today = { campaigns: Array<{ today: { pushed: number } | null }> };
      // A read the busy service drops is read again (the condition is what is waited for).
      await waitUntil(
        async () =>
          ((await panel().catch(() => undefined)) as Today | undefined)?.campaigns[0]?.today?.pushed ?? 0,
        { what: "the morning's push by cxo serve", timeoutMs: 90_000, intervalMs: 100 },
      ).catch((error: Error) => {
        // The service's own lines say what it did, should this fail.
        throw new Error(`${error.message} (this process's clock: ${new Date().toISOString()})\n${out}`);
      });
      // Nothing is due until the good hours' dials and the evening: stepped over.
      clock.jumpTo("2026-12-07T12:58:00-05:00");
      await waitUntil(async () => ((await panel().catch(() => undefined))?.reports.length ?? 0) > 0, {
        what: "the day report written by cxo serve",
        timeoutMs: 90_000,
        intervalMs: 100,
      });
      const answer = await panel();
      // The service's own lines say what it did, should this fail.
      expect(answer.reports[0], out).toMatchObject({ date: "2026-12-07", planned: 2 });
      expect(answer.reports[0]?.pushed).toBeGreaterThan(0);
      expect(answer.campaigns[0]?.lastStep).not.toBeNull();
      // Each step is in the service's log at the default level.
      expect(out).toMatch(/autopilot: campaign \d+ (plan|morning)/);
      expect(out).toMatch(/autopilot: campaign \d+ report/);
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  }, 150_000);
});
