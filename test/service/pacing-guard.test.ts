import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { type Settings, settingsSchema } from "../../src/core/config/schema.ts";
import { openStore } from "../../src/core/store/index.ts";
import type { BudgetGuardState } from "../../src/dialer/live-pacing/budget-guard.ts";
import { readHistory } from "../../src/dialer/settings/history.ts";
import { type CxoneFixtures, type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";
import { until } from "./harness.ts";

/**
 * The production budget guard end to end (issue 31 §4): `cxo serve` on the production API's
 * emulator, a campaign created with `pacing: { mode: auto }`. Personal Connection paces itself,
 * so the service guards the FTC window's budget instead: the skill's counts of today (set on cue
 * through the emulator's admin API) eat the budget → the guard lowers the skill's abandon target
 * with a whole-block parameter PUT (the emulator's request log and state), journaled; the
 * decision survives a restart of the service; a spent budget takes the maximum ratio to 1, and a
 * recovered one raises it back one bounded step per interval.
 *
 * On the product's clock running at x4 from now (docs/clock.md), the emulator and the service in
 * this process: the guard's 1-second interval and the loop's beat come every 250 ms of real time,
 * the same rounds as at x1 in a quarter of the wait. What is judged per interval (each raise one
 * bounded step) is read from the journaled history, not from how soon the test looks.
 */
const clock = pinClock(new Date().toISOString(), 4);
let emu: RunningCxoneEmulator;
let client: InternalClient;
let dataDir: string;
let settings: Settings;
let skillId: string;
let service: RunningService | undefined;

interface Logged {
  method: string;
  path: string;
  status: number;
  bodyFields?: string[];
}

const generalPuts = async () =>
  ((await adminCall(emu.url, "GET", "/requests")) as { requests: Logged[] }).requests.filter(
    (r) =>
      r.method === "PUT" &&
      r.path.endsWith(`/skills/${skillId}/parameters/general-settings`) &&
      r.status < 300,
  );
const today = (connects: number, abandons: number) =>
  adminCall(emu.url, "POST", `/skills/${skillId}/live`, {
    today: { dials: 3 * connects, connects, abandons },
  });
const general = async () =>
  (await client.port.dialer.getSettings({ campaignId: skillId })).settings.algorithm;
const view = () => service?.board.view(skillId)?.pacing;
/** `cxo` pointed at the same tenant and data dir as the service. */
const cliEnv = () => ({ ...accessKeyEnv(emu), CXO_DATA_DIR: dataDir, ...cliClockEnv() });

beforeAll(async () => {
  emu = (await startEmulator({ platform: "cxone", port: 0, seed: 7, contacts: 200 })) as RunningCxoneEmulator;
  const f = emu.fixtures as CxoneFixtures;
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  dataDir = mkdtempSync(path.join(tmpdir(), "cxo-guard-"));
  settings = settingsSchema.parse({
    cxone: {
      platform: "cxone",
      issuer: emu.url,
      clientId: f.client.clientId,
      clientSecret: f.client.clientSecret,
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
    },
    dataDir,
    http: { rateLimitScale: 1000, backoffBaseMs: 10, backoffCapMs: 100 },
    service: { port: 0, pollIntervalSeconds: 3600, livePollIntervalSeconds: 3600 },
  });
  client = createInternalClient(clientOptionsFromSettings(settings));
  const list = f.skills.find((s) => s.outboundStrategy === "Personal Connection")!.callingListIds[0];
  const created = await client.campaigns.create({
    spec: {
      name: "Guarded campaign",
      contactListId: String(list),
      predictive: { answerRatio: 0.4, maxCallsInFlight: 60, callRate: 5, abandonmentThreshold: 0.03 },
      compliance: {
        timeZone: "America/New_York",
        window: { start: "08:00", end: "21:00" },
        allowedDays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
      },
      pacing: { mode: "auto", target: 0.03, window: "ftc-30d", intervalSeconds: 1 },
    },
  });
  skillId = created.campaign.id;
}, 120_000);

afterAll(async () => {
  await service?.close();
  await client?.close();
  await emu?.close();
  clock.restore();
});

describe("production budget guard: cxo serve guards the FTC window through the skill's parameters", () => {
  it("lowers the abandon target when abandons eat the budget, keeps the decision across a restart, goes progressive when spent and raises back bounded", async () => {
    const found = await general();
    expect(found).toMatchObject({ abandonmentTarget: 0.03, dialRatio: 2.5 });
    // 1,000 live answers today, 20 abandons: within budget, nothing written.
    await today(1000, 20);
    await adminCall(emu.url, "DELETE", "/requests");
    service = await startService({ settings, port: 0 });
    await until(async () => view()?.liveAnswers === 1000, 15_000, "the guard's first reading");
    expect(view()).toMatchObject({ mode: "guard", abandonTarget: 0.03, ratio: 2.5, window: "ftc-30d" });
    expect(await generalPuts()).toHaveLength(0);

    // 25 more abandons: 45 of 1,000, 15 over the 3%; the day can afford 1.5%, the skill gets 1.3%.
    await today(1000, 45);
    await until(async () => view()?.abandonTarget === 0.013, 15_000, "the guard to lower the target");
    const puts = await generalPuts();
    expect(puts).toHaveLength(1);
    // Data-safe: the whole block as read, only the guard's fields changed (the log keeps names only).
    expect(puts[0]!.bodyFields).toEqual(
      expect.arrayContaining([
        "generalSettings.abandonRateThreshold",
        "generalSettings.maximumRatio",
        "generalSettings.aggressiveness",
        "generalSettings.maximumRingingDuration",
        "generalSettings.maxConcurrentCallsPerAgent",
      ]),
    );
    // The emulator's state, read back through the adapter.
    expect(await general()).toMatchObject({ abandonmentTarget: 0.013, dialRatio: 2.5, type: "predictive" });

    // Journaled through the dialer-settings lifecycle: the applied version is in `cxo dialer history`.
    const applied = (await readHistory(service.store.kv, skillId)).filter((row) => row.source === "applied");
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({ outcome: "verified", campaignId: skillId });
    expect(applied[0]!.settings.algorithm.abandonmentTarget).toBe(0.013);

    // Restart: the decision and the window come back from the store; nothing is written again.
    await service.close();
    service = undefined;
    service = await startService({ settings, port: 0 });
    await until(async () => view()?.abandonTarget === 0.013, 15_000, "the guard's state after the restart");
    // Two more rounds (each records its time on the board): still nothing written.
    for (let round = 0; round < 2; round++) {
      const at = view()?.at;
      await until(async () => view()?.at !== at, 15_000, "another round of the guard");
    }
    expect(await generalPuts()).toHaveLength(1);
    expect(view()).toMatchObject({ liveAnswers: 1000, budgetLeft: -15 });
    // `cxo campaigns status` shows the same decision as the board (from the store), in words.
    const status = await runCli(["campaigns", "status", skillId], cliEnv(), { timeoutMs: 60_000 });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^pacing \(budget guard\): maximum ratio 2\.50, abandon target 1\.30%$/m);
    expect(status.stdout).toMatch(
      /^ {2}abandonment 4\.50% over the FTC 30-day window so far \(legal limit 3\.00%\), 1000 live answers, -15 abandons of budget left$/m,
    );
    expect(status.stdout).toMatch(/^ {2}latest decision \S+: .+/m);

    // Spent: 80 of 1,000. The floor (0.7%) is not enough: maximum ratio 1 (progressive).
    await today(1000, 80);
    await until(async () => view()?.ratio === 1, 15_000, "the guard to go progressive");
    expect(await general()).toMatchObject({ abandonmentTarget: 0.007, dialRatio: 1, type: "progressive" });

    // Recovered: 5,000 answers, 80 abandons. Raised back one bounded step per interval.
    await today(5000, 80);
    await until(async () => (view()?.ratio ?? 0) > 1, 15_000, "the guard to raise back");
    const raised = await general();
    expect(raised.dialRatio).toBeGreaterThan(1);
    // Each raise since the progressive one: one bounded step a raise (the ratio by at most the
    // default maxStep, 0.25; the target by at most 0.5 points); the first from 1 and 0.7%.
    const history = (await readHistory(service.store.kv, skillId)).filter(
      (row) => row.source === "applied" && row.outcome === "verified",
    );
    const progressive = history.findIndex((row) => row.settings.algorithm.dialRatio === 1);
    expect(progressive).toBeGreaterThan(0);
    const raises = history.slice(progressive + 1).map((row) => row.settings.algorithm);
    expect(raises.length).toBeGreaterThan(0);
    expect(raises[0]!.dialRatio).toBeLessThanOrEqual(1.25);
    expect(raises[0]!.abandonmentTarget).toBeLessThanOrEqual(0.012);
    let previous = history[progressive]!.settings.algorithm;
    for (const next of raises) {
      expect(next.dialRatio).toBeGreaterThanOrEqual(previous.dialRatio);
      expect(next.dialRatio).toBeLessThanOrEqual(previous.dialRatio + 0.25 + 1e-9);
      expect(next.abandonmentTarget).toBeLessThanOrEqual(previous.abandonmentTarget + 0.005 + 1e-9);
      previous = next;
    }

    const store = await openStore(dataDir);
    try {
      const saved = await store.kv.get<BudgetGuardState>("pacing.guard", skillId);
      expect(saved?.baseline).toEqual({ abandonTarget: 0.03, maximumRatio: 2.5 });
      expect(saved?.budget.hours.length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 120_000);
});
