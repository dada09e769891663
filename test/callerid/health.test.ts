import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_POOL, type PoolShape, simulatePool } from "../../bench/support/callerid-simulate.ts";
import { thresholdFor } from "../../src/callerid/calibration.ts";
import { runHealthCheck } from "../../src/callerid/check.ts";
import { testSeries } from "../../src/callerid/health.ts";
import { InputError } from "../../src/core/input-error.ts";
import { DatasetWriter } from "../../src/outcomes/parquet/dataset.ts";
import { partitionDay } from "../../src/outcomes/parquet/schema.ts";
import { canonicalRecord } from "../../src/outcomes/record-format.ts";
import type { Model } from "../../src/strategy/model-format.ts";

/**
 * Issue 66 §2: the sequential test on seeded simulated pools (small, so fast): false alarms at
 * or under the rate asked, a label caught within days with `since` and `onset` around its start,
 * a list-wide bad week not blamed on any number, one carrier's label seen only when split, pools
 * tested as one, and bad input refused.
 */
const HOUR = 3_600_000;
const SMALL: PoolShape = { ...DEFAULT_POOL, numbers: 10 };

/** Hour index → status, from the run's changes. */
function firstSuspectAtOrAfter(t: ReturnType<typeof testSeries>[number], fromMs: number): number | undefined {
  let status = "ok";
  let c = 0;
  for (let i = 0; i < t.series.hours.length; i++) {
    while (c < t.run.changes.length && t.run.changes[c]!.index === i) status = t.run.changes[c++]!.status;
    const at = t.series.hours[i]!.hour * HOUR;
    if (status === "suspect" && at >= fromMs) return at;
  }
  return undefined;
}

describe("caller-id health on simulated pools", () => {
  it("keeps false alarms under the rate asked (no label: 16 pools × 10 numbers at 5%)", () => {
    let alarms = 0;
    let numbers = 0;
    for (let seed = 1; seed <= 16; seed++) {
      const tested = testSeries(simulatePool(SMALL, seed).series, { falseAlarmRate: 0.05 });
      numbers += tested.length;
      alarms += tested.filter((t) => t.run.firstSuspectIndex !== undefined).length;
    }
    expect(numbers).toBe(160);
    // 5% of 160 is 8; a 4-sigma allowance above it still fails a test that flags by level.
    expect(alarms).toBeLessThanOrEqual(19);
  });

  it("holds each number to its own level: numbers 20 % apart by nature raise no more false alarms", () => {
    // Area codes, local presence: each number's level × U[0.8, 1.2] around its peers'. Held to the
    // peers' rate, the lowest ones looked labelled (17 of 200 at 1 % before the number's own level).
    // Run at 5 % (a third of the simulation 1 % needs): 10 of these 200 numbers is the rate asked.
    let alarms = 0;
    for (let seed = 600; seed < 620; seed++)
      alarms += testSeries(simulatePool({ ...SMALL, numberSpread: 0.2 }, seed).series, {
        falseAlarmRate: 0.05,
      }).filter((t) => t.run.firstSuspectIndex !== undefined).length;
    expect(alarms).toBeLessThanOrEqual(16);
  });

  it("sets each number's threshold from its own volume, under Ville's bound (the ×0.3 label within a day)", () => {
    const load = {
      activeHours: 231,
      spanHours: 21 * 24,
      rate: 0.27,
      ratio: 0.5,
      hourError: Math.sqrt(0.73 / (0.27 * 2000)),
    };
    const bound = Math.log(231 / 0.01);
    const busy = thresholdFor({ ...load, callsPerHour: 27 }, 0.01);
    const quiet = thresholdFor({ ...load, callsPerHour: 4 }, 0.01);
    expect(busy).toBeLessThan(bound - 0.5);
    expect(quiet).toBeLessThan(bound);
    expect(quiet).not.toBeCloseTo(busy, 1);
    // The bound's threshold caught 23 of 30 such pools (seeds 500–529) within a day, about 8 of
    // these first 10.
    let caught = 0;
    for (let seed = 500; seed < 510; seed++) {
      const pool = simulatePool(SMALL, seed, { factor: 0.3, fromDay: 7, toDay: 17 });
      const t = testSeries(pool.series, { falseAlarmRate: 0.01 }).find(
        (x) => x.series.name === pool.labelled!.callerId,
      )!;
      const at = firstSuspectAtOrAfter(t, pool.labelled!.atMs);
      if (at !== undefined && at - pool.labelled!.atMs <= 24 * HOUR) caught++;
    }
    expect(caught).toBeGreaterThanOrEqual(9);
  });

  it("catches a ×0.3 label within a day (test tuned to ×0.45, peers' hours smoothed, levels read together), with since after the start and onset near it", () => {
    // 20-number pools as the bench's: the test tuned to ×0.5 with a margin on its false-alarm
    // rate caught 8 of these 10 within a day (all but 713 and 715).
    let caught = 0;
    let suspects = 0;
    for (let seed = 710; seed < 720; seed++) {
      const pool = simulatePool(DEFAULT_POOL, seed, { factor: 0.3, fromDay: 7, toDay: 17 });
      const labelled = pool.labelled!;
      const t = testSeries(pool.series, { falseAlarmRate: 0.01 }).find(
        (x) => x.series.name === labelled.callerId,
      )!;
      const at = firstSuspectAtOrAfter(t, labelled.atMs);
      if (at !== undefined && at - labelled.atMs <= 24 * HOUR) caught++;
      if (t.row.status === "suspect") {
        suspects++;
        expect(Date.parse(t.row.since!)).toBeGreaterThanOrEqual(labelled.atMs - 24 * HOUR);
        expect(Math.abs(Date.parse(t.row.onset!) - labelled.atMs)).toBeLessThanOrEqual(48 * HOUR);
        expect(t.row.ratio).toBeLessThan(0.6);
        expect(t.row.evidence.expectation).toBe("peers");
      }
    }
    expect(caught).toBe(10);
    expect(suspects).toBeGreaterThanOrEqual(9);
  });

  it("does not blame a number for the list's bad days and ageing (every number drops together)", () => {
    const harsh: PoolShape = { ...SMALL, badDayShare: 0.5, badDayFactor: 0.4, ageingPerDay: 0.04 };
    // At 5 %: 5 of these 100 numbers is the rate asked; held to their own rates, nearly all would alarm.
    let alarms = 0;
    for (let seed = 200; seed < 210; seed++)
      alarms += testSeries(simulatePool(harsh, seed).series, { falseAlarmRate: 0.05 }).filter(
        (t) => t.run.firstSuspectIndex !== undefined,
      ).length;
    expect(alarms).toBeLessThanOrEqual(11);
  });

  it("sees a label on one carrier's subscribers in that carrier's series when calls are split", () => {
    const pool = simulatePool(
      SMALL,
      300,
      { factor: 0.1, carrier: "AT&T", fromDay: 5, toDay: 6 },
      { splitCarriers: true },
    );
    const tested = testSeries(pool.series, { falseAlarmRate: 0.05 });
    const mine = tested.filter((t) => t.series.name === pool.labelled!.callerId);
    expect(mine.map((t) => t.row.carrier).sort()).toEqual(["AT&T", "T-Mobile", "Verizon", "other"]);
    expect(mine.find((t) => t.row.carrier === "AT&T")!.row.status).toBe("suspect");
    expect(mine.filter((t) => t.row.status === "suspect").map((t) => t.row.carrier)).toEqual(["AT&T"]);
  });

  it("a number without peers is judged against its own first week; pooled numbers share one verdict", async () => {
    const day = Date.UTC(2026, 10, 2, 15);
    const records = [];
    for (let d = 0; d < 14; d++)
      for (let i = 0; i < 60; i++) {
        // Answers 40% in week one, 5% after day 9.
        const answered = d < 9 ? i % 5 < 2 : i % 20 === 0;
        records.push({
          callerId: i % 2 === 0 ? "+18005550101" : "+18005550102",
          campaignId: "solo",
          startTime: new Date(day + d * 86_400_000 + i * 60_000).toISOString(),
          agentId: answered ? "a-1" : null,
        });
      }
    const pools = new Map([
      ["+18005550101", "brand-cnam"],
      ["+18005550102", "brand-cnam"],
    ]);
    const { rows } = await runHealthCheck({ kind: "records", records }, { pools });
    expect(rows.map((r) => [r.callerId, r.status, r.evidence.expectation, r.evidence.pool?.name])).toEqual([
      ["+18005550101", "suspect", "baseline", "brand-cnam"],
      ["+18005550102", "suspect", "baseline", "brand-cnam"],
    ]);
    expect(Date.parse(rows[0]!.onset!)).toBeGreaterThanOrEqual(day + 8 * 86_400_000);
    // The redress packet's example timestamps: unanswered calls after the onset.
    expect(rows[0]!.evidence.exampleUnanswered).toHaveLength(5);
    for (const at of rows[0]!.evidence.exampleUnanswered) expect(at >= rows[0]!.onset!).toBe(true);
  });

  it("a number without peers is held to the strategy model's pattern at the called party's local hour, not UTC's", async () => {
    // The model: answers 10 % at 08:00 local, 40 % at 14:00 local, 25 % otherwise. The number
    // calls Los Angeles (UTC−8 in November): week one at 14:00 local (22:00 UTC) and 40 %, week
    // two at 08:00 local (16:00 UTC) and 10 %: exactly what the model expects. Read by UTC hour
    // (16 and 22, both 25 %), week two looked like a drop to a quarter.
    const model = {
      priors: {
        campaign: Array.from({ length: 168 }, (_, slot) => ({
          estimate: slot % 24 === 8 ? 0.1 : slot % 24 === 14 ? 0.4 : 0.25,
        })),
      },
    } as unknown as Model;
    const records = [];
    const start = Date.UTC(2026, 10, 2);
    for (let d = 0; d < 14; d++)
      for (let i = 0; i < 40; i++) {
        const hour = d < 7 ? 22 : 16;
        const answered = d < 7 ? i % 5 < 2 : i % 10 === 0;
        records.push({
          callerId: "+18005550101",
          campaignId: "solo",
          phoneNumber: "3105550100",
          startTime: new Date(start + d * 86_400_000 + hour * 3_600_000 + i * 60_000).toISOString(),
          agentId: answered ? "a-1" : null,
        });
      }
    const { rows } = await runHealthCheck({ kind: "records", records }, { model });
    expect(rows.map((r) => [r.callerId, r.status, r.evidence.expectation])).toEqual([
      ["+18005550101", "ok", "baseline"],
    ]);
    expect(rows[0]!.ratio).toBeGreaterThan(0.8);
    // A Parquet dataset of the same records (DuckDB groups by the called number's exchange too).
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-callerid-local-"));
    try {
      const writer = new DatasetWriter({ dir, firstPart: 0 });
      for (const [i, raw] of records.entries()) {
        const record = canonicalRecord({ ...raw, id: `c-${i}`, tags: [] });
        const partition = partitionDay(record.startTime);
        if (writer.needsNewPart(partition)) await writer.close()?.durable;
        writer.add(record, partition, null);
      }
      await writer.close()?.durable;
      const fromDataset = await runHealthCheck({ kind: "dataset", dir }, { model });
      expect(fromDataset.rows.map((r) => [r.status, r.ratio])).toEqual(rows.map((r) => [r.status, r.ratio]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses bad input naming the field: rate outside (0, 0.5], a number not E.164, no caller ids, a missing carrier column", async () => {
    const one = [
      { callerId: "+18005550101", campaignId: "c", startTime: "2026-11-02T15:00:00Z", agentId: null },
    ];
    const fails = async (promise: Promise<unknown>) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      return (error as InputError).problems[0]!;
    };
    expect(
      (await fails(runHealthCheck({ kind: "records", records: one }, { falseAlarmRate: 0 }))).field,
    ).toBe("falseAlarmRate");
    expect(
      (await fails(runHealthCheck({ kind: "records", records: one }, { falseAlarmRate: 0.6 }))).field,
    ).toBe("falseAlarmRate");
    const local = await fails(
      runHealthCheck({ kind: "records", records: [{ ...one[0], callerId: "8005550101" }] }, {}),
    );
    expect([local.field, local.row]).toEqual(["callerId", 1]);
    const none = await fails(
      runHealthCheck({ kind: "records", records: [{ ...one[0], callerId: null }] }, {}),
    );
    expect(none.field).toBe("callerId");
    expect(none.rule).toMatch(/cxo outcomes export/);
    const carrier = await fails(
      runHealthCheck({ kind: "records", records: one }, { carrierColumn: "carrier" }),
    );
    expect(carrier.field).toBe("carrierColumn");
  });

  it("reads a Parquet dataset with DuckDB: the same verdicts as the records; a carrier column it lacks is refused", async () => {
    const day = Date.UTC(2026, 10, 2, 15);
    const records = [];
    for (let d = 0; d < 12; d++)
      for (let i = 0; i < 240; i++) {
        const n = i % 4;
        // A spread-out 30% for every number (a rate independent of which number calls), 5% for one from day 6.
        const draw = (i * 7919 + d * 104_729) % 1000;
        const answered = draw < (n === 1 && d >= 6 ? 50 : 300);
        records.push({
          id: `c-${d}-${i}`,
          callerId: `+1800555010${n}`,
          campaignId: "k",
          startTime: new Date(day + d * 86_400_000 + i * 30_000).toISOString(),
          agentId: answered ? "a-1" : null,
          tags: [],
        });
      }
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-callerid-dataset-"));
    try {
      const writer = new DatasetWriter({ dir, firstPart: 0 });
      for (const raw of records) {
        const record = canonicalRecord(raw);
        const partition = partitionDay(record.startTime);
        if (writer.needsNewPart(partition)) await writer.close()?.durable;
        writer.add(record, partition, null);
      }
      await writer.close()?.durable;
      const fromDataset = await runHealthCheck({ kind: "dataset", dir }, {});
      const fromRecords = await runHealthCheck({ kind: "records", records }, {});
      expect(fromDataset.records).toBe(records.length);
      expect(fromDataset.rows.map((r) => [r.callerId, r.status, r.ratio])).toEqual(
        fromRecords.rows.map((r) => [r.callerId, r.status, r.ratio]),
      );
      expect(fromDataset.rows.filter((r) => r.status === "suspect").map((r) => r.callerId)).toEqual([
        "+18005550101",
      ]);
      const error = await runHealthCheck({ kind: "dataset", dir }, { carrierColumn: "carrier" }).catch(
        (e: unknown) => e,
      );
      expect((error as InputError).problems[0]!.field).toBe("carrierColumn");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
