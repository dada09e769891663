import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { calledNumberOf } from "../../src/consent/called-number.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * A consent report over the last weeks (the board's findings every 15 minutes, the autopilot's
 * day report) reads the calls after each revocation from the business unit's one incremental
 * read of CXone's completed contacts, kept in the store — not from a listing of every campaign's
 * window each time — and finds the same calls the listings find.
 */
const DAY = 86_400_000;
const NOW = "2026-12-02T15:00:00Z";
let cxone: RunningCxoneEmulator;
let client: InternalClient;
let clock: ReturnType<typeof pinClock>;

interface Logged {
  path: string;
  query: Record<string, string>;
}
const completedListings = async () =>
  ((await adminCall(cxone.url, "GET", "/requests")) as { requests: Logged[] }).requests.filter((r) =>
    r.path.endsWith("/contacts/completed"),
  );

beforeAll(async () => {
  clock = pinClock(NOW);
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 47,
    contacts: 3000,
    days: 6,
  })) as RunningCxoneEmulator;
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(cxone)),
    rateLimits: GENEROUS_LIMITS,
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-report-kept-")),
  });
});
afterAll(async () => {
  await client?.close();
  await cxone?.close();
  clock.restore();
});

describe("consent report over the last weeks", () => {
  it("reads the kept calls, tenant-wide, and finds what the campaigns' listings find", async () => {
    // Three numbers CXone called in the last days, each revoked five days ago.
    const called: string[] = [];
    const skills = cxone.fixtures.skills
      .filter((s) => s.outboundStrategy !== undefined)
      .map((s) => String(s.skillId));
    for (const skill of skills) {
      for await (const call of client.port.outcomes.listCalls({
        campaignId: skill,
        from: new Date(Date.parse(NOW) - 3 * DAY).toISOString(),
        to: NOW,
      })) {
        const phone = calledNumberOf(call.phoneNumber);
        if (phone?.startsWith("+1") && !called.includes(phone)) called.push(phone);
        if (called.length >= 3) break;
      }
      if (called.length >= 3) break;
    }
    expect(called).toHaveLength(3);
    for (const phone of called)
      await client.consent.revoke({
        phone,
        at: new Date(Date.parse(NOW) - 5 * DAY).toISOString(),
        channel: "mail",
      });

    await adminCall(cxone.url, "DELETE", "/requests");
    const recent = await client.consent.report({ from: new Date(Date.parse(NOW) - 7 * DAY).toISOString() });
    expect(recent.checked.listing).toBe("tenant-wide");
    // No listing of a campaign's window: only the one incremental read (by `updatedSince`).
    const asked = await completedListings();
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((r) => r.query.skillId !== undefined)).toEqual([]);

    // The same window read the old way (a window past the kept read's reach lists each campaign).
    const listed = await client.consent.report({ from: new Date(Date.parse(NOW) - 60 * DAY).toISOString() });
    expect(listed.checked.listing).toBe("per-campaign");
    const callsOf = (report: typeof recent) =>
      Object.fromEntries(
        report.entries.map((e) => [e.phone, e.callsAfter.map((c) => c.callId).sort()] as const),
      );
    const kept = callsOf(recent);
    const byListing = callsOf(listed);
    for (const phone of called) {
      expect(kept[phone]?.length ?? 0, phone).toBeGreaterThan(0);
      expect(kept[phone], phone).toEqual(byListing[phone]);
    }
  });
});
