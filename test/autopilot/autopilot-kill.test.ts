import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { runCli, spawnCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";
import {
  autopilotEmulator,
  holdUploadJobPoll,
  uploadedLists,
  uploads,
  writeAutopilotConfig,
  writeList,
  writeModel,
} from "./fixture.ts";

/**
 * Issue 91's week bench: a `cxo autopilot run --once` killed (SIGKILL) while its morning push is
 * uploading leaves the plan to the next run, which pushes the same plan and adopts the upload —
 * one calling list. Before, the state was saved only at the run's end: the next run (an hour
 * later) planned again, a plan of other hours, and pushed it as a second list beside the killed
 * run's live one, so a debt's two numbers could be dialled after each other's conversation.
 */
let emulator: RunningCxoneEmulator;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-autopilot-kill-"));
const file = (name: string) => path.join(dir, name);

const env = (at: string) => ({ ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo"), CXO_CLOCK: at });
const args = ["--config", file("cxo.config.yaml"), "--json", "autopilot", "run", "--once"];

beforeAll(async () => {
  ({ emulator, skillId } = await autopilotEmulator());
  writeModel(file("model.json"), skillId, (hour) => 40 + hour * 5);
  writeList(file("list.csv"), [
    ["r1", "+12125557501", "ACC-1"],
    ["r2", "+13035557503", "ACC-2"],
    ["r3", "+12155557504", "ACC-3"],
  ]);
  const paths = { list: file("list.csv"), model: file("model.json") };
  writeAutopilotConfig(file("cxo.config.yaml"), { skillId, ...paths, morning: "07:00", evening: "22:45" });
}, 60_000);

afterAll(async () => {
  await emulator?.close();
});

describe("cxo autopilot run --once killed mid-push", () => {
  it("the next run pushes the killed run's plan and adopts its upload: one list, not two", async () => {
    const before = await uploads(emulator);
    const held = await holdUploadJobPoll(emulator);
    const killed = spawnCli(args, env("2026-12-07T07:05:00-05:00"));
    await waitUntil(() => held.met(), {
      what: "the morning push waiting on its upload job (the upload sent)",
      timeoutMs: 60_000,
    });
    expect(await uploads(emulator)).toBe(before + 1);
    killed.child.kill("SIGKILL");
    const [, signal] = await killed.exit;
    await held.release();
    expect(signal).toBe("SIGKILL");
    expect(await uploadedLists(emulator)).toHaveLength(1);

    // An hour later: the plan of 07:05 is pushed again (adopted), not a plan of 08:05's hours.
    const next = await runCli(args, env("2026-12-07T08:05:00-05:00"), { cwd: dir, timeoutMs: 90_000 });
    expect(next.code, next.stderr).toBe(0);
    const run = JSON.parse(next.stdout) as {
      campaigns: Array<{ steps: Array<{ step: string; text: string }> }>;
    };
    const steps = run.campaigns[0]?.steps ?? [];
    expect(steps.map((s) => s.step)).not.toContain("plan");
    expect(steps.find((s) => s.step === "push")?.text, JSON.stringify(steps)).toMatch(
      /record\(s\) on list \d+ \((resumed|store)\)/,
    );
    expect(await uploadedLists(emulator)).toHaveLength(1);
  }, 120_000);
});
