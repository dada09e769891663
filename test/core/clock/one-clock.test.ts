import { describe, expect, it } from "vitest";
import { srcModules, srcText } from "../../../scripts/source-tree.ts";

/**
 * One clock handed in: every module reads the time through src/core/clock (`clockNowMs()`,
 * `clockNowDate()`: the clock of the client whose call it is, else the process's), never the
 * global `Date` by itself — so a clock given to createClient reaches every rule, freshness check
 * and timestamp of its calls. Only src/core/clock may read `Date.now` or make a `new Date()` of
 * now; the console's browser scripts (src/service/static) run in the browser, on its clock.
 */
const READS_NOW = [/(?<![\w.])Date\.now\b/, /new Date\(\s*\)/];

describe("one clock", () => {
  it("no module under src/ but core/clock reads the global Date's now", () => {
    const allowed = ["core/clock/", "service/static/"];
    const readers: string[] = [];
    for (const file of srcModules()) {
      if (allowed.some((dir) => file.startsWith(dir))) continue;
      const lines = srcText(file).split("\n");
      lines.forEach((line, i) => {
        // Code, not its comments (which may name what they avoid).
        const code = /^\s*(\/\/|\*|\/\*)/.test(line) ? "" : line;
        if (READS_NOW.some((pattern) => pattern.test(code))) readers.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(readers).toEqual([]);
  });
});
