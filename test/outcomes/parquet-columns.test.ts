import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatasetWriter, listParts, readDataset } from "../../src/outcomes/parquet/dataset.ts";
import { partitionDay } from "../../src/outcomes/parquet/schema.ts";
import { type CanonicalRecord, canonicalLine, canonicalRecord } from "../../src/outcomes/record-format.ts";

/**
 * The dataset writer's columns, straight from records the emulator never sends: nulls, empty
 * strings, lists of tags, unmodelled fields, text in any script, times that do not fit a
 * timestamp column exactly (offsets, no milliseconds, before 1970), durations that do not fit
 * INT32, and columns whose values are all distinct or all the same (dictionary or plain). Read
 * back by hyparquet (the very canonical records) and by DuckDB (the typed values).
 */
const ODD: Array<Record<string, unknown>> = [
  {
    id: "odd-0",
    campaignId: "c-1",
    startTime: "2024-05-01T10:00:00+02:00",
    endTime: "2024-05-01T08:05:00Z",
    durationSeconds: 12.5,
    dispositionCode: "",
    agentId: "",
    tags: ["vip", "", "née ✓", "🚀"],
    notes: 'line 1\nline "2"\t\\ 日本語 🎉',
    dispositionUpdatedAt: "yesterday",
    dispositionName: "Sale ✓",
    nested: { b: 1, a: [1, "x", null] },
  },
  {
    id: "odd-1",
    campaignId: "c-1",
    startTime: "1969-12-31T23:59:59.999Z",
    endTime: "1970-01-01T00:00:00.001Z",
    durationSeconds: 3_000_000_000,
    dispositionCode: "SALE",
    tags: ["one"],
  },
  {
    id: "odd-2",
    campaignId: "c-2",
    startTime: "2299-12-31T23:59:59.999Z",
    endTime: null,
    durationSeconds: -5,
    dispositionCode: "NO_ANSWER",
    reasonCodeId: "r-9",
    contactId: "ct-9",
    phoneNumber: "+15550100",
    direction: "OUTBOUND",
    dispositionUpdatedAt: "2299-12-31T23:59:59.999Z",
    tags: [],
  },
];

const CODES = ["SALE", "NO_ANSWER", "BUSY", "CALLBACK", "WRONG_NUMBER", null];
const category = (code: string | null): string | null =>
  code === "SALE" ? "success" : code === "NO_ANSWER" || code === "BUSY" ? "neutral" : null;

/** 5,000 usual records over 3 days: ids and phones all distinct, codes and agents repeating. */
function usual(): Array<Record<string, unknown>> {
  const base = Date.parse("2024-05-01T00:00:00.000Z");
  return Array.from({ length: 5_000 }, (_, i) => {
    const start = base + i * 50_000 + (i % 7);
    const duration = (i * 37) % 900;
    return {
      id: `call-${i.toString(36)}-${(i * 7919) % 10007}`,
      campaignId: i % 3 === 0 ? "c-2" : "c-1",
      startTime: new Date(start).toISOString(),
      endTime: i % 11 === 0 ? null : new Date(start + duration * 1000).toISOString(),
      durationSeconds: i % 13 === 0 ? null : duration,
      dispositionCode: CODES[i % CODES.length],
      reasonCodeId: i % 5 === 0 ? `reason-${i % 4}` : null,
      agentId: i % 2 === 0 ? `agent-${i % 40}` : null,
      contactId: `ct-${i % 1_300}`,
      phoneNumber: `+1555${String(1_000_000 + i).slice(1)}`,
      direction: i % 17 === 0 ? null : "OUTBOUND",
      tags: i % 9 === 0 ? ["a", `t${i % 4}`] : [],
      notes: i % 97 === 0 ? `note ${i} ✓` : null,
      dispositionUpdatedAt: i % 3 === 0 ? new Date(start + 60_000).toISOString() : null,
      ...(i % 250 === 0 ? { dispositionName: `Name ${i % 3}` } : {}),
    };
  });
}

// Small parts and row groups (several of each per day, a part ending mid-group; every column
// small enough to stay in its dictionary), then the default sizes (a day's 1,700 records in one
// row group: contact_id's 1,300 distinct values turn it plain midway).
describe.each([
  { partRows: 1_700, rowGroupRows: 600, contactEncodings: ["PLAIN", "RLE_DICTIONARY"], minParts: 6 },
  { partRows: undefined, rowGroupRows: undefined, contactEncodings: ["PLAIN"], minParts: 4 },
])("Parquet dataset columns (parts of $partRows rows, row groups of $rowGroupRows)", (tuning) => {
  let dir: string;
  let records: CanonicalRecord[];
  let db: DuckDBInstance;
  const duck = async <T = Record<string, unknown>>(sql: string): Promise<T[]> => {
    const connection = await db.connect();
    try {
      return (await connection.runAndReadAll(sql)).getRowObjectsJson() as T[];
    } finally {
      connection.closeSync();
    }
  };
  const scan = () => `read_parquet('${dir}/*/*.parquet', hive_partitioning = true)`;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "cxo-parquet-columns-"));
    records = [...ODD, ...usual()].map((raw) => canonicalRecord(raw));
    const { partRows, rowGroupRows } = tuning;
    const writer = new DatasetWriter({ dir, firstPart: 0, partRows, rowGroupRows });
    for (const record of records) {
      const day = partitionDay(record.startTime);
      if (writer.needsNewPart(day)) await writer.close()?.durable;
      writer.add(record, day, category(record.dispositionCode));
    }
    await writer.close()?.durable;
    db = await DuckDBInstance.create(":memory:");
  });
  afterAll(() => {
    db?.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads back with hyparquet as the very records written, in order", async () => {
    const back: string[] = [];
    for await (const record of readDataset(dir)) back.push(canonicalLine(record));
    expect(back).toEqual(records.map(canonicalLine));
    const parts = await listParts(dir);
    expect(parts.length).toBeGreaterThanOrEqual(tuning.minParts);
    // The biggest day's contact_id chunk: dictionary while it pays, plain when it does not.
    const metadata = await Promise.all(
      parts.map(async (part) => parquetMetadataAsync(await asyncBufferFromFile(path.join(dir, part.path)))),
    );
    const biggest = metadata.flatMap((m) => m.row_groups).sort((a, b) => Number(b.num_rows - a.num_rows))[0];
    const contact = biggest?.columns.find((c) => c.meta_data?.path_in_schema[0] === "contact_id");
    expect(contact?.meta_data?.encodings).toEqual(tuning.contactEncodings);
  });

  it("reads back with DuckDB as typed columns", async () => {
    const [totals] = await duck<Record<string, string>>(
      `SELECT count(*) AS n, sum(duration_seconds) AS duration, sum(epoch_ms(start_time)) AS starts,
              sum(epoch_ms(end_time)) AS ends, sum(epoch_ms(disposition_updated_at)) AS updated,
              sum(len(tags)) AS tags, count(DISTINCT id) AS ids, count(phone_number) AS phones,
              count(agent_id) AS agents, count(notes) AS notes, count(extra) AS extras
       FROM ${scan()}`,
    );
    const typed = (value: string | null) => {
      if (value === null) return null;
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? null : BigInt(ms);
    };
    const sumOf = (pick: (r: CanonicalRecord) => bigint | null) =>
      records.reduce((total, r) => total + (pick(r) ?? 0n), 0n).toString();
    const count = (pick: (r: CanonicalRecord) => unknown) =>
      String(records.filter((r) => pick(r) !== null).length);
    expect(totals).toEqual({
      n: String(records.length),
      duration: sumOf((r) =>
        r.durationSeconds !== null &&
        Number.isInteger(r.durationSeconds) &&
        Math.abs(r.durationSeconds) < 2 ** 31
          ? BigInt(r.durationSeconds)
          : null,
      ),
      starts: sumOf((r) => typed(r.startTime)),
      ends: sumOf((r) => typed(r.endTime)),
      updated: sumOf((r) => typed(r.dispositionUpdatedAt)),
      tags: String(records.reduce((n, r) => n + r.tags.length, 0)),
      ids: String(records.length),
      phones: count((r) => r.phoneNumber),
      agents: count((r) => r.agentId),
      notes: count((r) => r.notes),
      extras: count((r) => r.extra),
    });
    const byCode = await duck<{ code: string | null; category: string | null; n: string }>(
      `SELECT disposition_code AS code, category, count(*) AS n FROM ${scan()} GROUP BY ALL ORDER BY ALL`,
    );
    const expected = new Map<string, number>();
    for (const r of records) {
      const key = JSON.stringify([r.dispositionCode, category(r.dispositionCode)]);
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(new Map(byCode.map((r) => [JSON.stringify([r.code, r.category]), Number(r.n)]))).toEqual(expected);
    // extra and source_text hold the JSON objects themselves (not a JSON string of their text).
    const json = await duck<Record<string, unknown>>(
      `SELECT extra->>'dispositionName' AS name, extra->'nested'->'a'->>1 AS nested,
              source_text->>'startTime' AS start, source_text->>'dispositionUpdatedAt' AS updated,
              CAST(source_text->'durationSeconds' AS DOUBLE) AS duration
       FROM ${scan()} WHERE id = 'odd-0'`,
    );
    expect(json).toEqual([
      {
        name: "Sale ✓",
        nested: "x",
        start: "2024-05-01T10:00:00+02:00",
        updated: "yesterday",
        duration: 12.5,
      },
    ]);
    const odd = await duck<Record<string, unknown>>(
      `SELECT id, epoch_ms(start_time) AS start, epoch_ms(end_time) AS end, duration_seconds AS duration,
              disposition_code AS code, agent_id AS agent, tags, notes, CAST(date AS VARCHAR) AS day
       FROM ${scan()} WHERE id LIKE 'odd-%' ORDER BY id`,
    );
    expect(odd).toEqual([
      {
        id: "odd-0",
        start: String(Date.parse("2024-05-01T08:00:00Z")),
        end: String(Date.parse("2024-05-01T08:05:00Z")),
        duration: null,
        code: "",
        agent: "",
        tags: ["vip", "", "née ✓", "🚀"],
        notes: 'line 1\nline "2"\t\\ 日本語 🎉',
        day: "2024-05-01",
      },
      {
        id: "odd-1",
        start: "-1",
        end: "1",
        duration: null,
        code: "SALE",
        agent: null,
        tags: ["one"],
        notes: null,
        day: "1969-12-31",
      },
      {
        id: "odd-2",
        start: String(Date.parse("2299-12-31T23:59:59.999Z")),
        end: null,
        duration: -5,
        code: "NO_ANSWER",
        agent: null,
        tags: [],
        notes: null,
        day: "2299-12-31",
      },
    ]);
  });
});
