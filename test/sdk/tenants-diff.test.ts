import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  comparableSettings,
  compareTenants,
  differingSettings,
} from "../../src/campaigns/compare-tenants.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import {
  BUSINESS_UNIT_DIALER,
  type CreateClientOptions,
  createTenants,
  InputError,
} from "../../src/index.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * `Tenants.diff` (issue 54 §3): two business units side by side. Two seed emulators with one seed
 * (same campaign ids, same definitions), then each side changed on purpose: the differences
 * found are exactly those made, campaigns are paired by name (not by their colliding ids), the
 * tenant-wide dialer is compared once, and nothing is written to either business unit.
 */

let a: RunningEmulator;
let b: RunningEmulator;
let dir: string;
const spec = parse(readFileSync(path.join(import.meta.dirname, "../../examples/campaign.yaml"), "utf8"));

beforeAll(async () => {
  [a, b] = await Promise.all([
    startEmulator({ port: 0, calls: 10, seed: 42, metricsIntervalMs: 0, operationDelayMs: 200 }),
    startEmulator({ port: 0, calls: 10, seed: 42, metricsIntervalMs: 0, operationDelayMs: 200 }),
  ]);
  dir = mkdtempSync(path.join(tmpdir(), "cxo-tenants-diff-"));
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

function optionsOf(emu: RunningEmulator, name: string): CreateClientOptions {
  const client = emu.fixtures.clients[0]!;
  return {
    connection: {
      platform: "seed",
      baseUrl: emu.url,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
    },
    dataDir: path.join(dir, name),
  };
}

const writes = async (emu: RunningEmulator) =>
  (
    (await adminCall(emu.url, "GET", "/requests")) as { requests: Array<{ method: string; path: string }> }
  ).requests.filter((r) => r.method !== "GET" && !r.path.includes("token"));

describe("Tenants.diff", () => {
  it("finds exactly the settings changed on one side, pairs campaigns by name and writes nothing", async () => {
    const tenants = createTenants({ acme: optionsOf(a, "acme"), globex: optionsOf(b, "globex") });
    try {
      const listA = a.fixtures.contactLists[0]!.id;
      const listB = b.fixtures.contactLists[0]!.id;
      // The same campaign in both; a second campaign created first in globex shifts its ids, so
      // pairing by id would compare the wrong campaigns.
      await tenants
        .get("globex")
        .campaigns.create({ spec: { ...spec, name: "Only in globex" }, contactListId: listB });
      await tenants.get("acme").campaigns.create({ spec, contactListId: listA });
      await tenants.get("globex").campaigns.create({
        spec: { ...spec, compliance: { ...spec.compliance, window: { start: "09:00", end: "20:00" } } },
        contactListId: listB,
      });
      await tenants.get("globex").dialer.apply(
        {
          concurrency: { maxAgents: 20, maxSimultaneousCalls: 40 },
          algorithm: { type: "predictive", abandonmentTarget: 0.02, dialRatio: 1.7 },
          carrier: { trunks: 60 },
        },
        { waitFor: { maxWaitMs: 60_000, minDelayMs: 100, maxDelayMs: 500 } },
      );
      await adminCall(a.url, "DELETE", "/requests");
      await adminCall(b.url, "DELETE", "/requests");

      const diff = await tenants.diff("acme", "globex");

      expect(await writes(a)).toEqual([]);
      expect(await writes(b)).toEqual([]);
      const settings = diff.differences.map((d) => `${d.campaign} ${d.part} ${d.setting}`);
      expect(settings).toContain("Only in globex campaign exists");
      expect(settings).toContain(`${BUSINESS_UNIT_DIALER} dialer algorithm.dialRatio`);
      // The calling window, and nothing else: not the ids, the creation times or the contact
      // lists (the settings keep the platform's own names: the seed API's dialingRules).
      const sameCampaign = diff.differences.filter((d) => d.campaign === spec.name);
      expect(sameCampaign.map((d) => d.part)).toEqual(["definition", "definition"]);
      expect(sameCampaign.map((d) => `${d.a} → ${d.b}`).sort()).toEqual([
        "08:00:00 → 09:00:00",
        "21:00:00 → 20:00:00",
      ]);
      const pair = diff.campaigns.find((c) => c.name === spec.name)!;
      expect(pair.a?.id).not.toBe(pair.b?.id);
      expect(diff.same).toBe(false);

      // Only the named campaign, by name: the other one is not read.
      const one = await tenants.diff("acme", "globex", { campaigns: [spec.name] });
      expect(one.campaigns.map((c) => c.name).sort()).toEqual([BUSINESS_UNIT_DIALER, spec.name].sort());
    } finally {
      await tenants.close();
    }
  });

  it("an id neither store knows is read directly on both sides; identical business units are the same", async () => {
    const tenants = createTenants({ acme: optionsOf(a, "acme2"), globex: optionsOf(b, "globex2") });
    try {
      const fixture = a.fixtures.campaigns[0]!;
      const diff = await tenants.diff("acme", "globex", { campaigns: [fixture.id] });
      const pair = diff.campaigns.find((c) => c.a?.id === fixture.id)!;
      expect(pair.b?.id).toBe(fixture.id);
      expect(diff.differences.filter((d) => d.campaign !== BUSINESS_UNIT_DIALER)).toEqual([]);
      expect(diff.objects.a).toBeGreaterThanOrEqual(2);
    } finally {
      await tenants.close();
    }
  });

  it("refuses a tenant compared with itself or an unknown name, before anything is sent", async () => {
    const tenants = createTenants({ acme: optionsOf(a, "acme3"), globex: optionsOf(b, "globex3") });
    await adminCall(a.url, "DELETE", "/requests");
    try {
      await expect(tenants.diff("acme", "acme")).rejects.toBeInstanceOf(InputError);
      await expect(tenants.diff("acme", "nope")).rejects.toThrow(/not a registered tenant/);
      const log = (await adminCall(a.url, "GET", "/requests")) as { requests: unknown[] };
      expect(log.requests).toEqual([]);
    } finally {
      await tenants.close();
    }
  });
});

describe("compareTenants", () => {
  it("compares leaf by leaf, ignores identity and time fields, and never calls an unreadable part a difference", () => {
    expect(differingSettings({ x: { y: 1, z: [1, 2] } }, { x: { y: 2, z: [1, 2] } })).toEqual([
      { setting: "x.y", a: 1, b: 2 },
    ]);
    const campaign = (id: string, dialer: Record<string, unknown> | null) => ({
      id,
      name: "C",
      status: "active",
      definition: { window: "08-21" },
      dialer,
      dispositions: { Sale: ["Paid"] },
      unavailable: dialer ? [] : ["dialer settings: refused"],
    });
    const diff = compareTenants(
      { tenant: "x", campaigns: [campaign("1", { ratio: 2 })] },
      { tenant: "y", campaigns: [campaign("9", null)] },
    );
    expect(diff.same).toBe(true);
    expect(diff.campaigns[0]!.unavailable).toEqual(["dialer settings: refused"]);
  });

  it("leaves out every timestamp, production's lastUpdateTime included, and keeps time-of-day settings (issue 64 §3)", () => {
    expect(
      comparableSettings({
        name: "C",
        lastUpdateTime: "2026-11-01T10:00:00Z",
        lastPollTime: "2026-11-01T10:00:00Z",
        lastModifiedTime: "x",
        updatedAt: "x",
        dialingRules: { startTime: "08:00", endTime: "21:00", lastUpdated: "x" },
      }),
    ).toEqual({ name: "C", dialingRules: { startTime: "08:00", endTime: "21:00" } });
  });
});
