import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, startTestPostgres } from "../test/support/postgres-server.ts";
import { percentile } from "./support/stats.ts";
import type { BenchRow } from "./types.ts";

/**
 * Leader takeover (issue 32 §2): how long after the leader stops, another `cxo serve` instance
 * leads. Two instance processes on one store with the service's default lease (6 s, renewed
 * every 2 s); the leader is either `kill -9`ed (same host: the follower sees its pid gone at its
 * next try, bound: one renewal interval) or SIGSTOPped (frozen or cut off, as another host's
 * death looks: it must wait for the lease to run out, bound: lease + one renewal interval).
 * Median and max of several runs, on PostgreSQL and SQLite, labelled with the load average.
 */
const LEASE_MS = 6_000;
const RUNS_KILL = Number(process.env.TAKEOVER_RUNS ?? 7);
const RUNS_STOP = Number(process.env.TAKEOVER_STOP_RUNS ?? 3);
const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "support", "leader-worker.ts");

interface Worker {
  child: ChildProcess;
  line(prefix: string): Promise<string>;
}

function worker(dataDir: string, url: string): Worker {
  const child = spawn(process.execPath, [WORKER, dataDir, url, String(LEASE_MS)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buffer = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    lines.push(...parts);
    for (const wake of waiters.splice(0)) wake();
  });
  child.on("exit", () => {
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    child,
    line: async (prefix) => {
      for (;;) {
        const found = lines.find((l) => l.startsWith(prefix));
        if (found) return found;
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`leader worker exited (${child.exitCode ?? child.signalCode}) before "${prefix}"`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

/** One run: A leads, B follows; A is stopped by `signal`; ms until B leads. */
async function run(dataDir: string, url: string, signal: "SIGKILL" | "SIGSTOP"): Promise<number> {
  const a = worker(dataDir, url);
  await a.line("lead");
  const b = worker(dataDir, url);
  await b.line("ready");
  try {
    // At a random moment of the follower's renewal cycle (it tries every LEASE_MS / 3).
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * (LEASE_MS / 3)));
    const killedAt = Date.now();
    a.child.kill(signal);
    const [, at] = (await b.line("lead")).split(" ");
    return Number(at) - killedAt;
  } finally {
    a.child.kill("SIGKILL");
    b.child.kill("SIGKILL");
    await Promise.all(
      [a, b].map((w) =>
        w.child.exitCode !== null || w.child.signalCode !== null
          ? undefined
          : new Promise((resolve) => w.child.once("exit", resolve)),
      ),
    );
  }
}

async function series(label: string, dataDir: string, url: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [signal, runs, bound] of [
    ["SIGKILL", RUNS_KILL, LEASE_MS / 3],
    ["SIGSTOP", RUNS_STOP, LEASE_MS + LEASE_MS / 3],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await run(dataDir, url, signal));
    const load = loadavg()[0]!.toFixed(1);
    const what = signal === "SIGKILL" ? "kill -9, same host" : "SIGSTOP (frozen/other host)";
    for (const [metric, value] of [
      ["median", percentile(times, 50)],
      ["max", Math.max(...times)],
    ] as const)
      rows.push({
        suite: "takeover",
        metric: `${label}: ${what}, ${metric} of ${runs} (load ${load})`,
        unit: "ms",
        ours: value,
        target: `≤ ${bound} + ~300`,
        met: value <= bound + 300,
      });
    process.stderr.write(`takeover ${label} ${signal}: ${times.join(", ")} ms (load ${load})\n`);
  }
  return rows;
}

export default async function takeover(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const sqliteDir = mkdtempSync(path.join(tmpdir(), "cxo-bench-takeover-"));
  const server = await startTestPostgres();
  const db = await createTestDatabase(server.url, "cxo_bench_takeover");
  try {
    rows.push(...(await series(server.embedded ? "embedded PostgreSQL" : "PostgreSQL", sqliteDir, db.url)));
    rows.push(...(await series("SQLite", sqliteDir, "-")));
  } finally {
    await db.drop().catch(() => undefined);
    await server.stop();
    rmSync(sqliteDir, { recursive: true, force: true });
  }
  return rows;
}
