import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * One clock handed in: every module reads the time through src/core/clock (`clockNowMs()`,
 * `clockNowDate()`: the clock of the client whose call it is, else the process's), never the
 * global `Date` by itself — so a clock given to createClient reaches every rule, freshness check
 * and timestamp of its calls. Only src/core/clock may read `Date.now` or make a `new Date()` of
 * now; the console's browser scripts (src/service/static) run in the browser, on its clock.
 */
const SRC = path.resolve("src");
const READS_NOW = [/(?<![\w.])Date\.now\b/, /new Date\(\s*\)/];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

describe("one clock", () => {
  it("no module under src/ but core/clock reads the global Date's now", () => {
    const allowed = [path.join(SRC, "core", "clock"), path.join(SRC, "service", "static")];
    const readers: string[] = [];
    for (const file of sources(SRC)) {
      if (allowed.some((dir) => file.startsWith(`${dir}${path.sep}`))) continue;
      const lines = readFileSync(file, "utf8").split("\n");
      lines.forEach((line, i) => {
        // Code, not its comments (which may name what they avoid).
        const code = /^\s*(\/\/|\*|\/\*)/.test(line) ? "" : line;
        if (READS_NOW.some((pattern) => pattern.test(code)))
          readers.push(`${path.relative(SRC, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(readers).toEqual([]);
  });
});
