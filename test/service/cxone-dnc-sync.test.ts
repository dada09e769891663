import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { createLogger } from "../../src/core/logging/logger.ts";
import { openStore } from "../../src/core/store/index.ts";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { monitoringHostOf } from "../../src/sdk/monitoring-host.ts";
import { CxoneDncSyncTask } from "../../src/service/cxone-dnc-sync.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { type CxoneHarness, cxoneHarness } from "../emulator/cxone/helpers.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { until, VirtualClock } from "../support/virtual-clock.ts";

/**
 * Issue 62 §2: `cxo serve` keeps the copy of the tenant's CXone DNC groups fresh. The task syncs
 * at start and again `consent.cxoneDncSyncMinutes` after each sync ends (on a virtual clock: a
 * number added to a group in between is in the copy only after the next run); the service runs it
 * on the production platform, audited as `dnc-sync:<instance>`.
 */
let h: CxoneHarness;
beforeAll(async () => {
  h = await cxoneHarness({ seed: 41, contacts: 100, days: 1 });
});
afterAll(() => h.close());

const settingsFor = (dataDir: string) => {
  const base = accessKeySettings({ url: h.url, fixtures: h.fixtures } as unknown as RunningCxoneEmulator);
  return settingsSchema.parse({
    ...base,
    dataDir,
    http: { rateLimitScale: 1000, backoffBaseMs: 10, backoffCapMs: 100 },
    service: { port: 0, pollIntervalSeconds: 3600, livePollIntervalSeconds: 3600 },
  });
};

/** The numbers the copy holds, as the checks read them (records of the copied groups: staged rows are not). */
async function copiedPhones(dataDir: string): Promise<string[]> {
  const store = await openStore(dataDir);
  try {
    const rows = await store.db.all<{ phone: string }>(
      "SELECT DISTINCT r.phone FROM cxone_dnc_records r JOIN cxone_dnc_groups g ON g.group_id = r.group_id ORDER BY r.phone",
    );
    return rows.map((r) => r.phone);
  } finally {
    await store.close();
  }
}

describe("the service's CXone DNC sync", () => {
  it("syncs at start, then once per interval after each sync ends", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-dnc-task-"));
    const client = createInternalClient(clientOptionsFromSettings(settingsFor(dataDir)));
    const store = await openStore(dataDir);
    const clock = new VirtualClock();
    const task = new CxoneDncSyncTask({
      host: monitoringHostOf(client),
      store,
      logger: createLogger({ level: "silent" }),
      intervalMs: 15 * 60_000,
      actor: "dnc-sync:test",
      clock,
    });
    try {
      const all = h.fixtures.dncGroups.flatMap((g) => g.phones.map((p) => `+1${p}`));
      task.start();
      clock.advance(0);
      await until(() => task.last !== undefined);
      expect(task.last).toMatchObject({ groups: 3, records: all.length });
      expect(await copiedPhones(dataDir)).toEqual([...new Set(all)].sort());

      await h.api("POST", `dnc-groups/${h.fixtures.dncGroups[1]!.dncGroupId}/records`, {
        body: { dncGroupRecords: [{ phoneNumber: "3125550999" }] },
      });
      const first = task.last;
      clock.advance(14 * 60_000);
      expect(task.last).toBe(first);
      expect(await copiedPhones(dataDir)).not.toContain("+13125550999");
      clock.advance(60_000);
      await until(() => task.last !== first);
      expect(await copiedPhones(dataDir)).toContain("+13125550999");
      const audits = await store.db.all<{ actor: string }>(
        "SELECT actor FROM audit_log WHERE operation = 'compliance.cxone-dnc.sync'",
      );
      expect(audits.map((a) => a.actor)).toEqual(["dnc-sync:test", "dnc-sync:test"]);
    } finally {
      await task.stop();
      await store.close();
      await client.close();
    }
  });

  it("cxo serve runs it on the production platform: the copy exists and is audited by the service", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-dnc-serve-"));
    let svc: RunningService | undefined;
    try {
      svc = await startService({ settings: settingsFor(dataDir) });
      await until(async () => (await copiedPhones(dataDir)).length > 0);
      const store = await openStore(dataDir);
      try {
        const audits = await store.db.all<{ actor: string }>(
          "SELECT actor FROM audit_log WHERE operation = 'compliance.cxone-dnc.sync'",
        );
        expect(audits.length).toBeGreaterThan(0);
        expect(audits[0]!.actor).toMatch(/^dnc-sync:/);
      } finally {
        await store.close();
      }
    } finally {
      await svc?.close();
    }
  }, 60_000);
});
