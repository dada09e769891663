import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { InputError } from "../../src/core/input-error.ts";
import { parseYaml } from "../../src/core/input-file.ts";
import { compilePopulation, loadPopulationFile } from "../../src/strategy/population.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * The population file of `cxo strategy bench` (issue 55 §4): the shipped example loads; a
 * segment whose hours overlap, two segments the list column cannot tell apart, shares that do
 * not add up: each refused naming the field, and through the CLI with exit 2 and nothing written.
 */
const EXAMPLE = "examples/strategy-population.yaml";
const example = () =>
  parseYaml(readFileSync(EXAMPLE, "utf8")) as Record<string, unknown> & {
    segments: Array<Record<string, unknown>>;
  };

function problemsOf(document: unknown) {
  try {
    compilePopulation(document);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error("accepted");
}

describe("population file", () => {
  it("the shipped population: three segments at 80%, a fifth with history, profiles as written", () => {
    const population = loadPopulationFile(EXAMPLE);
    expect(population.segments.map((s) => s.value)).toEqual(["working", "retired", "shifts"]);
    expect(population.spec.list.observable.accuracy).toBe(0.8);
    expect(population.spec.list.history.share).toBe(0.2);
    const working = population.segments[0]?.rpc as Float64Array;
    // Monday 18:00 is evening (answer 0.34 × right party 0.8); Monday 10:00 daytime (0.06 × 0.8).
    expect(working[18]).toBeCloseTo(0.272, 6);
    expect(working[10]).toBeCloseTo(0.048, 6);
    // Saturday 21:00 is in no range: otherHours 0.03 × 0.8.
    expect(working[5 * 24 + 21]).toBeCloseTo(0.024, 6);
  });

  it("overlapping hours within a segment are refused, naming the range and the hour", () => {
    const doc = example();
    (doc.segments[1] as { hours: unknown[] }).hours.push({ days: "fri-sat", from: 15, to: 17, answer: 0.2 });
    const problems = problemsOf(doc);
    expect(problems).toEqual([
      { field: "segments.1.hours.3", rule: "overlaps segments.1.hours.0 (fri 15:00 is in both)" },
    ]);
  });

  it("two segments showing one value in the list column overlap; shares must add up to 1", () => {
    const doc = example();
    (doc.segments[2] as Record<string, unknown>).value = "working";
    (doc.segments[2] as Record<string, unknown>).share = 0.3;
    const problems = problemsOf(doc);
    expect(problems.map((p) => p.field).sort()).toEqual(["segments", "segments.2.value"]);
    expect(problems.find((p) => p.field === "segments.2.value")?.rule).toMatch(/overlaps segments\.0/);
  });

  it("schema errors name the field: a start without offset, an unknown key", () => {
    const doc = example();
    doc.start = "2026-03-02T00:00:00";
    doc.colour = "blue";
    const fields = problemsOf(doc).map((p) => p.field);
    expect(fields).toContain("start");
    expect(fields.some((f) => f === "" || f === "population" || f.includes("colour"))).toBe(true);
  });

  it("cxo strategy bench: overlapping segments exit 2 naming the field, no report written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cxo-population-"));
    const doc = example();
    (doc.segments[0] as { hours: unknown[] }).hours.push({ days: "sat", from: 8, to: 10, answer: 0.1 });
    writeFileSync(join(dir, "bad.yaml"), stringify(doc));
    const out = join(dir, "report.html");
    const result = await runCli(["strategy", "bench", "--population", join(dir, "bad.yaml"), "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("segments.0.hours.3");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it("cxo strategy bench --out never replaces a file it did not write, unless --force; checked before the run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cxo-population-out-"));
    const out = join(dir, "notes.html");
    writeFileSync(out, "my own notes\n");
    const result = await runCli(["strategy", "bench", "--population", EXAMPLE, "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --out: .*exists and is not a report written by cxo.*--force/);
    expect(readFileSync(out, "utf8")).toBe("my own notes\n");
    // The pages the strategy writes carry the tool's generator mark, so a later run may replace them.
    const { modelReportHtml } = await import("../../src/strategy/report-html.ts");
    const { buildModel, SlotCounts } = await import("../../src/strategy/learn.ts");
    const { HTML_REPORT } = await import("../../src/core/safe-write.ts");
    expect(HTML_REPORT.recognise(modelReportHtml(buildModel(new SlotCounts(), { campaign: "C1" })))).toBe(
      true,
    );
  });
});
