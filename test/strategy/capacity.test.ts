import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { type RunningCxoneEmulator, type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createClient, InputError, type OutcomeRecord } from "../../src/index.ts";
import { strategyGroup } from "../../src/sdk/strategy.ts";
import { autoCapacity, countCapacityAttempts } from "../../src/strategy/capacity.ts";
import { learn } from "../../src/strategy/learn.ts";
import type { Model } from "../../src/strategy/model-format.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * `--capacity auto` (issue 55 §2): agents logged in × connects per agent-hour ÷ connects per
 * attempt, against the seed emulator (its dialer twin's agents, its outcome listing); missing
 * data is an InputError naming `capacity` (CLI: exit 2 naming `--capacity`), nothing written.
 */
let emu: RunningEmulator;
let campaignId: string;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-capacity-"));
const file = (name: string) => path.join(dir, name);

function client() {
  const admin = emu.fixtures.clients[0]!;
  return createClient({
    connection: { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-capacity-sdk-")),
  });
}

async function modelFor(campaign: string): Promise<Model> {
  const records: OutcomeRecord[] = [
    {
      campaignId: campaign,
      startTime: "2026-01-05T23:30:00Z",
      phoneNumber: "+13055552100",
      dispositionCode: "CONVERTED",
      agentId: "A1",
      durationSeconds: 60,
    },
  ];
  return learn(
    (async function* () {
      yield* records;
    })(),
    { campaign },
  );
}

const LIST = Array.from({ length: 40 }, (_, i) => ({
  recordId: `r${i}`,
  phone: `+1305555${String(3000 + i)}`,
  state: "FL",
  consent: true,
}));

const writes = async () =>
  (
    (await adminCall(emu.url, "GET", "/requests")) as { requests: Array<{ method: string; path: string }> }
  ).requests.filter((r) => r.method !== "GET" && !r.path.includes("token"));

beforeAll(async () => {
  emu = (await startEmulator({ port: 0, calls: 400, metricsIntervalMs: 0 })) as RunningEmulator;
  campaignId = emu.fixtures.campaigns[0]!.id;
});
afterAll(() => emu.close());

describe("the formula", () => {
  it("agents × connects per agent-hour ÷ connect rate, rounded down", async () => {
    const counted = await countCapacityAttempts([
      { startTime: "2026-01-05T10:05:00Z", agentId: "A" },
      { startTime: "2026-01-05T10:40:00Z", agentId: "A" },
      { startTime: "2026-01-05T10:50:00Z", agentId: "B" },
      { startTime: "2026-01-05T11:10:00Z", agentId: "A" },
      ...Array.from({ length: 12 }, () => ({ startTime: "2026-01-05T10:00:00Z", agentId: null })),
    ]);
    // 4 connects over 3 agent-hours (A 10h, B 10h, A 11h), 16 attempts.
    expect(counted).toEqual({ attempts: 16, connects: 4, agentHours: 3 });
    const c = autoCapacity({ agentsLoggedIn: 5, ...counted, from: "f", to: "t" });
    expect(c.connectsPerAgentHour).toBeCloseTo(4 / 3);
    expect(c.connectRate).toBeCloseTo(0.25);
    expect(c.capacityPerHour).toBe(26); // 5 × 4/3 ÷ 0.25 = 26.67
  });

  it("missing data names capacity and says to give a number", () => {
    const none = { attempts: 0, connects: 0, agentHours: 0, from: "f", to: "t" };
    for (const input of [
      { ...none, attempts: 10, connects: 2, agentHours: 1, agentsLoggedIn: 0 },
      { ...none, attempts: 10, connects: 2, agentHours: 1, agentsLoggedIn: undefined },
      { ...none, agentsLoggedIn: 4 },
      { ...none, attempts: 10, agentsLoggedIn: 4 },
    ]) {
      const error = (() => {
        try {
          autoCapacity(input);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems[0]?.field).toBe("capacity");
      expect((error as InputError).message).toMatch(/give a number of attempts per hour/);
    }
  });
});

describe("client.strategy capacity auto on the seed emulator", () => {
  it("reads the agents and the last 7 days' outcomes, and the plan never exceeds it", async () => {
    const cxo = client();
    try {
      const model = await modelFor(campaignId);
      const result = await cxo.strategy.plan(LIST, model, {
        from: "2026-03-02T09:00:00-05:00",
        days: 2,
        capacityPerHour: "auto",
      });
      const capacity = result.capacity!;
      expect(capacity.agentsLoggedIn).toBe(20); // the dialer twin's default
      expect(capacity.connects).toBeGreaterThan(0);
      expect(capacity.capacityPerHour).toBe(
        Math.floor((20 * capacity.connectsPerAgentHour) / capacity.connectRate),
      );
      const perHour = new Map<string, number>();
      for (const row of result.rows)
        perHour.set(row.attemptAt.slice(0, 13), (perHour.get(row.attemptAt.slice(0, 13)) ?? 0) + 1);
      expect(Math.max(...perHour.values())).toBeLessThanOrEqual(capacity.capacityPerHour);
      expect(result.summary.planned).toBe(LIST.length);
    } finally {
      await cxo.close();
    }
  });

  it("no agent logged in: InputError naming capacity, nothing planned, nothing written", async () => {
    await adminCall(emu.url, "POST", `/dialer/${campaignId}`, { agents: 0 });
    await adminCall(emu.url, "DELETE", "/requests");
    const cxo = client();
    const planned: unknown[] = [];
    try {
      const error = await cxo.strategy
        .plan(LIST, await modelFor(campaignId), {
          from: "2026-03-02T09:00:00-05:00",
          days: 2,
          capacityPerHour: "auto",
          onRow: (row) => planned.push(row),
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems[0]?.field).toBe("capacity");
      expect((error as InputError).message).toMatch(/no agent logged in/);
      expect(planned).toEqual([]);
      expect(await writes()).toEqual([]);
    } finally {
      await cxo.close();
      await adminCall(emu.url, "POST", `/dialer/${campaignId}`, { agents: 20 });
    }
  });

  it("a group without a client: InputError naming client", async () => {
    const error = await strategyGroup()
      .plan(LIST, await modelFor("C1"), { from: "2026-03-02T09:00:00Z", days: 1, capacityPerHour: "auto" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]?.field).toBe("client");
  });
});

describe("cxo strategy plan --capacity auto", () => {
  it("plans at the worked-out capacity, and exits 2 naming --capacity with no agents", async () => {
    writeFileSync(file("model.json"), JSON.stringify(await modelFor(campaignId)));
    writeFileSync(
      file("list.csv"),
      `recordId,phone,state,consent\n${LIST.map((r) => `${r.recordId},${r.phone},FL,true`).join("\n")}\n`,
    );
    const admin = emu.fixtures.clients[0]!;
    const env = {
      CXONE_BASE_URL: emu.url,
      CXONE_CLIENT_ID: admin.clientId,
      CXONE_CLIENT_SECRET: admin.clientSecret,
      CXO_DATA_DIR: path.join(dir, ".cxo"),
    };
    const args = (out: string) => [
      "strategy",
      "plan",
      "--list",
      file("list.csv"),
      "--model",
      file("model.json"),
      "--from",
      "2026-03-02T09:00:00-05:00",
      "--days",
      "2",
      "--capacity",
      "auto",
      "--json",
      "--out",
      file(out),
    ];
    const [ok] = (await runCliBatch([{ args: args("plan.ndjson"), env, cwd: dir }], 1)) as [CliResult];
    expect(ok.code, ok.stderr).toBe(0);
    const summary = JSON.parse(ok.stdout) as {
      capacity: { capacityPerHour: number; agentsLoggedIn: number };
    };
    expect(summary.capacity.agentsLoggedIn).toBe(20);
    await adminCall(emu.url, "POST", `/dialer/${campaignId}`, { agents: 0 });
    await adminCall(emu.url, "DELETE", "/requests");
    const [refused] = (await runCliBatch([{ args: args("bad.ndjson"), env, cwd: dir }], 1)) as [CliResult];
    await adminCall(emu.url, "POST", `/dialer/${campaignId}`, { agents: 20 });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: --capacity: auto found no agent logged in.*give a number/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(() => readFileSync(file("bad.ndjson"))).toThrow();
    expect(await writes()).toEqual([]);
  }, 60_000);
});

describe("client.strategy.capacity on the production platform's emulator", () => {
  it("reads the skill's agents logged in and its completed contacts of the last 7 days", async () => {
    const cxone = (await startEmulator({
      platform: "cxone",
      port: 0,
      seed: 31,
      contacts: 100,
      days: 7,
    })) as RunningCxoneEmulator;
    const skillId = String(
      cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId,
    );
    const prod = createInternalClient({
      ...clientOptionsFromSettings(accessKeySettings(cxone)),
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-capacity-cxone-")),
    });
    try {
      const c = await prod.strategy.capacity(skillId);
      expect(c.agentsLoggedIn).toBeGreaterThan(0);
      expect(c.connects).toBeGreaterThan(0);
      expect(c.capacityPerHour).toBe(Math.floor((c.agentsLoggedIn * c.connectsPerAgentHour) / c.connectRate));
    } finally {
      await prod.close();
      await cxone.close();
    }
  });
});
