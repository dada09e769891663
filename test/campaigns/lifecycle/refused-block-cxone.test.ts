import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { skillOpen } from "../../../src/strategy/skill-hours.ts";
import { accessKeyEnv, accessKeySettings, cxoneApiGet } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * `cxo campaigns create` on the production platform: a parameter block CXone refuses fails the
 * command (exit 1, the block and CXone's words named) and the skill is NOT started (the request
 * log holds no start); the same create run again once CXone takes the block finishes the skill
 * and starts it. On a tenant that refuses an inactive schedule day (the emulator's default),
 * a weekdays-only spec is written with every day active and the closed days are kept in the
 * skill's notes, so the schedule as cxo reads it (what `strategy plan`/`push` and `cxo why`
 * judge with) is closed on them.
 */
let cxone: RunningCxoneEmulator;
let listId = "";

type Logged = { method: string; path: string; status: number };
const log = async () => ((await adminCall(cxone.url, "GET", "/requests")) as { requests: Logged[] }).requests;
const starts = (requests: Logged[]) =>
  requests.filter((r) => r.method === "POST" && /\/skills\/\d+\/start$/.test(r.path));
const uploads = (requests: Logged[]) =>
  requests.filter((r) => r.method === "POST" && /\/lists\/call-lists\/\d+\/upload$/.test(r.path));

const EVERY_DAY = "[Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday]";

function workspace(
  name: string,
  days = "[Monday, Tuesday, Wednesday, Thursday, Friday]",
  status: "active" | "paused" = "active",
) {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-refused-block-"));
  const spec = path.join(dir, "campaign.yaml");
  writeFileSync(
    spec,
    [
      `name: ${name}`,
      `contactListId: "${listId}"`,
      `status: ${status}`,
      "predictive: { answerRatio: 0.5, maxCallsInFlight: 10, callRate: 2, abandonmentThreshold: 0.03 }",
      `compliance: { timeZone: America/New_York, window: { start: "09:00", end: "20:00" }, allowedDays: ${days} }`,
    ].join("\n"),
  );
  const env = { ...accessKeyEnv(cxone), CXO_DATA_DIR: path.join(dir, ".cxo") };
  const create = () =>
    runCli(["--json", "campaigns", "create", "--spec", spec], env, { cwd: dir, timeoutMs: 60_000 });
  return { create };
}

/** The skill the create made, as the platform holds it (read past the client under test). */
async function skillNamed(name: string) {
  const { skills } = (await cxoneApiGet(cxone, "/skills?top=100")) as {
    skills: Array<{ skillId: number; skillName: string; isRunning: boolean; notes: string }>;
  };
  return skills.find((s) => s.skillName === name);
}

beforeAll(async () => {
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 44,
    contacts: 50,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  // The unbound seeded list: binding it to the new skill is part of the create.
  listId = String([...cxone.fixtures.callingLists].sort((a, b) => a.size - b.size)[0]!.listId);
});
afterAll(async () => {
  await cxone?.close();
});

describe("campaigns create with a parameter block CXone refuses", () => {
  it("schedule settings refused: exit 1 naming the block, the skill not started; run again once taken: started", async () => {
    await adminCall(cxone.url, "POST", "/knobs", { scheduleRejects: true });
    await adminCall(cxone.url, "DELETE", "/requests");
    const { create } = workspace("Refused schedule", EVERY_DAY);
    const refused = await create();
    expect(refused.code, refused.stdout).toBe(1);
    expect(refused.stderr).toMatch(/CXone refused skill \d+'s schedule-settings/);
    expect(refused.stderr).toContain("InvalidParameter");
    expect(refused.stderr).toContain("NOT started");
    expect(refused.stderr).toContain("written before it: general-settings");
    expect(starts(await log())).toEqual([]);
    expect((await skillNamed("Refused schedule"))?.isRunning).toBe(false);

    await adminCall(cxone.url, "POST", "/knobs", { scheduleRejects: false });
    const again = await create();
    expect(again.code, again.stderr).toBe(0);
    const skill = await skillNamed("Refused schedule");
    expect(JSON.parse(again.stdout).campaignId).toBe(String(skill?.skillId));
    expect(starts(await log())).toHaveLength(1);
    expect(skill?.isRunning).toBe(true);
  }, 120_000);

  it("an abandon rate the tenant reads as a fraction: exit 1 naming general settings, the skill not started", async () => {
    await adminCall(cxone.url, "POST", "/knobs", { abandonRateUnit: "fraction" });
    await adminCall(cxone.url, "DELETE", "/requests");
    const refused = await workspace("Refused abandon rate", EVERY_DAY).create();
    await adminCall(cxone.url, "POST", "/knobs", { abandonRateUnit: "percent" });
    expect(refused.code, refused.stdout).toBe(1);
    expect(refused.stderr).toMatch(/CXone refused skill \d+'s general-settings/);
    expect(refused.stderr).toContain("abandonRateThreshold");
    expect(starts(await log())).toEqual([]);
    expect((await skillNamed("Refused abandon rate"))?.isRunning).toBe(false);
  }, 120_000);
});

describe("calling days on a tenant that refuses an inactive schedule day", () => {
  it("a weekdays-only active spec: the skill NOT started and the list NOT bound (exit 1, how to dial said)", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const created = await workspace("Weekdays active").create();
    expect(created.code, created.stdout).toBe(1);
    expect(created.stderr).toMatch(/skill \d+ is NOT started/);
    expect(created.stderr).toContain("open on Saturday, Sunday");
    expect(created.stderr).toContain("NOT bound");
    expect(created.stderr).toContain("cxo strategy push");
    const requests = await log();
    expect(starts(requests)).toEqual([]);
    expect(uploads(requests)).toEqual([]);
    const skill = await skillNamed("Weekdays active");
    expect(skill?.isRunning).toBe(false);
    expect(skill?.notes).toContain("cxo-closed-days:saturday,sunday");
    // Run again: the same answer, still nothing started or uploaded.
    const again = await workspace("Weekdays active").create();
    expect(again.code, again.stdout).toBe(1);
    expect(starts(await log())).toEqual([]);
    expect(uploads(await log())).toEqual([]);
  }, 120_000);

  it("writes every day active, keeps Saturday and Sunday closed in the schedule as cxo reads it", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const created = await workspace("Weekdays only", undefined, "paused").create();
    expect(created.code, created.stderr).toBe(0);
    const warnings: string[] = JSON.parse(created.stdout).warnings ?? [];
    expect(warnings[0]).toMatch(/open on Saturday, Sunday as well/);
    expect(warnings.join("\n")).toMatch(/left paused and list \d+ is NOT bound/);
    expect(uploads(await log())).toEqual([]);
    const skill = await skillNamed("Weekdays only");
    expect(skill?.isRunning).toBe(false);
    expect(skill?.notes).toContain("cxo-closed-days:saturday,sunday");
    const schedule = (await cxoneApiGet(
      cxone,
      `/skills/${skill?.skillId}/parameters/schedule-settings`,
    )) as Record<string, unknown>;
    expect(schedule.saturdayIsActive).toBe(true);
    expect(schedule.sundayIsActive).toBe(true);

    const client = createInternalClient({
      ...clientOptionsFromSettings(accessKeySettings(cxone)),
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-refused-block-sdk-")),
    });
    try {
      const read = await client.port.diagnosis.skill(String(skill?.skillId));
      expect(read.schedule?.days.map((d) => d !== null)).toEqual([
        true,
        true,
        true,
        true,
        true,
        false,
        false,
      ]);
      expect(read.schedule?.evidence).toContain("closed by cxo on Saturday, Sunday");
      // What the planner and the push ask of the skill: a Saturday noon is closed, a Friday noon open.
      const open = skillOpen(read);
      const hour = 3_600_000;
      const friday = Date.parse("2026-12-04T17:00:00Z");
      const saturday = Date.parse("2026-12-05T17:00:00Z");
      expect(open.throughout("America/New_York", friday, friday + hour)).toBe(true);
      expect(open.throughout("America/New_York", saturday, saturday + hour)).toBe(false);
      // And the push: a plan with a Saturday window is refused before anything is sent.
      const row = (recordId: string, attemptAt: string) => ({
        recordId,
        phone: "+13125557701",
        attemptAt,
        zone: "America/Chicago",
        slot: 12,
        attempt: 1,
        estimate: 0.1,
        interval: [0.05, 0.15],
        ruledOut: [],
        campaign: String(skill?.skillId),
        staleMinutes: 59,
      });
      await expect(
        client.strategy.push([row("sat", "2027-06-05T17:00:00Z")], { campaign: String(skill?.skillId) }),
      ).rejects.toThrow(/outside_skill_hours|outside the skill.s hours or schedule/);
      // The same window on the Friday before is open: taken (sent the day before it opens).
      expect(
        await client.strategy.push([row("fri", "2027-06-04T17:00:00Z")], {
          campaign: String(skill?.skillId),
        }),
      ).toMatchObject({ later: 1, records: 0 });
    } finally {
      await client.close();
    }
  }, 120_000);
});
