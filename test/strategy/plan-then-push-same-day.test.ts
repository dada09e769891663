import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { accessKeyEnv, cxoneApi } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * The daily cron as the docs give it — `strategy plan --campaign S --kind collections --history H`
 * then `strategy push --fit-skill` — on a weekday-only skill with hours narrower than the law's:
 * the push accepts the plan whole (exit 0, nothing refused, nothing blocked), started at several
 * instants of the week: before the day opens, midday, a Friday evening (the weekend closed), a
 * Saturday morning (nothing dialable until Monday), a Sunday night. Before, the CLI planned on the
 * law alone (08:00 and 20:00 local, weekends) and the push refused the plan every day, exit 2.
 * Each start has its own data dir; the clock is pinned (the `cxo` runs share it).
 */
/** Where the day's list is empty (the skill dials nothing within the next day), the push waits. */
const STARTS = [
  ["Monday before the day opens", "2026-12-07T06:30:00-05:00", "created"],
  ["Wednesday midday", "2026-12-02T13:10:00-05:00", "created"],
  ["Friday evening", "2026-12-04T18:30:00-05:00", "waiting"],
  ["Saturday morning", "2026-12-05T08:00:00-05:00", "waiting"],
  ["Sunday night", "2026-12-06T22:45:00-05:00", "created"],
] as const;
/** Accounts of one to three numbers, in every mainland zone, Florida's two-zone 850 and Arizona. */
const LIST: Array<[string, string]> = [
  ["+12125557401", "ACC-1"],
  ["+13125557402", "ACC-2"],
  ["+13035557403", "ACC-3"],
  ["+12135557404", "ACC-4"],
  ["+18505557405", "ACC-5"],
  ["+16025557406", "ACC-6"],
  ["+17185557407", "ACC-6"],
  ["+14155557408", "ACC-7"],
  ["+16175557409", "ACC-7"],
  ["+12145557410", "ACC-7"],
];
let emulator: RunningCxoneEmulator;
let skillId = "";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-plan-push-day-"));
const file = (name: string) => path.join(dir, name);

/** Unanswered calls of the week before `start` (legal hours, no conversation), counted by plan. */
function historyBefore(start: string): string {
  const at = DateTime.fromISO(start, { setZone: true });
  const lines: string[] = [];
  for (const [i, [phone]] of LIST.slice(0, 6).entries())
    for (const daysBack of [2, 4])
      lines.push(
        JSON.stringify({
          campaignId: skillId,
          startTime: at
            .minus({ days: daysBack })
            .set({ hour: 11 + (i % 4), minute: 0 })
            .toUTC()
            .toISO(),
          phoneNumber: phone,
          dispositionCode: "NO_ANSWER",
          agentId: null,
          durationSeconds: 0,
        }),
      );
  return `${lines.join("\n")}\n`;
}

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 89,
    contacts: 20,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")?.skillId,
  );
  // Hours narrower than the law's per zone, and a weekly schedule (read in the business unit's
  // zone, Eastern) of weekdays only, opening late on Monday and closing early on Friday.
  await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/time-zones`, {
    timeZoneSettings: [
      { standardName: "Eastern", startTime: "09:00", endTime: "19:00" },
      { standardName: "Central", startTime: "10:00", endTime: "19:00" },
      { standardName: "Mountain", startTime: "09:00", endTime: "18:00" },
      { standardName: "Pacific", startTime: "09:00", endTime: "20:00" },
    ],
  });
  await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/schedule-settings`, {
    scheduleSettings: { mondayStartTime: "10:00", fridayEndTime: "18:00" },
  });
  // 08:00 and 20:00 local answer best, every day: hours the law allows and this skill never dials.
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++)
    counts.add(["state"], { state: "ZZ" }, s, 400, [8, 20].includes(s % 24) ? 300 : 8);
  writeFileSync(file("model.json"), JSON.stringify(buildModel(counts, { campaign: skillId })));
  writeFileSync(
    file("list.csv"),
    `recordId,phone,accountId,consent\n${LIST.map(([p, a], i) => `r${i + 1},${p},${a},true`).join("\n")}\n`,
  );
  writeFileSync(file("cxo.config.yaml"), "http:\n  rateLimitScale: 100\n");
}, 60_000);

afterAll(async () => {
  await emulator?.close();
});

/** Plans from `start` with the cron's flags, in its own data dir; answers the plan file and the env. */
async function planAt(slug: string, start: string): Promise<{ plan: string; env: Record<string, string> }> {
  writeFileSync(file(`${slug}.history.ndjson`), historyBefore(start));
  const env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: file(`.cxo-${slug}`), ...cliClockEnv() };
  const plan = file(`${slug}.plan.ndjson`);
  const args = ["--json", "strategy", "plan", "--list", file("list.csv"), "--model", file("model.json")];
  args.push("--campaign", skillId, "--kind", "collections", "--history", file(`${slug}.history.ndjson`));
  args.push("--from", start, "--days", "4", "--out", plan);
  const [planned] = (await runCliBatch([{ args, env, cwd: dir }], 1)) as [CliResult];
  expect(planned.code, planned.stderr).toBe(0);
  return { plan, env };
}

const push = async (plan: string, env: Record<string, string>) =>
  (
    (await runCliBatch(
      [
        {
          args: ["--json", "strategy", "push", "--plan", plan, "--campaign", skillId, "--fit-skill"],
          env,
          cwd: dir,
        },
      ],
      1,
    )) as [CliResult]
  )[0];

describe("plan --campaign, then push the same day: the push accepts the plan whole", () => {
  it.each(STARTS)("%s (%s): %s", async (name, start, source) => {
    const clock = pinClock(start);
    try {
      const { plan, env } = await planAt(name.replace(/\W+/g, "-"), start);
      const rows = readFileSync(plan, "utf8").trim().split("\n");
      expect(rows.length).toBeGreaterThan(0);
      const pushed = await push(plan, env);
      expect(pushed.code, pushed.stderr).toBe(0);
      const summary = JSON.parse(pushed.stdout);
      expect(summary.blocked, JSON.stringify(summary)).toBeUndefined();
      expect(summary.source).toBe(source);
      if (source === "created") expect(summary.records).toBeGreaterThan(0);
      // Every record accounted for: sent, due later, held for its account, or already past.
      expect(summary.records + summary.later + summary.heldForAccount + summary.pastAtPush).toBe(
        new Set(rows.map((r) => JSON.parse(r).recordId)).size,
      );
    } finally {
      clock.restore();
    }
  });

  it("a revocation since the plan: that record alone is left out and named, the rest is sent", async () => {
    const start = "2026-12-03T10:20:00-05:00"; // a Thursday morning
    const clock = pinClock(start);
    try {
      const { plan, env } = await planAt("revoked", start);
      const rows = readFileSync(plan, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { recordId: string; phone: string; attemptAt: string });
      const due = rows.filter((r) => Date.parse(r.attemptAt) < Date.parse(start) + 23 * 3_600_000);
      const revoked = due[0]?.phone as string;
      expect(revoked).toBeDefined();
      const [revoke] = (await runCliBatch(
        [{ args: ["consent", "revoke", "--phone", revoked, "--channel", "sms"], env, cwd: dir }],
        1,
      )) as [CliResult];
      expect(revoke.code, revoke.stderr).toBe(0);
      const pushed = await push(plan, env);
      expect(pushed.code, pushed.stderr).toBe(0);
      const summary = JSON.parse(pushed.stdout);
      expect(summary.blocked).toEqual({ consent_revoked: 1 });
      expect(summary.records).toBeGreaterThan(0);
      expect(summary.warnings.join("\n")).toMatch(
        /left out, their number or account may no longer be called: consent_revoked 1/,
      );
    } finally {
      clock.restore();
    }
  });

  it("a row moved by hand to the weekend breaks the skill's schedule by itself: refused whole, exit 2, nothing sent", async () => {
    const start = "2026-12-03T10:20:00-05:00";
    const clock = pinClock(start);
    try {
      const { plan, env } = await planAt("edited", start);
      const [first, ...others] = readFileSync(plan, "utf8").trim().split("\n");
      const row = JSON.parse(first as string) as { attemptAt: string };
      // Saturday 11:00 in the row's own offset: inside the law's hours, outside the weekday schedule.
      row.attemptAt = `2026-12-05T11:00:00${row.attemptAt.slice(19)}`;
      writeFileSync(plan, `${[JSON.stringify(row), ...others].join("\n")}\n`);
      await adminCall(emulator.url, "DELETE", "/requests");
      const pushed = await push(plan, env);
      expect(pushed.code, pushed.stderr).toBe(2);
      expect(pushed.stderr).toMatch(/refused, nothing sent: the plan breaks a rule by itself/);
      expect(pushed.stderr).toMatch(/outside_skill_hours/);
      const log = (await adminCall(emulator.url, "GET", "/requests")) as {
        requests: Array<{ method: string; path: string }>;
      };
      expect(log.requests.filter((r) => r.method !== "GET" && /\/lists|\/skills/.test(r.path))).toEqual([]);
    } finally {
      clock.restore();
    }
  });
});
