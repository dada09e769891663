import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { InputError } from "../../src/core/input-error.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { accessKeyEnv, accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * One number, several debts (issue 100), from the CLI and the SDK against the production emulator:
 * a household line listed for three of a person's debts is planned and pushed as one record that
 * names every debt (the emulator's dial of it carries them: its `Debts` field), and each call to
 * it counts toward every debt that lists it — a call about debt A to a number debt B shares is one
 * of B's calls too (12 CFR 1006.14(b)(2), the CFPB's commentary). Bad input — one number given a
 * sales household and a debt, an account id empty or over 128 characters — is exit 2 (an
 * InputError from the SDK) with nothing sent. The clock pinned day by day; each case its own data dir.
 */
let emulator: RunningCxoneEmulator;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-shared-number-"));
const file = (name: string) => path.join(dir, name);
const HOUSEHOLD = "+13125558961";
const MOBILE = "+13125558962";

const clientFor = (dataDir: string): InternalClient =>
  createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(emulator)),
    rateLimits: GENEROUS_LIMITS,
    dataDir,
  });

async function on<T>(iso: string, work: () => Promise<T>): Promise<T> {
  const clock = pinClock(iso);
  try {
    return await work();
  } finally {
    clock.restore();
  }
}

async function cli(dataDir: string, args: string[]): Promise<CliResult> {
  const env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: dataDir, ...cliClockEnv() };
  const [result] = (await runCliBatch([{ args, env, cwd: dir }], 1)) as [CliResult];
  return result;
}

/** Every request the emulator received since the log was last emptied (token requests too). */
async function requestsSince(): Promise<Array<{ method: string; path: string }>> {
  return (
    (await adminCall(emulator.url, "GET", "/requests")) as {
      requests: Array<{ method: string; path: string }>;
    }
  ).requests;
}
const forgetRequests = () => adminCall(emulator.url, "DELETE", "/requests");

/** A collections plan row as `strategy plan` writes it (one attempt, a 59-minute window). */
const row = (recordId: string, phone: string, accountId: string, attemptAt: string, over: object = {}) => ({
  recordId,
  phone,
  accountId,
  attemptAt,
  zone: "America/Chicago",
  slot: 10,
  attempt: 1,
  estimate: 0.125,
  interval: [0.1, 0.15],
  ruledOut: [],
  campaign: skillId,
  staleMinutes: 59,
  kind: "collections",
  ...over,
});

/** Seven calls about a debt on `phone` this week (touches, each naming the debt). */
function sevenCalls(name: string, phone: string, account: string): string {
  const lines = ["phone,at,channel,account"];
  for (let i = 0; i < 7; i++)
    lines.push(
      `${phone},${new Date(Date.parse("2026-12-02T15:00:00Z") + i * 6 * 3_600_000).toISOString()},call,${account}`,
    );
  writeFileSync(file(name), `${lines.join("\n")}\n`);
  return file(name);
}

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 100,
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
  // 10:00 local answers best on every day.
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) counts.add(["state"], { state: "ZZ" }, s, 400, s % 24 === 10 ? 300 : 8);
  writeFileSync(file("model.json"), JSON.stringify(buildModel(counts, { campaign: skillId })));
  writeFileSync(file("cxo.config.yaml"), "http:\n  rateLimitScale: 100\n");
}, 60_000);

afterAll(async () => {
  await emulator?.close();
});

describe("a household number on three debts, from the CLI", () => {
  it("plans and pushes one record naming the three debts; its one dial is a call about each", async () => {
    const dataDir = file(".cxo-household");
    writeFileSync(
      file("household.list.csv"),
      [
        "recordId,phone,accountId,consent",
        `h1,${HOUSEHOLD},DEBT-1,true`,
        `h2,${HOUSEHOLD},DEBT-2,true`,
        `m1,${MOBILE},DEBT-1,true`,
        `h3,${HOUSEHOLD},DEBT-3,true`,
      ].join("\n"),
    );
    await on("2026-12-07T07:30:00-06:00", async () => {
      // The old code refused this file: "one number has one account in a file".
      const planned = await cli(dataDir, [
        "--json",
        "strategy",
        "plan",
        "--list",
        file("household.list.csv"),
        "--model",
        file("model.json"),
        "--campaign",
        skillId,
        "--kind",
        "collections",
        "--from",
        "2026-12-07T08:00:00-06:00",
        "--days",
        "1",
        "--out",
        file("household.plan.ndjson"),
      ]);
      expect(planned.code, planned.stderr).toBe(0);
      const summary = JSON.parse(planned.stdout);
      expect(summary).toMatchObject({ records: 2, sharedNumbers: { numbers: 1, rows: 2 } });
      const rows = readFileSync(file("household.plan.ndjson"), "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      const household = rows.filter((r) => r.phone === HOUSEHOLD);
      expect(household).toHaveLength(1);
      expect(household[0]).toMatchObject({ recordId: "h1", accountIds: ["DEBT-1", "DEBT-2", "DEBT-3"] });
      const pushed = await cli(dataDir, [
        "--json",
        "strategy",
        "push",
        "--plan",
        file("household.plan.ndjson"),
        "--campaign",
        skillId,
        "--fit-skill",
      ]);
      expect(pushed.code, pushed.stderr).toBe(0);
      const push = JSON.parse(pushed.stdout);
      // One record per debt per list: the household record takes DEBT-1, so DEBT-1's mobile waits.
      expect(push.records + push.later + push.heldForAccount).toBe(2);
      expect(push.heldForAccount + push.later).toBeGreaterThanOrEqual(1);
      await adminCall(emulator.url, "POST", `/lists/${push.listId}/dial`, {
        until: "2026-12-07T20:00:00-06:00",
        timing: "early",
        answer: "all",
      });
      const { dials } = (await adminCall(emulator.url, "GET", `/lists/${push.listId}/dials`)) as {
        dials: Array<{ externalId: string; phone: string; debts?: string[] }>;
      };
      expect(dials).toHaveLength(1);
      expect(dials[0]).toMatchObject({
        externalId: "h1",
        phone: HOUSEHOLD,
        debts: ["DEBT-1", "DEBT-2", "DEBT-3"],
      });
    });
    // The next day: the conversation on the line was about each debt (Regulation F: 7 days after it).
    await on("2026-12-08T07:30:00-06:00", async () => {
      for (const [phone, account] of [
        [HOUSEHOLD, "DEBT-3"],
        [MOBILE, "DEBT-1"],
      ] as const) {
        const check = await cli(dataDir, [
          "--json",
          "compliance",
          "check",
          "--phone",
          phone,
          "--account",
          account,
          "--consent",
          "yes",
          "--at",
          "2026-12-08T10:00:00-06:00",
        ]);
        expect(check.code, check.stderr).toBe(0);
        const verdict = JSON.parse(check.stdout);
        expect(verdict.allowed, `${phone} ${account}`).toBe(false);
        expect(verdict.reasons.map((r: { code: string }) => r.code)).toContain("reg_f_after_conversation");
      }
      const again = await cli(dataDir, [
        "--json",
        "strategy",
        "plan",
        "--list",
        file("household.list.csv"),
        "--model",
        file("model.json"),
        "--campaign",
        skillId,
        "--kind",
        "collections",
        "--from",
        "2026-12-08T08:00:00-06:00",
        "--days",
        "1",
        "--out",
        file("household2.plan.ndjson"),
      ]);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout).planned).toBe(0);
    });
  }, 180_000);
});

describe("a call about one debt counts toward every debt of its number", () => {
  it("7 calls in 7 days about DEBT-A to the line refuse a call about DEBT-B to it (push, check)", async () => {
    const dataDir = file(".cxo-seven-shared");
    const client = clientFor(dataDir);
    try {
      await on("2026-12-04T10:00:00-06:00", async () => {
        const imported = await cli(dataDir, [
          "touches",
          "import",
          "--file",
          sevenCalls("a.touches.csv", HOUSEHOLD, "DEBT-A"),
        ]);
        expect(imported.code, imported.stderr).toBe(0);
        // The old code counted calls naming DEBT-A for DEBT-A alone: B's call went out.
        await expect(
          client.strategy.push([row("b1", HOUSEHOLD, "DEBT-B", "2026-12-04T13:00:00-06:00")], {
            campaign: skillId,
          }),
        ).rejects.toThrow(/reg_f_7_in_7/);
        const check = await cli(dataDir, [
          "--json",
          "compliance",
          "check",
          "--phone",
          HOUSEHOLD,
          "--account",
          "DEBT-B",
          "--kind",
          "collections",
          "--consent",
          "yes",
          "--at",
          "2026-12-04T13:00:00-06:00",
        ]);
        expect(check.code, check.stderr).toBe(0);
        expect(JSON.parse(check.stdout).reasons.map((r: { code: string }) => r.code)).toContain(
          "reg_f_7_in_7",
        );
      });
    } finally {
      await client.close();
    }
  }, 120_000);

  it("a record of several debts is refused when a cap of any of them refuses it (SDK push)", async () => {
    const dataDir = file(".cxo-any-debt");
    const client = clientFor(dataDir);
    try {
      await on("2026-12-04T10:00:00-06:00", async () => {
        // DEBT-A's 7 calls were to its own mobile; the line is DEBT-B's and DEBT-A's.
        const imported = await cli(dataDir, [
          "touches",
          "import",
          "--file",
          sevenCalls("m.touches.csv", MOBILE, "DEBT-A"),
        ]);
        expect(imported.code, imported.stderr).toBe(0);
        const shared = row("b1", HOUSEHOLD, "DEBT-B", "2026-12-04T13:00:00-06:00", {
          accountIds: ["DEBT-B", "DEBT-A"],
        });
        // The old code judged the first debt alone.
        await expect(client.strategy.push([shared], { campaign: skillId })).rejects.toThrow(/reg_f_7_in_7/);
        const alone = await client.strategy.push(
          [row("b1", HOUSEHOLD, "DEBT-B", "2026-12-04T13:00:00-06:00")],
          {
            campaign: skillId,
          },
        );
        expect(alone.records).toBe(1);
      });
    } finally {
      await client.close();
    }
  }, 120_000);
});

describe("bad input: exit 2, nothing sent", () => {
  it("a list giving one number a sales household and a debt: both rows named", async () => {
    const dataDir = file(".cxo-kinds");
    writeFileSync(
      file("kinds.list.csv"),
      [
        "recordId,phone,accountId,consent,kind",
        `k1,${MOBILE},DEBT-9,true,collections`,
        `k2,${HOUSEHOLD},HOUSE-7,true,sales`,
        `k3,+13125558963,DEBT-8,true,collections`,
        `k4,${HOUSEHOLD},DEBT-7,true,collections`,
      ].join("\n"),
    );
    await forgetRequests();
    await on("2026-12-07T07:30:00-06:00", async () => {
      const planned = await cli(dataDir, [
        "strategy",
        "plan",
        "--list",
        file("kinds.list.csv"),
        "--model",
        file("model.json"),
        "--campaign",
        skillId,
        "--kind",
        "collections",
        "--from",
        "2026-12-07T08:00:00-06:00",
        "--days",
        "1",
        "--out",
        file("kinds.plan.ndjson"),
      ]);
      expect(planned.code, planned.stderr).toBe(2);
      expect(planned.stderr).toMatch(/row 4, accountId/);
      expect(planned.stderr).toMatch(/row 2/);
      expect(planned.stderr).toMatch(/HOUSE-7/);
      expect(planned.stderr).toMatch(/DEBT-7/);
    });
    expect(await requestsSince()).toEqual([]);
  }, 60_000);

  it("a plan giving one number a sales household and a debt: push refuses both rows", async () => {
    const dataDir = file(".cxo-kinds-push");
    writeFileSync(
      file("kinds.plan.ndjson"),
      [
        row("k2", HOUSEHOLD, "HOUSE-7", "2026-12-07T13:00:00-06:00", { kind: "sales" }),
        row("k4", HOUSEHOLD, "DEBT-7", "2026-12-07T14:00:00-06:00"),
      ]
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
    await forgetRequests();
    await on("2026-12-07T07:30:00-06:00", async () => {
      const pushed = await cli(dataDir, [
        "strategy",
        "push",
        "--plan",
        file("kinds.plan.ndjson"),
        "--campaign",
        skillId,
      ]);
      expect(pushed.code, pushed.stderr).toBe(2);
      expect(pushed.stderr).toMatch(/row 2, accountId/);
      expect(pushed.stderr).toMatch(/row 1/);
    });
    expect(await requestsSince()).toEqual([]);
  }, 60_000);

  it("an account id of spaces or over 128 characters, in a list or a plan", async () => {
    const dataDir = file(".cxo-ids");
    const long = "A".repeat(129);
    writeFileSync(
      file("long.list.csv"),
      `recordId,phone,accountId,consent\nl1,${MOBILE},DEBT-1,true\nl2,${HOUSEHOLD},${long},true\n`,
    );
    writeFileSync(file("blank.list.csv"), `recordId,phone,accountId,consent\nl1,${MOBILE},"   ",true\n`);
    writeFileSync(
      file("blank.plan.ndjson"),
      `${JSON.stringify(row("p1", HOUSEHOLD, "DEBT-1", "2026-12-07T13:00:00-06:00", { accountIds: ["DEBT-1", ""] }))}\n`,
    );
    await forgetRequests();
    await on("2026-12-07T07:30:00-06:00", async () => {
      const plan = (list: string) =>
        cli(dataDir, [
          "strategy",
          "plan",
          "--list",
          file(list),
          "--model",
          file("model.json"),
          "--campaign",
          skillId,
          "--kind",
          "collections",
          "--from",
          "2026-12-07T08:00:00-06:00",
          "--days",
          "1",
          "--out",
          file(`${list}.plan.ndjson`),
        ]);
      const tooLong = await plan("long.list.csv");
      expect(tooLong.code, tooLong.stderr).toBe(2);
      expect(tooLong.stderr).toMatch(/row 2, accountId: .*at most 128/);
      const blank = await plan("blank.list.csv");
      expect(blank.code, blank.stderr).toBe(2);
      expect(blank.stderr).toMatch(/row 1, accountId: is empty/);
      const pushed = await cli(dataDir, [
        "strategy",
        "push",
        "--plan",
        file("blank.plan.ndjson"),
        "--campaign",
        skillId,
      ]);
      expect(pushed.code, pushed.stderr).toBe(2);
      expect(pushed.stderr).toMatch(/row 1, accountIds/);
    });
    expect(await requestsSince()).toEqual([]);
  }, 60_000);

  it("the SDK: an InputError naming accountId, before anything is sent", async () => {
    const dataDir = file(".cxo-sdk-ids");
    const client = clientFor(dataDir);
    const model = JSON.parse(readFileSync(file("model.json"), "utf8"));
    await forgetRequests();
    try {
      await on("2026-12-07T07:30:00-06:00", async () => {
        const params = {
          campaign: skillId,
          kind: "collections" as const,
          from: "2026-12-07T08:00:00-06:00",
          days: 1,
        };
        const empty = await client.strategy
          .plan([{ recordId: "s1", phone: HOUSEHOLD, accountId: "", consent: true }], model, params)
          .catch((error: unknown) => error);
        expect(empty).toBeInstanceOf(InputError);
        expect((empty as InputError).problems[0]).toMatchObject({ field: "accountId", row: 1 });
        const kinds = await client.strategy
          .plan(
            [
              {
                recordId: "s1",
                phone: HOUSEHOLD,
                accountId: "HOUSE-1",
                consent: true,
                columns: { kind: "sales" },
              },
              { recordId: "s2", phone: HOUSEHOLD, accountId: "DEBT-1", consent: true },
            ],
            model,
            params,
          )
          .catch((error: unknown) => error);
        // The second row's kind is the plan's (collections): the number is both.
        expect(kinds).toBeInstanceOf(InputError);
        expect((kinds as InputError).message).toMatch(/row 1/);
      });
      expect(await requestsSince()).toEqual([]);
    } finally {
      await client.close();
    }
  }, 60_000);
});
