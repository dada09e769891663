// Issue 68 §6: where the suite's CPU goes, file by file. With CXO_TEST_CPU_LOG=FILE, each test
// file appends one line: the worker's own CPU (user + system) while the file ran, and the CPU of
// the child processes it started and reaped meanwhile (cxo commands, npm, Chromium), both from
// /proc/self/stat, and the CPU of the jobs warm `cxo` hosts ran for it (cli-host.ts: a host is not
// reaped, so its CPU is not a child's). Off by default: nothing is read or written.
import { appendFileSync, readFileSync } from "node:fs";
import { afterAll, expect } from "vitest";

const log = process.env.CXO_TEST_CPU_LOG;

/** utime, stime, cutime, cstime in ms (fields 14-17 of /proc/self/stat, in clock ticks of 10 ms). */
function cpu(): number[] {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return [11, 12, 13, 14].map((i) => Number(fields[i]) * 10);
}

if (log) {
  // Taken as the setup file runs (before the test file is imported): import-time work counts too.
  const start = cpu();
  const hosted = () => (globalThis as { __cxoHostCpu?: { ms: number } }).__cxoHostCpu?.ms ?? 0;
  const hostStart = hosted();
  const startedAt = Date.now();
  afterAll(() => {
    const [u, s, cu, cs] = cpu().map((v, i) => v - (start[i] ?? 0));
    const file = expect.getState().testPath ?? "?";
    appendFileSync(
      log,
      `${JSON.stringify({ file: file.replace(`${process.cwd()}/`, ""), selfMs: (u ?? 0) + (s ?? 0), childMs: (cu ?? 0) + (cs ?? 0), hostMs: hosted() - hostStart, wallMs: Date.now() - startedAt })}\n`,
    );
  });
}
