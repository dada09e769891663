import { describe, expect, it } from "vitest";
import type { KnownCampaign } from "../../../src/campaigns/known-campaigns.ts";
import { abandonmentLedger, type LedgerHour } from "../../../src/dialer/abandonment/ledger.ts";
import { readAbandonmentLedger } from "../../../src/dialer/abandonment/read-ledger.ts";
import type { OutcomesPort } from "../../../src/platform/ports/outcomes.ts";
import type { OutboundCall } from "../../../src/platform/types.ts";

/**
 * Issue 103 §5: the Ofcom regime of the abandonment ledger counts the attempted connections to UK
 * numbers in its 24 hours (PECR as amended: an attempted call, connected or not, is a call); the
 * other regimes carry no such count.
 */
const AT = Date.UTC(2026, 10, 26, 12, 30);
const NOW_HOUR = Math.floor(AT / 3_600_000);

describe("the Ofcom regime's attempted connections", () => {
  it("sums the UK attempts of its own 24 hours only, and names its source", () => {
    const hours: LedgerHour[] = [
      { hour: NOW_HOUR - 30, live: 10, abandoned: 0, machines: 0, attemptedUk: 50 },
      { hour: NOW_HOUR - 5, live: 10, abandoned: 0, machines: 0, attemptedUk: 7 },
      { hour: NOW_HOUR, live: 10, abandoned: 1, machines: 0, attemptedUk: 3 },
    ];
    const ledger = abandonmentLedger({ at: AT, hours });
    const ofcom = ledger.regimes.find((r) => r.regime === "ofcom-24h");
    expect(ofcom?.attempted).toMatchObject({ country: "GB", attempts: 10 });
    expect(ofcom?.attempted?.citation).toMatch(/PECR.*21A.*attempted/);
    for (const other of ledger.regimes.filter((r) => r.regime !== "ofcom-24h"))
      expect(other).not.toHaveProperty("attempted");
  });

  it("reads them from the campaign's outcome records: every dial to a +44 number, answered or not", async () => {
    const call = (id: string, phone: string, hoursAgo: number, disposition?: string): OutboundCall => ({
      id,
      campaignId: "C1",
      startTime: new Date(AT - hoursAgo * 3_600_000).toISOString(),
      endTime: undefined,
      durationSeconds: undefined,
      dispositionCode: disposition,
      reasonCodeId: undefined,
      tags: [],
      phoneNumber: phone,
      raw: { phoneNumber: phone },
    });
    const calls = [
      call("1", "+442079460123", 1, "NO_ANSWER"),
      call("2", "+447700900123", 2, "CONVERTED"),
      call("3", "+13125530101", 2, "NO_ANSWER"),
      call("4", "+442079460124", 30, "BUSY"),
    ];
    const outcomes = {
      async *listCalls() {
        yield* calls;
      },
    } as unknown as OutcomesPort;
    const store = { kv: { get: async () => null } } as never;
    const known = { id: "C1", name: "UK", createdAt: "2026-01-01T00:00:00Z" } as KnownCampaign;
    const report = await readAbandonmentLedger(known, store, outcomes, {
      atMs: AT,
      window: undefined,
      under: 0.01,
    });
    expect(report.regimes.find((r) => r.regime === "ofcom-24h")?.attempted?.attempts).toBe(2);
  });
});
