import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInternalClient, type InternalClient } from "../../src/client.ts";
import { silentLogger } from "../../src/core/logging/index.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { ConsentWatcher } from "../../src/service/consent-watcher.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * An agent's Do Not Call reaches the consent group within CXone's reporting lag plus 5 minutes of
 * the clock. The production emulator keeps a completed contact out of the listing for its
 * warehouse lag (30 minutes, its default, as CXone's data warehouse); the consent watcher reads
 * every `consent.pollSeconds` (60 s) of the clock from its last checkpoint less an overlap. The
 * test walks the clock a minute at a time, one watcher run a minute (what `cxo serve`'s
 * schedule does on the clock, whatever its speed, when a run takes no clock time), and finds the
 * minute the number lands in the group: not before the lag, by the lag plus 5 minutes. A read
 * whose window missed the lag (a checkpoint moved to the read's own instant, no overlap) would
 * never find the call.
 */
const LAG_MINUTES = 30;
const START = "2026-12-09T15:00:00Z";
let cxone: RunningCxoneEmulator;
let client: InternalClient;
let store: Store;
let clock: ReturnType<typeof pinClock>;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-agent-dnc-lag-"));

beforeAll(async () => {
  clock = pinClock(START);
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 47,
    contacts: 20,
    days: 1,
  })) as RunningCxoneEmulator;
  const key = cxone.fixtures.accessKeys.find((k) => !k.readOnly);
  if (!key) throw new Error("no key");
  client = createInternalClient({
    connection: {
      platform: "cxone",
      issuer: cxone.url,
      accessKeyUrl: `${cxone.url}/authentication/v1/token/access-key`,
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
    },
    dataDir: path.join(dir, "desk"),
  });
  store = await openStore(path.join(dir, "service"));
  await adminCall(cxone.url, "POST", "/knobs", { warehouseLagS: LAG_MINUTES * 60 });
});

afterAll(async () => {
  await store?.close();
  await client?.close();
  await cxone?.close();
  clock?.restore();
});

async function groupHolds(groupId: number, phone: string): Promise<boolean> {
  const { records } = (await adminCall(cxone.url, "GET", `/dnc-groups/${groupId}`)) as {
    records: Array<{ phone: string }>;
  };
  return records.some((r) => r.phone === phone);
}

describe("an agent's Do Not Call on the clock", () => {
  it("reaches the consent group after the warehouse's lag and within 5 minutes of it", async () => {
    const f = cxone.fixtures;
    const dnc = f.dispositions.find((d) => d.dispositionName === "Do Not Call");
    const skill = f.skills.find((s) => s.isRunning && dnc && s.dispositionIds.includes(dnc.dispositionId));
    const group = f.dncGroups.find((g) => g.isActive);
    if (!dnc || !skill || !group) throw new Error("fixtures lack a DNC disposition, a skill or a group");
    const watcher = new ConsentWatcher({
      client,
      store,
      logger: silentLogger,
      intervalMs: 60_000,
      cxoneGroupId: String(group.dncGroupId),
    });
    const startMs = Date.parse(START);
    // The watcher has run before (its checkpoint is a minute old when the call happens).
    await watcher.runNow();
    clock.jumpTo(new Date(startMs + 60_000).toISOString());
    const { contacts } = (await adminCall(cxone.url, "POST", `/skills/${skill.skillId}/contacts`, {
      count: 1,
    })) as { contacts: Array<{ contactId: number }> };
    const contactId = String(contacts[0]?.contactId);
    const call = await client.port.dispositions.getCall(contactId);
    const phone = call.phone ?? "";
    expect(phone).toMatch(/^\+1\d{10}$/);
    await client.port.dispositions.setCallDisposition(contactId, {
      dispositionCodeId: String(dnc.dispositionId),
      tags: [],
    });
    await adminCall(cxone.url, "POST", `/contacts/${contactId}/end`);
    const saidAtMs = startMs + 60_000;
    let landedAfterMinutes: number | undefined;
    for (let minute = 1; minute <= LAG_MINUTES + 10 && landedAfterMinutes === undefined; minute++) {
      clock.jumpTo(new Date(saidAtMs + minute * 60_000).toISOString());
      await watcher.runNow();
      if (await groupHolds(group.dncGroupId, phone)) landedAfterMinutes = minute;
    }
    await watcher.stop();
    expect(landedAfterMinutes).toBeDefined();
    expect(landedAfterMinutes).toBeGreaterThanOrEqual(LAG_MINUTES);
    expect(landedAfterMinutes).toBeLessThanOrEqual(LAG_MINUTES + 5);
  });
});
