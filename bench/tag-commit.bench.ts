import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulatorProcess } from "./support/emulator-process.ts";
import { tagRows } from "./support/tag-rows.ts";
import type { BenchRow } from "./types.ts";

/**
 * `cxo tag` of 6,000 rows at ten times the documented limit (emulator `--rate-limit-scale 10`:
 * 1,000 tagging requests/s, 20 ms latency; the client told `http.rateLimitScale: 10`), as a
 * separate process whose disk writes are measured (write_bytes of /proc/<pid>/io, read by the
 * shell that waited for it, which the kernel credits with its reaped child's I/O). Ours: the
 * store as a new user gets it (group commit at its default window, a new data dir); baseline in
 * the same run: one fsynced commit per journal step (store.groupCommitMs 0), the old behaviour.
 */
const SCALE = 10;
const SERVER_LIMIT_PER_SEC = 100 * SCALE;
const ROWS = 6_000;
const CXO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/cxo.js");

const json = async <T>(url: string, init?: RequestInit): Promise<T> =>
  (await (await fetch(url, init)).json()) as T;

interface TagRun {
  summary: { succeeded: number; throughputPerSec: number; latencyMs: { p50: number } };
  writeBytes: number;
  share429: number;
}

/** One `cxo tag --file` process; its summary, its disk write bytes and the 429 share it saw. */
async function tagRun(
  emulatorUrl: string,
  env: Record<string, string>,
  dir: string,
  file: string,
  campaignId: string,
  groupCommitMs: number | "default",
): Promise<TagRun> {
  const dataDir = path.join(dir, `data-${groupCommitMs}`);
  mkdirSync(dataDir, { recursive: true });
  const config = path.join(dir, `cxo-${groupCommitMs}.config.yaml`);
  const store = groupCommitMs === "default" ? "" : `store:\n  groupCommitMs: ${groupCommitMs}\n`;
  writeFileSync(config, `http:\n  rateLimitScale: ${SCALE}\n${store}log:\n  level: silent\n`);
  await fetch(`${emulatorUrl}/_emulator/requests`, { method: "DELETE" });
  const command = [process.execPath, CXO, "--json", "--config", config]
    // No --concurrency: the default a user gets (128 rows in flight at this limit).
    .concat(["tag", "--campaign", campaignId, "--file", file])
    .map((part) => `'${part}'`)
    .join(" ");
  // The shell forks the CLI, waits for it, then prints its own io: the child's is folded in.
  const child = spawn(
    "bash",
    ["-c", `${command} > '${dir}/out.json'; status=$?; cat /proc/$$/io; exit $status`],
    {
      env: { ...process.env, ...env, CXO_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let io = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    io += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const summary = JSON.parse(readFileSync(path.join(dir, "out.json"), "utf8")) as TagRun["summary"];
  if (code !== 0 || summary.succeeded !== ROWS)
    throw new Error(`cxo tag (groupCommitMs ${groupCommitMs}) exited ${code}, tagged ${summary.succeeded}`);
  const writeBytes = Number(/write_bytes:\s*(\d+)/.exec(io)?.[1] ?? Number.NaN);
  const log = await json<{ requests: Array<{ method: string; status: number }> }>(
    `${emulatorUrl}/_emulator/requests`,
  );
  const puts = log.requests.filter((r) => r.method === "PUT");
  const share429 = puts.length ? puts.filter((r) => r.status === 429).length / puts.length : 0;
  return { summary, writeBytes, share429 };
}

export default async function tagCommitBench(): Promise<BenchRow[]> {
  const emu = await startEmulatorProcess([
    "--latency-ms",
    "20",
    "--rate-limit-scale",
    String(SCALE),
    "--calls",
    String(ROWS * 16),
  ]);
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-tag-commit-bench-"));
  try {
    const { admin, campaign, file } = await tagRows(emu.url, ROWS * 16, dir);
    const env = {
      CXONE_BASE_URL: emu.url,
      CXONE_CLIENT_ID: admin.clientId,
      CXONE_CLIENT_SECRET: admin.clientSecret,
    };
    const load = loadavg()[0]!.toFixed(1);
    const baseline = await tagRun(emu.url, env, dir, file(0, ROWS), campaign.id, 0);
    const ours = await tagRun(emu.url, env, dir, file(ROWS, ROWS), campaign.id, "default");
    const fraction = ours.summary.throughputPerSec / SERVER_LIMIT_PER_SEC;
    const kbPerRow = (run: TagRun) => run.writeBytes / ROWS / 1024;
    const label = `one commit per step (load ${load})`;
    return [
      {
        suite: "tag-commit",
        metric: `cxo tag ${ROWS} rows, limit ${SERVER_LIMIT_PER_SEC}/s, 20 ms: throughput / limit`,
        unit: "fraction",
        ours: fraction,
        baseline: baseline.summary.throughputPerSec / SERVER_LIMIT_PER_SEC,
        baselineLabel: label,
        target: "≥ 0.95",
        met: fraction >= 0.95,
      },
      {
        suite: "tag-commit",
        metric: "429 answers / PUT requests",
        unit: "fraction",
        ours: ours.share429,
        baseline: baseline.share429,
        baselineLabel: label,
        target: "≤ 0.01",
        met: ours.share429 <= 0.01,
      },
      {
        suite: "tag-commit",
        metric: "disk writes per row (process write_bytes)",
        unit: "KB",
        ours: kbPerRow(ours),
        baseline: kbPerRow(baseline),
        baselineLabel: label,
        target: "≤ 10",
        met: kbPerRow(ours) <= 10,
      },
      {
        suite: "tag-commit",
        metric: "latency p50",
        unit: "ms",
        ours: ours.summary.latencyMs.p50,
        baseline: baseline.summary.latencyMs.p50,
        baselineLabel: label,
      },
    ];
  } finally {
    emu.child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}
