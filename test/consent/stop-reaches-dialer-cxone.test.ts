import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * Issue 77 on the production emulator: §2 a revocation of an account stops a push of every
 * number the plan gives that account — one the ledger never saw included; §5 the push's audit
 * record carries the plan digest, the list, the records sent and each blocked number with why;
 * §4 the report reads the skills of the tenant and the lists cxo pushed.
 */
const HOUR = 3_600_000;
let cxone: RunningCxoneEmulator;
let client: InternalClient;
let dataDir = "";
let skillId = "";
// The clock is pinned (pinClock): a Wednesday 09:00 New York; the records go out the same day.
const base = Date.parse("2026-12-02T15:00:00Z");
let clock: ReturnType<typeof pinClock>;
const at = (hours: number) => new Date(base + hours * HOUR).toISOString().replace(".000Z", "Z");

const row = (recordId: string, phone: string, hours: number, accountId: string) => ({
  recordId,
  phone,
  accountId,
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

beforeAll(async () => {
  clock = pinClock();
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 31,
    contacts: 100,
    days: 1,
    uploadJobPolls: 2,
  })) as RunningCxoneEmulator;
  skillId = String(cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId);
  dataDir = mkdtempSync(path.join(tmpdir(), "cxo-stop-cxone-"));
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(cxone)),
    rateLimits: GENEROUS_LIMITS,
    dataDir,
  });
});
afterAll(async () => {
  clock?.restore();
  await client.close();
  await cxone.close();
});

describe("a revoked account's numbers are not pushed, and the push's audit says which and why", () => {
  it("push: the account's numbers (one never seen before) left out; its audit record names them", async () => {
    // A first plan: cxo reads ACC-9's number from its account column.
    const first = await client.strategy.push([row("a1", "+13125550901", 1, "ACC-9")], {
      campaign: skillId,
      listName: "accounts first",
    });
    expect(first.records).toBe(1);
    const revoked = await client.consent.revoke({
      account: "ACC-9",
      channel: "mail",
      at: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(revoked.entry).toMatchObject({ account: "ACC-9", phone: "" });

    await adminCall(cxone.url, "DELETE", "/requests");
    const second = await client.strategy.push(
      [
        row("a2", "+13125550901", 2, "ACC-9"),
        // A number the ledger never saw, given to ACC-9 by this plan: covered all the same.
        row("a3", "+13125550902", 3, "ACC-9"),
        row("b1", "+13125550903", 4, "ACC-10"),
      ],
      { campaign: skillId, listName: "accounts second" },
    );
    expect(second).toMatchObject({ records: 1, blocked: { consent_revoked: 2 } });
    const uploaded = (
      (await adminCall(cxone.url, "GET", "/requests")) as {
        requests: Array<{ method: string; path: string }>;
      }
    ).requests.filter((r) => r.method === "POST" && /upload/i.test(r.path));
    expect(uploaded.length).toBeGreaterThan(0);

    const store = await openStore(dataDir);
    try {
      const rows = await store.db.all<{ target: string; details: string }>(
        "SELECT target, details_json AS details FROM audit_log WHERE operation = 'strategy.push.record' ORDER BY seq",
      );
      expect(rows).toHaveLength(2);
      const details = JSON.parse(rows[1]!.details);
      expect(rows[1]!.target).toBe("call-list:accounts second");
      expect(details).toMatchObject({
        planDigest: second.planDigest,
        campaign: skillId,
        listId: second.listId,
        listName: "accounts second",
        recordsSent: 1,
        blocked: { consent_revoked: 2 },
      });
      expect(details.blockedNumbers).toEqual(
        expect.arrayContaining([
          { recordId: "a2", phone: "+13125550901", codes: ["consent_revoked"] },
          { recordId: "a3", phone: "+13125550902", codes: ["consent_revoked"] },
        ]),
      );
    } finally {
      await store.close();
    }
  });

  it("consent report with no flags reads every skill of the tenant and every pushed list", async () => {
    const report = await client.consent.report();
    expect(report.checked.scope).toBe("tenant");
    expect(report.checked.listing).toBe("per-campaign");
    const skills = cxone.fixtures.skills.filter((s) => s.outboundStrategy === "Personal Connection");
    for (const s of skills) expect(report.callsChecked).toContain(String(s.skillId));
    expect(report.checked.lists.map((l) => l.campaignId)).toEqual([skillId, skillId]);
    // Narrowed to another skill: neither the other skills nor the lists pushed to them are read.
    const other = String(skills.find((s) => String(s.skillId) !== skillId)!.skillId);
    const narrowed = await client.consent.report({ campaigns: [other] });
    expect(narrowed.checked).toMatchObject({ scope: "named", campaigns: [other], lists: [] });
  });
});
