import { describe, expect, it } from "vitest";
import { betaQuantile, interval90 } from "../../src/strategy/beta.ts";
import { attemptBucketOf, learn } from "../../src/strategy/learn.ts";
import { modelSchema } from "../../src/strategy/model-format.ts";
import type { OutcomeRecord } from "../../src/strategy/types.ts";

async function* stream<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

const record = (over: Partial<OutcomeRecord>): OutcomeRecord => ({
  campaignId: "C1",
  startTime: "2026-01-05T23:30:00Z",
  phoneNumber: "+13055550100",
  dispositionCode: "NO_ANSWER",
  agentId: null,
  durationSeconds: 0,
  ...over,
});

describe("beta", () => {
  it("quantiles match closed forms", () => {
    expect(betaQuantile(0.3, 1, 1)).toBeCloseTo(0.3, 6);
    // Beta(1, b): F(x) = 1 - (1 - x)^b
    expect(betaQuantile(0.95, 1, 9)).toBeCloseTo(1 - 0.05 ** (1 / 9), 6);
    expect(betaQuantile(0.05, 9, 1)).toBeCloseTo(0.05 ** (1 / 9), 6);
    const [lo, hi] = interval90(20, 80);
    expect(lo).toBeLessThan(0.2);
    expect(hi).toBeGreaterThan(0.2);
  });
});

describe("learn", () => {
  it("counts each attempt in the called party's local hour of week, across DST", async () => {
    const model = await learn(
      stream([
        // Miami (America/New_York): Monday 2026-01-05 23:30Z = 18:30 EST Monday → slot 18
        record({ agentId: "A1", dispositionCode: "CONVERTED" }),
        // Monday 2026-07-06 22:30Z = 18:30 EDT Monday → also slot 18
        record({ startTime: "2026-07-06T22:30:00Z", agentId: "A1", dispositionCode: "NO_ANSWER" }),
        // Los Angeles 213: Saturday 2026-01-10 18:00Z = 10:00 PST Saturday → slot 5*24+10 = 130
        record({ phoneNumber: "+12135550100", startTime: "2026-01-10T18:00:00Z" }),
        // a talk without an RPC disposition, no agent on a success: neither counts
        record({ startTime: "2026-01-05T23:10:00Z", agentId: null, dispositionCode: "CONVERTED" }),
        record({ campaignId: "OTHER" }),
        record({ phoneNumber: "12345" }),
      ]),
      { campaign: "C1" },
    );
    expect(modelSchema.parse(model)).toEqual(model);
    expect(model.learnedFrom).toMatchObject({ records: 4, skipped: 2 });
    const fl = model.segments.find((s) => s.values.state === "FL");
    const ca = model.segments.find((s) => s.values.state === "CA");
    expect(fl?.slots[18]).toMatchObject({ attempts: 3, rpcs: 2, tried: true });
    expect(ca?.slots[130]).toMatchObject({ attempts: 1, rpcs: 0, tried: true });
    expect(model.priors.campaign[18]).toMatchObject({ attempts: 3, rpcs: 2 });
    // untried: marked, and carrying the parent's estimate, not zero
    expect(fl?.slots[3]?.tried).toBe(false);
    expect(fl?.slots[3]?.estimate).toBe(model.priors.campaign[3]?.estimate);
    expect(model.priors.campaign[3]?.estimate).toBe(model.priors.all.estimate);
    expect(model.priors.all).toMatchObject({ attempts: 4, rpcs: 2 });
  });

  it("shrinks a sparse segment toward the campaign and a rich one toward its own rate", async () => {
    const records: OutcomeRecord[] = [];
    // 2,000 Texas attempts on Monday 18:00 CT, 50% RPC; 2 Florida attempts there, both RPC
    for (let i = 0; i < 2000; i++)
      records.push(
        record({
          phoneNumber: "+12145550100",
          startTime: "2026-01-06T00:15:00Z",
          agentId: i % 2 ? "A" : null,
          dispositionCode: "INTERESTED",
        }),
      );
    records.push(record({ agentId: "A", dispositionCode: "CONVERTED", startTime: "2026-01-05T23:15:00Z" }));
    records.push(record({ agentId: "A", dispositionCode: "CONVERTED", startTime: "2026-01-05T23:20:00Z" }));
    const model = await learn(stream(records), { campaign: "C1", priorStrength: 20 });
    const tx = model.segments.find((s) => s.values.state === "TX")?.slots[18];
    const fl = model.segments.find((s) => s.values.state === "FL")?.slots[18];
    expect(tx?.estimate).toBeCloseTo(0.5, 2);
    // 2 of 2, shrunk: nowhere near 1, near the campaign's ~0.5
    expect(fl?.estimate).toBeGreaterThan(0.5);
    expect(fl?.estimate).toBeLessThan(0.6);
    expect((fl?.interval90[1] ?? 0) - (fl?.interval90[0] ?? 0)).toBeGreaterThan(
      (tx?.interval90[1] ?? 0) - (tx?.interval90[0] ?? 0),
    );
  });

  it("pools a segment's weekday hours: Monday evenings teach its other weekday evenings, not its weekends", async () => {
    const records: OutcomeRecord[] = [];
    // Texas (Central): 200 attempts on Mondays 18:00 local (00:15Z Tuesday in January), 60% RPC;
    // 200 on Mondays 10:00 local, 5% RPC: the campaign's other hours know nothing of 18:00.
    for (let i = 0; i < 200; i++) {
      const rpc18 = i % 5 < 3;
      const rpc10 = i % 20 === 0;
      const week = Math.floor(i / 50) * 7;
      records.push(
        record({
          phoneNumber: "+12145550100",
          startTime: new Date(Date.UTC(2026, 0, 6 + week, 0, 15)).toISOString(),
          agentId: rpc18 ? "A" : null,
          dispositionCode: rpc18 ? "CONVERTED" : "NO_ANSWER",
        }),
        record({
          phoneNumber: "+12145550100",
          startTime: new Date(Date.UTC(2026, 0, 5 + week, 16, 15)).toISOString(),
          agentId: rpc10 ? "A" : null,
          dispositionCode: rpc10 ? "CONVERTED" : "NO_ANSWER",
        }),
      );
    }
    const model = await learn(stream(records), { campaign: "C1" });
    const tx = model.segments.find((s) => s.values.state === "TX");
    const wednesday18 = tx?.slots[2 * 24 + 18];
    const saturday18 = tx?.slots[5 * 24 + 18];
    expect(wednesday18?.tried).toBe(false);
    // Wednesday 18:00, untried, close to the segment's Monday 18:00, far above its campaign prior
    expect(wednesday18?.estimate).toBeGreaterThan(0.5);
    expect(saturday18?.estimate).toBeCloseTo(model.priors.campaign[5 * 24 + 18]?.estimate ?? -1, 6);
  });

  /**
   * Dallas (Central, CST in January): `count` attempts in week-spread copies of one local hour,
   * the first `rpcs` of them RPCs (no randomness). `day` 0 is Monday 5 January 2026.
   */
  const dallas = (day: number, hour: number, count: number, rpcs: number): OutcomeRecord[] =>
    Array.from({ length: count }, (_, i) => {
      const rpc = i < rpcs;
      return record({
        phoneNumber: "+12145550100",
        // local hour + 6 = UTC; one week further every 50 attempts
        startTime: new Date(Date.UTC(2026, 0, 5 + day + 7 * Math.floor(i / 50), hour + 6, 15)).toISOString(),
        agentId: rpc ? "A" : null,
        dispositionCode: rpc ? "CONVERTED" : "NO_ANSWER",
      });
    });

  it("an hour unlucky in its few attempts borrows from the hours around it", async () => {
    // Mondays 17:00 and 19:00: 100 attempts each, 40% RPC; 18:00 only 5 attempts, none answered;
    // 10:00: 200 attempts at 5% (the campaign's other hours know nothing of the evening).
    const model = await learn(
      stream([
        ...dallas(0, 17, 100, 40),
        ...dallas(0, 19, 100, 40),
        ...dallas(0, 18, 5, 0),
        ...dallas(0, 10, 200, 10),
      ]),
      { campaign: "C1" },
    );
    const tx = model.segments.find((s) => s.values.state === "TX");
    // Without the neighbouring hours: 0.11 (Monday) and 0.18 (Wednesday, untried), for an
    // evening whose every other hour answers at 40%.
    expect(tx?.slots[18]?.estimate).toBeGreaterThan(0.25);
    expect(tx?.slots[2 * 24 + 18]?.estimate).toBeGreaterThan(0.25);
    // Two hours away is not a neighbour: 15:00 (untried) keeps the campaign's prior, 0.22.
    expect(tx?.slots[15]?.estimate).toBeLessThan(0.25);
  });

  it("estimates the slot level's strength: alike weekdays pooled harder, a different Friday kept", async () => {
    // Mondays 19:00, 200 attempts, 30% RPC; Fridays 19:00, 4 attempts, none answered: no sign
    // that Friday differs beyond bad luck, so Friday stays near the evening's 30%.
    const alike = await learn(stream([...dallas(0, 19, 200, 60), ...dallas(4, 19, 4, 0)]), {
      campaign: "C1",
    });
    expect(alike.slotStrength).toBe(100);
    // with the slot at strength 20 (before): 0.24
    expect(alike.segments[0]?.slots[4 * 24 + 19]?.estimate).toBeGreaterThan(0.27);
    // Mondays to Thursdays 19:00 at 10%, Fridays at 50%, 200 attempts each: Friday is its own.
    const differ = await learn(
      stream([...[0, 1, 2, 3].flatMap((day) => dallas(day, 19, 200, 20)), ...dallas(4, 19, 200, 100)]),
      { campaign: "C1" },
    );
    expect(differ.slotStrength).toBe(20);
    expect(differ.segments[0]?.slots[4 * 24 + 19]?.estimate).toBeGreaterThan(0.45);
    expect(differ.segments[0]?.slots[19]?.estimate).toBeLessThan(0.14);
  });

  it("segments by area code and attempt-number bucket, in the order asked", async () => {
    const model = await learn(
      stream([
        record({}),
        record({ startTime: "2026-01-06T23:30:00Z" }),
        record({ startTime: "2026-01-07T23:30:00Z" }),
      ]),
      { campaign: "C1", keys: ["areaCode", "attemptBucket"], attemptBuckets: [1] },
    );
    expect(model.segments.map((s) => s.key)).toEqual([
      "areaCode=305|attemptBucket=1",
      "areaCode=305|attemptBucket=2+",
    ]);
    expect(attemptBucketOf(3, [1, 3])).toBe("2-3");
    expect(attemptBucketOf(4, [1, 3])).toBe("4+");
  });

  it("refuses an RPC category the outcome map does not have, naming the field", async () => {
    await expect(
      learn(stream([]), { campaign: "C1", rpc: { categories: ["hot"], requireConversation: true } }),
    ).rejects.toMatchObject({ code: "invalid_input", problems: [{ field: "rpc.categories" }] });
  });
});
