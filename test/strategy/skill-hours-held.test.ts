import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { accessKeySettings, cxoneApi } from "../support/cxone-access-key.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * A schedule opened behind cxo's back is not adopted by the next morning's plan (issue 89 §3, its
 * week test): a supervisor switches the skill's weekly schedule (09:00–20:00 Eastern, weekdays)
 * off after a push; cxo's watch takes the push's records out — and the next day's plan still keeps
 * to the schedule that push counted (a Los Angeles record is not planned at 19:00 Pacific, 22:00
 * Eastern, the hour its model likes best), until the skill is put back within it. After that, a
 * change made while no push is pending is the agency's own, and plans follow it.
 */
let emulator: RunningCxoneEmulator;
let client: InternalClient;
let skillId = "";
const LA = "+12135558301";
const model = () => {
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) counts.add(["state"], { state: "ZZ" }, s, 400, s % 24 === 19 ? 300 : 20);
  return buildModel(counts, { campaign: skillId });
};
const list = [{ recordId: "la1", phone: LA, consent: true }];
const pacificHour = (iso: string) =>
  Number(
    new Date(iso).toLocaleString("en-US", {
      timeZone: "America/Los_Angeles",
      hour: "numeric",
      hourCycle: "h23",
    }),
  );

async function on<T>(iso: string, work: () => Promise<T>): Promise<T> {
  const clock = pinClock(iso);
  try {
    return await work();
  } finally {
    clock.restore();
  }
}

const planFor = (from: string) =>
  client.strategy.plan(list, model(), { campaign: skillId, from, days: 1 }).then((p) => p.rows);

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 91,
    contacts: 20,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)
      ?.skillId,
  );
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(emulator)),
    rateLimits: GENEROUS_LIMITS,
    dataDir: `${process.env.TMPDIR ?? "/tmp"}/cxo-held-${process.pid}-${Date.now()}`,
  });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

describe("hours held after a schedule drift cxo acted on", () => {
  it("the next plan keeps to the schedule the push counted; put back, the hold ends", async () => {
    await on("2026-12-07T08:30:00-05:00", async () => {
      const monday = await planFor("2026-12-07T08:30:00-05:00");
      expect(monday).toHaveLength(1);
      expect(pacificHour(monday[0]?.attemptAt as string)).toBeLessThan(17);
      await client.strategy.push(monday, { campaign: skillId, fitSkill: true });
      await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/schedule-settings`, {
        scheduleSettings: { isScheduled: false },
      });
      const drifts = await client.strategy.watchSkills({ campaign: skillId });
      expect(drifts.map((d) => d.action)).toEqual(["remove-records"]);
    });
    // Tuesday: the schedule is still off; the plan keeps to 09:00–20:00 Eastern (06:00–17:00 Pacific).
    await on("2026-12-08T08:30:00-05:00", async () => {
      const tuesday = await planFor("2026-12-08T08:30:00-05:00");
      expect(tuesday).toHaveLength(1);
      expect(pacificHour(tuesday[0]?.attemptAt as string)).toBeLessThan(17);
      // Put back by hand, then widened to 23:00 Eastern while no push is pending: the agency's own.
      await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/schedule-settings`, {
        scheduleSettings: { isScheduled: true },
      });
      expect(await planFor("2026-12-08T08:30:00-05:00")).toHaveLength(1);
      const late = Object.fromEntries(
        ["monday", "tuesday", "wednesday", "thursday", "friday"].map((d) => [`${d}EndTime`, "23:00"]),
      );
      await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/schedule-settings`, {
        scheduleSettings: { isScheduled: true, ...late },
      });
      const widened = await planFor("2026-12-08T08:30:00-05:00");
      expect(pacificHour(widened[0]?.attemptAt as string)).toBe(19);
    });
  });
});

describe("a push given --fit-skill owns the retries even when the skill already fitted", () => {
  it("a supervisor's raise is put back (restore-retry), not answered by taking the records out", async () => {
    await on("2026-12-09T08:30:00-05:00", async () => {
      // The emulator's default skill already dials once a record: the push changes nothing.
      const rows = await planFor("2026-12-09T08:30:00-05:00");
      const pushed = await client.strategy.push(rows, { campaign: skillId, fitSkill: true });
      expect(pushed.skill.changed).toBeUndefined();
      await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/retry-settings`, {
        retrySettings: { maximumAttempts: 5, minimumRetryMinutes: 10, loadNonFresh: true },
      });
      const drifts = await client.strategy.watchSkills({ campaign: skillId });
      expect(drifts.map((d) => d.action)).toEqual(["restore-retry"]);
      const retry = (await cxoneApi(emulator, "GET", `/skills/${skillId}/parameters/retry-settings`)) as {
        loadNonFresh: boolean;
      };
      expect(retry.loadNonFresh).toBe(false);
    });
  });
});
