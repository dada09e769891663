import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { completedCallOf } from "../../src/platform/cxone/contact-record.ts";
import type { OutboundCall } from "../../src/platform/types.ts";

/**
 * `OutboundCall` models the call record's fields its readers use (agent, contact, number,
 * direction, when the disposition changed): both adapters fill them with what `raw` carries
 * under the same names, so nothing above the port reads `raw` by name.
 */
const TYPED = ["agentId", "contactId", "phoneNumber", "direction", "dispositionUpdatedAt"] as const;

/** The typed fields, and raw's fields of the same names as the typed ones read them (null: absent). */
const typedAndRaw = (call: OutboundCall) => ({
  typed: Object.fromEntries(TYPED.map((name) => [name, call[name]])),
  raw: Object.fromEntries(
    TYPED.map((name) => {
      const value = call.raw[name];
      return [name, value === null || value === undefined ? undefined : String(value)];
    }),
  ),
});

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = (await startEmulator({ port: 0, seed: 7, calls: 60, metricsIntervalMs: 0 })) as RunningEmulator;
}, 60_000);
afterAll(() => emulator.close());

describe("the call record's modelled fields", () => {
  it("production: the adapter's typed fields are raw's, absent where raw has none", () => {
    const full = completedCallOf({
      contactId: "5001",
      masterContactId: "5000",
      skillId: "701",
      contactStartDate: "2026-11-20T10:00:00Z",
      totalDurationSeconds: 42,
      toAddress: "2125550123",
      agentId: 9,
      lastUpdateTime: "2026-11-20T10:05:00Z",
      tags: [],
    });
    expect(typedAndRaw(full).typed).toEqual({
      agentId: "9",
      contactId: "5000",
      phoneNumber: "2125550123",
      direction: "OUTBOUND",
      dispositionUpdatedAt: "2026-11-20T10:05:00Z",
    });
    expect(typedAndRaw(full).typed).toEqual(typedAndRaw(full).raw);
    const bare = completedCallOf({
      contactId: "5002",
      skillId: "701",
      contactStartDate: "2026-11-20T10:00:00Z",
    });
    expect(typedAndRaw(bare).typed).toEqual({
      agentId: undefined,
      contactId: "5002",
      phoneNumber: undefined,
      direction: "OUTBOUND",
      dispositionUpdatedAt: undefined,
    });
    expect(typedAndRaw(bare).typed).toEqual(typedAndRaw(bare).raw);
  });

  it("seed API: every listed call's typed fields are its record's", async () => {
    const { fixtures } = emulator;
    const client = createInternalClient(
      clientOptionsFromSettings(
        settingsSchema.parse({
          cxone: {
            baseUrl: emulator.url,
            clientId: fixtures.clients[0]?.clientId,
            clientSecret: fixtures.clients[0]?.clientSecret,
          },
          dataDir: mkdtempSync(path.join(tmpdir(), "cxo-typed-fields-")),
        }),
      ),
    );
    const calls: OutboundCall[] = [];
    try {
      for (const campaign of fixtures.campaigns)
        calls.push(
          ...(await client.outcomes
            .list({ campaignId: campaign.id, from: fixtures.callWindow.start, to: fixtures.callWindow.end })
            .toArray()),
        );
    } finally {
      await client.close();
    }
    expect(calls.length).toBeGreaterThan(10);
    for (const call of calls) expect(typedAndRaw(call).typed, call.id).toEqual(typedAndRaw(call).raw);
    expect(calls.every((call) => call.phoneNumber?.startsWith("+1"))).toBe(true);
    expect(calls.every((call) => call.direction === "OUTBOUND" && call.contactId !== undefined)).toBe(true);
    expect(calls.some((call) => call.agentId !== undefined)).toBe(true);
  });
});
