// Runs before every test file: a test file that leaves a `.cxo` directory at the repository's
// root fails. A client built without a data dir keeps its store in `./.cxo` (the SDK's and the
// CLI's default), and a test's store there outlives the run: the next run's tests find its state
// (2026-11-29: client.autopilot.why's test found a stopped state an earlier run had left). Every
// test gives its clients a directory of the run's (`mkdtempSync(join(tmpdir(), …))`: the run's
// TMPDIR, run-temp-global-setup.ts), never the default.
//
// The file fails when the directory is absent as it starts and present as it ends: run alone it
// names the file; in a whole run a file of another worker running at the same time may fail with
// it (the check sees the directory, not who made it). A `.cxo` that was there before (a
// developer's own, from running `cxo` in the clone) is left alone and does not fail anything;
// repo-data-dir-global-setup.ts removes one the run created, so a failed run leaves none behind.
import { existsSync } from "node:fs";
import { afterAll, beforeAll } from "vitest";
import { REPO_DATA_DIR } from "./repo-data-dir-global-setup.ts";

let absentAtStart = false;
beforeAll(() => {
  absentAtStart = !existsSync(REPO_DATA_DIR);
});
afterAll(() => {
  if (absentAtStart && existsSync(REPO_DATA_DIR))
    throw new Error(
      `${REPO_DATA_DIR} appeared while this file ran (or a file another worker ran beside it): a client without a data dir keeps its store there, where it outlives the run; give a client dataDir: mkdtempSync(join(tmpdir(), "cxo-…")), a cxo command CXO_DATA_DIR (runCli's environment is clean)`,
    );
});
