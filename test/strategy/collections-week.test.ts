import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CheckInput,
  checkDials,
  type Dial,
  emulatorListDials,
  type PriorCall,
  type Revocation,
} from "../../bench/dial-checker/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { accessKeyEnv, cxoneApi } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { pinClock } from "../support/pinned-clock.ts";
import { type CliResult, runCli } from "../support/run-cli.ts";

/**
 * Issue 89's Goals: an unattended collections week on the production emulator, ten days from a
 * Monday, run by the cron of docs/strategy.md's unattended recipe exactly as written there (the
 * daily plan-and-push at 07:00 on weekdays, `consent honour` and `strategy watch` every 5 minutes,
 * here at the 5-minute slots that follow each event and at 06:55 each day: between events they
 * find nothing to do), each command with CXO_CLOCK set to its cron instant. A weekday-only skill
 * (the emulator's default schedule: 09:00–20:00 Eastern, Monday to Friday), accounts of one to
 * four numbers, a history with calls and a conversation, the emulator's seeded answers
 * (conversations), a supervisor raising the retries right after Tuesday's push (and again on
 * Thursday at 11:03, while the dialer runs) and switching the schedule off right after Wednesday's,
 * an agent's "Do Not Call" on one number of a two-number
 * debt, a letter revoking a debt and an SMS STOP on one number. Every dial the emulator made is
 * then judged by the independent checker (bench/dial-checker): 0 violations; every weekday's cron
 * exits 0; each drift is in the audit. Under the list dialer's three timings.
 */
const BU_ZONE = "America/New_York";
const MONDAY = DateTime.fromISO("2026-12-07T00:00:00", { zone: BU_ZONE });
const DAYS = 10;

/** The scenario's numbers: each called party's zone and state as the scenario places them. */
const ACCOUNTS: Array<{ accountId: string; numbers: Array<[phone: string, zone: string, state: string]> }> = [
  { accountId: "A01", numbers: [["+12125558111", "America/New_York", "NY"]] },
  {
    accountId: "A02",
    numbers: [
      ["+13055558121", "America/New_York", "FL"],
      ["+17865558122", "America/New_York", "FL"],
    ],
  },
  {
    accountId: "A03",
    numbers: [
      ["+14055558131", "America/Chicago", "OK"],
      ["+12145558132", "America/Chicago", "TX"],
      ["+13125558133", "America/Chicago", "IL"],
    ],
  },
  {
    accountId: "A04",
    numbers: [
      ["+14105558141", "America/New_York", "MD"],
      ["+12135558142", "America/Los_Angeles", "CA"],
      ["+17185558143", "America/New_York", "NY"],
      ["+19545558144", "America/New_York", "FL"],
    ],
  },
  { accountId: "A05", numbers: [["+14155558151", "America/Los_Angeles", "CA"]] },
  {
    accountId: "A06",
    numbers: [
      ["+13125558161", "America/Chicago", "IL"],
      ["+17735558162", "America/Chicago", "IL"],
    ],
  },
  { accountId: "A07", numbers: [["+16025558171", "America/Phoenix", "AZ"]] },
  {
    accountId: "A08",
    numbers: [
      ["+12065558181", "America/Los_Angeles", "WA"],
      ["+15035558182", "America/Los_Angeles", "OR"],
    ],
  },
  { accountId: "A09", numbers: [["+17135558191", "America/Chicago", "TX"]] },
  {
    accountId: "A10",
    numbers: [
      ["+14045558201", "America/New_York", "GA"],
      ["+17045558202", "America/New_York", "NC"],
    ],
  },
  { accountId: "A11", numbers: [["+13035558211", "America/Denver", "CO"]] },
  {
    accountId: "A12",
    numbers: [
      ["+19185558221", "America/Chicago", "OK"],
      ["+13015558222", "America/New_York", "MD"],
    ],
  },
];
const DNC_AGENT = "+13055558121"; // A02's first number: the agent's "Do Not Call"
const SMS_STOP = "+17045558202"; // A10's second number

/** An instant of the week: day `d` (0 = Monday) at `hhmm` in the business unit's zone. */
const at = (d: number, hhmm: string): string => {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return MONDAY.plus({ days: d }).set({ hour: h, minute: m }).toISO() as string;
};
const weekday = (d: number) => MONDAY.plus({ days: d }).weekday <= 5;

/** Calls before the week: a debt called on each of the 6 days before, and a conversation on Friday. */
function historyRows(skillId: string): Array<PriorCall & { row: Record<string, unknown> }> {
  const call = (phone: string, iso: string, conversation: boolean) => ({
    phone,
    at: iso,
    conversation,
    row: {
      campaignId: skillId,
      startTime: new Date(Date.parse(iso)).toISOString(),
      phoneNumber: phone,
      dispositionCode: conversation ? "CALLBACK_REQUESTED" : "NO_ANSWER",
      agentId: conversation ? 1001 : null,
      durationSeconds: conversation ? 240 : 0,
    },
  });
  return [
    ...[-6, -5, -4, -3, -2, -1].map((d) => call("+14155558151", at(d, "13:00"), false)),
    call("+13125558161", at(-3, "16:00"), true),
    call("+12125558111", at(-4, "10:30"), false),
    call("+14105558141", at(-2, "11:15"), false),
    call("+19185558221", at(-1, "12:00"), false),
  ];
}

/** A model whose answer rate peaks in the evening, local (the planner reaches for the late hours). */
function writeModel(file: string, skillId: string): void {
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) {
    const hour = s % 24;
    const rpc = hour >= 17 && hour <= 19 ? 140 : hour >= 10 && hour <= 12 ? 90 : 25;
    counts.add(["state"], { state: "ZZ" }, s, 400, rpc);
  }
  writeFileSync(file, JSON.stringify(buildModel(counts, { campaign: skillId })));
}

/** The cron lines of docs/strategy.md's unattended recipe, read from the docs (not copied). */
function recipe(): { every5: string[][]; daily: string[][] } {
  const docs = readFileSync(path.resolve(import.meta.dirname, "../../docs/strategy.md"), "utf8");
  const block = docs.slice(docs.indexOf("The unattended recipe"));
  const sh = (block.match(/```sh\n([\s\S]*?)```/) as RegExpMatchArray)[1] as string;
  const lines = sh
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .filter(Boolean);
  const commands = (line: string) =>
    line
      .replace(/#.*$/, "")
      .replace(/^\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+/, "")
      .split("&&")
      .map((c) => c.trim().split(/\s+/).slice(1));
  return {
    every5: lines.filter((l) => l.startsWith("*/5")).flatMap(commands),
    daily: lines.filter((l) => l.startsWith("0 7 * * 1-5")).flatMap(commands),
  };
}

interface WeekRun {
  emulator: RunningCxoneEmulator;
  skillId: string;
  dir: string;
  cronRuns: Array<{ day: number; args: string[]; result: CliResult }>;
  revocations: Revocation[];
  liveCalls: PriorCall[];
  /** The supervisor's changes: when, and what cxo's watch must do about each. */
  drifts: Array<{ at: string; action: "restore-retry" | "remove-records" }>;
}

const runs: WeekRun[] = [];
afterAll(async () => {
  for (const run of runs) await run.emulator.close();
});

/** One command of the recipe, its file names and the campaign filled in, on the clock at `iso`. */
async function cron(run: WeekRun, args: string[], iso: string): Promise<CliResult> {
  const fill: Record<string, string> = {
    L: path.join(run.dir, "list.csv"),
    M: path.join(run.dir, "model.json"),
    H: path.join(run.dir, "history.ndjson"),
    703: run.skillId,
  };
  const filled = args.map((a) => fill[a] ?? a);
  const env = { ...accessKeyEnv(run.emulator), CXO_DATA_DIR: path.join(run.dir, ".cxo"), CXO_CLOCK: iso };
  return runCli(filled, env, { cwd: run.dir, timeoutMs: 60_000 });
}

/** Pins this process's clock (the emulator's) at `iso` and moves every list's dialer on to it. */
async function until(run: WeekRun, iso: string, timing: string): Promise<void> {
  pinned?.restore();
  pinned = pinClock(iso);
  const { callingLists } = (await adminCall(run.emulator.url, "GET", "/fixtures")) as {
    callingLists: Array<{ listId: number; skillIds: number[] }>;
  };
  for (const list of callingLists.filter((l) => l.skillIds.length > 0))
    await adminCall(run.emulator.url, "POST", `/lists/${list.listId}/dial`, { until: iso, timing });
}
let pinned: ReturnType<typeof pinClock> | undefined;

async function setUp(timing: string): Promise<WeekRun> {
  pinned = pinClock(at(-1, "20:00"));
  const emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 89,
    contacts: 20,
    days: 1,
    uploadJobPolls: 1,
    knobs: { listDialTiming: timing as "early" },
  })) as RunningCxoneEmulator;
  await adminCall(emulator.url, "POST", "/knobs", { warehouseLagS: 0 });
  const skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)
      ?.skillId,
  );
  const dir = mkdtempSync(path.join(tmpdir(), `cxo-week-${timing}-`));
  // The recipe's configuration: the consent group every revocation is added to (it scrubs the skill).
  const group = emulator.fixtures.dncGroups.find(
    (g) => g.isActive && g.scrubbedSkillIds.includes(Number(skillId)),
  );
  expect(group, "an active DNC group scrubbing the skill").toBeDefined();
  writeFileSync(
    path.join(dir, "cxo.config.yaml"),
    `http:\n  rateLimitScale: 100\nconsent:\n  cxoneDncGroup: "${group?.dncGroupId}"\n`,
  );
  writeModel(path.join(dir, "model.json"), skillId);
  const history = historyRows(skillId);
  writeFileSync(
    path.join(dir, "history.ndjson"),
    `${history.map((h) => JSON.stringify(h.row)).join("\n")}\n`,
  );
  const rows = ACCOUNTS.flatMap((a) =>
    a.numbers.map(([phone, , state], i) => `${a.accountId}-${i + 1},${phone},${state},${a.accountId},true`),
  );
  writeFileSync(path.join(dir, "list.csv"), `recordId,phone,state,accountId,consent\n${rows.join("\n")}\n`);
  const run: WeekRun = { emulator, skillId, dir, cronRuns: [], revocations: [], liveCalls: [], drifts: [] };
  runs.push(run);
  return run;
}

/** The day's events, by instant (business unit's zone): what happens besides the cron. */
function eventsOf(run: WeekRun, d: number): Array<{ hhmm: string; act: () => Promise<void> }> {
  const api = (method: string, route: string, body: unknown) => cxoneApi(run.emulator, method, route, body);
  const events: Array<{ hhmm: string; act: () => Promise<void> }> = [];
  if (d === 1) {
    // A letter asking the agency to stop calling about A09's debt, logged at 06:40.
    events.push({
      hhmm: "06:40",
      act: async () => {
        const revoked = await cron(
          run,
          ["consent", "revoke", "--account", "A09", "--channel", "mail"],
          at(d, "06:40"),
        );
        expect(revoked.code, revoked.stderr).toBe(0);
        run.revocations.push({ at: at(d, "06:40"), scope: "account", accountId: "A09", channel: "letter" });
      },
    });
    // The supervisor raises the retries right after the push: 5 attempts every 10 minutes.
    events.push({
      hhmm: "07:02",
      act: async () => {
        await api("PUT", `/skills/${run.skillId}/parameters/retry-settings`, {
          retrySettings: { maximumAttempts: 5, minimumRetryMinutes: 10, loadNonFresh: true },
        });
        run.drifts.push({ at: at(d, "07:02"), action: "restore-retry" });
      },
    });
    // An agent's "Do Not Call" on A02's first number (a call on the skill), honoured as account.
    events.push({
      hhmm: "08:50",
      act: async () => {
        const { contacts } = (await adminCall(run.emulator.url, "POST", `/skills/${run.skillId}/contacts`, {
          count: 1,
          phone: DNC_AGENT,
        })) as { contacts: Array<{ contactId: number }> };
        const contactId = contacts[0]?.contactId as number;
        await api("POST", `/contacts/${contactId}/set-disposition`, {
          dispositionInfo: { skill: run.skillId, dispositionCode: "56", notes: "asked not to be called" },
        });
        await adminCall(run.emulator.url, "POST", `/contacts/${contactId}/end`);
        run.liveCalls.push({ phone: DNC_AGENT, at: at(d, "08:50"), conversation: true });
        run.revocations.push({ at: at(d, "08:50"), scope: "account", accountId: "A02", channel: "agent" });
      },
    });
  }
  if (d === 2) {
    // The supervisor switches the weekly schedule off right after Wednesday's push.
    events.push({
      hhmm: "07:02",
      act: async () => {
        await api("PUT", `/skills/${run.skillId}/parameters/schedule-settings`, {
          scheduleSettings: { isScheduled: false },
        });
        run.drifts.push({ at: at(d, "07:02"), action: "remove-records" });
      },
    });
    // An SMS STOP on A10's second number in the afternoon.
    events.push({
      hhmm: "13:02",
      act: async () => {
        const revoked = await cron(
          run,
          ["consent", "revoke", "--phone", SMS_STOP, "--channel", "sms", "--at", at(d, "13:02")],
          at(d, "13:02"),
        );
        expect(revoked.code, revoked.stderr).toBe(0);
        run.revocations.push({ at: at(d, "13:02"), scope: "tenant", phone: SMS_STOP, channel: "sms" });
      },
    });
  }
  if (d === 3) {
    // Thursday, mid-morning while the dialer runs: the supervisor raises the retries again.
    events.push({
      hhmm: "11:03",
      act: async () => {
        await api("PUT", `/skills/${run.skillId}/parameters/retry-settings`, {
          retrySettings: { maximumAttempts: 4, minimumRetryMinutes: 10, loadNonFresh: true },
        });
        run.drifts.push({ at: at(d, "11:03"), action: "restore-retry" });
      },
    });
  }
  return events;
}

/** The 5-minute slot at or after `hhmm`. */
const nextSlot = (hhmm: string): string => {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  const minutes = Math.ceil((h * 60 + m + 1) / 5) * 5;
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
};

async function runWeek(run: WeekRun, timing: string): Promise<void> {
  const { every5, daily } = recipe();
  const every5Run = async (d: number, hhmm: string) => {
    for (const args of every5) {
      const result = await cron(run, args, at(d, hhmm));
      run.cronRuns.push({ day: d, args, result });
    }
  };
  for (let d = 0; d < DAYS; d++) {
    const steps: Array<{ hhmm: string; act: () => Promise<void> }> = [
      { hhmm: "06:55", act: () => every5Run(d, "06:55") },
    ];
    if (weekday(d))
      steps.push({
        hhmm: "07:00",
        act: async () => {
          for (const args of daily) {
            const result = await cron(run, args, at(d, "07:00"));
            run.cronRuns.push({ day: d, args, result });
            if (result.code !== 0) break; // `&&`: the push runs only after a plan that exited 0
          }
        },
      });
    for (const event of eventsOf(run, d)) {
      steps.push(event);
      const slot = nextSlot(event.hhmm);
      steps.push({ hhmm: slot, act: () => every5Run(d, slot) });
    }
    steps.sort((a, b) => a.hhmm.localeCompare(b.hhmm));
    for (const step of steps) {
      await until(run, at(d, step.hhmm), timing);
      await step.act();
    }
    await until(run, at(d, "23:59"), timing);
  }
}

function checkerInput(run: WeekRun, dials: Dial[]): CheckInput {
  const weekdays = { start: "09:00", end: "20:00" };
  return {
    numbers: ACCOUNTS.flatMap((a) => a.numbers.map(([phone, zone, state]) => ({ phone, zone, state }))),
    accounts: ACCOUNTS.map((a) => ({ accountId: a.accountId, phones: a.numbers.map(([p]) => p) })),
    history: [...historyRows(run.skillId).map(({ row: _row, ...call }) => call), ...run.liveCalls],
    dials,
    revocations: run.revocations,
    schedule: {
      zone: BU_ZONE,
      weekly: { 1: weekdays, 2: weekdays, 3: weekdays, 4: weekdays, 5: weekdays },
      defaultHours: { start: "09:00", end: "20:00" },
      changes: run.drifts.map((c) => c.at),
      graceMinutes: 10,
    },
  };
}

describe.each(["early", "late", "random"])("a collections week under %s timing", (timing) => {
  it("0 violations by the independent checker, the cron exits 0 every weekday, every drift audited", async () => {
    const started = performance.now();
    const run = await setUp(timing);
    try {
      await runWeek(run, timing);
    } finally {
      pinned?.restore();
      pinned = undefined;
    }
    const failed = run.cronRuns
      .filter((c) => c.result.code !== 0)
      .map(
        (c) =>
          `day ${c.day} ${c.args.slice(0, 2).join(" ")}: exit ${c.result.code} ${c.result.stderr}${c.result.stdout}`,
      );
    if (process.env.CXO_WEEK_DEBUG)
      for (const c of run.cronRuns)
        process.stderr.write(
          `day ${c.day} ${c.args.join(" ")} → ${c.result.code}\n${c.result.stdout}${c.result.stderr}\n`,
        );
    expect(failed).toEqual([]);
    const pushes = run.cronRuns.filter((c) => c.args[1] === "push");
    expect(pushes).toHaveLength([...Array(DAYS).keys()].filter(weekday).length);

    const dials = await emulatorListDials(run.emulator.url);
    const violations = checkDials(checkerInput(run, dials));
    expect(violations).toEqual([]);
    // Not a vacuous week: dials on most weekdays, conversations among them, none on the weekend.
    expect(dials.length).toBeGreaterThan(20);
    expect(dials.some((d) => d.conversation)).toBe(true);

    const audit = await cron(run, ["audit", "export"], at(DAYS, "06:00"));
    expect(audit.code, audit.stderr).toBe(0);
    const drifts = audit.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { operation: string; time: string; details: { action?: string } })
      .filter((r) => r.operation === "strategy.skill-drift");
    // Each change acted on by the watch within 10 minutes, as the docs' recipe runs it.
    for (const change of run.drifts)
      expect(
        drifts.some(
          (r) =>
            r.details.action === change.action &&
            Date.parse(r.time) >= Date.parse(change.at) &&
            Date.parse(r.time) - Date.parse(change.at) <= 10 * 60_000,
        ),
        `${change.action} after ${change.at}: ${JSON.stringify(drifts)}`,
      ).toBe(true);
    process.stderr.write(
      `collections week (${timing}): ${dials.length} dials, ${Math.round(performance.now() - started)} ms\n`,
    );
  });
});
