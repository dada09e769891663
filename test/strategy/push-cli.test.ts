import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { planRowSchema } from "../../src/strategy/plan-format.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * Issue 55 §3 end to end, offline, through the real CLI on the production emulator: learn →
 * plan (from a list file, and from the platform's list by id) → push → the emulator's dialer
 * dials every record no earlier than its planned time → `cxo strategy attempts` reads the dials
 * back. Bad plans (a missing column, another campaign, an attemptAt without offset) exit 2
 * naming the field, and no list is created or uploaded for them (request log). Two CLI processes
 * in all: the jobs of each run one after another in one process.
 */
let emulator: RunningCxoneEmulator;
let skillId = "";
let seededList = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-push-cli-"));
const file = (name: string) => path.join(dir, name);
let env: Record<string, string>;
let first: CliResult[];

/** The clock is pinned (pinClock, and the `cxo` runs with it): a Monday 05:00 New York, the plan's start. */
const from = new Date("2026-12-07T10:00:00Z");
let clock: ReturnType<typeof pinClock>;

/**
 * The skill dials around the clock: the plan's times are the subject here, not the skill's
 * weekly schedule (weekdays 09:00–20:00 by default, which the emulator's dialer honours).
 */
async function unschedule(skill: string) {
  const key = emulator.fixtures.accessKeys[0]!;
  const { clientId, clientSecret } = emulator.fixtures.client;
  const login = await fetch(`${emulator.url}/auth/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
    },
    body: new URLSearchParams({
      grant_type: "password",
      username: key.accessKeyId,
      password: key.accessKeySecret,
    }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  const put = await fetch(
    `${emulator.url}/inContactAPI/services/v33.0/skills/${skill}/parameters/schedule-settings`,
    {
      method: "PUT",
      headers: { authorization: `Bearer ${login.access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ scheduleSettings: { isScheduled: false } }),
    },
  );
  if (put.status !== 200) throw new Error(`schedule-settings: ${put.status}`);
}

const jobs = () => {
  const plan = (out: string, list = file("list.csv")) => [
    "--json",
    "strategy",
    "plan",
    "--list",
    list,
    "--model",
    file("model.json"),
    "--campaign",
    skillId,
    "--from",
    from.toISOString().replace(".000Z", "Z"),
    "--days",
    "1",
    "--out",
    file(out),
  ];
  const push = (planFile: string, extra: string[] = []) => [
    "--json",
    "strategy",
    "push",
    "--plan",
    file(planFile),
    "--campaign",
    skillId,
    ...extra,
  ];
  return [
    [
      "strategy",
      "learn",
      "--campaign",
      skillId,
      "--history",
      file("hist.ndjson"),
      "--out",
      file("model.json"),
    ],
    plan("plan.ndjson"),
    plan("plan-from-platform.ndjson", seededList),
    push("plan.ndjson", ["--list-name", "e2e week"]),
    push("no-time.ndjson"),
    push("other-campaign.ndjson"),
    push("no-offset.csv"),
  ];
};

beforeAll(async () => {
  clock = pinClock(from.toISOString());
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 41,
    contacts: 100,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  const f = emulator.fixtures;
  skillId = String(f.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId);
  await unschedule(skillId);
  // The smallest seeded list: planning it is the point, not its size.
  const smallest = [...f.callingLists].sort((a, b) => a.size - b.size)[0]!;
  seededList = String(smallest.listId);
  env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo"), ...cliClockEnv() };
  const history = [0, 1, 2, 3, 4, 5].map((i) => ({
    campaignId: skillId,
    startTime: new Date(Date.UTC(2026, 9, 5 + i, 23, 30)).toISOString(),
    phoneNumber: `+1312555020${i}`,
    dispositionCode: i % 2 ? "NO_ANSWER" : "CONVERTED",
    agentId: i % 2 ? null : "A1",
  }));
  writeFileSync(file("hist.ndjson"), `${history.map((r) => JSON.stringify(r)).join("\n")}\n`);
  writeFileSync(
    file("list.csv"),
    "recordId,phone,state,consent\nr1,+13125552101,IL,true\nr2,+13055552102,FL,yes\nr3,+12065552103,WA,true\n",
  );
  const row = {
    recordId: "x1",
    phone: "+13125553101",
    attemptAt: "2026-12-07T15:00:00-06:00",
    attempt: 1,
    estimate: 0.1,
    campaign: "",
  };
  const { attemptAt: _t, ...noTime } = row;
  writeFileSync(file("no-time.ndjson"), `${JSON.stringify({ ...noTime, campaign: skillId })}\n`);
  writeFileSync(file("other-campaign.ndjson"), `${JSON.stringify({ ...row, campaign: "424242" })}\n`);
  writeFileSync(
    file("no-offset.csv"),
    `recordId,phone,attemptAt,attempt,estimate\nx1,+13125553101,2026-12-07T15:00:00,1,0.1\n`,
  );
  await adminCall(emulator.url, "DELETE", "/requests");
  first = await runCliBatch(
    jobs().map((args) => ({ args, env, cwd: dir })),
    1,
  );
}, 180_000);
afterAll(async () => {
  clock?.restore();
  await emulator?.close();
});

describe("cxo strategy push on the production emulator", () => {
  it("learns, plans (from a file and from the platform's list), pushes, and refuses bad plans naming the field", () => {
    const [learn, plan, planFromPlatform, push, noTime, otherCampaign, noOffset] = first as CliResult[] &
      Record<number, CliResult>;
    expect(learn!.code, learn!.stderr).toBe(0);
    expect(plan!.code, plan!.stderr).toBe(0);
    expect(planFromPlatform!.code, planFromPlatform!.stderr).toBe(0);
    // The platform's list (by id) is read and planned like a file's.
    expect(JSON.parse(planFromPlatform!.stdout).records).toBe(
      emulator.fixtures.callingLists.find((l) => String(l.listId) === seededList)!.size,
    );
    expect(push!.code, push!.stderr).toBe(0);
    expect(JSON.parse(push!.stdout)).toMatchObject({ records: 3, listName: "e2e week", source: "created" });
    for (const [result, field] of [
      [noTime, "attemptAt"],
      [otherCampaign, "campaign"],
      [noOffset, "attemptAt"],
    ] as const) {
      expect(result!.code, result!.stderr).toBe(2);
      expect(result!.stderr).toMatch(new RegExp(`^error: row 1, ${field}: `));
      expect(result!.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("the emulator dials each record no earlier than its planned time; attempts read back", async () => {
    const log = (
      (await adminCall(emulator.url, "GET", "/requests")) as {
        requests: Array<{ method: string; path: string }>;
      }
    ).requests;
    // One list and one upload: the three bad plans sent nothing.
    expect(log.filter((r) => r.method === "POST" && /\/lists\/call-lists$/.test(r.path))).toHaveLength(1);
    expect(log.filter((r) => r.method === "POST" && /\/upload$/.test(r.path))).toHaveLength(1);
    const listId = JSON.parse((first[3] as CliResult).stdout).listId as string;
    const rows = readFileSync(file("plan.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => planRowSchema.parse(JSON.parse(l)));
    expect(rows.every((r) => r.campaign === skillId)).toBe(true);
    const firstAt = Math.min(...rows.map((r) => Date.parse(r.attemptAt)));
    // Just before the first planned hour: nothing dialled yet.
    const early = (await adminCall(emulator.url, "POST", `/lists/${listId}/dial`, {
      until: new Date(firstAt - 60_000).toISOString(),
    })) as { attempts: number; waiting: number };
    expect(early).toMatchObject({ attempts: 0, waiting: 3 });
    await adminCall(emulator.url, "POST", `/lists/${listId}/dial`, {
      until: new Date(from.getTime() + 8 * 86_400_000).toISOString(),
    });
    const [read] = await runCliBatch(
      [{ args: ["--json", "strategy", "attempts", "--list", listId], env, cwd: dir }],
      1,
    );
    expect(read!.code, read!.stderr).toBe(0);
    const attempts = JSON.parse(read!.stdout).attempts as Array<{
      recordId: string;
      at: string;
      phone: string;
      deliveredAsCallback: boolean;
    }>;
    expect(attempts.map((a) => a.recordId).sort()).toEqual(["r1", "r2", "r3"]);
    for (const attempt of attempts) {
      const planned = rows.find((r) => r.recordId === attempt.recordId && r.attempt === 1)!;
      expect(Date.parse(attempt.at)).toBeGreaterThanOrEqual(Date.parse(planned.attemptAt));
      expect(Date.parse(attempt.at)).toBeLessThan(Date.parse(planned.attemptAt) + 3_600_000);
      expect(attempt.deliveredAsCallback).toBe(false);
      expect(attempt.phone).toBe(planned.phone);
    }
  });
});
