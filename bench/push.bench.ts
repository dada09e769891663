import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { startEmulatorProcess } from "./support/emulator-process.ts";
import { benchModel, writeListCsv } from "./support/plan-list.ts";
import { parseTimeV, type TimeV } from "./support/time-v.ts";
import type { BenchRow } from "./types.ts";

/**
 * Push memory (issue 88 L13): `cxo strategy push` of a plan of N records to a skill of the
 * production emulator (its own process), each push in its own `cxo` process under
 * `/usr/bin/time -v` for its wall time, CPU time and peak RSS. The plan is made by `cxo strategy
 * plan --campaign` (the skill's hours read from the emulator) for one day, so every record is due
 * and goes out. The clock is fixed (CXO_CLOCK / `--clock`): the emulator's dialer dials nothing
 * while the bench runs. Both commands read the agents' dispositions from `/contacts/completed`
 * first (the seeded day is about 135 pages): the client's rate limits are raised a hundredfold
 * (`http.rateLimitScale`), else the production limit of 60 a minute makes minutes of waiting
 * that measure nothing of the push. Sizes: PUSH_BENCH_RECORDS (default "100000,1000000"); the
 * target is peak RSS ≤ 500 MB at the largest, and flat (largest ÷ smallest ≤ 1.5).
 * `npm run bench -- push`.
 */
const SUITE = "push";
const SIZES = (process.env.PUSH_BENCH_RECORDS ?? "100000,1000000").split(",").map(Number);
/** A Monday 05:00 in New York: the plan's day starts before any calling hour opens. */
const CLOCK = "2026-12-07T10:00:00Z";
const CXO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../bin/cxo.js");

interface Run {
  records: number;
  sent: number;
  time: TimeV;
  planMb: number;
  load: [number, number];
  /** Why the push failed (its last error line), when it did. */
  error?: string;
}

async function cxoTimed(
  args: string[],
  env: Record<string, string>,
  failed?: (status: number | null, stderr: string, time: TimeV | undefined) => void,
): Promise<{ time: TimeV; stdout: string }> {
  const { spawnSync } = await import("node:child_process");
  const child = spawnSync("/usr/bin/time", ["-v", process.execPath, CXO, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
  });
  if (child.status !== 0 && failed) {
    let time: TimeV | undefined;
    try {
      time = parseTimeV(child.stderr);
    } catch {
      time = undefined;
    }
    failed(child.status, child.stderr, time);
  }
  if (child.status !== 0)
    throw new Error(`cxo ${args.slice(0, 3).join(" ")} exited ${child.status}: ${child.stderr.slice(-3000)}`);
  return { time: parseTimeV(child.stderr), stdout: child.stdout };
}

async function pushOnce(records: number): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-bench-push-"));
  const { url, child } = await startEmulatorProcess([
    "--platform",
    "cxone",
    "--seed",
    "88",
    "--days",
    "1",
    "--clock",
    CLOCK,
  ]);
  try {
    const fixtures = (await (await fetch(`${url}/_emulator/fixtures`)).json()) as {
      accessKeys: Array<{ accessKeyId: string; accessKeySecret: string; readOnly?: boolean }>;
      skills: Array<{ skillId: number }>;
    };
    const key = fixtures.accessKeys.find((k) => !k.readOnly)!;
    const skill = String(fixtures.skills[0]!.skillId);
    const env = {
      CXONE_PLATFORM: "cxone",
      CXONE_ISSUER: url,
      CXONE_ACCESS_KEY_URL: `${url}/authentication/v1/token/access-key`,
      CXONE_ACCESS_KEY_ID: key.accessKeyId,
      CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
      CXO_DATA_DIR: path.join(dir, ".cxo"),
      CXO_CLOCK: CLOCK,
    };
    const config = path.join(dir, "cxo.config.yaml");
    writeFileSync(config, "http:\n  rateLimitScale: 100\n");
    const list = path.join(dir, "list.csv");
    const plan = path.join(dir, "plan.ndjson");
    writeListCsv(list, records);
    writeFileSync(path.join(dir, "model.json"), JSON.stringify({ ...benchModel(), campaign: skill }));
    await cxoTimed(
      [
        "--config",
        config,
        "strategy",
        "plan",
        "--list",
        list,
        "--model",
        path.join(dir, "model.json"),
        "--campaign",
        skill,
        "--from",
        CLOCK,
        "--days",
        "1",
        "--capacity",
        "400000",
        "--out",
        plan,
        "--json",
      ],
      env,
    );
    const load0 = loadavg()[0] as number;
    let failure: Run | undefined;
    const pushed = await cxoTimed(
      ["--config", config, "strategy", "push", "--plan", plan, "--campaign", skill, "--fit-skill", "--json"],
      env,
      (status, stderr, time) => {
        const lines = stderr.split("\n").filter((l) => l.startsWith("error") || l.includes("Error"));
        failure = {
          records,
          sent: 0,
          time: time ?? { wallS: 0, cpuS: 0, rssMb: 0 },
          planMb: statSync(plan).size / 1e6,
          load: [load0, loadavg()[0] as number],
          error: `exit ${status}: ${(lines.at(-1) ?? stderr.slice(-300)).slice(0, 300)}`,
        };
      },
    ).catch((error: unknown) => {
      if (failure) return undefined;
      throw error;
    });
    if (!pushed) return failure as Run;
    const { time, stdout } = pushed;
    const summary = JSON.parse(stdout) as { records: number };
    return {
      records,
      sent: summary.records,
      time,
      planMb: statSync(plan).size / 1e6,
      load: [load0, loadavg()[0] as number],
    };
  } finally {
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function pushBench(): Promise<BenchRow[]> {
  const runs: Run[] = [];
  for (const records of SIZES) {
    const run = await pushOnce(records);
    runs.push(run);
    process.stderr.write(
      `  push: ${records} records planned (plan ${run.planMb.toFixed(0)} MB), ${run.error ? `FAILED (${run.error})` : `${run.sent} sent`}; wall ${run.time.wallS.toFixed(1)} s, CPU ${run.time.cpuS.toFixed(1)} s, peak RSS ${run.time.rssMb.toFixed(0)} MB (${((run.time.rssMb * 1024) / records).toFixed(2)} KB a record); load average ${run.load[0].toFixed(1)} → ${run.load[1].toFixed(1)}\n`,
    );
  }
  const smallest = runs[0]!;
  const largest = runs.at(-1)!;
  const size = (n: number) => n.toLocaleString("en-US");
  return [
    ...runs.map((run) => ({
      suite: SUITE,
      metric: `cxo strategy push, ${size(run.records)} records (${run.error ? `FAILED: ${run.error}` : `${size(run.sent)} sent`}; wall ${run.time.wallS.toFixed(1)} s, CPU ${run.time.cpuS.toFixed(1)} s; load ${run.load[0].toFixed(1)}–${run.load[1].toFixed(1)}): peak RSS`,
      unit: "MB",
      ours: run.time.rssMb,
      target: "≤ 500 MB",
      met: run.error === undefined && run.time.rssMb <= 500,
    })),
    ...(runs.length > 1
      ? [
          {
            suite: SUITE,
            metric: `peak RSS ${size(largest.records)} ÷ ${size(smallest.records)} records`,
            unit: "×",
            ours: largest.time.rssMb / smallest.time.rssMb,
            target: "≤ 1.5 (flat)",
            met: largest.time.rssMb / smallest.time.rssMb <= 1.5,
          },
        ]
      : []),
  ];
}
