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
    // One temporary directory for the run, removed at its end (run-temp-global-setup.ts), a
    // ./.cxo the run made removed too (repo-data-dir-global-setup.ts), then the PostgreSQL server
    // for the store's PostgreSQL tests (the machine's, else embedded).
    globalSetup: [
      "test/support/run-temp-global-setup.ts",
      "test/support/repo-data-dir-global-setup.ts",
      "test/support/postgres-global-setup.ts",
    ],
    // Before each file: state a worker's shared modules must not carry from one file to the next,
    // and the check that the file left no store in the repository's ./.cxo.
    setupFiles: [
      "test/support/compile-cache.ts",
      "test/support/fresh-state.ts",
      "test/support/cpu-log.ts",
      "test/support/repo-data-dir-guard.ts",
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Three workers on two cores (issue 80: `npm test` under 5 minutes on this machine). The
    // suite is mostly CPU-bound, but a third of its files wait on something between bursts (a
    // kill landing, a lease running out, a service's loop, a warm `cxo` host's command), and a
    // third worker fills those waits: on 2026-11-27 (421 files, quiet, this 2-core machine) two
    // workers took 424 s of wall and three 393 s for the same CPU. Two were 2026-11-26's choice,
    // for 23 s less CPU at 34 s more wall. History: docs/notes/suite-history.md.
    maxWorkers: 3,
    // Larger young-generation semi-spaces for the workers (V8's default is 16 MB on 64-bit):
    // the tests allocate fast (emulators, exports, simulations) and scavenge less often this
    // way. On five CPU-heavy files, 15% less CPU (2026-11-25, two runs each, load 13-15).
    // The workers and the warm `cxo` hosts (test/support/cli-host.ts); a `cxo` process the tests
    // spawn gets Node's defaults, as a user's does.
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
