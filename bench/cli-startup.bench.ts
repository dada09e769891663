import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildInstalledCli } from "./support/installed-cli.ts";
import { percentile } from "./support/stats.ts";
import type { BenchRow, BenchSuite } from "./types.ts";

/**
 * Cold start of the installed CLI (dist/cli/bin.js, what `npx cxo` runs), beside a bare
 * `node -e 0` measured in the same run, interleaved: median wall time of RUNS processes each,
 * and peak RSS (each child reports its own maxRSS at exit, the baseline too).
 */
const RUNS = 15;
// Each child reports its peak RSS and its CPU time (user + system) at exit: CPU time is what a
// loaded machine inflates least, so it is shown beside the wall time.
const REPORT_RSS = `data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("maxrss:"+u.maxRSS+" cpu:"+(u.userCPUTime+u.systemCPUTime)+"\\n")})`;

function once(args: string[]): { ms: number; rssMb: number; cpuMs: number } {
  const started = performance.now();
  const child = spawnSync(process.execPath, ["--import", REPORT_RSS, ...args], { encoding: "utf8" });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`${args.join(" ")} exited ${child.status}: ${child.stderr}`);
  const rss = /maxrss:(\d+) cpu:(\d+)/.exec(child.stderr);
  return {
    ms,
    rssMb: rss ? Number(rss[1]) / 1024 : Number.NaN,
    cpuMs: rss ? Number(rss[2]) / 1000 : Number.NaN,
  };
}

function median(values: number[]): number {
  return percentile(values, 50);
}

const suite: BenchSuite = async () => {
  const bin = buildInstalledCli();
  const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-bench-startup-"));
  const commands = {
    baseline: ["-e", "0"],
    version: [bin, "--version"],
    help: [bin, "--help"],
    compliance: [
      bin,
      "compliance",
      "check",
      "--phone",
      "+12125550123",
      "--at",
      "2026-03-02T15:00:00Z",
      "--json",
      "--data-dir",
      dataDir,
    ],
  };
  const samples = Object.fromEntries(
    Object.keys(commands).map((k) => [k, { ms: [] as number[], rss: [] as number[], cpu: [] as number[] }]),
  );
  for (const args of Object.values(commands)) once(args); // warm the file cache
  for (let i = 0; i < RUNS; i++)
    for (const [name, args] of Object.entries(commands)) {
      const { ms, rssMb, cpuMs } = once(args);
      samples[name]!.ms.push(ms);
      samples[name]!.rss.push(rssMb);
      samples[name]!.cpu.push(cpuMs);
    }
  const ms = (name: string) => median(samples[name]!.ms);
  const rss = (name: string) => Math.max(...samples[name]!.rss);
  const cpu = (name: string) => median(samples[name]!.cpu);
  const base = ms("baseline");
  const row = (metric: string, unit: string, ours: number, extra: Partial<BenchRow> = {}): BenchRow => ({
    suite: "cli startup",
    metric,
    unit,
    ours,
    ...extra,
  });
  return [
    row("cxo --version, median of 15 (installed dist)", "ms", ms("version"), {
      baseline: base,
      baselineLabel: "node -e 0, same run",
    }),
    row("cxo --version / node -e 0", "×", ms("version") / base, {
      target: "≤ 4×",
      met: ms("version") / base <= 4,
    }),
    row("cxo --version peak RSS", "MB", rss("version"), {
      baseline: rss("baseline"),
      baselineLabel: "node -e 0",
      target: "≤ 60 MB",
      met: rss("version") <= 60,
    }),
    row("cxo compliance check --json, median of 15", "ms", ms("compliance"), {
      baseline: base,
      baselineLabel: "node -e 0, same run",
    }),
    row("cxo compliance check --json / node -e 0", "×", ms("compliance") / base, {
      target: "≤ 6×",
      met: ms("compliance") / base <= 6,
    }),
    row("cxo compliance check --json peak RSS", "MB", rss("compliance"), {
      baseline: rss("baseline"),
      baselineLabel: "node -e 0",
    }),
    row("cxo --help / node -e 0", "×", ms("help") / base),
    row("cxo --version CPU time / node -e 0 CPU time", "×", cpu("version") / cpu("baseline"), {
      baseline: cpu("baseline"),
      baselineLabel: "ms CPU of node -e 0",
    }),
    // Issue 32's target for the command a dialing script calls per number: CPU time, which load
    // inflates less than wall time (callgrind's instruction counts are steadier still; see README).
    row(
      "cxo compliance check --json CPU time / node -e 0 CPU time",
      "×",
      cpu("compliance") / cpu("baseline"),
      { target: "≤ 5×", met: cpu("compliance") / cpu("baseline") <= 5 },
    ),
  ];
};

export default suite;
