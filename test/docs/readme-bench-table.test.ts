import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * Issue 68 §5: the README's benchmark table is read at a glance — one short line per figure
 * (figure, ours, baseline, target, met), the details in docs/benchmarks.md. Its rows had grown to
 * cells of 800+ characters.
 */
const MAX_ROW = 150;

const rows = (() => {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.split(/^## /m).find((s) => s.startsWith("Benchmarks")) ?? "";
  return section.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| suite "));
})();

describe("the README's benchmark table", () => {
  it("has rows, each of six cells, none longer than a line", () => {
    expect(rows.length).toBeGreaterThan(20);
    const long = rows.filter((r) => r.length > MAX_ROW);
    expect(long).toEqual([]);
    expect(rows.filter((r) => r.split("|").length !== 8)).toEqual([]);
  });

  it("says plainly whether each target is met", () => {
    const met = rows.map((r) => r.split("|")[6]?.trim() ?? "");
    expect(met.filter((m) => !/^(yes|no)\b/.test(m))).toEqual([]);
  });
});
