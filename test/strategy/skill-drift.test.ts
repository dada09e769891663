import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInternalClient } from "../../src/client.ts";
import { silentLogger } from "../../src/core/logging/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { SkillDriftWatch } from "../../src/service/skill-drift-watch.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { accessKeyEnv, cxoneApi, cxoneApiGet } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * The skill stays as pushed: after a push, a supervisor's edit that lets CXone dial what the push
 * did not count (retries on a skill cxo fitted; the weekly schedule switched off) is said by every
 * command that reads the skill (exit 1, `cxo why`'s first cause) and acted on by `cxo strategy
 * watch` (what `cxo serve` runs every 5 minutes): the retry settings put back, or the push's records
 * taken out of its list — audited as `strategy.skill-drift` — and the emulator dials none of them.
 */
const START = "2026-12-07T08:30:00-05:00"; // a Monday, before the skill's day opens
let emulator: RunningCxoneEmulator;
let skillId = "";
let clock: ReturnType<typeof pinClock>;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-skill-drift-"));
const file = (name: string) => path.join(dir, name);
let env: Record<string, string>;

const cxo = async (...args: string[]) =>
  ((await runCliBatch([{ args, env: { ...env, ...cliClockEnv() }, cwd: dir }], 1)) as [CliResult])[0];
const retryNow = async () =>
  (await cxoneApiGet(emulator, `/skills/${skillId}/parameters/retry-settings`)) as {
    maximumAttempts: number;
    loadNonFresh: boolean;
    minimumRetryMinutes: number;
  };

async function planAndPush(slug: string) {
  const plan = file(`${slug}.ndjson`);
  const planned = await cxo(
    "--json",
    "strategy",
    "plan",
    "--list",
    file(`${slug}.csv`),
    "--model",
    file("model.json"),
    "--campaign",
    skillId,
    "--from",
    START,
    "--days",
    "1",
    "--out",
    plan,
  );
  expect(planned.code, planned.stderr).toBe(0);
  const pushed = await cxo(
    "--json",
    "strategy",
    "push",
    "--plan",
    plan,
    "--campaign",
    skillId,
    "--fit-skill",
  );
  expect(pushed.code, pushed.stderr).toBe(0);
  return JSON.parse(pushed.stdout) as { listId: string; records: number };
}

beforeAll(async () => {
  clock = pinClock(START);
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 90,
    contacts: 20,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")?.skillId,
  );
  // A skill that reloads unanswered records every 10 minutes: Florida's 3 calls in 24 hours would
  // break, so the push fits it (one dial a record), audited.
  await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/retry-settings`, {
    retrySettings: { maximumAttempts: 5, minimumRetryMinutes: 10, loadNonFresh: true },
  });
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) counts.add(["state"], { state: "ZZ" }, s, 400, s % 24 === 14 ? 200 : 20);
  writeFileSync(file("model.json"), JSON.stringify(buildModel(counts, { campaign: skillId })));
  for (const [slug, prefix] of [
    ["a", "+1305555750"],
    ["b", "+1212555760"],
    ["c", "+1305555770"],
  ] as const)
    writeFileSync(
      file(`${slug}.csv`),
      `recordId,phone,consent\n${[1, 2, 3].map((i) => `${slug}${i},${prefix}${i},true`).join("\n")}\n`,
    );
  writeFileSync(file("cxo.config.yaml"), "http:\n  rateLimitScale: 100\n");
  env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo") };
}, 60_000);

afterAll(async () => {
  clock?.restore();
  await emulator?.close();
});

describe("a skill edited behind cxo's back after a push", () => {
  it("retries raised on a skill cxo fitted: said by why and push (exit 1), put back by the watch, audited", async () => {
    await planAndPush("a");
    expect(await retryNow()).toMatchObject({ maximumAttempts: 1, loadNonFresh: false });
    // The supervisor: 5 attempts every 10 minutes, right after the push.
    await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/retry-settings`, {
      retrySettings: { maximumAttempts: 5, minimumRetryMinutes: 10, loadNonFresh: true },
    });
    const why = await cxo("--json", "why", "--campaign", skillId);
    expect(why.code, why.stderr).toBe(1);
    const diagnosis = JSON.parse(why.stdout) as { causes: Array<{ code: string; evidence: string }> };
    expect(diagnosis.causes[0]?.code).toBe("skill_drift");
    expect(diagnosis.causes[0]?.evidence).toMatch(/retries one dial a record → 5 attempt\(s\) every 10 min/);
    const again = await cxo("--json", "strategy", "push", "--plan", file("a.ndjson"), "--campaign", skillId);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/skill \d+ changed since cxo.s push counted on it .*retries/);

    const watched = await cxo("--json", "strategy", "watch");
    expect(watched.code, watched.stderr).toBe(0);
    const { drifts } = JSON.parse(watched.stdout) as { drifts: Array<{ action: string }> };
    expect(drifts.map((d) => d.action)).toEqual(["restore-retry"]);
    expect(await retryNow()).toMatchObject({ maximumAttempts: 1, loadNonFresh: false });
    const tail = await cxo("--json", "audit", "tail", "--lines", "20");
    expect(tail.stdout).toMatch(/strategy\.skill-drift/);
    // Put back: nothing open, the next watch and why are quiet.
    const quiet = await cxo("--json", "strategy", "watch");
    expect(JSON.parse(quiet.stdout).drifts).toEqual([]);
    expect((await cxo("--json", "why", "--campaign", skillId)).code).toBe(0);
  });

  it("the weekly schedule switched off: the push's records are taken out of its list and never dialled", async () => {
    const pushed = await planAndPush("b");
    expect(pushed.records).toBeGreaterThan(0);
    await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/schedule-settings`, {
      scheduleSettings: { isScheduled: false },
    });
    await adminCall(emulator.url, "DELETE", "/requests");
    const watched = await cxo("--json", "strategy", "watch", "--campaign", skillId);
    expect(watched.code, watched.stderr).toBe(0);
    const { drifts } = JSON.parse(watched.stdout) as { drifts: Array<{ action: string; text: string }> };
    expect(drifts.map((d) => d.action)).toEqual(["remove-records"]);
    expect(drifts[0]?.text).toMatch(/schedule/);
    const log = (await adminCall(emulator.url, "GET", "/requests")) as {
      requests: Array<{ method: string; path: string }>;
    };
    expect(log.requests.some((r) => r.method !== "GET" && /removeProspects|records/.test(r.path))).toBe(true);
    // The dialer, a day on: none of the push's records dialled.
    await adminCall(emulator.url, "POST", `/lists/${pushed.listId}/dial`, {
      until: new Date(Date.parse(START) + 86_400_000).toISOString(),
    });
    const { dials } = (await adminCall(emulator.url, "GET", `/lists/${pushed.listId}/dials`)) as {
      dials: unknown[];
    };
    expect(dials).toEqual([]);
    const plan = readFileSync(file("b.ndjson"), "utf8");
    expect(plan.length).toBeGreaterThan(0);
  });

  it("cxo serve's watch acts on its own: retries raised again are put back by one run of the task", async () => {
    // The schedule back on, and a new day's list pushed (fitted again); then the supervisor.
    await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/schedule-settings`, {
      scheduleSettings: { isScheduled: true },
    });
    await planAndPush("c");
    const key = emulator.fixtures.accessKeys.find((k) => !k.readOnly);
    const client = createInternalClient({
      connection: {
        platform: "cxone",
        issuer: emulator.url,
        accessKeyUrl: `${emulator.url}/authentication/v1/token/access-key`,
        accessKeyId: key?.accessKeyId ?? "",
        accessKeySecret: key?.accessKeySecret ?? "",
      },
      dataDir: file(".cxo"),
    });
    try {
      expect(await client.strategy.watchSkills({ campaign: skillId })).toEqual([]);
      await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/retry-settings`, {
        retrySettings: { maximumAttempts: 6, minimumRetryMinutes: 5, loadNonFresh: true },
      });
      const task = new SkillDriftWatch({ client, logger: silentLogger });
      await task.runNow();
      await task.stop();
      expect(await retryNow()).toMatchObject({ maximumAttempts: 1, loadNonFresh: false });
    } finally {
      await client.close();
    }
  });
  it("a skill that already dials once but would keep records (loadNonFresh off, 3 attempts) is fitted to one: a supervisor's later reload dials nothing again", async () => {
    // The skill holds unanswered records (3 attempts allowed, no reload): one dial a record today,
    // but not finalised — a reload a supervisor turns on redials them at once.
    await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/retry-settings`, {
      retrySettings: { maximumAttempts: 3, minimumRetryMinutes: 30, loadNonFresh: false },
    });
    writeFileSync(
      file("d.csv"),
      `recordId,phone,consent\n${[1, 2].map((i) => `d${i},+1212555780${i},true`).join("\n")}\n`,
    );
    const pushed = await planAndPush("d");
    expect(await retryNow()).toMatchObject({ maximumAttempts: 1, loadNonFresh: false });
    const day = Date.parse(START);
    await adminCall(emulator.url, "POST", `/lists/${pushed.listId}/dial`, {
      until: new Date(day + 8 * 3_600_000).toISOString(),
      answer: "none",
    });
    const first = (await adminCall(emulator.url, "GET", `/lists/${pushed.listId}/dials`)) as {
      dials: unknown[];
    };
    expect(first.dials.length).toBeGreaterThan(0);
    // The supervisor turns the reload on; the dialer goes on: no record is dialled a second time.
    await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/retry-settings`, {
      retrySettings: { maximumAttempts: 5, minimumRetryMinutes: 30, loadNonFresh: true },
    });
    await adminCall(emulator.url, "POST", `/lists/${pushed.listId}/dial`, {
      until: new Date(day + 12 * 3_600_000).toISOString(),
      answer: "none",
    });
    const after = (await adminCall(emulator.url, "GET", `/lists/${pushed.listId}/dials`)) as {
      dials: Array<{ attempt: number }>;
    };
    expect(after.dials.length).toBe(first.dials.length);
    expect(after.dials.every((d) => d.attempt === 1)).toBe(true);
  });
});
