import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { swapInStaged } from "../../src/consent/dnc-group-copy.ts";
import { openStore } from "../../src/core/store/index.ts";
import { createAutopilot, createClient } from "../../src/index.ts";
import { applicationHostOf } from "../../src/sdk/application-host.ts";

/**
 * The application host answers the autopilot's questions about consent's tables (the DNC copy
 * standing in for CXone's answer, a read of CXone's completed contacts not finished) from the
 * client's store, so the autopilot never opens them (test/core/autopilot-over-client.test.ts).
 */
const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-application-host-"));
const SYNCED_AT = "2026-12-01T10:00:00.000Z";
const READING = {
  calls: 1200,
  pages: 3,
  upTo: "2026-12-01T09:00:00.000Z",
  since: "2026-11-01T00:00:00.000Z",
  first: true,
  at: 1_764_583_200_000,
};
const client = createClient({ dataDir, actor: "test" });
afterAll(() => client.close());

beforeAll(async () => {
  const store = await openStore(dataDir, { actor: "test" });
  try {
    await store.db.transaction((tx) =>
      swapInStaged(tx, {
        run: "r1:",
        staging: "r",
        groups: [
          { groupId: "91", name: "Internal", active: true, scrubbedSkillIds: ["701"], records: 0 },
          { groupId: "92", name: "Old", active: false, scrubbedSkillIds: ["702"], records: 0 },
        ],
        syncedAt: SYNCED_AT,
        inForceAt: SYNCED_AT,
      }),
    );
    await store.kv.set("consent.watcher", "tenant.reading", READING);
  } finally {
    await store.close();
  }
});

describe("the application host", () => {
  it("dncCopyStandIn: the last copy's active groups scrubbing the skill, none for a skill no active group scrubs", async () => {
    const host = applicationHostOf(client);
    expect(await host.dncCopyStandIn("701")).toEqual({
      syncedAt: SYNCED_AT,
      scrubbing: [{ groupId: "91", name: "Internal", active: true, scrubbedSkillIds: ["701"], records: 0 }],
    });
    expect(await host.dncCopyStandIn("702")).toBeUndefined();
    expect(await host.dncCopyStandIn("")).toBeUndefined();
  });

  it("dncCopyAge: the copy's age against the client's rule (no sync recorded: stale, never synced)", async () => {
    expect(await applicationHostOf(client).dncCopyAge(Date.parse("2026-12-01T11:00:00Z"))).toEqual({
      syncedAt: null,
      ageMinutes: null,
      maxAgeMinutes: 60,
      stale: true,
    });
  });

  it("dispositionsReadUnfinished: the read under way as the store keeps it", async () => {
    expect(await applicationHostOf(client).dispositionsReadUnfinished()).toEqual(READING);
  });

  it("the autopilot's status tells a plan it waits on that read, through the host", async () => {
    const autopilot = createAutopilot(client, {
      timeZone: "America/New_York",
      campaigns: [{ campaign: "701", kind: "sales", list: "l.csv", model: "m.json" }],
    });
    const [status] = await autopilot.status();
    expect(status?.next.step).toBe("plan");
    expect(status?.next.text).toContain(
      `after CXone's completed contacts are read (the first read, since ${READING.since}: 1200 read so far, up to ${READING.upTo};`,
    );
  });
});
