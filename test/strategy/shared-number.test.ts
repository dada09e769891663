import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { AccountPairs, accountPairsOf } from "../../src/consent/accounts.ts";
import { InputError } from "../../src/core/input-error.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import type { ListRow } from "../../src/strategy/list-format.ts";
import type { Model } from "../../src/strategy/model-format.ts";
import { newPlanSummary, plan } from "../../src/strategy/plan.ts";
import type { PlanRow } from "../../src/strategy/plan-format.ts";
import type { HistoryAttempt, PlanOptions } from "../../src/strategy/types.ts";

/**
 * One number, several debts (issue 100): a household line listed for three of a person's debts is
 * one record, dialled once, each call counted toward every debt (12 CFR 1006.14(b)(2)); a cap of
 * any of its debts refuses it. The planner alone, no store (the CLI and SDK against the production
 * emulator: shared-number-cli.test.ts).
 */
const engine = new ComplianceEngine();
const HOUSEHOLD = "+13125552142";

function model(): Model {
  const counts = new SlotCounts();
  for (let s = 0; s < 168; s++) counts.add(["state"], { state: "IL" }, s, 400, s % 24 === 10 ? 300 : 8);
  return buildModel(counts, { campaign: "C1" });
}

const collect = async (rows: AsyncIterable<PlanRow>) => {
  const out: PlanRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
};

const row = (recordId: string, phone: string, accountId: string, over: Partial<ListRow> = {}): ListRow => ({
  recordId,
  phone,
  accountId,
  consent: true,
  ...over,
});

// Monday 2026-12-07, Chicago.
const base: PlanOptions = {
  from: "2026-12-07T08:00:00-06:00",
  days: 1,
  campaign: "C1",
  kind: "collections",
};

describe("a number listed for three debts", () => {
  it("is one record for all three: dialled once, every debt named (the old code refused the file)", async () => {
    const summary = newPlanSummary();
    const list = [
      row("d1", HOUSEHOLD, "DEBT-1"),
      row("d2", HOUSEHOLD, "DEBT-2"),
      row("other", "+13125552199", "DEBT-9"),
      row("d3", HOUSEHOLD, "DEBT-3"),
    ];
    const rows = await collect(plan(engine, list, model(), base, summary));
    const household = rows.filter((r) => r.phone === HOUSEHOLD);
    expect(household).toHaveLength(1);
    expect(household[0]).toMatchObject({
      recordId: "d1",
      accountId: "DEBT-1",
      accountIds: ["DEBT-1", "DEBT-2", "DEBT-3"],
    });
    expect(rows.find((r) => r.recordId === "other")?.accountIds).toBeUndefined();
    expect(summary.sharedNumbers).toEqual({ numbers: 1, rows: 2 });
    expect(summary.records).toBe(2);
    expect(summary.notes.join(" ")).toMatch(/DEBT-1, DEBT-2, DEBT-3/);
  });

  it("7 calls in 7 days about debt A on its own number refuse a call to the number it shares with debt B", async () => {
    // Debt A has its own mobile, called 7 times this week; A and B share the household line.
    const mobile = "+13125552177";
    const history: HistoryAttempt[] = Array.from({ length: 7 }, (_, i) => ({
      phone: mobile,
      atMs: Date.parse("2026-12-02T10:00:00-06:00") + i * 10 * 3_600_000,
      conversation: false,
      accountId: "DEBT-A",
    }));
    const accountCalls = new Map([["DEBT-A", history]]);
    const shared = [row("h1", HOUSEHOLD, "DEBT-B"), row("h2", HOUSEHOLD, "DEBT-A")];
    const summary = newPlanSummary();
    const rows = await collect(
      plan(engine, shared, model(), { ...base, days: 2, history, accountCalls }, summary),
    );
    // The household line is about B and A: A's 7 calls leave no call until they age out.
    expect(rows).toEqual([]);
    expect(summary.ruledOutByRule.reg_f_7_in_7).toBeGreaterThan(0);
    // B alone on the line is called.
    const alone = await collect(
      plan(engine, [row("h1", HOUSEHOLD, "DEBT-B")], model(), { ...base, days: 2, history, accountCalls }),
    );
    expect(alone).toHaveLength(1);
  });

  it("a number known for another debt before (the store's pairs) is that debt's too", async () => {
    const mobile = "+13125552177";
    const history: HistoryAttempt[] = Array.from({ length: 7 }, (_, i) => ({
      phone: mobile,
      atMs: Date.parse("2026-12-02T10:00:00-06:00") + i * 10 * 3_600_000,
      conversation: false,
      accountId: "DEBT-A",
    }));
    const rows = await collect(
      plan(engine, [row("h1", HOUSEHOLD, "DEBT-B")], model(), {
        ...base,
        days: 2,
        history,
        accountCalls: new Map([["DEBT-A", history]]),
        debtsOfNumbers: async (phones) =>
          new Map(phones.filter((p) => p === HOUSEHOLD).map((p) => [p, ["DEBT-A"]])),
      }),
    );
    expect(rows).toEqual([]);
  });

  it("a conversation about one debt on the line rests every debt of it", async () => {
    const history: HistoryAttempt[] = [
      {
        phone: HOUSEHOLD,
        atMs: Date.parse("2026-12-04T10:00:00-06:00"),
        conversation: true,
        accountId: "DEBT-1",
      },
    ];
    const rows = await collect(
      plan(engine, [row("d2", HOUSEHOLD, "DEBT-2"), row("d3", HOUSEHOLD, "DEBT-3")], model(), {
        ...base,
        history,
      }),
    );
    expect(rows).toEqual([]);
  });

  it("a refusal on any row of the number is the record's consent", async () => {
    const rows = await collect(
      plan(
        engine,
        [row("d1", HOUSEHOLD, "DEBT-1"), row("d2", HOUSEHOLD, "DEBT-2", { consent: false })],
        model(),
        base,
      ),
    );
    expect(rows).toEqual([]);
  });
});

describe("a file's account column (AccountPairs)", () => {
  it("keeps several debts of one number, each pair", () => {
    const pairs = new AccountPairs();
    pairs.add({ phone: HOUSEHOLD, account: "DEBT-1", kind: "collections" }, 1);
    pairs.add({ phone: HOUSEHOLD, account: "DEBT-2", kind: "collections" }, 2);
    pairs.add({ phone: HOUSEHOLD, account: "DEBT-1", kind: "collections" }, 3);
    expect(pairs.pairs().map((p) => p.account)).toEqual(["DEBT-1", "DEBT-2"]);
  });

  it("refuses one number given a sales household and a debt, naming both rows", () => {
    const pairs = new AccountPairs();
    pairs.add({ phone: HOUSEHOLD, account: "HH-7", kind: "sales" }, 2);
    const refused = (() => {
      try {
        pairs.add({ phone: HOUSEHOLD, account: "DEBT-1", kind: "collections" }, 5);
      } catch (error) {
        return error as InputError;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(InputError);
    expect(refused?.problems[0]).toMatchObject({ field: "accountId", row: 5 });
    expect(refused?.problems[0]?.rule).toMatch(/row 2/);
    expect(refused?.problems[0]?.rule).toMatch(/HH-7/);
  });

  it("refuses an empty account id and one over 128 characters", () => {
    const pairs = new AccountPairs();
    expect(() => pairs.add({ phone: HOUSEHOLD, account: "   " }, 1)).toThrow(/row 1, accountId: is empty/);
    expect(() => pairs.add({ phone: HOUSEHOLD, account: "x".repeat(129) }, 2)).toThrow(/at most 128/);
    expect(() => pairs.add({ phone: HOUSEHOLD, account: "x".repeat(128) }, 3)).not.toThrow();
  });

  it("reads every debt of a plan row, and a list row's kind column", () => {
    expect(
      accountPairsOf({ phone: HOUSEHOLD, accountId: "A", accountIds: '["A","B"]', kind: "collections" }),
    ).toEqual([
      { account: "A", phone: HOUSEHOLD, kind: "collections" },
      { account: "B", phone: HOUSEHOLD, kind: "collections" },
    ]);
    expect(accountPairsOf({ phone: HOUSEHOLD, accountId: "H", columns: { kind: "sales" } })).toEqual([
      { account: "H", phone: HOUSEHOLD, kind: "sales" },
    ]);
  });
});
