import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { learn } from "../../src/strategy/learn.ts";
import { learnFromDataset } from "../../src/strategy/learn-dataset.ts";
import type { OutcomeRecord } from "../../src/strategy/types.ts";

async function* stream<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

describe("learn from a Parquet dataset (DuckDB, aggregation in SQL)", () => {
  it("gives the same model as the streamed records", async () => {
    const phones = ["+13055552100", "+12145552100", "+14055552100", "+18505552100"];
    const records: OutcomeRecord[] = [];
    for (let i = 0; i < 400; i++)
      records.push({
        campaignId: i % 10 === 0 ? "C2" : "C1",
        startTime: new Date(Date.parse("2026-03-01T00:00:00Z") + i * 3_700_000).toISOString(),
        phoneNumber: phones[i % 4] as string,
        dispositionCode: ["CONVERTED", "NO_ANSWER", "INTERESTED", "BUSY"][(i % 7) % 4] as string,
        agentId: i % 3 === 0 ? null : "A1",
        durationSeconds: 10,
        extra: { segment: ["day", "evening", "shift"][i % 3] as string },
      });
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-dataset-"));
    mkdirSync(path.join(dir, "date=2026-03-01"));
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    await db.run(
      "CREATE TABLE t (campaign_id VARCHAR, start_time TIMESTAMP, phone_number VARCHAR, agent_id VARCHAR, disposition_code VARCHAR, extra JSON)",
    );
    const values = records
      .map(
        (r) =>
          `('${r.campaignId}', TIMESTAMP '${r.startTime.replace("T", " ").replace("Z", "")}', '${r.phoneNumber}', ${r.agentId ? `'${r.agentId}'` : "NULL"}, '${r.dispositionCode}', '${JSON.stringify(r.extra)}')`,
      )
      .join(",");
    await db.run(`INSERT INTO t VALUES ${values}`);
    await db.run(`COPY t TO '${path.join(dir, "date=2026-03-01", "part-0.parquet")}' (FORMAT parquet)`);
    db.closeSync();
    instance.closeSync();

    const options = {
      campaign: "C1",
      keys: ["state", "attemptBucket"] as const,
      from: "2026-03-01T00:00:00Z",
      to: "2026-04-01T00:00:00Z",
    };
    const fromRecords = await learn(stream(records), { ...options, keys: [...options.keys] });
    const fromDataset = await learnFromDataset(dir, { ...options, keys: [...options.keys] });
    expect(fromDataset.segments).toEqual(fromRecords.segments);
    expect(fromDataset.priors).toEqual(fromRecords.priors);
    expect(fromDataset.learnedFrom).toMatchObject({ source: "dataset", records: 360, skipped: 40 });

    // a list column (extra->>'segment') as a key, with the area code
    const byColumn = { ...options, keys: ["column:segment", "areaCode"] as ["column:segment", "areaCode"] };
    const columnFromRecords = await learn(stream(records), byColumn);
    const columnFromDataset = await learnFromDataset(dir, byColumn);
    expect(columnFromDataset.segments.map((s) => s.key)).toContain("column:segment=evening|areaCode=305");
    expect(columnFromDataset.segments).toEqual(columnFromRecords.segments);
  }, 30_000);
});
