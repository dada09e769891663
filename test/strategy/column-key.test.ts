import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { InputError } from "../../src/core/input-error.ts";
import { readList } from "../../src/strategy/files.ts";
import { learn } from "../../src/strategy/learn.ts";
import type { ListRow } from "../../src/strategy/list-format.ts";
import { modelSchema } from "../../src/strategy/model-format.ts";
import { plan } from "../../src/strategy/plan.ts";
import type { PlanRow } from "../../src/strategy/plan-format.ts";
import type { OutcomeRecord } from "../../src/strategy/types.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

async function* stream<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

const collect = async <T>(rows: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
};

// Monday 2026-03-02 in Miami (EST, -05:00): slot 10 = Monday 10:00, slot 19 = Monday 19:00.
const at = (hour: number) =>
  new Date(Date.parse("2026-03-02T00:00:00-05:00") + hour * 3_600_000).toISOString();

/** "day" contacts talk at 10:00 only, "evening" ones at 19:00 only; each tried 40 times an hour 8:00–19:00. */
function records(): OutcomeRecord[] {
  const out: OutcomeRecord[] = [];
  for (const segment of ["day", "evening"])
    for (let i = 0; i < 40; i++)
      for (let hour = 8; hour <= 19; hour++) {
        const answers = segment === "day" ? hour === 10 : hour === 19;
        out.push({
          campaignId: "C1",
          startTime: at(hour),
          phoneNumber: "+13055552100",
          dispositionCode: answers ? "CONVERTED" : "NO_ANSWER",
          agentId: answers ? "A1" : null,
          durationSeconds: 30,
          extra: { segment },
        });
      }
  return out;
}

describe("the column:NAME segment key (a list column)", () => {
  it("learns one segment per value of the record's column", async () => {
    const model = await learn(stream(records()), { campaign: "C1", keys: ["column:segment"] });
    expect(modelSchema.parse(model).keys).toEqual(["column:segment"]);
    expect(model.segments.map((s) => s.key)).toEqual(["column:segment=day", "column:segment=evening"]);
    const [day, evening] = model.segments;
    expect(day?.slots[10]).toMatchObject({ attempts: 40, rpcs: 40 });
    expect(day?.slots[19]).toMatchObject({ attempts: 40, rpcs: 0 });
    expect(evening?.slots[19]).toMatchObject({ attempts: 40, rpcs: 40 });
  });

  it("plans each list row at its column's segment's best hour (list file column kept)", async () => {
    const model = await learn(stream(records()), { campaign: "C1", keys: ["column:segment"] });
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-column-key-"));
    const list = path.join(dir, "list.csv");
    writeFileSync(
      list,
      "recordId,phone,consent,segment\nr1,+13055552100,true,day\nr2,+13055552101,true,evening\n",
    );
    const rows: ListRow[] = await collect(readList(list));
    const planned: PlanRow[] = await collect(
      plan(engine, stream(rows), model, {
        from: "2026-03-02T00:00:00-05:00",
        days: 1,
        campaign: "C1",
        seed: 1,
      }),
    );
    expect(planned.map((p) => [p.recordId, p.slot])).toEqual([
      ["r1", 10],
      ["r2", 19],
    ]);
  });

  it("refuses a column key without a column name, naming keys", async () => {
    await expect(learn(stream(records()), { campaign: "C1", keys: ["column:"] })).rejects.toThrow(InputError);
    await expect(learn(stream(records()), { campaign: "C1", keys: ["column:"] })).rejects.toThrow(/keys/);
  });
});

describe("issue 63 N15: the column guard reads own properties; the model file is bounded", () => {
  it("a model keyed column:constructor (an inherited property of every object) on a list without it is refused", async () => {
    const byConstructor = (r: OutcomeRecord) => ({ ...r, extra: { constructor: String(r.extra?.segment) } });
    const model = await learn(stream(records().map(byConstructor)), {
      campaign: "C1",
      keys: ["column:constructor"],
    });
    expect(model.segments.map((s) => s.key)).toEqual([
      "column:constructor=day",
      "column:constructor=evening",
    ]);
    const rows: ListRow[] = [
      // Other columns (so each row has a `columns` object), but none named constructor.
      { recordId: "r1", phone: "+13055552100", consent: true, columns: { segment: "day" } },
      { recordId: "r2", phone: "+13055552101", consent: true, columns: { segment: "evening" } },
    ];
    const planned = collect(
      plan(engine, stream(rows), model, {
        from: "2026-03-02T00:00:00-05:00",
        days: 1,
        campaign: "C1",
        seed: 1,
      }),
    );
    await expect(planned).rejects.toThrow(
      /model\.keys: the model was learned by the list column constructor/,
    );
  });

  it("learn reads an outcome record's own extra fields only (a record without one is the empty value)", async () => {
    const noExtra = records().map((r) => ({ ...r, extra: {} }));
    const model = await learn(stream(noExtra), { campaign: "C1", keys: ["column:constructor"] });
    expect(model.segments.map((s) => s.key)).toEqual(["column:constructor="]);
  });

  it("a model file larger than the cap is refused before it is parsed", async () => {
    const { readModel, MAX_MODEL_BYTES } = await import("../../src/strategy/files.ts");
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-model-cap-"));
    const big = path.join(dir, "model.json");
    writeFileSync(big, `{"version":1,"pad":"${"x".repeat(MAX_MODEL_BYTES)}"}`);
    expect(() => readModel(big, "--model")).toThrow(/^--model: .*model\.json" is larger than 32 MiB/);
  });
});
