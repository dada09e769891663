import { defineConfig } from "vitest/config";
import SlowestFirst from "./test/support/slowest-first.ts";

// Tests talk to real local servers (emulator, receivers), so they get generous timeouts: a
// timeout here only bounds a hang, and a whole run keeps both cores busy, so a hook that takes
// 15 s alone can take 30 s in the run (test/outcomes/export.test.ts's 200k-record reference
// export timed out at the old 30 s bound with a benchmark running beside the suite).
// CXO_TEST_REPORT (set by .ci/run) adds a JSON report from which CI prints its summary line.
const report = process.env.CXO_TEST_REPORT;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Picks the PostgreSQL server for the store's PostgreSQL tests (the machine's, else embedded).
    globalSetup: ["test/support/postgres-global-setup.ts"],
    // Before each file: state a worker's shared modules must not carry from one file to the next.
    setupFiles: ["test/support/compile-cache.ts", "test/support/fresh-state.ts", "test/support/cpu-log.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest defaults to one worker on a 2-core machine, but most files wait on local servers,
    // child processes and timers: with two workers a whole run used 1.1 cores on average (537 s
    // of CPU over 482 s, another job running beside it). Four keep both cores busy: 278 s on a
    // quiet machine (the last CI run, two workers and fresh modules per file: 486 s). Six were
    // tried on 2026-11-25: 350 s against four's 335 s (the suite is CPU-bound now, ~600 s of CPU).
    // Three since 2026-11-26 (issue 68 §6): the same `npm test` of commit e501d25, back to back on a
    // quiet 2-core machine, took 297 s wall / 532 s CPU with four workers, 264 s / 437 s with three
    // and 287 s / 399 s with two — each worker loads the sources again, and four on two cores
    // mostly contend. Three is the shortest wall time; two the least CPU.
    maxWorkers: 3,
    // Larger young-generation semi-spaces for the workers (V8's default is 16 MB on 64-bit):
    // the tests allocate fast (emulators, exports, simulations) and scavenge less often this
    // way. On five CPU-heavy files, 15% less CPU (2026-11-25, two runs each, load 13-15).
    // Only the workers: a `cxo` the tests start gets Node's defaults, as a user's does.
    execArgv: ["--max-semi-space-size=32"],
    // Each worker keeps its modules from one test file to the next instead of importing the
    // sources afresh per file (~0.9 s of transform and evaluation each, 150+ files): on
    // test/core + test/dispositions that cut the run's CPU from 90 s to 50 s. Tests therefore
    // must not rely on module state being fresh: process-wide registries (metrics, the secret
    // scrubber) are reset before each file by test/support/fresh-state.ts, other shared state
    // is read as deltas or reset first, and env changes are restored.
    isolate: false,
    experimental: { viteModuleRunner: false, nodeLoader: false },
    // The longest files first also in a clean clone, which has no durations from a previous run.
    sequence: { sequencer: SlowestFirst },
    reporters: report ? ["default", ["json", { outputFile: report }]] : ["default"],
  },
});
