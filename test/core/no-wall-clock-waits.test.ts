import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { filesUnder, isTypeScript, ROOT } from "../../scripts/source-tree.ts";

// docs/development.md's rule, checked: a test waits on a condition it can observe
// (test/support/wait-until.ts), and a file that sleeps on the wall clock is named, with why, in
// the development guide's table of "Tests that still sleep on the wall clock". A sleep in any
// other file fails here: put the wait on a condition or on fake timers, or give it a row.
const GUIDE = path.join(ROOT, "docs", "development.md");

/** A wait on the wall clock: a timer that resolves a promise, `sleep(…)`, or node:timers/promises. */
const SLEEP =
  /setTimeout\(\s*(resolve|res|r|done)\s*,|setTimeout\(\s*\(\)\s*=>\s*(resolve|res|r)\(|\bawait\s+sleep\(|node:timers\/promises/;

/** Not a test's sleep, each for its reason. */
const NOT_A_TEST_SLEEP = new Map([
  ["test/support/wait-until.ts", "the one helper that polls a condition"],
  ["test/support/virtual-clock.ts", "its sleep runs on the virtual clock"],
  ["test/core/http/rate-budget.test.ts", "its timer runs on Vitest's fake timers"],
  ["test/core/no-wall-clock-waits.test.ts", "this file's own pattern"],
]);

/** The files the guide's table names in its first column. */
function tableFiles(): Set<string> {
  const text = readFileSync(GUIDE, "utf8");
  const start = text.indexOf("**Tests that still sleep on the wall clock**");
  expect(start, "the guide's table of tests that sleep").toBeGreaterThan(0);
  const rows = text.slice(start).split("\n").slice(1);
  const files = new Set<string>();
  let inTable = false;
  for (const row of rows) {
    const trimmed = row.trim();
    if (!trimmed.startsWith("|")) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const first = trimmed.split("|")[1] ?? "";
    for (const match of first.matchAll(/`([^`]+\.ts)`/g)) files.add(match[1] as string);
  }
  return files;
}

/** Every TypeScript file under test/, as a path from the clone (`test/core/clock.test.ts`): the one walk. */
function testSources(): string[] {
  return filesUnder(path.join(ROOT, "test"), isTypeScript).map((name) => `test/${name}`);
}

describe("no test waits on the wall clock unless the guide says why", () => {
  it("the pattern finds each form of sleep, and not a wait on a condition", () => {
    for (const planted of [
      "await new Promise((r) => setTimeout(r, 25));",
      "await new Promise((resolve) => setTimeout(resolve, 2_000));",
      "const t = setTimeout(() => resolve(value), 5);",
      'import { setTimeout as wait } from "node:timers/promises";',
      "await sleep(600);",
    ]) {
      expect(SLEEP.test(planted), planted).toBe(true);
    }
    for (const fine of [
      'await waitUntil(() => seen, { what: "the event" });',
      "const timer = setTimeout(() => controller.abort(), 60_000);",
      "vi.advanceTimersByTime(1_000);",
    ]) {
      expect(SLEEP.test(fine), fine).toBe(false);
    }
  });

  it("every file that sleeps is in the guide's table, and every file in the table exists", () => {
    const table = tableFiles();
    expect(table.size).toBeGreaterThan(5);
    const sources = testSources();
    const unexplained = sources.filter(
      (file) =>
        !table.has(file) &&
        !NOT_A_TEST_SLEEP.has(file) &&
        SLEEP.test(readFileSync(path.join(ROOT, file), "utf8")),
    );
    expect(unexplained, "sleeps on the wall clock with no row in docs/development.md's table").toEqual([]);
    const known = new Set(sources);
    expect(
      [...table].filter((file) => !known.has(file)),
      "rows for files that are gone",
    ).toEqual([]);
  });
});
