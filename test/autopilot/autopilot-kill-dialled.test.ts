import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli, spawnCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";

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

const env = (at: string) => ({ ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo"), CXO_CLOCK: at });
const args = ["--config", file("cxo.config.yaml"), "--json", "autopilot", "run", "--once"];

async function uploads(): Promise<number> {
  const log = (await adminCall(emulator.url, "GET", "/requests")) as {
    requests: Array<{ method: string; path?: string; url?: string }>;
  };
  return log.requests.filter((r) => r.method === "POST" && /\/upload$/.test(r.path ?? r.url ?? "")).length;
}

async function uploadedLists(): Promise<number[]> {
  const fixtures = (await adminCall(emulator.url, "GET", "/fixtures")) as {
    callingLists: Array<{ listId: number; skillIds?: number[] }>;
  };
  const seeded = new Set(emulator.fixtures.callingLists.map((l) => l.listId));
  return fixtures.callingLists.map((l) => l.listId).filter((id) => !seeded.has(id));
}

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 91,
    contacts: 20,
    days: 1,
    uploadJobPolls: 1,
    knobs: { listDialRules: "timing-only" },
  })) as RunningCxoneEmulator;
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)
      ?.skillId,
  );
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) counts.add(["state"], { state: "ZZ" }, s, 400, 40 + (s % 24) * 5);
  writeFileSync(file("model.json"), JSON.stringify(buildModel(counts, { campaign: skillId })));
  writeFileSync(
    file("list.csv"),
    "recordId,phone,accountId,consent\nr1,+12125557501,ACC-1,true\nr1b,+12125557511,ACC-1,true\nr2,+13035557503,ACC-2,true\nr2b,+13035557513,ACC-2,true\n",
  );
  writeFileSync(
    file("cxo.config.yaml"),
    `http:\n  rateLimitScale: 100\nservice:\n  timeZone: America/New_York\nautopilot:\n  campaigns:\n    - campaign: "${skillId}"\n      kind: collections\n      morning: "07:00"\n      evening: "22:45"\n      list: ${file("list.csv")}\n      model: ${file("model.json")}\n`,
  );
}, 60_000);

afterAll(async () => {
  await emulator?.close();
});

describe("cxo autopilot run --once killed mid-push, the debts' numbers dialled on an earlier day's list", () => {
  it("the next run keeps the held siblings held (a dial on yesterday's list is not today's outcome): one list a day", async () => {
    // Monday: the morning push (one number per debt), dialled, nobody answers.
    const monday = await runCli(args, env("2026-12-07T07:05:00-05:00"), { cwd: dir, timeoutMs: 90_000 });
    expect(monday.code, monday.stderr).toBe(0);
    const [first] = await uploadedLists();
    await adminCall(emulator.url, "POST", `/lists/${first}/dial`, {
      until: "2026-12-07T23:00:00-05:00",
      answer: "none",
    });
    const dialled = (await adminCall(emulator.url, "GET", `/lists/${first}/dials`)) as {
      dials: Array<{ externalId: string }>;
    };
    expect(dialled.dials.length).toBeGreaterThan(0);

    // Tuesday: the morning run killed once its upload reached CXone.
    const before = await uploads();
    const killed = spawnCli(args, env("2026-12-08T07:05:00-05:00"));
    await waitUntil(async () => (await uploads()) > before, {
      what: "Tuesday's morning upload",
      timeoutMs: 60_000,
    });
    killed.child.kill("SIGKILL");
    await killed.exit;
    expect(await uploadedLists()).toHaveLength(2);

    // The next run finishes the killed run's list; the siblings it held stay held, pending there.
    const next = await runCli(args, env("2026-12-08T08:05:00-05:00"), { cwd: dir, timeoutMs: 90_000 });
    expect(next.code, next.stderr).toBe(0);
    const run = JSON.parse(next.stdout) as {
      campaigns: Array<{ steps: Array<{ step: string; text: string }> }>;
    };
    const push = run.campaigns[0]?.steps.find((s) => s.step === "push")?.text;
    expect(push).toMatch(/record\(s\) on list \d+ \((resumed|store)\)/);
    expect(push).toMatch(/[1-9]\d* held for their debt/);
    expect(await uploadedLists()).toHaveLength(2);
  }, 180_000);
});
