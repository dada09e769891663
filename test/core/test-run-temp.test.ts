import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REPO_DATA_DIR, repoDataDirKeeper } from "../support/repo-data-dir-global-setup.ts";
import { setup, teardown } from "../support/run-temp-global-setup.ts";

// A test run leaves nothing in the machine's temporary directory: before, ~950 directories
// (~1 GB) a run, never removed.
describe("the suite's temporary directory", () => {
  const before = { ...process.env };
  afterEach(() => {
    for (const name of ["TMPDIR", "CXO_TEST_CACHE_DIR", "NODE_COMPILE_CACHE"]) {
      if (before[name] === undefined) delete process.env[name];
      else process.env[name] = before[name];
    }
  });

  it("is the run's own: what a test makes in os.tmpdir() goes with the run", () => {
    expect(path.basename(tmpdir())).toMatch(/^cxo-test-run-/);
    // The caches meant to outlive a run are outside it.
    expect(process.env.CXO_TEST_CACHE_DIR).toBeDefined();
    expect(tmpdir().startsWith(`${process.env.CXO_TEST_CACHE_DIR}${path.sep}`)).toBe(true);
    expect(process.env.NODE_COMPILE_CACHE?.startsWith(tmpdir())).toBe(false);
  });

  it("is made at the run's start and removed, with what is in it, at its end", () => {
    const machine = mkdtempSync(path.join(tmpdir(), "machine-"));
    try {
      process.env.TMPDIR = machine;
      delete process.env.CXO_TEST_CACHE_DIR;
      delete process.env.NODE_COMPILE_CACHE;
      setup();
      const run = tmpdir();
      expect(path.dirname(run)).toBe(machine);
      expect(process.env.CXO_TEST_CACHE_DIR).toBe(machine);
      expect(process.env.NODE_COMPILE_CACHE).toBe(path.join(machine, "node-compile-cache"));
      writeFileSync(path.join(mkdtempSync(path.join(tmpdir(), "cxo-data-")), "store.db"), "x");
      teardown();
      expect(existsSync(run)).toBe(false);
      expect(process.env.TMPDIR).toBe(machine);
      expect(process.env.CXO_TEST_CACHE_DIR).toBeUndefined();
      expect(process.env.NODE_COMPILE_CACHE).toBeUndefined();
    } finally {
      rmSync(machine, { recursive: true, force: true });
    }
  });
});

// A store a test left in the clone's ./.cxo outlived the run, and the next run's tests read it.
describe("the clone's ./.cxo", () => {
  it("is the one a client without a data dir uses, run from the clone", () => {
    expect(REPO_DATA_DIR).toBe(path.resolve(".cxo"));
  });

  it("a run removes one it made; one that was there before it stays", () => {
    const root = mkdtempSync(path.join(tmpdir(), "cxo-clone-"));
    const made = repoDataDirKeeper(path.join(root, "made"));
    made.setup();
    mkdirSync(path.join(root, "made"));
    writeFileSync(path.join(root, "made", "cxo.sqlite"), "x");
    const kept = repoDataDirKeeper(path.join(root, "kept"));
    mkdirSync(path.join(root, "kept"));
    kept.setup();
    made.teardown();
    kept.teardown();
    expect([existsSync(path.join(root, "made")), existsSync(path.join(root, "kept"))]).toEqual([false, true]);
    rmSync(root, { recursive: true, force: true });
  });
});
