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
    // Two workers, one per core (issue 68 §6: the suite's CPU, not its wall time). With the
    // warm `cxo` hosts kept (test/support/cli-host.ts) most files are CPU-bound, and a third
    // worker on two cores mostly contends: the same 339 test files on a quiet 2-core machine
    // (2026-11-26, every process counted by a cgroup) took 231 s of CPU and 163 s of wall with
    // three workers, 208 s and 197 s with two. Four were 2026-11-25's choice for wall time.
    // History: docs/notes/suite-history.md.
    maxWorkers: 2,
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
