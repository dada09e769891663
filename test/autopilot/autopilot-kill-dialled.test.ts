import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli, spawnCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";
import {
  autopilotEmulator,
  clockAt,
  holdUploadJobPoll,
  unpinClock,
  uploadedLists,
  uploads,
  writeAutopilotConfig,
  writeList,
  writeModel,
} from "./fixture.ts";

/**
 * Issue 91's week bench, Friday's kill: the next run re-drives the killed run's upload, then
 * pushes the rest of the same plan. The records the killed run held for their debt were sent as
 * a second list because their siblings' record ids had been dialled on an earlier day's list: the
 * push took a dial of the record id anywhere as the outcome of the record on today's list, so two
 * numbers of a debt were live at once and one was dialled after the other's conversation
 * (Regulation F). A record's outcome is now read on the list it was sent in.
 */
let emulator: RunningCxoneEmulator;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-autopilot-kill-dialled-"));
const file = (name: string) => path.join(dir, name);

const env = (at: string) => ({ ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo"), ...clockAt(at) });
const args = ["--config", file("cxo.config.yaml"), "--json", "autopilot", "run", "--once"];

beforeAll(async () => {
  ({ emulator, skillId } = await autopilotEmulator());
  writeModel(file("model.json"), skillId, (hour) => 40 + hour * 5);
  writeList(file("list.csv"), [
    ["r1", "+12125557501", "ACC-1"],
    ["r1b", "+12125557511", "ACC-1"],
    ["r2", "+13035557503", "ACC-2"],
    ["r2b", "+13035557513", "ACC-2"],
  ]);
  const paths = { list: file("list.csv"), model: file("model.json") };
  writeAutopilotConfig(file("cxo.config.yaml"), { skillId, ...paths, morning: "07:00", evening: "22:45" });
}, 60_000);

afterAll(async () => {
  unpinClock();
  await emulator?.close();
});

describe("cxo autopilot run --once killed mid-push, the debts' numbers dialled on an earlier day's list", () => {
  it("the next run keeps the held siblings held (a dial on yesterday's list is not today's outcome): one list a day", async () => {
    // Monday: the morning push (one number per debt), dialled, nobody answers.
    const monday = await runCli(args, env("2026-12-07T07:05:00-05:00"), { cwd: dir, timeoutMs: 90_000 });
    expect(monday.code, monday.stderr).toBe(0);
    const [first] = await uploadedLists(emulator);
    await adminCall(emulator.url, "POST", `/lists/${first}/dial`, {
      until: "2026-12-07T23:00:00-05:00",
      answer: "none",
    });
    const dialled = (await adminCall(emulator.url, "GET", `/lists/${first}/dials`)) as {
      dials: Array<{ externalId: string }>;
    };
    expect(dialled.dials.length).toBeGreaterThan(0);

    // Tuesday: the morning run killed once its upload reached CXone.
    const before = await uploads(emulator);
    const held = await holdUploadJobPoll(emulator);
    const killed = spawnCli(args, env("2026-12-08T07:05:00-05:00"));
    await waitUntil(() => held.met(), {
      what: "Tuesday's morning push waiting on its upload job (the upload sent)",
      timeoutMs: 60_000,
    });
    expect(await uploads(emulator)).toBe(before + 1);
    killed.child.kill("SIGKILL");
    await killed.exit;
    await held.release();
    expect(await uploadedLists(emulator)).toHaveLength(2);

    // The next run finishes the killed run's list; the siblings it held stay held, pending there.
    const next = await runCli(args, env("2026-12-08T08:05:00-05:00"), { cwd: dir, timeoutMs: 90_000 });
    expect(next.code, next.stderr).toBe(0);
    const run = JSON.parse(next.stdout) as {
      campaigns: Array<{ steps: Array<{ step: string; text: string }> }>;
    };
    const push = run.campaigns[0]?.steps.find((s) => s.step === "push")?.text;
    expect(push).toMatch(/record\(s\) on list \d+ \((resumed|store)\)/);
    expect(push).toMatch(/[1-9]\d* held for their debt/);
    expect(await uploadedLists(emulator)).toHaveLength(2);
  }, 180_000);
});
