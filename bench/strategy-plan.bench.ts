import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { benchModel, PLAN_BENCH_FROM, planPerRecord, sampleRows, writeListCsv } from "./support/plan-list.ts";
import { timedCxo } from "./support/time-v.ts";
import type { BenchRow } from "./types.ts";

/**
 * Plan speed (issue 55 §2): `cxo strategy plan` on a generated list of 1,000,000 records (CSV in,
 * NDJSON plan out, 7 days, one attempt each, capacity 40,000 an hour), run under
 * `/usr/bin/time -v` for its wall time, CPU time and peak RSS. Baseline in the same run: the
 * plain way on a 10,000-record sample of the same list — the compliance engine asked about every
 * hour of the horizon for each record, the best legal hour taken — scaled per record.
 * `npm run bench -- strategy-plan`; PLAN_BENCH_RECORDS=N for another size.
 */
const SUITE = "strategy-plan";
const RECORDS = Number(process.env.PLAN_BENCH_RECORDS ?? 1_000_000);
const SAMPLE = 10_000;
const DAYS = 7;

export default async function strategyPlanBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-bench-plan-"));
  try {
    const list = path.join(dir, "list.csv");
    const modelFile = path.join(dir, "model.json");
    const out = path.join(dir, "plan.ndjson");
    const model = benchModel();
    writeListCsv(list, RECORDS);
    writeFileSync(modelFile, JSON.stringify(model));
    const loadBefore = loadavg()[0] as number;
    const { time: ours, stdout } = timedCxo([
      "strategy",
      "plan",
      "--list",
      list,
      "--model",
      modelFile,
      "--from",
      PLAN_BENCH_FROM,
      "--days",
      String(DAYS),
      "--capacity",
      "40000",
      "--out",
      out,
      "--json",
    ]);
    const summary = JSON.parse(stdout) as { records: number; planned: number; unplannable: number };
    const planBytes = statSync(out).size;
    const loadAfter = loadavg()[0] as number;

    const sample = sampleRows(SAMPLE);
    const cpu0 = process.cpuUsage();
    const baselinePlanned = planPerRecord(sample, model, DAYS);
    const cpu1 = process.cpuUsage(cpu0);
    const baselineCpuPerRecordMs = (cpu1.user + cpu1.system) / 1000 / SAMPLE;
    const oursCpuPerRecordMs = (ours.cpuS * 1000) / RECORDS;
    process.stderr.write(
      `  strategy-plan: ${RECORDS} records → ${summary.planned} attempts (${summary.unplannable} unplannable), plan ${(planBytes / 1e6).toFixed(0)} MB; wall ${ours.wallS.toFixed(1)} s, CPU ${ours.cpuS.toFixed(1)} s, peak RSS ${ours.rssMb.toFixed(0)} MB; baseline ${baselinePlanned}/${SAMPLE} planned at ${baselineCpuPerRecordMs.toFixed(3)} ms CPU a record; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}\n`,
    );
    const size = RECORDS.toLocaleString("en-US");
    return [
      {
        suite: SUITE,
        metric: `cxo strategy plan, ${size} records (CSV in, NDJSON out, ${DAYS} days): wall time (CPU ${ours.cpuS.toFixed(1)} s; load average ${loadBefore.toFixed(1)}–${loadAfter.toFixed(1)} on 2 cores shared by other work)`,
        unit: "s",
        ours: ours.wallS,
        target: "< 60 s",
        met: ours.wallS < 60,
      },
      {
        suite: SUITE,
        metric: `cxo strategy plan, ${size} records: peak RSS (/usr/bin/time -v)`,
        unit: "MB",
        ours: ours.rssMb,
        target: "< 1024 MB",
        met: ours.rssMb < 1024,
      },
      {
        suite: SUITE,
        metric: `CPU time per record planned, vs the engine asked about each hour of each record (${SAMPLE.toLocaleString("en-US")}-record sample)`,
        unit: "ms/record",
        ours: oursCpuPerRecordMs,
        baseline: baselineCpuPerRecordMs,
        baselineLabel: "per-record engine",
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
