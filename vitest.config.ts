import { defineConfig } from "vitest/config";

// Tests talk to real local servers (emulator, receivers), so they get generous timeouts.
// CXO_TEST_REPORT (set by .ci/run) adds a JSON report from which CI prints its summary line.
const report = process.env.CXO_TEST_REPORT;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Picks the PostgreSQL server for the store's PostgreSQL tests (the machine's, else embedded).
    globalSetup: ["test/support/postgres-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Vitest defaults to one worker on a 2-core machine; most files wait on local servers and child
    // processes, so two workers halve the wall time without starving either.
    maxWorkers: 2,
    reporters: report ? ["default", ["json", { outputFile: report }]] : ["default"],
  },
});
