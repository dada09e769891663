import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { evaluate } from "../../src/strategy/evaluate.ts";
import { buildModel, learn, SlotCounts } from "../../src/strategy/learn.ts";
import { learnFromDataset } from "../../src/strategy/learn-dataset.ts";
import type { ListRow } from "../../src/strategy/list-format.ts";
import { newPlanSummary, plan } from "../../src/strategy/plan.ts";
import type { PlanRow } from "../../src/strategy/plan-format.ts";
import type { OutcomeRecord } from "../../src/strategy/types.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

async function* stream<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

/**
 * The production platform's completed contacts (`/contacts/completed`, and so `cxo outcomes
 * export` on `--platform cxone`) carry the dialled number as CXone holds it: 10 digits
 * ("3055552100"), not E.164. Before this fix `learn` skipped every such record (a model of 0
 * attempts from a month of outcomes), `evaluate` found nothing to replay, and `plan --history`
 * matched none of the history's attempts to the list's E.164 phones, so three calls to a Florida
 * number in the last hour did not count toward Florida's 3 in 24 hours.
 */

const CAMPAIGN = "701";
const phones = ["+13055552100", "+12145552100", "+14055552100", "+18505552100"];
const tenDigits = (e164: string) => e164.slice(2);

function records(phoneOf: (e164: string) => string): OutcomeRecord[] {
  const out: OutcomeRecord[] = [];
  for (let i = 0; i < 400; i++)
    out.push({
      campaignId: CAMPAIGN,
      startTime: new Date(Date.parse("2026-03-01T00:00:00Z") + i * 3_700_000).toISOString(),
      phoneNumber: phoneOf(phones[i % 4] as string),
      dispositionCode: ["CONVERTED", "NO_ANSWER", "INTERESTED", "BUSY"][(i % 7) % 4] as string,
      agentId: i % 3 === 0 ? null : "A1",
      durationSeconds: 10,
    });
  return out;
}

const options = {
  campaign: CAMPAIGN,
  keys: ["state", "attemptBucket"] as ["state", "attemptBucket"],
  from: "2026-03-01T00:00:00Z",
  to: "2026-04-01T00:00:00Z",
};

/**
 * The same records as CXone gives them: disposition ids ("42"), their names beside them
 * (`extra.dispositionName`, as the production adapter sets and `outcomes export` keeps). The
 * outcome map names dispositions ("APPOINTMENT_SET"), and `outcomes export` categorises such a
 * record by its name; before this fix `learn` looked at the id alone and counted no RPC at all
 * (a month of the production emulator's outcomes: RPC rate 0.005%).
 */
const CXONE_IDS: Record<string, { id: string; name: string }> = {
  CONVERTED: { id: "41", name: "Sale" },
  NO_ANSWER: { id: "49", name: "No Answer" },
  INTERESTED: { id: "44", name: "Interested" },
  BUSY: { id: "50", name: "Busy" },
};
const asCxone = (r: OutcomeRecord): OutcomeRecord => {
  const d = CXONE_IDS[r.dispositionCode as string] as { id: string; name: string };
  return { ...r, dispositionCode: d.id, extra: { dispositionName: d.name } };
};
const cxoneMap = {
  categories: {
    success: ["Sale"],
    warm: ["Interested"],
    neutral: [],
    failure: ["No Answer", "Busy"],
  },
  conversionCategories: ["success"],
};

describe("outcome records with the production platform's 10-digit numbers", () => {
  it("learn counts them as the same numbers in E.164 (also 1 + 10 digits)", async () => {
    const e164 = await learn(stream(records((p) => p)), options);
    const ten = await learn(stream(records(tenDigits)), options);
    const eleven = await learn(stream(records((p) => p.slice(1))), options);
    expect(e164.learnedFrom).toMatchObject({ records: 400, skipped: 0 });
    expect(ten.learnedFrom).toMatchObject({ records: 400, skipped: 0 });
    expect(ten.segments).toEqual(e164.segments);
    expect(eleven.segments).toEqual(e164.segments);
  });

  it("learn and evaluate count an RPC by the disposition's name where the code is an id", async () => {
    const byName = await learn(stream(records(tenDigits).map(asCxone)), {
      ...options,
      dispositionMap: cxoneMap,
    });
    const byCode = await learn(stream(records((p) => p)), {
      ...options,
      dispositionMap: {
        ...cxoneMap,
        categories: { success: ["CONVERTED"], warm: ["INTERESTED"], neutral: [] },
      },
    });
    expect(byName.priors.all.rpcs).toBeGreaterThan(100);
    expect(byName.segments).toEqual(byCode.segments);
    const model = await learn(stream(records((p) => p)), { campaign: CAMPAIGN });
    const e164 = await evaluate(
      records((p) => p),
      model,
      { holdoutDays: 7, resamples: 50, allowOverlap: true },
    );
    const ids = await evaluate(
      records(tenDigits).map((r) => {
        const d = asCxone(r);
        // the default map's names, as a tenant's dispositions may be called
        return { ...d, extra: { dispositionName: r.dispositionCode?.toLowerCase().replace("_", " ") } };
      }),
      model,
      { holdoutDays: 7, resamples: 50, allowOverlap: true },
    );
    expect(ids.rpcs).toBe(e164.rpcs);
    expect(ids.rpcs).toBeGreaterThan(0);
  });

  it("learn from a Parquet dataset counts them too", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-dataset-ten-"));
    mkdirSync(path.join(dir, "date=2026-03-01"));
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    await db.run(
      "CREATE TABLE t (campaign_id VARCHAR, start_time TIMESTAMP, phone_number VARCHAR, agent_id VARCHAR, disposition_code VARCHAR, disposition_name VARCHAR, extra JSON)",
    );
    // as `outcomes export --out DIR/` writes a production record: the name in a column of its own
    const values = records(tenDigits)
      .map(asCxone)
      .map(
        (r) =>
          `('${r.campaignId}', TIMESTAMP '${r.startTime.replace("T", " ").replace("Z", "")}', '${r.phoneNumber}', ${r.agentId ? `'${r.agentId}'` : "NULL"}, '${r.dispositionCode}', '${r.extra?.dispositionName}', NULL)`,
      )
      .join(",");
    await db.run(`INSERT INTO t VALUES ${values}`);
    await db.run(`COPY t TO '${path.join(dir, "date=2026-03-01", "part-0.parquet")}' (FORMAT parquet)`);
    db.closeSync();
    instance.closeSync();
    const fromDataset = await learnFromDataset(dir, { ...options, dispositionMap: cxoneMap });
    const fromRecords = await learn(stream(records(tenDigits).map(asCxone)), {
      ...options,
      dispositionMap: cxoneMap,
    });
    expect(fromDataset.learnedFrom).toMatchObject({ records: 400, skipped: 0 });
    expect(fromRecords.priors.all.rpcs).toBeGreaterThan(100);
    expect(fromDataset.segments).toEqual(fromRecords.segments);
  }, 30_000);

  // These compare number formats, not lifts: the model learned from every day, so the overlap
  // with the held-out days is allowed (issue 64 §2 refuses it otherwise).
  it("evaluate replays them", async () => {
    const model = await learn(stream(records((p) => p)), { campaign: CAMPAIGN });
    const e164 = await evaluate(
      records((p) => p),
      model,
      { holdoutDays: 7, resamples: 50, allowOverlap: true },
    );
    const ten = await evaluate(records(tenDigits), model, {
      holdoutDays: 7,
      resamples: 50,
      allowOverlap: true,
    });
    expect(e164.attempts).toBeGreaterThan(0);
    expect(ten.attempts).toBe(e164.attempts);
    expect(ten.lift).toBe(e164.lift);
  });

  it("plan counts a 10-digit history toward Florida's 3 calls in 24 hours and Regulation F", async () => {
    const counts = new SlotCounts();
    for (let s = 0; s < 168; s++) counts.add(["state"], { state: "FL" }, s, 500, s === 9 ? 300 : 25);
    const model = buildModel(counts, { campaign: CAMPAIGN });
    const row: ListRow = { recordId: "r1", phone: "+13055552100", consent: true };
    const history = [0, 1, 2].map((i) => ({
      phone: "3055552100",
      atMs: Date.parse("2026-03-02T08:00:00-05:00") + i * 60_000,
      conversation: false,
    }));
    const summary = newPlanSummary();
    const rows: PlanRow[] = [];
    for await (const r of plan(
      engine,
      [row],
      model,
      { from: "2026-03-02T09:00:00-05:00", days: 7, campaign: CAMPAIGN, history },
      summary,
    ))
      rows.push(r);
    expect(rows[0]?.attemptAt).toBe("2026-03-09T09:00:00-04:00");
    expect(summary.ruledOutByRule.frequency_cap).toBeGreaterThan(0);

    // Regulation F: a conversation on the account's other number (11 digits) a day before
    const regF = [
      { phone: "13055552111", atMs: Date.parse("2026-03-01T10:00:00-05:00"), conversation: true },
    ];
    const list = [
      { ...row, accountId: "A1" },
      { recordId: "r2", phone: "+13055552111", consent: true, accountId: "A1" },
    ];
    const planned: PlanRow[] = [];
    for await (const r of plan(engine, list, model, {
      from: "2026-03-02T00:00:00-05:00",
      days: 14,
      campaign: CAMPAIGN,
      history: regF,
      kind: "collections",
    }))
      planned.push(r);
    expect(planned).toHaveLength(2);
    for (const r of planned)
      expect(Date.parse(r.attemptAt)).toBeGreaterThanOrEqual(Date.parse("2026-03-09T10:00:00-04:00"));
  });

  it("a UK number as CXone holds it (44 and its digits, as cxo sends it) is read as +44 by learn, from records and a dataset", async () => {
    const uk = (phoneOf: (e164: string) => string) =>
      records((p) => p).map((r, i) => ({
        ...r,
        phoneNumber: phoneOf(`+4477009001${String(i % 4).padStart(2, "0")}`),
      }));
    const e164 = await learn(stream(uk((p) => p)), options);
    const digits = await learn(stream(uk((p) => p.slice(1))), options);
    expect(e164.learnedFrom).toMatchObject({ records: 400, skipped: 0 });
    expect(digits.learnedFrom).toMatchObject({ records: 400, skipped: 0 });
    expect(digits.segments).toEqual(e164.segments);
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-dataset-uk-"));
    mkdirSync(path.join(dir, "date=2026-03-01"));
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    await db.run(
      "CREATE TABLE t (campaign_id VARCHAR, start_time TIMESTAMP, phone_number VARCHAR, agent_id VARCHAR, disposition_code VARCHAR, extra JSON)",
    );
    const values = uk((p) => p.slice(1))
      .map(
        (r) =>
          `('${r.campaignId}', TIMESTAMP '${r.startTime.replace("T", " ").replace("Z", "")}', '${r.phoneNumber}', ${r.agentId ? `'${r.agentId}'` : "NULL"}, '${r.dispositionCode}', NULL)`,
      )
      .join(",");
    await db.run(`INSERT INTO t VALUES ${values}`);
    await db.run(`COPY t TO '${path.join(dir, "date=2026-03-01", "part-0.parquet")}' (FORMAT parquet)`);
    db.closeSync();
    instance.closeSync();
    const fromDataset = await learnFromDataset(dir, options);
    expect(fromDataset.learnedFrom).toMatchObject({ records: 400, skipped: 0 });
    expect(fromDataset.segments).toEqual(e164.segments);
  }, 30_000);
});
