import { existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The clone's `./.cxo`: where a client or `cxo` command without a data dir, run from the clone, keeps its store. */
export const REPO_DATA_DIR = fileURLToPath(new URL("../../.cxo", import.meta.url));

/**
 * The run removes a `./.cxo` it created (a test file that wrote there fails:
 * repo-data-dir-guard.ts), so the next run neither reads this one's state nor starts with the
 * directory there, which would keep its guard quiet. One that was there before the run (a
 * developer's own, from running `cxo` in the clone) stays. `dir` is for this file's own test.
 */
export function repoDataDirKeeper(dir = REPO_DATA_DIR): { setup(): void; teardown(): void } {
  let before = true;
  return {
    setup() {
      before = existsSync(dir);
    },
    teardown() {
      if (!before) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

const keeper = repoDataDirKeeper();
export const { setup, teardown } = keeper;
