import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientOptionsFromSettings,
  createInternalClient as createClient,
  type InternalClient,
} from "../../src/client.ts";
import { type RunningCxoneEmulator, type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { createClient as createPublicClient } from "../../src/index.ts";
import { DatasetWriter, readDataset } from "../../src/outcomes/parquet/dataset.ts";
import { partitionDay } from "../../src/outcomes/parquet/schema.ts";
import { CSV_HEADER, canonicalLine, canonicalRecord, csvRows } from "../../src/outcomes/record-format.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * Issue 66 §1: the outcome record carries the number the call was placed from (`callerId`,
 * E.164) on both platforms' emulators, in NDJSON, CSV and Parquet; the production emulator dials
 * from a pool per skill and an admin route labels one number from an instant on.
 */
let cxone: RunningCxoneEmulator;
let seed: RunningEmulator;
let client: InternalClient;
let skillId = "";

beforeAll(async () => {
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 66,
    contacts: 6000,
    days: 10,
  })) as RunningCxoneEmulator;
  seed = (await startEmulator({ port: 0, seed: 66, calls: 2000 })) as RunningEmulator;
  skillId = String(
    cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!.skillId,
  );
  const options = clientOptionsFromSettings(accessKeySettings(cxone));
  client = createClient({
    ...options,
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-callerid-")),
    http: { ...options.http, backoffBaseMs: 5, backoffCapMs: 20, rateLimitScale: 100 },
  });
});
afterAll(async () => {
  await client.close();
  await cxone.close();
  await seed.close();
});

type Pools = { pools: Array<{ skillId: number; numbers: string[] }>; labels: unknown[] };

async function listed() {
  const calls = [];
  for await (const call of client.port.outcomes.listCalls({
    campaignId: skillId,
    from: cxone.fixtures.completed.windowStart,
    to: new Date(Date.now() - 3 * 3_600_000).toISOString(),
    pageSize: 5000,
  }))
    calls.push(call);
  return calls;
}

describe("caller id on the production emulator", () => {
  it("completed contacts come from the skill's pool and the adapter maps fromAddress to an E.164 callerId", async () => {
    const { pools } = (await adminCall(cxone.url, "GET", "/callerid")) as Pools;
    const pool = pools.find((p) => String(p.skillId) === skillId)!.numbers;
    expect(pool).toHaveLength(6);
    const calls = await listed();
    expect(calls.length).toBeGreaterThan(200);
    const used = new Set(calls.map((c) => c.callerId));
    expect([...used].sort()).toEqual([...pool].sort());
    const record = canonicalRecord(calls[0]!.raw);
    expect(record.callerId).toMatch(/^\+1800\d{7}$/);
    // fromAddress stays as CXone sent it (10 digits), under extra.
    expect(record.extra?.fromAddress).toBe(record.callerId!.slice(2));
  });

  it("a label makes the number answer factor × as often from its start, on one carrier when asked", async () => {
    const { pools } = (await adminCall(cxone.url, "GET", "/callerid")) as Pools;
    const pool = pools.find((p) => String(p.skillId) === skillId)!.numbers;
    const target = pool[1]!;
    const before = await listed();
    const from = before[Math.floor(before.length / 2)]!.startTime;
    const answeredOf = (calls: typeof before, number: string, after: boolean) =>
      calls.filter((c) => c.callerId === number && c.startTime >= from === after && c.raw.agentId !== null);
    expect(answeredOf(before, target, true).length).toBeGreaterThan(5);

    const bad = await fetch(`${cxone.url}/_emulator/callerid/labels`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ callerId: "+12125550100", from, factor: 0 }),
    });
    expect(bad.status).toBe(400);

    await adminCall(cxone.url, "POST", "/callerid/labels", { callerId: target, from, factor: 0 });
    const after = await listed();
    expect(answeredOf(after, target, true)).toEqual([]);
    // Before the label, and other numbers, unchanged.
    expect(answeredOf(after, target, false).length).toBe(answeredOf(before, target, false).length);
    expect(answeredOf(after, pool[2]!, true).length).toBe(answeredOf(before, pool[2]!, true).length);

    // One carrier's subscribers only: the others still answer.
    await adminCall(cxone.url, "POST", "/callerid/labels", {
      callerId: target,
      from,
      factor: 0,
      carrier: "AT&T",
    });
    const carrierOf = async (phone: string) =>
      (
        (await adminCall(cxone.url, "GET", `/callerid/carrier?phone=${encodeURIComponent(phone)}`)) as {
          carrier: string;
        }
      ).carrier;
    const third = answeredOf(await listed(), target, true);
    expect(third.length).toBeGreaterThan(0);
    for (const call of third.slice(0, 20))
      expect(await carrierOf(String(call.raw.phoneNumber))).not.toBe("AT&T");
    await adminCall(cxone.url, "DELETE", "/callerid/labels");
    expect(((await adminCall(cxone.url, "GET", "/callerid")) as Pools).labels).toEqual([]);
  });
});

describe("caller id on the seed emulator and in every export format", () => {
  it("the seed emulator's call records carry callerId (E.164), a few per campaign", async () => {
    const fixtures = seed.fixtures;
    const campaign = fixtures.campaigns[0]!.id;
    const token = await fetch(`${seed.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: fixtures.clients[0]!.clientId,
        client_secret: fixtures.clients[0]!.clientSecret,
      }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const now = new Date().toISOString();
    const from = new Date(Date.now() - 80 * 86_400_000).toISOString();
    const page = (await fetch(
      `${seed.url}/api/v2/outbound/calls?campaignId=${campaign}&startTime=${from}&endTime=${now}&limit=500`,
      { headers: { authorization: `Bearer ${token.access_token}` } },
    ).then((r) => r.json())) as { calls: Array<{ callerId: string }> };
    expect(page.calls.length).toBeGreaterThan(10);
    const numbers = new Set(page.calls.map((c) => c.callerId));
    for (const n of numbers) expect(n).toMatch(/^\+1800555\d{4}$/);
    expect(numbers.size).toBe(4);
  });

  it("client.callerId.health on the seed emulator: every number of the campaign, none suspect without a label", async () => {
    const admin = seed.fixtures.clients[0]!;
    const sdk = createPublicClient({
      connection: { baseUrl: seed.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-callerid-seed-")),
    });
    try {
      const campaign = seed.fixtures.campaigns[0]!.id;
      const rows = await sdk.callerId.health({
        campaign,
        from: new Date(Date.now() - 80 * 86_400_000).toISOString(),
      });
      expect(rows.map((r) => r.callerId)).toHaveLength(4);
      for (const row of rows) {
        expect(row.callerId).toMatch(/^\+1800555\d{4}$/);
        expect(row.campaignId).toBe(campaign);
        expect(row.evidence.expectation).toBe("peers");
      }
      expect(rows.filter((r) => r.status === "suspect")).toEqual([]);
      await expect(sdk.callerId.health({ campaign, falseAlarmRate: 0.9 })).rejects.toMatchObject({
        problems: [{ field: "falseAlarmRate" }],
      });
    } finally {
      await sdk.close();
    }
  });

  it("NDJSON carries callerId, CSV a callerId column before extra, Parquet a caller_id column; each reads back", async () => {
    const raw = {
      id: "c1",
      campaignId: "k",
      startTime: "2026-11-20T15:00:00.000Z",
      callerId: "+18005550100",
      tags: [],
    };
    const record = canonicalRecord(raw);
    expect(JSON.parse(canonicalLine(record)).callerId).toBe("+18005550100");
    expect(CSV_HEADER).toBe(
      // Issue 79 §4's TSR columns come after extra.
      "id,campaignId,startTime,endTime,durationSeconds,dispositionCode,reasonCodeId,agentId,contactId,phoneNumber,direction,tags,notes,dispositionUpdatedAt,callerId,extra,seller,telemarketer,robocall\n",
    );
    expect(csvRows([record])).toMatch(/,[^,]*18005550100[^,]*,,,,$/m);
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-callerid-parquet-"));
    try {
      const writer = new DatasetWriter({ dir, firstPart: 0 });
      writer.add(record, partitionDay(record.startTime), null);
      await writer.close()?.durable;
      const back = [];
      for await (const r of readDataset(dir)) back.push(r);
      expect(back.map((r) => r.callerId)).toEqual(["+18005550100"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
