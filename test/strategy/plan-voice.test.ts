import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import type { GrantFacts, GrantLookup } from "../../src/consent/grants.ts";
import { InputError } from "../../src/core/input-error.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import type { ListRow } from "../../src/strategy/list-format.ts";
import { newPlanSummary, plan } from "../../src/strategy/plan.ts";
import type { PlanRow } from "../../src/strategy/plan-format.ts";
import { planRecords } from "../../src/strategy/push.ts";
import { judgeReach, type SkillDialing } from "../../src/strategy/push-reach.ts";
import type { PlanOptions } from "../../src/strategy/types.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 92 §2: the voice of a campaign's calls carried into a plan and its push. A prerecorded or
 * AI voice needs each record's prior express consent — written, for sales — read from the
 * consent ledger's grants: a record without one is not planned (the engine's code counted in
 * `ruledOutByRule`), and the push's judge (the planner's one function) refuses such a row the
 * same way. California's live introduction follows the campaign's `announcement`. Every row
 * says the voice it was planned for; a plan of two voices is refused. Pure: a grants stub.
 */
const WRITTEN = "+13055552301";
const SPOKEN = "+13055552302";
const NONE = "+13055552303";
const LA = "+12135552304";
const grants = (facts: Record<string, GrantFacts>): GrantLookup => ({
  size: Object.keys(facts).length,
  factsOf: (phone) => facts[phone],
});
const LEDGER = grants({
  [WRITTEN]: { consent: true, writtenConsent: true, aiDisclosed: true },
  [SPOKEN]: { consent: true, writtenConsent: false, aiDisclosed: false },
  [LA]: { consent: true, writtenConsent: true, aiDisclosed: true },
});
const model = buildModel(new SlotCounts(), { campaign: "C1" });
const base: PlanOptions = { from: "2026-12-07T00:00:00-05:00", days: 2, campaign: "C1", grants: LEDGER };
const list: ListRow[] = [WRITTEN, SPOKEN, NONE].map((phone, i) => ({ recordId: `r${i + 1}`, phone }));

async function planned(options: PlanOptions, rows: ListRow[] = list) {
  const summary = newPlanSummary();
  const out: PlanRow[] = [];
  for await (const row of plan(engine, rows, model, options, summary)) out.push(row);
  return { rows: out, summary };
}

describe("a plan for a campaign's voice", () => {
  it("live (the default): every record with consent is planned, the rows say live", async () => {
    const { rows } = await planned(base);
    // NONE has neither a consent column nor a grant: not recorded is none.
    expect(rows.map((r) => [r.phone, r.voice])).toEqual([
      [WRITTEN, "live"],
      [SPOKEN, "live"],
    ]);
  });

  it("ai, sales: only the record whose grant is written; the others ruled out by the voice rows", async () => {
    const { rows, summary } = await planned({ ...base, voice: "ai", kind: "sales" });
    expect(rows.map((r) => [r.phone, r.voice])).toEqual([[WRITTEN, "ai"]]);
    expect(summary.ruledOutByRule).toHaveProperty("artificial_voice_no_written_consent");
    expect(summary.unplannable).toBe(2);
  });

  it("prerecorded, collections: a consent not written is enough; none is not", async () => {
    const rows = list.map((r, i) => ({ ...r, accountId: `A${i}` }));
    const { rows: out } = await planned({ ...base, voice: "prerecorded", kind: "collections" }, rows);
    expect(out.map((r) => r.phone)).toEqual([WRITTEN, SPOKEN]);
  });

  it("California: an AI voice needs the live introduction and the disclosure the campaign declares", async () => {
    const la: ListRow[] = [{ recordId: "la", phone: LA, state: "CA" }];
    const bare = await planned({ ...base, from: "2026-12-07T00:00:00-08:00", voice: "ai" }, la);
    expect(bare.rows).toEqual([]);
    expect(bare.summary.ruledOutByRule).toHaveProperty("live_introduction_required");
    const said = await planned(
      { ...base, from: "2026-12-07T00:00:00-08:00", voice: "ai", announcement: "live", discloses: "ai" },
      la,
    );
    expect(said.rows).toHaveLength(1);
    expect(said.rows[0]).toMatchObject({ voice: "ai", announcement: "live", discloses: "ai" });
  });

  it("a voice not in the list is bad input naming voice", async () => {
    await expect(planned({ ...base, voice: "robot" as "ai" })).rejects.toThrow(InputError);
    await expect(planned({ ...base, voice: "robot" as "ai" })).rejects.toThrow(/voice/);
  });
});

const SKILL: SkillDialing = {
  maxAttempts: 1,
  minRetryMinutes: 60,
  loadNonFresh: false,
  zoneHours: undefined,
  schedule: undefined,
  window: undefined,
  evidence: "test",
} as unknown as SkillDialing;

describe("push judges the row's voice with the record's grant", () => {
  it("planned rows pass; a row without a written grant is refused as the plan's own", async () => {
    const { rows } = await planned({ ...base, voice: "ai", kind: "sales" });
    const extra: PlanRow = { ...(rows[0] as PlanRow), recordId: "r3", phone: NONE };
    const records = await planRecords(engine, [...rows, extra], { campaign: "C1" });
    expect(records.voice).toEqual({ voice: "ai" });
    const judge = (withGrants: GrantLookup | undefined) =>
      judgeReach({
        engine,
        records: records.plan.reach(records.plan.allRows()),
        skill: SKILL,
        made: [],
        campaignId: "C1",
        assumeOneDial: true,
        seller: { kind: "sales", voice: records.voice, grants: withGrants },
      });
    const verdict = await judge(LEDGER);
    expect(verdict.refusals.map((r) => [r.recordId, r.code, r.cause])).toEqual([
      ["r3", "artificial_voice_no_written_consent", "plan"],
    ]);
    // Without the ledger's grants no record's consent is written: every row refused.
    expect((await judge(undefined)).refusals).toHaveLength(2);
  });

  it("a plan whose rows name two voices is refused, naming the row", async () => {
    const { rows } = await planned(base);
    const mixed = [rows[0], { ...(rows[1] as PlanRow), voice: "ai" }];
    await expect(planRecords(engine, mixed, { campaign: "C1" })).rejects.toThrow(/row 2|voice/);
  });
});
