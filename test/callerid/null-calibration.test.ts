import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_POOL, type PoolShape, simulatePool } from "../../bench/support/callerid-simulate.ts";
import { runHealthCheck } from "../../src/callerid/check.ts";
import { cusumMaximum, runCusum } from "../../src/callerid/cusum.ts";
import { testSeries } from "../../src/callerid/health.ts";
import type { HourCount } from "../../src/callerid/types.ts";
import { callerIdGroup } from "../../src/sdk/caller-id.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 80 §5. The thresholds spend the false-alarm budget asked (the chain alone kept a fifth of
 * it back: 3.7 % at 5 % here), the number's level is read again from the hours it answers as
 * expected and never from a label's, and `evidence.windowCalls` is every call the history has.
 */
const HOUR = 3_600_000;

describe("the thresholds from the campaign's numbers simulated as not labelled", () => {
  it("spends the budget: 1,000 unlabelled numbers at 5 % raise between half and all of it (the simulation aims at 0.8 of it)", () => {
    const wide: PoolShape = { ...DEFAULT_POOL, numbers: 100 };
    const alarms = { simulated: 0, chain: 0 };
    let numbers = 0;
    for (let seed = 300; seed < 310; seed++) {
      const series = simulatePool(wide, seed).series;
      numbers += series.length;
      for (const calibration of ["simulated", "chain"] as const)
        alarms[calibration] += testSeries(series, { falseAlarmRate: 0.05, calibration }).filter(
          (t) => t.run.firstSuspectIndex !== undefined,
        ).length;
    }
    expect(numbers).toBe(1000);
    expect(alarms.simulated).toBeGreaterThanOrEqual(25);
    expect(alarms.simulated).toBeLessThanOrEqual(50);
    expect(alarms.chain).toBeLessThanOrEqual(alarms.simulated);
  }, 120_000);
});

describe("the level read again as the window goes", () => {
  // 21 days × 11 hours of 10 calls; peers answer 0.3; this number 0.35 (its level 1.17).
  const hours: HourCount[] = [];
  for (let d = 0; d < 21; d++)
    for (let h = 13; h < 24; h++)
      hours.push({ hour: d * 24 + h, calls: 10, answered: hours.length % 2 ? 4 : 3 });
  const base = hours.map(() => 0.3);
  const fromIndex = 7 * 11;
  const prior = { centre: 1, spread: 0.01, centreNoise: 0 };
  const never = { suspectAt: Number.POSITIVE_INFINITY, watchAt: Number.POSITIVE_INFINITY };

  it("comes nearer the number's own as its answers accrue", () => {
    const seven = 0.3 * 1.12;
    const run = runCusum(
      hours,
      base.map(() => seven),
      0.4,
      never,
      { base, fromIndex, prior },
    );
    expect(run.rates[0]).toBeCloseTo(seven, 6);
    expect(run.rates.at(-1)!).toBeGreaterThan(seven);
    expect(run.rates.at(-1)! / 0.3).toBeGreaterThan(1.14);
  });

  it("stays where it was while answers run under it: a label's hours never lower it", () => {
    const labelledFrom = 12 * 11;
    const labelled = hours.map((h, i) => (i >= labelledFrom ? { ...h, answered: i % 2 ? 2 : 1 } : h));
    const run = runCusum(
      labelled,
      base.map(() => 0.3 * 1.12),
      0.4,
      never,
      { base, fromIndex, prior },
    );
    const before = run.rates[labelledFrom]!;
    for (const rate of run.rates.slice(labelledFrom + 11)) expect(rate).toBeGreaterThanOrEqual(before - 1e-9);
    expect(run.statistic).toBeGreaterThan(20);
  });
});

describe("the simulation's CUSUM (cusumMaximum) is runCusum's", () => {
  it("the same highest statistic to the last bit, with the level read again or not", () => {
    // 21 days × 11 hours, calls 3–17 an hour, answers about 0.3 then a ×0.5 drop from day 12.
    const hours: HourCount[] = [];
    for (let d = 0; d < 21; d++)
      for (let h = 13; h < 24; h++) {
        const i = hours.length;
        const calls = 3 + ((i * 7) % 15);
        const answered = Math.floor((calls * (d >= 12 ? 0.15 : 0.3) * (1 + ((i * 13) % 7) / 10)) / 1.3);
        hours.push({ hour: d * 24 + h, calls, answered });
      }
    const base = hours.map((_, i) => 0.25 + ((i * 5) % 11) / 100);
    const first = 1.07;
    const rates = base.map((p) => p * first);
    const prior = { centre: 1, spread: 0.004, centreNoise: 0.0001 };
    const never = { suspectAt: Number.POSITIVE_INFINITY, watchAt: Number.POSITIVE_INFINITY };
    const calls = Int32Array.from(hours, (h) => h.calls);
    const answered = Int32Array.from(hours, (h) => h.answered);
    const maxima = [];
    for (const ratio of [0.3, 0.4, 0.5])
      for (const reading of [undefined, { base, fromIndex: 77, prior, level: first }]) {
        const run = runCusum(hours, rates, ratio, never, reading);
        const max = cusumMaximum(
          calls,
          answered,
          hours.length,
          Float64Array.from(base),
          first,
          ratio,
          reading,
        );
        expect(max).toBe(run.maxStatistic);
        expect(max).toBeGreaterThan(10);
        maxima.push(max);
      }
    expect(new Set(maxima).size).toBe(maxima.length);
  });

  it("tests the hours after the first days at the first days' level until the statistic stands at 0", () => {
    // A number read at 1.15 whose statistic is over 0 as the first days end: its next hours are
    // tested at 1.15 × the peers' rate, not at the peers' rate alone (which read it 15 % low).
    const hours: HourCount[] = [];
    for (let i = 0; i < 30; i++) hours.push({ hour: 13 + i, calls: 10, answered: i >= 18 ? 0 : 4 });
    const base = hours.map(() => 0.3);
    const run = runCusum(
      hours,
      base.map((p) => p * 1.15),
      0.4,
      { suspectAt: Number.POSITIVE_INFINITY, watchAt: Number.POSITIVE_INFINITY },
      { base, fromIndex: 20, prior: { centre: 1, spread: 0.01, centreNoise: 0 }, level: 1.15 },
    );
    expect(run.rates[20]).toBeCloseTo(0.345, 9);
    expect(run.rates[29]).toBeCloseTo(0.345, 9);
  });
});

describe("calls and windowCalls against the history (issue 80 §5: 51 of 301 rows' calls differed; issue 91 §4)", () => {
  it("windowCalls is every call the history has for the number in the window; calls is the same, or callsCounted says it is since onset", async () => {
    // Issue 91's pools: 26–34 numbers of 60–230 calls a day, ×0.5 on a third of those of ≥ 120 a day.
    const shape: PoolShape = { ...DEFAULT_POOL, numbersRange: [26, 34], callsPerDay: [60, 230] };
    const pool = simulatePool(shape, 905, {
      factor: 0.5,
      fromDay: 7,
      toDay: 18,
      minCallsPerDay: 120,
      share: 1 / 3,
    });
    const records: Array<Record<string, unknown>> = [];
    const count = new Map<string, number>();
    const since = (name: string, fromHour: number) =>
      (pool.series.find((s) => s.name === name)?.hours ?? [])
        .filter((h) => h.hour >= fromHour)
        .reduce((n, h) => n + h.calls, 0);
    for (const s of pool.series)
      for (const h of s.hours)
        for (let c = 0; c < h.calls; c++) {
          records.push({
            campaignId: "camp",
            callerId: s.name,
            startTime: new Date(h.hour * HOUR + c * 1000).toISOString(),
            agentId: c < h.answered ? "agent-1" : null,
          });
          count.set(s.name, (count.get(s.name) ?? 0) + 1);
        }
    // Records the rows cannot count, each for a reason the result gives: no caller id, and
    // (with the window asked) a call before it.
    const fromMs = pool.startMs;
    const first = pool.series[0]!.name;
    records.push({
      campaignId: "camp",
      callerId: null,
      startTime: new Date(fromMs + HOUR).toISOString(),
      agentId: null,
    });
    records.push({
      campaignId: "camp",
      callerId: first,
      startTime: new Date(fromMs - HOUR).toISOString(),
      agentId: null,
    });
    const result = await runHealthCheck({ kind: "records", records }, { falseAlarmRate: 0.05, fromMs });
    expect(result.records).toBe(records.length - 1);
    expect(result.withoutCallerId).toBe(1);
    expect(result.outsideWindow).toBe(1);
    expect(result.rows.map((r) => r.callerId).sort()).toEqual([...count.keys()].sort());
    for (const r of result.rows) {
      expect(r.evidence.windowCalls).toBe(count.get(r.callerId));
      if (r.evidence.callsCounted === "window")
        expect([r.calls, r.onset]).toEqual([count.get(r.callerId), undefined]);
      else {
        expect(r.evidence.callsCounted).toBe("since onset");
        expect(r.calls).toBe(since(r.callerId, Date.parse(r.onset!) / HOUR));
        expect(r.calls).toBeLessThan(count.get(r.callerId)!);
      }
    }
    expect(pool.labels.length).toBeGreaterThanOrEqual(3);
    for (const label of pool.labels)
      expect(result.rows.find((r) => r.callerId === label.callerId)!.status).toBe("suspect");
  }, 60_000);
});

describe("what a history has that no row counts, said (issue 91 §4)", () => {
  it("the SDK tells onRead of records without a caller id and outside from/to; the CLI prints it on stderr", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-callerid-read-"));
    try {
      const at = (h: number) => new Date(Date.UTC(2026, 10, 2, 13) + h * HOUR).toISOString();
      const lines: string[] = [];
      for (let h = 0; h < 30; h++)
        for (const callerId of ["+18005550100", "+18005550101", null])
          lines.push(
            JSON.stringify({ campaignId: "c", callerId, startTime: at(h), agentId: h % 3 ? null : "a" }),
          );
      const history = path.join(dir, "h.ndjson");
      writeFileSync(history, `${lines.join("\n")}\n`);
      const seen: unknown[] = [];
      const rows = await callerIdGroup().health({ history, from: at(10), onRead: (r) => seen.push(r) });
      // 30 hours × 3 records; the first 10 hours before `from`; a third without a caller id.
      expect(seen).toEqual([{ records: 60, withoutCallerId: 20, outsideWindow: 30 }]);
      expect(rows.map((r) => r.evidence.windowCalls)).toEqual([20, 20]);
      const cli = await runCli(["--json", "callerid", "health", "--history", history, "--from", at(10)], {
        CXO_DATA_DIR: path.join(dir, ".cxo"),
      });
      expect(cli.code).toBe(0);
      expect(cli.stderr).toBe(
        "records in no number's calls: 20 without a caller id, 30 outside --from/--to\n",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("several labelled numbers in one campaign (issue 91 §4)", () => {
  it("a suspect number's suspect hours leave its peers' expectation: the clean numbers still answer as expected (ratio ≈ 1, not raised by the labels)", () => {
    // 20 numbers of 120 calls a day; 7 of them labelled × 0.4 from days 7–10 (the peers' rate
    // would fall by a fifth after the labels: the clean numbers' window ratio about 1.1).
    const pool = simulatePool({ ...DEFAULT_POOL }, 911, {
      factor: 0.4,
      fromDay: 7,
      toDay: 10,
      share: 0.35,
    });
    const labelled = new Set(pool.labels.map((l) => l.callerId));
    expect(labelled.size).toBeGreaterThanOrEqual(5);
    const tested = testSeries(pool.series, { falseAlarmRate: 0.05 });
    let answered = 0;
    let expected = 0;
    for (const t of tested) {
      if (labelled.has(t.series.name)) {
        expect(t.row.status).toBe("suspect");
        continue;
      }
      answered += t.row.evidence.windowAnswered;
      expected += t.row.evidence.windowExpected;
    }
    expect(answered / expected).toBeGreaterThan(0.97);
    expect(answered / expected).toBeLessThan(1.04);
  }, 60_000);
});
