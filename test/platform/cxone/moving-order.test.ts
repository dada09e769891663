import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type InternalClient as CxoneClient,
  clientOptionsFromSettings,
  createInternalClient as createClient,
} from "../../../src/client.ts";
import { loadSettings, requireProductionConnection } from "../../../src/core/config/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { ProductionApi } from "../../../src/platform/cxone/api.ts";
import { ProductionSession } from "../../../src/platform/cxone/auth.ts";
import { changedCalls } from "../../../src/platform/cxone/changed-calls.ts";
import { accessKeySettings } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";

/**
 * Issue 39 §1, "no record lost by paging on a moving order" (conformance §6). The incremental
 * listing (`updatedSince` + `orderBy=lastUpdateTime asc`) over data that changes while it is
 * listed: the emulator's knob listingChurn changes some listed contacts after every page (each
 * moves to the end of the order). Skip paging then never returns the row that shifted into the
 * place already read; paging by key (the next `updatedSince` = the last record's
 * lastUpdateTime) cannot lose it. Property: every contact the listing would have returned when
 * it began is returned, and no (contact, lastUpdateTime) version is returned twice.
 */
let emulator: RunningCxoneEmulator;
let client: CxoneClient;
let api: ProductionApi;
let skillId = "";
let since = "";

type Listed = { id: string; version: string };

async function list(pageSize: number): Promise<Listed[]> {
  const out: Listed[] = [];
  for await (const call of changedCalls(api, { campaignId: skillId, updatedSince: since, pageSize }))
    out.push({ id: call.id, version: String(call.raw.dispositionUpdatedAt) });
  return out;
}

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 39,
    contacts: 2400,
    knobs: { warehouseLagS: 0 },
  })) as RunningCxoneEmulator;
  skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!.skillId,
  );
  const settings = accessKeySettings(emulator);
  const options = clientOptionsFromSettings(settings);
  client = createClient({
    ...options,
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-moving-order-")),
    http: { ...options.http, backoffBaseMs: 5, backoffCapMs: 20, rateLimitScale: 100 },
  });
  const key = emulator.fixtures.accessKeys.find((k) => !k.readOnly)!;
  const connection = requireProductionConnection(
    loadSettings({
      cwd: "/nonexistent",
      env: {
        CXONE_PLATFORM: "cxone",
        CXONE_BASE_URL: emulator.url,
        CXONE_ACCESS_KEY_ID: key.accessKeyId,
        CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
      },
    }),
  );
  api = new ProductionApi(
    client.core.http,
    new ProductionSession(connection, client.core.tokens, undefined as never),
    "v33.0",
  );
  // About the last third of the window: a few hundred of the skill's records.
  const start = Date.parse(emulator.fixtures.completed.windowStart);
  since = new Date(start + ((Date.now() - start) * 2) / 3).toISOString();
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});

describe("an incremental listing over data that changes while it is listed", () => {
  it("returns every contact listed at its start, and no version twice (property)", async () => {
    await adminCall(emulator.url, "POST", "/reset");
    const before = await list(10_000);
    expect(before.length).toBeGreaterThan(150);
    const wanted = new Set(before.map((r) => r.id));
    expect(wanted.size).toBe(before.length);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 20, max: 90 }),
        async (churn, seed, pageSize) => {
          await adminCall(emulator.url, "POST", "/reset");
          await adminCall(emulator.url, "POST", "/knobs", { listingChurn: churn, listingChurnSeed: seed });
          const listed = await list(pageSize);
          const versions = listed.map((r) => `${r.id}@${r.version}`);
          const dup = versions.filter((v, i) => versions.indexOf(v) !== i);
          expect(dup).toEqual([]);
          const got = new Set(listed.map((r) => r.id));
          const lost = [...wanted].filter((id) => !got.has(id));
          expect(lost).toEqual([]);
        },
      ),
      { numRuns: 12, seed: 3906 },
    );
    await adminCall(emulator.url, "POST", "/reset");
  });
});
