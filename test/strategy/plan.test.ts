import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { parseNanp } from "../../src/compliance/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import type { ListRow } from "../../src/strategy/list-format.ts";
import type { Model } from "../../src/strategy/model-format.ts";
import { newPlanSummary, plan } from "../../src/strategy/plan.ts";
import type { PlanRow } from "../../src/strategy/plan-format.ts";
import type { PlanOptions } from "../../src/strategy/types.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/** A model whose RPC rate is 5% everywhere but `peak` slots (60%), learned from 500 attempts a slot. */
function modelWithPeaks(peaks: number[], campaign = "C1"): Model {
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) counts.add(["state"], { state: "FL" }, s, 500, peaks.includes(s) ? 300 : 25);
  return buildModel(counts, { campaign });
}

const collect = async (rows: AsyncIterable<PlanRow>) => {
  const out: PlanRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
};

const row = (over: Partial<ListRow> = {}): ListRow => ({
  recordId: "r1",
  phone: "+13055552100",
  consent: true,
  ...over,
});
// Monday 2026-03-02 00:00 in Miami (EST)
const base: PlanOptions = { from: "2026-03-02T00:00:00-05:00", days: 7, campaign: "C1" };
const local = (iso: string) => ({ hour: Number(iso.slice(11, 13)), offset: iso.slice(19) });

describe("plan", () => {
  it("chooses the model's best legal hour, in the called party's time, and says which better hours the law refused", async () => {
    // Monday 20:00 is the best slot, but Florida allows 8:00-20:00; Tuesday 19:00 is next best.
    const model = modelWithPeaks([20, 24 + 19]);
    model.segments[0]!.slots[20]!.estimate = 0.9;
    const [planned, ...rest] = await collect(plan(engine, [row()], model, base));
    expect(rest).toEqual([]);
    expect(planned).toMatchObject({ recordId: "r1", zone: "America/New_York", slot: 43, attempt: 1 });
    expect(planned?.attemptAt).toBe("2026-03-03T19:00:00-05:00");
    expect(planned?.ruledOut).toContainEqual({ slot: 20, rule: "outside_calling_hours" });
    const verdict = engine.evaluate({
      number: parseNanp(planned!.phone)!,
      atMs: Date.parse(planned!.attemptAt),
      consent: true,
      onDnc: false,
    });
    expect(verdict.allowed).toBe(true);
  });

  it("crosses a daylight-saving change in the called party's zone", async () => {
    // 2026-03-08 is the US spring-forward Sunday; plan the week from Sunday: Monday 9:00 EDT
    const model = modelWithPeaks([9]);
    const [planned] = await collect(
      plan(engine, [row()], model, { ...base, from: "2026-03-08T00:00:00-05:00", days: 3 }),
    );
    expect(planned?.attemptAt).toBe("2026-03-09T09:00:00-04:00");
    expect(local(planned!.attemptAt)).toEqual({ hour: 9, offset: "-04:00" });
  });

  it("is seeded: the same inputs give the same plan, another seed may differ", async () => {
    const model = modelWithPeaks([]);
    const list = Array.from({ length: 40 }, (_, i) =>
      row({ recordId: `r${i}`, phone: `+1305555${String(1000 + i)}` }),
    );
    const a = await collect(plan(engine, list, model, { ...base, seed: 7, attemptsPerRecord: 2 }));
    const b = await collect(plan(engine, list, model, { ...base, seed: 7, attemptsPerRecord: 2 }));
    const c = await collect(plan(engine, list, model, { ...base, seed: 8, attemptsPerRecord: 2 }));
    expect(a).toEqual(b);
    expect(a).toHaveLength(80);
    expect(a.map((r) => r.attemptAt)).not.toEqual(c.map((r) => r.attemptAt));
  });

  it("never plans more attempts in an hour than the capacity", async () => {
    const model = modelWithPeaks([9]);
    const list = Array.from({ length: 5 }, (_, i) =>
      row({ recordId: `r${i}`, phone: `+1305555${String(2000 + i)}` }),
    );
    const rows = await collect(plan(engine, list, model, { ...base, capacityPerHour: 2 }));
    const perHour = new Map<string, number>();
    for (const r of rows) perHour.set(r.attemptAt, (perHour.get(r.attemptAt) ?? 0) + 1);
    expect(Math.max(...perHour.values())).toBe(2);
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.ruledOut.some((o) => o.rule === "capacity"))).toHaveLength(3);
  });

  it("gives the capacity to the records with the best chance, not to the first in the list", async () => {
    // Monday 9:00 (slot 9): 60% for Florida numbers, 20% for New York ones, 5% elsewhere.
    const counts = new SlotCounts();
    for (let s = 0; s < 168; s++) {
      counts.add(["state"], { state: "FL" }, s, 500, s === 9 ? 300 : 25);
      counts.add(["state"], { state: "NY" }, s, 500, s === 9 ? 100 : 25);
    }
    const model = buildModel(counts, { campaign: "C1" });
    const list = [
      row({ recordId: "ny1", phone: "+12125552001" }),
      row({ recordId: "ny2", phone: "+12125552002" }),
      row({ recordId: "fl1", phone: "+13055552001" }),
      row({ recordId: "fl2", phone: "+13055552002" }),
    ];
    const rows = await collect(plan(engine, list, model, { ...base, capacityPerHour: 2 }));
    const monday9 = rows.filter((r) => r.attemptAt === "2026-03-02T09:00:00-05:00").map((r) => r.recordId);
    expect(monday9.sort()).toEqual(["fl1", "fl2"]);
    // rows come out in the list's order
    expect(rows.map((r) => r.recordId)).toEqual(["ny1", "ny2", "fl1", "fl2"]);
    expect(rows[0]?.ruledOut).toContainEqual({ slot: 9, rule: "capacity" });
  });

  it("a capacity no hour can reach plans as no capacity does", async () => {
    const model = modelWithPeaks([9, 10, 33]);
    const list = Array.from({ length: 30 }, (_, i) =>
      row({ recordId: `r${i}`, phone: `+1305555${String(4000 + i)}` }),
    );
    const free = await collect(plan(engine, list, model, { ...base, attemptsPerRecord: 2 }));
    const roomy = await collect(
      plan(engine, list, model, { ...base, attemptsPerRecord: 2, capacityPerHour: 60 }),
    );
    expect(roomy).toEqual(free);
    // One short of room for all: allocated pair by pair, and still each record's own best hours.
    const allocated = await collect(
      plan(engine, list, model, { ...base, attemptsPerRecord: 2, capacityPerHour: 59 }),
    );
    expect(allocated).toEqual(free);
  });

  it("fills the capacity left after the best pairs with the records' other legal hours", async () => {
    // 17 peak hours (Monday 9-16, Tuesday 9-17), one call an hour: 20 records want them; the
    // three left over are planned at other legal hours, never two in an hour.
    const peaks = [
      ...Array.from({ length: 8 }, (_, i) => 9 + i),
      ...Array.from({ length: 9 }, (_, i) => 33 + i),
    ];
    const model = modelWithPeaks(peaks);
    const list = Array.from({ length: 20 }, (_, i) =>
      row({ recordId: `r${i}`, phone: `+1305555${String(3000 + i)}` }),
    );
    const rows = await collect(plan(engine, list, model, { ...base, capacityPerHour: 1 }));
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r) => r.attemptAt)).size).toBe(20);
    expect(rows.filter((r) => peaks.includes(r.slot))).toHaveLength(17);
  });

  it("moves a record away from the hour its own earlier calls went unanswered", async () => {
    // Monday 9:00 and 10:00 alike (60%); this record missed three calls at Monday 9:00 last week.
    const model = modelWithPeaks([9, 10]);
    const history = [0, 20, 40].map((minute) => ({
      phone: "+13055552100",
      atMs: Date.parse("2026-02-23T09:00:00-05:00") + minute * 60_000,
      conversation: false,
    }));
    for (const seed of [1, 2, 3, 4, 5]) {
      const [planned] = await collect(plan(engine, [row()], model, { ...base, history, seed }));
      expect(planned?.slot).toBe(10);
    }
    // Without them, either hour may be drawn.
    const slots = new Set<number>();
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const [planned] = await collect(plan(engine, [row()], model, { ...base, seed }));
      slots.add(planned?.slot ?? -1);
    }
    expect([...slots].sort()).toEqual([10, 9].sort());
  });

  it("reports the contact's own rate, the one the choice was made on, when it has earlier attempts", async () => {
    const model = modelWithPeaks([9, 10]);
    const segment = model.segments[0]!.slots[10]!;
    const missed = [0, 20, 40].map((minute) => ({
      phone: "+13055552100",
      atMs: Date.parse("2026-02-23T09:00:00-05:00") + minute * 60_000,
      conversation: false,
    }));
    const [planned] = await collect(plan(engine, [row()], model, { ...base, history: missed }));
    expect(planned?.slot).toBe(10);
    // λ(10) = 2 / (2 + 3 · ½ · p(9)): three misses an hour away, each weighing half.
    const lambda = 2 / (2 + 1.5 * model.segments[0]!.slots[9]!.estimate);
    expect(planned?.estimate).toBeCloseTo(segment.estimate * lambda, 5);
    const [lo, hi] = planned!.interval;
    expect(lo).toBeLessThan(planned!.estimate);
    expect(hi).toBeGreaterThan(planned!.estimate);
    expect(lo).toBeLessThan(segment.interval90[0]);
    // Without earlier attempts, the segment's own figures.
    const [fresh] = await collect(plan(engine, [row()], model, base));
    expect(fresh?.estimate).toBe(model.segments[0]!.slots[fresh!.slot]!.estimate);
    expect(fresh?.interval).toEqual(model.segments[0]!.slots[fresh!.slot]!.interval90);
  });

  it("numbers a record's attempts in time order: attempt 1 is its first call", async () => {
    // Tuesday 10:00 is the best hour, Monday 11:00 the second: both are planned, Monday first.
    const counts = new SlotCounts();
    for (let s = 0; s < 168; s++)
      counts.add(["state"], { state: "FL" }, s, 500, s === 34 ? 300 : s === 11 ? 200 : 25);
    const model = buildModel(counts, { campaign: "C1" });
    const list = [row(), row({ recordId: "r2", phone: "+13055552101" })];
    for (const capacityPerHour of [undefined, 10]) {
      const rows = await collect(
        plan(engine, list, model, { ...base, attemptsPerRecord: 2, capacityPerHour }),
      );
      expect(rows.map((r) => [r.recordId, r.attempt, r.attemptAt])).toEqual([
        ["r1", 1, "2026-03-02T11:00:00-05:00"],
        ["r1", 2, "2026-03-03T10:00:00-05:00"],
        ["r2", 1, "2026-03-02T11:00:00-05:00"],
        ["r2", 2, "2026-03-03T10:00:00-05:00"],
      ]);
    }
  });

  it("counts the history toward Florida's 3 calls in 24 hours", async () => {
    const model = modelWithPeaks([9]);
    const history = [0, 1, 2].map((i) => ({
      phone: "+13055552100",
      atMs: Date.parse("2026-03-02T08:00:00-05:00") + i * 60_000,
      conversation: false,
    }));
    const summary = newPlanSummary();
    const [planned] = await collect(
      plan(engine, [row()], model, { ...base, history, from: "2026-03-02T09:00:00-05:00" }, summary),
    );
    // Monday 9:00 is within 24 h of three calls: the next Monday 9:00 (after the DST change) it is.
    expect(planned?.attemptAt).toBe("2026-03-09T09:00:00-04:00");
    expect(summary.ruledOutByRule.frequency_cap).toBeGreaterThan(0);
  });

  it("Regulation F: no call within seven days after a conversation, across the account's numbers", async () => {
    const model = modelWithPeaks([9]);
    const history = [
      { phone: "+13055552111", atMs: Date.parse("2026-03-01T10:00:00-05:00"), conversation: true },
    ];
    const list = [row({ accountId: "A1" }), row({ recordId: "r2", phone: "+13055552111", accountId: "A1" })];
    const rows = await collect(
      plan(engine, list, model, { ...base, days: 14, history, kind: "collections" }),
    );
    for (const r of rows)
      expect(Date.parse(r.attemptAt)).toBeGreaterThanOrEqual(Date.parse("2026-03-09T10:00:00-04:00"));
    expect(rows).toHaveLength(2);
  });

  it("says how many records carry no consent, the reason none of their hours is legal", async () => {
    // e.g. a production calling list read without its consent column configured
    const summary = newPlanSummary();
    const list = [
      row({ consent: undefined }),
      row({ recordId: "r2", phone: "+13055552101", consent: undefined }),
      row({ recordId: "r3", phone: "+13055552102" }),
    ];
    const rows = await collect(plan(engine, list, modelWithPeaks([9]), base, summary));
    expect(rows.map((r) => r.recordId)).toEqual(["r3"]);
    expect(summary.unplannable).toBe(2);
    expect(summary.notes.join(" ")).toMatch(/2 of 3 records carry no consent/);
    const consented = newPlanSummary();
    await collect(plan(engine, [row()], modelWithPeaks([9]), base, consented));
    expect(consented.notes.join(" ")).not.toMatch(/consent/);
  });

  it("says the UK's rule for UK records without consent, not the federal one", async () => {
    // Live calls to UK numbers need no consent (PECR): they are planned; the note says what binds them.
    const summary = newPlanSummary();
    const list = [
      row({ consent: undefined }),
      row({ recordId: "uk1", phone: "+447700900401", consent: undefined }),
      row({ recordId: "uk2", phone: "+442079460402", consent: undefined }),
    ];
    const rows = await collect(plan(engine, list, modelWithPeaks([9, 14]), base, summary));
    expect(new Set(rows.map((r) => r.recordId))).toEqual(new Set(["uk1", "uk2"]));
    const notes = summary.notes.join("\n");
    expect(notes).toMatch(
      /1 of 3 records carry no consent \(not recorded counts as none: the federal consent rule/,
    );
    expect(notes).toMatch(/2 of 3 records are UK numbers without recorded consent/);
    expect(notes).toMatch(/PECR is their rule.*\(reg 19\)/);
    expect(notes).toMatch(/TPS\/CTPS/);
    expect(notes).not.toMatch(/3 of 3/);
  });

  it("falls back to the prior on a model learned from nothing, and says so", async () => {
    const summary = newPlanSummary();
    const empty = buildModel(new SlotCounts(), { campaign: "C1" });
    const rows = await collect(plan(engine, [row()], empty, { ...base, history: [] }, summary));
    expect(rows).toHaveLength(1);
    expect(summary.notes.join(" ")).toMatch(/prior/);
    expect(summary.notes.join(" ")).toMatch(/history holds no attempts/);
  });

  describe("bad input names the field", () => {
    const model = modelWithPeaks([9]);
    const refused = async (options: Partial<PlanOptions>, list: ListRow[] = [row()]) => {
      try {
        await collect(plan(engine, list, model, { ...base, ...options }));
      } catch (error) {
        return error as { code: string; problems: Array<{ field: string }> };
      }
      throw new Error("not refused");
    };
    it("a model of another campaign", async () => {
      expect((await refused({ campaign: "C2" })).problems[0]?.field).toBe("model.campaign");
    });
    it("a model of another key set", async () => {
      expect((await refused({ keys: ["areaCode"] })).problems[0]?.field).toBe("model.keys");
    });
    it("--from without an offset", async () => {
      const error = await refused({ from: "2026-03-02T09:00:00" });
      expect(error.code).toBe("invalid_input");
      expect(error.problems[0]?.field).toBe("from");
    });
    it("collections without accountId", async () => {
      expect((await refused({ kind: "collections" })).problems[0]).toMatchObject({
        field: "accountId",
        row: 1,
      });
    });
    it("an exploration outside (0, 1]", async () => {
      expect((await refused({ exploration: 0 })).problems[0]?.field).toBe("exploration");
      expect((await refused({ exploration: 1.5 })).problems[0]?.field).toBe("exploration");
    });
    it("a model keyed by a list column on a list without it, however long the list", async () => {
      const counts = new SlotCounts();
      counts.add(["column:segment"], { "column:segment": "working" }, 18, 10, 4);
      const byColumn = buildModel(counts, { campaign: "C1", keys: ["column:segment"] });
      const rows = Array.from({ length: 1_500 }, (_, i) => row({ recordId: `r${i}` }));
      for (const list of [rows.slice(0, 3), rows])
        await expect(collect(plan(engine, list, byColumn, base))).rejects.toMatchObject({
          problems: [{ field: "model.keys" }],
        });
      // A column present in some rows is the list's: the others have the empty value.
      const some = [row(), row({ recordId: "r2", columns: { segment: "working" } })];
      expect(await collect(plan(engine, some, byColumn, base))).toHaveLength(2);
    });
  });
});
