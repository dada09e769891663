import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/input-error.ts";
import { answerRateAt, presentAt, secondsOf } from "../../../src/dialer/pacing/scenario.ts";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import { runCli } from "../../support/run-cli.ts";
import { smallScenario } from "./small-scenario.ts";

const dir = mkdtempSync(path.join(tmpdir(), "cxo-pacing-scenario-"));

function problemsOf(text: string): { field: string; rule: string }[] {
  const file = path.join(dir, `s${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  try {
    loadScenarioFile(file);
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("pacing scenario file", () => {
  it("reads the example and compiles times to seconds of the day", () => {
    const s = loadScenarioFile(path.resolve("examples/pacing-scenario.yaml"));
    expect(s).toMatchObject({
      name: "drift-50",
      days: 30,
      agents: 50,
      startSecond: 9 * 3600,
      endSecond: 17 * 3600,
    });
    expect(s.limits).toMatchObject({
      target: 0.03,
      window: "ftc-30d",
      maxLinesPerAgent: 3,
      connectWithinSeconds: 2,
    });
  });

  it("loads the scenario family (examples/pacing/): 10 to 120 agents, every legal window", () => {
    const dir = path.resolve("examples/pacing");
    const family = readdirSync(dir)
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => loadScenarioFile(path.join(dir, f)));
    expect(family.length).toBeGreaterThanOrEqual(6);
    expect(new Set(family.map((s) => s.agents))).toEqual(new Set([10, 22, 24, 25, 26, 50, 120]));
    // Issue 53 §1: several small teams (about 25 agents) on long, heavy-tailed calls (4–6 minutes).
    const longCalls = family.filter((s) => s.agents <= 26 && s.talk.mean >= 240 && (s.talk.cv ?? 1) >= 1);
    expect(longCalls.length).toBeGreaterThanOrEqual(3);
    expect(new Set(longCalls.map((s) => s.limits.window)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(family.map((s) => s.limits.window))).toEqual(new Set(["ftc-30d", "ofcom-24h", "day"]));
    expect(family.some((s) => s.machineShare === 0)).toBe(true);
    expect(family.some((s) => s.dialingWeekdays.filter(Boolean).length === 5)).toBe(true);
  });

  it("names every bad field", () => {
    const fields = problemsOf(`
name: x
days: 0
day: { start: "09:00", end: "08:00" }
agents: 10
talk: { dist: lognormal, mean: 180 }
wrap: { dist: uniform, mean: 15 }
ring: { answered: { dist: constant, mean: 12 }, unansweredSeconds: 10 }
answerRate: [ { at: "9:00", rate: 0.3 } ]
limits: { target: 0.05 }
`).map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        "days",
        "talk.cv",
        "wrap.dist",
        "ring.unansweredSeconds",
        "answerRate.0.at",
        "limits.target",
      ]),
    );
  });

  it("refuses overlapping staffing windows, naming both (the first one no longer wins silently)", () => {
    const problems = problemsOf(`
name: x
days: 1
day: { start: "09:00", end: "17:00" }
agents: 10
staffing: [ { from: "09:00", to: "09:40", present: 1 }, { from: "09:20", to: "10:00", present: 0.5 }, { from: "10:00", to: "11:00", present: 0.8 } ]
talk: { dist: constant, mean: 1 }
wrap: { dist: constant, mean: 0 }
ring: { answered: { dist: constant, mean: 1 }, unansweredSeconds: 20 }
answerRate: [ { at: "09:00", rate: 0.3 } ]
`);
    expect(problems).toEqual([
      expect.objectContaining({
        field: "staffing.1.from",
        rule: expect.stringMatching(/09:20–10:00 overlaps staffing\[0\] \(09:00–09:40\)/),
      }),
    ]);
  });

  it("refuses a scenario document above the input size cap before parsing it (exit 2, not out of memory)", async () => {
    const file = path.join(dir, "huge.yaml");
    const entry = '  - { from: "09:00", to: "09:01", present: 1 }\n';
    writeFileSync(
      file,
      `name: huge\nstaffing:\n${entry.repeat(Math.ceil((9 * 1024 * 1024) / entry.length))}`,
    );
    // Refused for its size, so never parsed (a parse would take a minute and gigabytes); the
    // timeout only bounds a hang.
    const run = await runCli(["dialer", "pacing", "bench", "--scenario", file], {}, { timeoutMs: 100_000 });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(
      /--scenario: .*huge\.yaml" is larger than 8 MiB, the most an input document may be/,
    );
  });

  it("refuses answer-rate points out of time order and an end before the start", () => {
    const problems = problemsOf(`
name: x
days: 1
day: { start: "09:00", end: "08:00" }
agents: 1
talk: { dist: constant, mean: 1 }
wrap: { dist: constant, mean: 0 }
ring: { answered: { dist: constant, mean: 1 }, unansweredSeconds: 20 }
answerRate: [ { at: "10:00", rate: 0.3 }, { at: "09:00", rate: 0.2 } ]
`);
    expect(problems.map((p) => p.field)).toEqual(expect.arrayContaining(["day.end", "answerRate.1.at"]));
  });

  it("interpolates the answer rate, steps where two points share a time, and reads staffing", () => {
    const s = smallScenario();
    expect(answerRateAt(s, secondsOf("09:30"))).toBeCloseTo(0.25, 12);
    expect(answerRateAt(s, secondsOf("10:00") - 1)).toBeCloseTo(0.2, 3);
    expect(answerRateAt(s, secondsOf("10:00"))).toBeCloseTo(0.1, 12);
    expect(answerRateAt(s, secondsOf("12:00"))).toBeCloseTo(0.3, 12);
    expect(presentAt(s, secondsOf("10:15"))).toBe(0.8);
    expect(presentAt(s, secondsOf("10:30"))).toBe(1);
  });

  it("the CLI exits 2 naming the field for a bad scenario file", async () => {
    const file = path.join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ name: "x", days: 1 }));
    const result = await runCli(["dialer", "pacing", "bench", "--scenario", file, "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/agents/);
    expect(result.stdout).toBe("");
  });
});
