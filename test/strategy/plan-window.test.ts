import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { parseNanp } from "../../src/compliance/index.ts";
import { mostWithin } from "../../src/compliance/interval-caps.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import type { ListRow } from "../../src/strategy/list-format.ts";
import type { Model } from "../../src/strategy/model-format.ts";
import { newPlanSummary, plan } from "../../src/strategy/plan.ts";
import type { PlanRow } from "../../src/strategy/plan-format.ts";
import type { PlanOptions } from "../../src/strategy/types.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 62 §3 in the planner: each attempt is the interval [attemptAt, attemptAt + staleMinutes]
 * and every rule holds over it. Florida's 3 calls in 24 h: five records of one number, each
 * planned once, must not be dialled four times in less than 24 h whatever instants the dialer
 * picks in their windows (on main they were planned at the same hour 24 h apart).
 */
function flatModel(peak: number[]): Model {
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) counts.add(["state"], { state: "FL" }, s, 500, peak.includes(s) ? 300 : 25);
  return buildModel(counts, { campaign: "C1" });
}

const collect = async (rows: AsyncIterable<PlanRow>) => {
  const out: PlanRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
};

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const base: PlanOptions = { from: "2026-03-02T00:00:00-05:00", days: 7, campaign: "C1" };
const FL = "+13055550001";
// One debt's five records of one number (a number listed for several debts is one record: issue 100).
const five: ListRow[] = Array.from({ length: 5 }, (_, i) => ({
  recordId: `r${i + 1}`,
  phone: FL,
  accountId: "acct-1",
  consent: true,
}));

/** The most of the rows' dial windows that some choice of dial times puts within 24 h. */
function busiest24h(rows: readonly PlanRow[], staleMinutes: number): number {
  const windows = rows.map((r) => {
    const start = Date.parse(r.attemptAt);
    return { startMs: start, endMs: start + staleMinutes * MIN };
  });
  return Math.max(
    ...windows.map((w, i) =>
      mostWithin(
        w,
        windows.filter((_, j) => j !== i),
        DAY,
      ),
    ),
  );
}

describe("plan: a planned attempt is its dial window", () => {
  it("five records of one Florida number: never 4 in 24 h at any dial times within the windows", async () => {
    // Monday and Tuesday 16:00 and 19:00 are the best hours by far: the planner wants all five there.
    const model = flatModel([16, 19, 40, 43]);
    const options: PlanOptions = { ...base, days: 2, kind: "collections" };
    const summary = newPlanSummary();
    const rows = await collect(plan(engine, five, model, options, summary));
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.staleMinutes === 59)).toBe(true);
    expect(busiest24h(rows, 59)).toBeLessThanOrEqual(3);
    expect(summary.ruledOutByRule.frequency_cap ?? 0).toBeGreaterThan(0);
    // Planned at instants (a 0-minute window, as before issue 62), the same list puts two at
    // Monday 16:00 and one at 19:00, and one at Tuesday 16:00 exactly 24 h on: legal as instants,
    // four calls within 23 h once the dialer may take 59 minutes.
    const instants = await collect(plan(engine, five, model, { ...options, staleMinutes: 0 }));
    expect(instants.every((r) => r.staleMinutes === 0)).toBe(true);
    expect(busiest24h(instants, 0)).toBeLessThanOrEqual(3);
    expect(busiest24h(instants, 59)).toBe(4);
  });

  it("a longer window spaces the attempts further", async () => {
    const model = flatModel([16, 19, 40, 43, 64, 67]);
    const wide = await collect(plan(engine, five, model, { ...base, days: 3, staleMinutes: 180 }));
    expect(wide.every((r) => r.staleMinutes === 180)).toBe(true);
    expect(busiest24h(wide, 180)).toBeLessThanOrEqual(3);
  });

  it("calling hours hold to the window's end in every zone of the number", async () => {
    // 850 spans Eastern and Central Florida (08:00–20:00 in both; slots in Eastern time): the best
    // hour is 19:00 Eastern (18:00 Central), where a 90-minute window reaches 20:30 Eastern.
    const model = flatModel([19, 43, 67, 91, 115]);
    const list: ListRow[] = [{ recordId: "p1", phone: "+18505552100", consent: true }];
    const [short] = await collect(plan(engine, list, model, { ...base, staleMinutes: 59 }));
    const [long] = await collect(plan(engine, list, model, { ...base, staleMinutes: 90 }));
    for (const [row, minutes] of [
      [short, 59],
      [long, 90],
    ] as const) {
      const start = Date.parse(row!.attemptAt);
      for (const t of [start, start + minutes * MIN]) {
        const v = engine.evaluate({ number: parseNanp(row!.phone)!, atMs: t, consent: true, onDnc: false });
        expect(v.allowed, `${row!.attemptAt} + ${minutes} min: ${v.reasons.map((r) => r.message)}`).toBe(
          true,
        );
      }
    }
    expect(short!.attemptAt).toBe("2026-03-02T19:00:00-05:00");
    expect(long!.attemptAt).not.toBe(short!.attemptAt);
  });

  it("refuses a window outside 0-1440 minutes, naming staleMinutes", async () => {
    const model = flatModel([]);
    for (const staleMinutes of [-1, 1441, 2.5])
      await expect(collect(plan(engine, five, model, { ...base, staleMinutes }))).rejects.toMatchObject({
        problems: [{ field: "staleMinutes" }],
      });
  });
});
