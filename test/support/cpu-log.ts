// Issue 68 §6: where the suite's CPU goes, file by file. With CXO_TEST_CPU_LOG=FILE, each test
// file appends one line: the worker's own CPU (user + system) while the file ran, and the CPU of
// the child processes it started and reaped meanwhile (cxo commands, npm, Chromium), both from
// /proc/self/stat, and the CPU of the jobs warm `cxo` hosts ran for it (cli-host.ts: a host is not
// reaped, so its CPU is not a child's). Off by default: nothing is read or written.
// Each line also counts the processes the file's worker started (`spawns`: `cxo` by its script,
// warm hosts as `cli-host-runner.ts`, npm, Chromium…) and the jobs warm hosts ran for it
// (`hostJobs`): a process's start and module loading is what a warm host saves.
import childProcess from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";
import { afterAll, expect } from "vitest";

const log = process.env.CXO_TEST_CPU_LOG;

/** utime, stime, cutime, cstime in ms (fields 14-17 of /proc/self/stat, in clock ticks of 10 ms). */
function cpu(): number[] {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return [11, 12, 13, 14].map((i) => Number(fields[i]) * 10);
}

/** What a started process is called in the log: a Node script by its file, else the command. */
function label(command: unknown, args: unknown): string {
  const name = path.basename(String(command));
  const list = Array.isArray(args) ? (args as unknown[]) : [];
  if (name === "node" || String(command) === process.execPath) {
    const script = list.find((arg) => typeof arg === "string" && !arg.startsWith("-"));
    return script ? path.basename(String(script)) : "node";
  }
  return name.split(" ")[0] ?? name;
}

const counted = globalThis as { __cxoSpawns?: Map<string, number> };
/** Once per worker: every later file reads and resets the same counts. */
function countSpawns(): Map<string, number> {
  if (counted.__cxoSpawns) return counted.__cxoSpawns;
  const counts = new Map<string, number>();
  counted.__cxoSpawns = counts;
  const cp = childProcess as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ["spawn", "fork", "execFile", "exec", "spawnSync", "execFileSync", "execSync"]) {
    const original = cp[name];
    if (typeof original !== "function") continue;
    cp[name] = function (this: unknown, ...args: unknown[]) {
      const key = name === "fork" ? path.basename(String(args[0])) : label(args[0], args[1]);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return original.apply(this, args);
    };
  }
  syncBuiltinESMExports();
  return counts;
}

if (log) {
  const spawns = countSpawns();
  spawns.clear();
  // Taken as the setup file runs (before the test file is imported): import-time work counts too.
  const start = cpu();
  const hostState = () => (globalThis as { __cxoHostCpu?: { ms: number; jobs?: number } }).__cxoHostCpu;
  const hosted = () => hostState()?.ms ?? 0;
  const hostStart = hosted();
  const jobsStart = hostState()?.jobs ?? 0;
  const startedAt = Date.now();
  afterAll(() => {
    const [u, s, cu, cs] = cpu().map((v, i) => v - (start[i] ?? 0));
    const file = expect.getState().testPath ?? "?";
    appendFileSync(
      log,
      `${JSON.stringify({ file: file.replace(`${process.cwd()}/`, ""), selfMs: (u ?? 0) + (s ?? 0), childMs: (cu ?? 0) + (cs ?? 0), hostMs: hosted() - hostStart, wallMs: Date.now() - startedAt, hostJobs: (hostState()?.jobs ?? 0) - jobsStart, spawns: Object.fromEntries(spawns) })}\n`,
    );
  });
}
