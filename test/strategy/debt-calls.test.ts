import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { accessKeyEnv, accessKeySettings, cxoneApiGet } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * Every call of a debt counted, everywhere, across days (Regulation F, 12 CFR 1006.14(b)(2)):
 * the account a number was read for is kept in the store, and a push, a plan, `compliance check
 * --account` and a scrub count the same calls — the dials on every list cxo pushed, CXone's
 * completed contacts, imported touches and the history given to a plan. And an agent's "Do Not
 * Call" on one number of a collections debt stops the debt. Production emulator, the clock pinned
 * day by day (no wall-clock waits); each case its own data dir.
 */
const HOUR = 3_600_000;
let emulator: RunningCxoneEmulator;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-debt-calls-"));
const file = (name: string) => path.join(dir, name);

/** A collections plan row as `strategy plan` writes it (one attempt, a 59-minute window). */
const row = (recordId: string, phone: string, accountId: string, attemptAt: string) => ({
  recordId,
  phone,
  accountId,
  attemptAt,
  zone: "America/New_York",
  slot: 10,
  attempt: 1,
  estimate: 0.125,
  interval: [0.1, 0.15],
  ruledOut: [],
  campaign: skillId,
  staleMinutes: 59,
  kind: "collections",
});

const clientFor = (dataDir: string): InternalClient =>
  createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(emulator)),
    rateLimits: GENEROUS_LIMITS,
    dataDir,
  });

/** Pins the clock at `iso` for `work`, then puts it back (a test runs several days this way). */
async function on<T>(iso: string, work: () => Promise<T>): Promise<T> {
  const clock = pinClock(iso);
  try {
    return await work();
  } finally {
    clock.restore();
  }
}

/** The emulator's list dialer run to `until`, every dial answered (`all`) or none. */
const dial = (listId: string, until: string, answer: "all" | "none") =>
  adminCall(emulator.url, "POST", `/lists/${listId}/dial`, { until, timing: "early", answer });

async function cli(dataDir: string, args: string[]): Promise<CliResult> {
  const env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: dataDir, ...cliClockEnv() };
  const [result] = (await runCliBatch([{ args, env, cwd: dir }], 1)) as [CliResult];
  return result;
}

/** How many calling lists the platform holds (a push that sends nothing makes none). */
async function listCount(): Promise<number> {
  const all = (await cxoneApiGet(emulator, "/lists/call-lists")) as { callingLists?: unknown[] };
  return all.callingLists?.length ?? 0;
}

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 89,
    contacts: 20,
    days: 1,
    uploadJobPolls: 1,
    knobs: { listDialRules: "timing-only" },
  })) as RunningCxoneEmulator;
  await adminCall(emulator.url, "POST", "/knobs", { warehouseLagS: 0 });
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)
      ?.skillId,
  );
  // 09:00 local answers best on every day: a plan from 08:00 New York takes 09:00.
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) counts.add(["state"], { state: "ZZ" }, s, 400, s % 24 === 9 ? 300 : 8);
  writeFileSync(file("model.json"), JSON.stringify(buildModel(counts, { campaign: skillId })));
  writeFileSync(file("cxo.config.yaml"), "http:\n  rateLimitScale: 100\n");
}, 60_000);

afterAll(async () => {
  await emulator?.close();
});

describe("a conversation on one number of a debt (Regulation F, 1006.14(b)(2)(i)(B))", () => {
  it("Monday R1 answered; Tuesday R2 of the same account is not pushed, and the check refuses it", async () => {
    const dataDir = file(".cxo-monday-tuesday");
    const client = clientFor(dataDir);
    const R1 = "+12125558901";
    const R2 = "+13125558902";
    try {
      await on("2026-12-07T09:30:00-05:00", async () => {
        const monday = await client.strategy.push([row("r1", R1, "ACC-R", "2026-12-07T11:00:00-05:00")], {
          campaign: skillId,
        });
        expect(monday).toMatchObject({ records: 1, source: "created" });
        await dial(monday.listId, "2026-12-07T13:00:00-05:00", "all");
        const [attempt] = await client.strategy.attempts(monday.listId).toArray();
        expect(attempt?.agentId).toBeDefined();
      });
      await on("2026-12-08T09:30:00-05:00", async () => {
        const before = await listCount();
        await expect(
          client.strategy.push([row("r2", R2, "ACC-R", "2026-12-08T11:00:00-05:00")], { campaign: skillId }),
        ).rejects.toThrow(/reg_f_after_conversation/);
        expect(await listCount()).toBe(before);
        const check = await cli(dataDir, [
          "--json",
          "compliance",
          "check",
          "--phone",
          R2,
          "--account",
          "ACC-R",
          "--consent",
          "yes",
          "--at",
          "2026-12-08T11:00:00-05:00",
        ]);
        expect(check.code, check.stderr).toBe(0);
        const verdict = JSON.parse(check.stdout);
        expect(verdict.allowed).toBe(false);
        const regF = verdict.reasons.find((r: { code: string }) => r.code === "reg_f_after_conversation");
        expect(regF?.citation).toMatch(/Regulation F/);
      });
    } finally {
      await client.close();
    }
  }, 120_000);
});

describe("the history given to a plan counts toward the debt's 7 calls in 7 days, at the push too", () => {
  it("6 calls in the history's previous 6 days: the 7th goes out, no 8th in 7 days on day 7", async () => {
    const dataDir = file(".cxo-seven");
    const H1 = "+12125558911";
    const H2 = "+12125558912";
    const day7 = "2026-12-14T08:00:00-05:00";
    // Six unanswered calls to H1 on the six days before (11:00 New York).
    const history = [6, 5, 4, 3, 2, 1].map((back) =>
      JSON.stringify({
        campaignId: skillId,
        startTime: new Date(Date.parse("2026-12-14T11:00:00-05:00") - back * 24 * HOUR).toISOString(),
        phoneNumber: H1,
        dispositionCode: "NO_ANSWER",
        agentId: null,
        durationSeconds: 0,
      }),
    );
    writeFileSync(file("seven.history.ndjson"), `${history.join("\n")}\n`);
    writeFileSync(file("seven.list.csv"), `recordId,phone,accountId,consent\nh1,${H1},ACC-H,true\n`);
    await on(day7, async () => {
      const planned = await cli(dataDir, [
        "--json",
        "strategy",
        "plan",
        "--list",
        file("seven.list.csv"),
        "--model",
        file("model.json"),
        "--campaign",
        skillId,
        "--kind",
        "collections",
        "--history",
        file("seven.history.ndjson"),
        "--from",
        day7,
        "--days",
        "1",
        "--out",
        file("seven.plan.ndjson"),
      ]);
      expect(planned.code, planned.stderr).toBe(0);
      expect(JSON.parse(planned.stdout).planned).toBe(1);
      const pushed = await cli(dataDir, [
        "--json",
        "strategy",
        "push",
        "--plan",
        file("seven.plan.ndjson"),
        "--campaign",
        skillId,
      ]);
      expect(pushed.code, pushed.stderr).toBe(0);
      const seventh = JSON.parse(pushed.stdout);
      expect(seventh.records).toBe(1);
      expect(Date.parse(JSON.parse(readFileSync(file("seven.plan.ndjson"), "utf8").trim()).attemptAt)).toBe(
        Date.parse("2026-12-14T09:00:00-05:00"),
      );
      await dial(seventh.listId, "2026-12-14T12:00:00-05:00", "none");
    });
    // Later on day 7: another list of the debt, its other number by hand — the 8th call in 7 days.
    await on("2026-12-14T12:30:00-05:00", async () => {
      writeFileSync(
        file("eighth.plan.ndjson"),
        `${JSON.stringify(row("h2", H2, "ACC-H", "2026-12-14T15:00:00-05:00"))}\n`,
      );
      const eighth = await cli(dataDir, [
        "--json",
        "strategy",
        "push",
        "--plan",
        file("eighth.plan.ndjson"),
        "--campaign",
        skillId,
      ]);
      expect(eighth.code, eighth.stdout).toBe(2);
      expect(eighth.stderr).toMatch(/reg_f_7_in_7/);
    });
  }, 120_000);
});

describe("an agent's Do Not Call on one number of a collections debt stops the debt", () => {
  it("the other number is refused by the check, not planned and not pushed", async () => {
    const dataDir = file(".cxo-agent-dnc");
    const client = clientFor(dataDir);
    const D2 = "+13125558922";
    try {
      let D1 = "";
      const model = JSON.parse(readFileSync(file("model.json"), "utf8"));
      const list = () => [
        { recordId: "d1", phone: D1, accountId: "ACC-D", consent: true },
        { recordId: "d2", phone: D2, accountId: "ACC-D", consent: true },
      ];
      await on("2026-12-07T09:30:00-05:00", async () => {
        // A live call on the skill, to the debt's first number.
        const { contacts } = (await adminCall(emulator.url, "POST", `/skills/${skillId}/contacts`, {
          count: 1,
        })) as { contacts: Array<{ contactId: number }> };
        const contactId = String(contacts[0]?.contactId);
        D1 = (await client.port.dispositions.getCall(contactId)).phone as string;
        // The plan reads the debt's two numbers (and that the skill dials collections).
        const first = await client.strategy.plan(list(), model, {
          campaign: skillId,
          kind: "collections",
          from: "2026-12-07T10:00:00-05:00",
          days: 2,
        });
        expect(first.rows.map((r) => r.recordId)).toContain("d2");
        // The agent says "Do Not Call" on D1's call, which then ends.
        await client.port.dispositions.setCallDisposition(contactId, { dispositionCodeId: "56", tags: [] });
        await adminCall(emulator.url, "POST", `/contacts/${contactId}/end`);
      });
      // Ten minutes on: the dispositions' last read is stale, the next command reads them again.
      await on("2026-12-07T09:45:00-05:00", async () => {
        const check = await client.compliance.check({
          phone: D2,
          at: "2026-12-07T11:00:00-05:00",
          consent: true,
        });
        expect(check.allowed).toBe(false);
        expect(check.reasons.map((r) => r.code)).toContain("consent_revoked");
        const again = await client.strategy.plan(list(), model, {
          campaign: skillId,
          kind: "collections",
          from: "2026-12-07T10:00:00-05:00",
          days: 2,
        });
        expect(again.rows).toEqual([]);
        await expect(
          client.strategy.push([row("d2", D2, "ACC-D", "2026-12-07T13:00:00-05:00")], { campaign: skillId }),
        ).rejects.toThrow(/consent_revoked/);
      });
    } finally {
      await client.close();
    }
  }, 120_000);
});

describe("a letter for an account first listed mid-week (issue 100)", () => {
  it("recorded on Monday for an account no list names yet; Wednesday's list names it: not planned, not pushed, the other debts are", async () => {
    const dataDir = file(".cxo-letter-mid-week");
    const [L1, L2, M1] = ["+12125558951", "+13125558952", "+12125558953"];
    await on("2026-12-07T09:30:00-05:00", async () => {
      const letter = await cli(dataDir, [
        "--json",
        "consent",
        "revoke",
        "--account",
        "ACC-L",
        "--channel",
        "mail",
      ]);
      expect(letter.code, letter.stderr).toBe(0);
      expect(JSON.parse(letter.stdout).accountNotices).toMatchObject([{ account: "ACC-L", kind: "unseen" }]);
    });
    writeFileSync(
      file("wednesday.list.csv"),
      `recordId,phone,accountId,consent\nl1,${L1},ACC-L,true\nl2,${L2},ACC-L,true\nm1,${M1},ACC-M,true\n`,
    );
    await on("2026-12-09T08:00:00-05:00", async () => {
      const planned = await cli(dataDir, [
        "--json",
        "strategy",
        "plan",
        "--list",
        file("wednesday.list.csv"),
        "--model",
        file("model.json"),
        "--campaign",
        skillId,
        "--kind",
        "collections",
        "--from",
        "2026-12-09T08:00:00-05:00",
        "--days",
        "1",
        "--out",
        file("wednesday.plan.ndjson"),
      ]);
      expect(planned.code, planned.stderr).toBe(0);
      const rows = readFileSync(file("wednesday.plan.ndjson"), "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).recordId);
      expect(rows).toEqual(["m1"]);
      const pushed = await cli(dataDir, [
        "--json",
        "strategy",
        "push",
        "--plan",
        file("wednesday.plan.ndjson"),
        "--campaign",
        skillId,
      ]);
      expect(pushed.code, pushed.stderr).toBe(0);
      expect(JSON.parse(pushed.stdout).records).toBe(1);
      // A hand-made plan naming the debt's numbers is refused whole (a row that breaks a rule by itself).
      writeFileSync(
        file("by-hand.plan.ndjson"),
        `${JSON.stringify(row("l2", L2, "ACC-L", "2026-12-09T11:00:00-05:00"))}\n`,
      );
      const byHand = await cli(dataDir, [
        "--json",
        "strategy",
        "push",
        "--plan",
        file("by-hand.plan.ndjson"),
        "--campaign",
        skillId,
      ]);
      expect(byHand.code, byHand.stdout).toBe(2);
      expect(byHand.stderr).toMatch(/consent_revoked/);
      for (const phone of [L1, L2]) {
        const check = await cli(dataDir, [
          "--json",
          "compliance",
          "check",
          "--phone",
          phone,
          "--consent",
          "yes",
        ]);
        expect(JSON.parse(check.stdout).reasons.map((r: { code: string }) => r.code)).toContain(
          "consent_revoked",
        );
      }
    });
  }, 120_000);
});

describe("one number given two debts in one file (issue 100; shared-number-cli.test.ts has the rest)", () => {
  it("a plan list: planned as one record for both debts, both remembered", async () => {
    const dataDir = file(".cxo-two-accounts");
    writeFileSync(
      file("two.list.csv"),
      "recordId,phone,accountId,consent\nt1,+12125558931,ACC-1,true\nt2,+12125558932,ACC-2,true\nt3,+12125558931,ACC-3,true\n",
    );
    await on("2026-12-07T09:30:00-05:00", async () => {
      const planned = await cli(dataDir, [
        "strategy",
        "plan",
        "--list",
        file("two.list.csv"),
        "--model",
        file("model.json"),
        "--kind",
        "collections",
        "--from",
        "2026-12-07T10:00:00-05:00",
        "--days",
        "1",
        "--out",
        file("two.plan.ndjson"),
      ]);
      expect(planned.code, planned.stderr).toBe(0);
      const rows = readFileSync(file("two.plan.ndjson"), "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(rows.filter((r) => r.phone === "+12125558931")).toMatchObject([
        { recordId: "t1", accountIds: ["ACC-1", "ACC-3"] },
      ]);
      // Both pairs kept: a revocation of the second debt is not of an account cxo never read.
      const revoke = await cli(dataDir, ["consent", "revoke", "--account", "ACC-3"]);
      expect(revoke.code, revoke.stderr).toBe(0);
      expect(revoke.stdout).not.toMatch(/not seen yet/);
    });
  }, 60_000);

  it("a consent.agentDoNotCall that is not number or account: exit 2 naming the setting", async () => {
    const bad = mkdtempSync(path.join(tmpdir(), "cxo-agent-dnc-setting-"));
    writeFileSync(path.join(bad, "cxo.config.yaml"), "consent:\n  agentDoNotCall: debt\n");
    const env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: path.join(bad, ".cxo"), ...cliClockEnv() };
    const [result] = (await runCliBatch(
      [{ args: ["compliance", "check", "--phone", "+12125558941"], env, cwd: bad }],
      1,
    )) as [CliResult];
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/consent\.agentDoNotCall/);
    expect(result.stderr).toMatch(/number or account/);
  });
});
