import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AutopilotCampaignStatus } from "../../src/autopilot/status.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { type CliResult, runCli } from "../support/run-cli.ts";
import { autopilotEmulator, writeAutopilotConfig, writeList, writeModel } from "./fixture.ts";

/**
 * `cxo autopilot run --once` from cron through one collections day on the production emulator,
 * the clock pinned at each run (issue 91 §2): before the morning only consent and the skill are
 * looked at; at the morning the list is planned for what the skill can dial and pushed, one
 * record of a two-number debt held; its sibling dialled unanswered, the next run plans and pushes
 * the held record; in the evening the day report is written to the store, `status` and a file.
 * Every write is audited as the person at the terminal acting as `autopilot`.
 */
let emulator: RunningCxoneEmulator;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-autopilot-"));
const file = (name: string) => path.join(dir, name);
const dataDir = file(".cxo");

const LIST: Array<[string, string]> = [
  ["+12125557501", "ACC-1"],
  ["+13125557502", "ACC-1"],
  ["+13035557503", "ACC-2"],
  ["+12155557504", "ACC-3"],
];

async function cxo(at: string, args: string[]): Promise<CliResult> {
  const clock = pinClock(at);
  try {
    const env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: dataDir, ...cliClockEnv() };
    return await runCli(["--config", file("cxo.config.yaml"), ...args], env, { cwd: dir, timeoutMs: 90_000 });
  } finally {
    clock.restore();
  }
}

async function runOnce(at: string) {
  const result = await cxo(at, ["--json", "autopilot", "run", "--once"]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as {
    campaigns: Array<{ campaign: string; steps: Array<{ step: string; ok: boolean; text: string }> }>;
  };
}

async function status(at: string): Promise<AutopilotCampaignStatus> {
  const result = await cxo(at, ["--json", "autopilot", "status"]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { campaigns: AutopilotCampaignStatus[] })
    .campaigns[0] as AutopilotCampaignStatus;
}

beforeAll(async () => {
  ({ emulator, skillId } = await autopilotEmulator());
  // 10:00 and 11:00 local answer best: the morning's plan takes them; the re-plan, the afternoon.
  writeModel(file("model.json"), skillId, (hour) => ([10, 11].includes(hour) ? 300 : 8));
  writeList(
    file("list.csv"),
    LIST.map(([phone, account], i) => [`r${i + 1}`, phone, account] as const),
  );
  const paths = { list: file("list.csv"), model: file("model.json"), reportDir: file("reports") };
  // One dial a record a day: the day's figures below are the held record's (through-the-day.test.ts
  // covers the unanswered records planned again).
  writeAutopilotConfig(file("cxo.config.yaml"), {
    skillId,
    ...paths,
    morning: "07:00",
    evening: "22:45",
    retryUnanswered: 0,
  });
}, 60_000);

afterAll(async () => {
  await emulator?.close();
});

describe("cxo autopilot run --once through a collections day", () => {
  it("plans and pushes at the morning, re-plans the held record after its sibling's outcome, reports in the evening", async () => {
    // 06:00: before the morning, only consent and the skill.
    const early = await runOnce("2026-12-07T06:00:00-05:00");
    expect(early.campaigns[0]?.steps.map((s) => s.step)).toEqual(["watch"]);
    expect((await status("2026-12-07T06:01:00-05:00")).next).toMatchObject({
      step: "plan",
      at: "2026-12-07T07:00:00-05:00",
    });

    // 07:05: the morning's plan and push; one record of ACC-1 held for its debt.
    const morning = await runOnce("2026-12-07T07:05:00-05:00");
    const steps = morning.campaigns[0]?.steps ?? [];
    expect(steps.map((s) => s.step)).toEqual(["watch", "plan", "push"]);
    expect(steps.every((s) => s.ok)).toBe(true);
    const afterMorning = await status("2026-12-07T07:06:00-05:00");
    expect(afterMorning.today).toMatchObject({ pushed: 3, heldWaiting: 1, refused: 0 });
    const [firstList] = afterMorning.today?.lists ?? [];
    expect(firstList).toBeDefined();

    // The morning's records dialled, none answered: the held record's sibling has its outcome.
    await adminCall(emulator.url, "POST", `/lists/${firstList}/dial`, {
      until: "2026-12-07T14:00:00-05:00",
      timing: "early",
      answer: "none",
    });
    const noon = await runOnce("2026-12-07T14:05:00-05:00");
    const replan = noon.campaigns[0]?.steps.find((s) => s.step === "replan");
    expect(replan?.text).toMatch(/1 held record\(s\) planned again/);
    // Planned for today only (before the evening): a record planned for tomorrow's best hour
    // would sit on today's list, unseen by tomorrow's morning plan (issue 91's week bench).
    const replanFile = readdirSync(path.join(dataDir, "autopilot")).find((f) => f.endsWith("-replan.ndjson"));
    const replanned = readFileSync(path.join(dataDir, "autopilot", replanFile ?? ""), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { attemptAt: string });
    expect(replanned.length).toBeGreaterThan(0);
    for (const row of replanned)
      expect(Date.parse(row.attemptAt)).toBeLessThan(Date.parse("2026-12-07T22:45:00-05:00"));
    const afterNoon = await status("2026-12-07T14:06:00-05:00");
    expect(afterNoon.today).toMatchObject({ pushed: 4, heldWaiting: 0 });
    const lists = afterNoon.today?.lists ?? [];
    expect(lists).toHaveLength(2);
    await adminCall(emulator.url, "POST", `/lists/${lists[1]}/dial`, {
      until: "2026-12-07T22:45:00-05:00",
      timing: "early",
      answer: "none",
    });

    // 22:50: the day report, in the store (status), and in the report directory.
    const evening = await runOnce("2026-12-07T22:50:00-05:00");
    expect(evening.campaigns[0]?.steps.map((s) => s.step)).toContain("report");
    const report = (await status("2026-12-07T22:51:00-05:00")).lastReport;
    // The emulator's own record of the day's dials on both lists (the re-planned record may be
    // planned for the next morning, its best hour: then it is pushed today, dialled tomorrow).
    const dials = [];
    for (const listId of lists)
      dials.push(
        ...((await adminCall(emulator.url, "GET", `/lists/${listId}/dials`)) as { dials: unknown[] }).dials,
      );
    expect(dials.length).toBeGreaterThanOrEqual(3);
    expect(report).toMatchObject({
      campaign: skillId,
      date: "2026-12-07",
      planned: 5,
      pushed: 4,
      dialled: dials.length,
      answered: 0,
      recordsReached: dials.length,
      held: { total: 1, replanned: 1, dropped: 0, waiting: 0 },
    });
    // The evidence of every dial CXone made on the day's lists, beside the report (issue 92 §1):
    // one replayable record a dial, none not allowed.
    expect(report?.evidence).toMatchObject({ attempts: dials.length, notAllowed: 0 });
    expect(report?.evidence?.files).toHaveLength(2);
    const verify = await cxo("2026-12-07T22:52:00-05:00", [
      "--json",
      "compliance",
      "evidence",
      "--verify",
      report?.evidence?.files[0] ?? "",
    ]);
    expect(verify.code, verify.stderr).toBe(0);
    const files = readdirSync(file("reports")).filter((f) => !f.endsWith("-evidence.ndjson"));
    expect(files).toEqual([`2026-12-07-${skillId}.json`]);
    expect(JSON.parse(readFileSync(file(`reports/${files[0]}`), "utf8"))).toMatchObject({
      pushed: 4,
      dialled: dials.length,
    });
    expect((await status("2026-12-07T22:55:00-05:00")).next).toMatchObject({
      step: "plan",
      at: "2026-12-08T07:00:00-05:00",
    });

    // `cxo why` on the autopilot's campaign after its day: no advice to re-plan or push by hand
    // (a person would race the autopilot); what it does itself is said as such.
    const why = await cxo("2026-12-07T22:56:00-05:00", ["--json", "why", "--campaign", skillId]);
    const diagnosis = JSON.parse(why.stdout) as {
      summary: string;
      causes: Array<{ code: string; fix: string }>;
    };
    expect(diagnosis.causes.length, why.stdout).toBeGreaterThan(0);
    expect(diagnosis.summary).not.toMatch(/re-plan|strategy (plan|push)|push the plan/);
    for (const cause of diagnosis.causes.filter((c) =>
      /expired|exhausted|max_attempts|non_fresh|stale/.test(c.code),
    ))
      expect(cause.fix).toMatch(/the autopilot/);

    // Every write the runs made is audited as the terminal's person acting as `autopilot`.
    const db = new DatabaseSync(path.join(dataDir, "cxo.sqlite"), { readOnly: true });
    try {
      const actors = db.prepare("SELECT DISTINCT actor FROM audit_log").all() as Array<{ actor: string }>;
      expect(actors.length).toBeGreaterThan(0);
      for (const { actor } of actors) expect(actor).toMatch(/^cli:.+ as autopilot/);
    } finally {
      db.close();
    }
  });

  it("refuses bad input before anything runs: an unknown kind (exit 2, naming it), nothing sent", async () => {
    const bad = file("bad.config.yaml");
    writeFileSync(
      bad,
      `service: { timeZone: America/New_York }\nautopilot:\n  campaigns:\n    - { campaign: "${skillId}", kind: outreach, morning: "7am", list: x.csv, model: m.json }\n`,
    );
    await adminCall(emulator.url, "DELETE", "/requests");
    const result = await runCli(["--config", bad, "autopilot", "run", "--once"], {
      ...accessKeyEnv(emulator),
      CXO_DATA_DIR: file(".cxo-bad"),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/autopilot\.campaigns\.0\.kind|autopilot\.campaigns\[0\]\.kind/);
    expect(existsSync(file(".cxo-bad/autopilot"))).toBe(false);
    const log = (await adminCall(emulator.url, "GET", "/requests")) as { requests: unknown[] };
    expect(log.requests).toEqual([]);
  });
});
