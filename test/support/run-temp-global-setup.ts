import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * One temporary directory per `vitest run`, removed when the run ends: every test file, warm
 * `cxo` host and process they start inherits `TMPDIR` pointing into it, so the data dirs,
 * exports and emulator state the tests make with `mkdtemp(os.tmpdir()…)` go with the run. Before
 * it, a whole run left ~950 directories (~1 GB) in /tmp that nothing removed: fifty runs on a
 * developer's machine, fifty gigabytes.
 *
 * What is meant to outlive a run stays where it was, in the machine's own temporary directory
 * (`CXO_TEST_CACHE_DIR`): the unpacked Chromium (test/support/chromium.ts, ~200 MB, unpacked
 * once per version) and Node's compile cache (`NODE_COMPILE_CACHE`, which the workers, the warm
 * hosts and `cxo` itself use), so a run is not slower for being tidy.
 */
let runDir: string | undefined;
const saved: Record<string, string | undefined> = {};

/** Sets an environment variable for the run, remembering what it was for the teardown. */
function setForRun(name: string, value: string): void {
  saved[name] = process.env[name];
  process.env[name] = value;
}

export function setup(): void {
  const machineTemp = tmpdir();
  setForRun("CXO_TEST_CACHE_DIR", process.env.CXO_TEST_CACHE_DIR ?? machineTemp);
  setForRun(
    "NODE_COMPILE_CACHE",
    process.env.NODE_COMPILE_CACHE ?? path.join(machineTemp, "node-compile-cache"),
  );
  runDir = mkdtempSync(path.join(machineTemp, "cxo-test-run-"));
  setForRun("TMPDIR", runDir);
}

export function teardown(): void {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  // A warm host or a killed `cxo` may still be closing a file in it: retry rather than leave it.
  if (runDir) rmSync(runDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}
