import { describe, expect, it } from "vitest";
import type { KnownCampaign } from "../../../src/campaigns/known-campaigns.ts";
import { isMachineVerdict } from "../../../src/dialer/abandonment/machine-calls.ts";
import { readAbandonmentLedger } from "../../../src/dialer/abandonment/read-ledger.ts";
import { PACING_GUARD } from "../../../src/dialer/live-pacing/store-keys.ts";
import type { OutcomesPort } from "../../../src/platform/ports/outcomes.ts";
import type { OutboundCall } from "../../../src/platform/types.ts";

/**
 * Issue 67 §2: the ledger's inputs — the window's hours from the store (here the production
 * guard's), the machine verdicts from the outcome records where the counters have none, and the
 * reproducible sample of the machine-classified calls to review.
 */
const HOUR = 3_600_000;
const AT = Date.UTC(2026, 10, 26, 15, 10);
const now = Math.floor(AT / HOUR);

function call(i: number, name: string, hour: number): OutboundCall {
  return {
    id: `call-${i}`,
    campaignId: "skill-1",
    startTime: new Date(hour * HOUR + 60_000).toISOString(),
    endTime: undefined,
    durationSeconds: 3,
    dispositionCode: String(i % 7),
    dispositionName: name,
    reasonCodeId: undefined,
    tags: [],
    raw: {},
  };
}

const calls = Array.from({ length: 900 }, (_, i) =>
  call(i, i % 3 === 0 ? "Answering Machine" : "No Answer", now - (i % 5)),
);
let asked: unknown;
const outcomes = {
  async *listCalls(query: unknown) {
    asked = query;
    yield* calls;
  },
} as unknown as OutcomesPort;

const known: KnownCampaign = {
  id: "skill-1",
  name: "Paced",
  createdAt: new Date(0).toISOString(),
  specHash: "x",
  contactListId: "l",
  failover: null,
  pacing: {
    mode: "auto",
    target: 0.03,
    window: "ftc-30d",
    maxLinesPerAgent: 3,
    intervalSeconds: 60,
    maxStep: 0.25,
    machines: { falsePositive: { rate: 0.004 } },
  },
};

const store = {
  kv: {
    async get(namespace: string) {
      if (namespace !== PACING_GUARD) return undefined;
      const hours = [0, 1, 2, 3, 4].map((back) => [now - back, 500, 10] as [number, number, number]);
      return { kind: "guard", budget: { window: "ftc-30d", target: 0.03, hours } };
    },
  },
} as never;

describe("readAbandonmentLedger", () => {
  it("recognises machine verdicts by disposition name or code, in any case or spacing", () => {
    expect(isMachineVerdict({ dispositionCode: "11", dispositionName: "Answering Machine" })).toBe(true);
    expect(isMachineVerdict({ dispositionCode: "ANSWERING_MACHINE", dispositionName: undefined })).toBe(true);
    expect(isMachineVerdict({ dispositionCode: "NO_ANSWER", dispositionName: undefined })).toBe(false);
  });

  it("counts the machine verdicts from the outcomes where the counters have none, and samples the calls to review", async () => {
    const report = await readAbandonmentLedger(known, store, outcomes, {
      atMs: AT,
      window: undefined,
      under: 0.01,
    });
    expect(asked).toMatchObject({ campaignId: "skill-1", to: new Date(AT).toISOString() });
    expect(report.counters).toBe("pacing.guard");
    expect(report.amd.machines).toBe(300);
    expect(report.amd.people.estimate).toBeCloseTo(1.2, 10);
    const ftc = report.regimes[0]!;
    expect(ftc).toMatchObject({ regime: "ftc-30d", live: 2500, abandoned: 50, amd: { inFigure: false } });
    // A bare rate has no review behind it: the plan asks for the first 299 (none found: under 1%).
    expect(report.amd.plan.reviewMore).toBe(299);
    expect(report.amd.sample.of).toBe(300);
    expect(report.amd.sample.ids).toHaveLength(299);
    expect(report.amd.sample.ids.every((id) => Number(id.slice(5)) % 3 === 0)).toBe(true);
    const again = await readAbandonmentLedger(known, store, outcomes, {
      atMs: AT,
      window: "ofcom-24h",
      under: 0.01,
    });
    expect(again.amd.sample.ids).toEqual(report.amd.sample.ids);
    expect(again.regimes.map((r) => r.regime)).toEqual(["ofcom-24h"]);
    expect(again.regimes[0]!.amd).toMatchObject({ machines: 300, inFigure: true });
  });
});
