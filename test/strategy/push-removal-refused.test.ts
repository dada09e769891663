import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { consentPanel } from "../../src/service/consent-panel.ts";
import { accessKeySettings, cxoneApiGet } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * A record whose number became blocked is taken out of the pushed list; when CXone answers it in
 * `failedRecords` (fault `failRemovals`: the list keeps it) it is NOT counted as excluded. The push
 * fails (nothing more of the plan goes out), an event goes to the `campaigns` destination, the
 * store keeps the record pending; the next push asks CXone again, and once CXone takes it out the
 * emulator's dialer never dials it.
 */
const HOUR = 3_600_000;
// The clock is pinned: a Wednesday 09:00 New York; the records' windows open later that day.
const base = Date.parse("2026-12-02T15:00:00Z");
const at = (hours: number) => new Date(base + hours * HOUR).toISOString().replace(".000Z", "Z");
let cxone: RunningCxoneEmulator;
let client: InternalClient;
let skillId = "";
let dataDir = "";
let clock: ReturnType<typeof pinClock>;

const row = (recordId: string, phone: string, hours: number) => ({
  recordId,
  phone,
  attemptAt: at(hours),
  zone: "America/Chicago",
  slot: 10,
  attempt: 1,
  estimate: 0.125,
  interval: [0.1, 0.15],
  ruledOut: [],
  campaign: skillId,
  staleMinutes: 59,
});

const listIds = async (listId: string) =>
  (
    (await cxoneApiGet(cxone, `/lists/call-lists/${listId}?includeRecords=true`)) as {
      resultSet: { contactRecords: Array<{ externalId: unknown }> };
    }
  ).resultSet.contactRecords
    .map((r) => String(r.externalId))
    .sort();

/** The consent panel the board shows, read from the data dir by a store of its own. */
async function board() {
  const store = await openStore({ dataDir });
  try {
    return await consentPanel(
      store,
      { cxoneDncGroup: undefined, cxoneDncMaxAgeMinutes: 60 },
      { timeZone: "America/New_York", nowMs: Date.now(), hasDncGroups: false, mask: false },
    );
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  clock = pinClock("2026-12-02T14:00:00Z");
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 79,
    contacts: 50,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  skillId = String(cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId);
  dataDir = mkdtempSync(path.join(tmpdir(), "cxo-push-removal-"));
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(cxone)),
    rateLimits: GENEROUS_LIMITS,
    dataDir,
  });
});
afterAll(async () => {
  clock?.restore();
  await client?.close();
  await cxone?.close();
});

describe("a removal CXone refuses", () => {
  it("stays pending, blocks the plan's further pushes, is asked again, and the number is never dialled", async () => {
    const plan = [row("k1", "+13125557901", 2), row("k2", "+13125557902", 3)];
    const first = await client.strategy.push(plan, { campaign: skillId });
    expect(first).toMatchObject({ records: 2, source: "created" });

    await adminCall(cxone.url, "POST", "/faults", {
      failRemovals: { externalIds: ["k2"], resultCode: "Locked" },
    });
    await client.consent.revoke({ phone: "+13125557902", channel: "sms" });
    const refused = await client.strategy.push(plan, { campaign: skillId }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(refused?.message).toMatch(
      /CXone has not taken 1 record\(s\).*\(k2\): nothing more of this plan is pushed/,
    );
    expect(await listIds(first.listId)).toEqual(["k1", "k2"]);

    // Still refused: asked again, still there, still blocking.
    await expect(client.strategy.push(plan, { campaign: skillId })).rejects.toThrow(/\(k2\)/);
    // The board's "Needs attention" (the consent panel, read by a second process on the data dir).
    expect((await board()).notRemoved).toEqual([
      { campaignId: skillId, listId: first.listId, listName: first.listName, records: ["k2"] },
    ]);

    await adminCall(cxone.url, "DELETE", "/faults");
    const done = await client.strategy.push(plan, { campaign: skillId });
    expect(done).toMatchObject({ listId: first.listId, records: 1, removed: 1, source: "store" });
    expect(await listIds(first.listId)).toEqual(["k1"]);
    expect((await board()).notRemoved).toEqual([]);

    await adminCall(cxone.url, "POST", `/lists/${first.listId}/dial`, { until: at(6), timing: "early" });
    const { dials } = (await adminCall(cxone.url, "GET", `/lists/${first.listId}/dials`)) as {
      dials: Array<{ externalId: string; phone: string }>;
    };
    expect(dials.map((d) => d.externalId)).toContain("k1");
    expect(dials.some((d) => d.phone === "+13125557902")).toBe(false);

    await client.close();
    const store = await openStore({ dataDir });
    try {
      const events = await store.outbox.list({ destination: "campaigns" });
      const notRemoved = events.filter((e) => e.type === "strategy.push.not-removed");
      expect(notRemoved.length).toBe(2);
      expect(notRemoved[0]?.data).toMatchObject({
        listId: first.listId,
        notRemoved: [{ externalId: "k2", reason: "Locked" }],
        pending: ["k2"],
      });
    } finally {
      await store.close();
    }
  }, 120_000);
});
