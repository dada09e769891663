import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCxoRunner } from "../../bench/week/cxone.ts";
import { main, runWeekBench } from "../../bench/week/main.ts";
import { parseScenario, ScenarioError } from "../../bench/week/scenario.ts";
import { canHost, runHosted } from "../support/cli-host.ts";

/**
 * `npm run bench -- week` (issue 91 §3) end to end on a tiny scenario (2 days, 6 debts, the
 * autopilot every 3 hours): both weeks run on the production emulator, every dial judged by the
 * independent dial checker, the NDJSON written; and the scenario file's bad input refused naming
 * its line and field, nothing run (exit 2).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const TINY = path.join(here, "week-tiny.yaml");
const tiny = readFileSync(TINY, "utf8");

// The commands that run to their end in the suite's warm `cxo` hosts (a process each cost the
// two files ~45 s of CPU a run); the kill and `cxo serve` stay processes.
beforeAll(() => useCxoRunner(canHost({}) ? runHosted : undefined));
afterAll(() => useCxoRunner(undefined));

describe("npm run bench -- week", () => {
  it("runs a tiny week both ways: the autopilot's dials all lawful, every dial, event and day report written", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "cxo-week-bench-"));
    const result = await runWeekBench({ scenarios: [TINY], out });
    const [r] = result.scenarios;
    expect(r?.autopilot.violations).toEqual([]);
    expect(r?.autopilot.dials).toBeGreaterThan(0);
    expect(r?.human.dials).toBeGreaterThan(0);
    expect(r?.autopilot.agentHours).toBe(52);
    expect(r?.autopilot.days.map((d) => d.date)).toEqual(["2026-12-07", "2026-12-08"]);
    for (const mode of ["autopilot", "human"])
      for (const file of ["dials.ndjson", "events.ndjson", "day-reports.ndjson", "violations.ndjson"])
        expect(existsSync(path.join(out, "week-tiny", mode, file)), `${mode}/${file}`).toBe(true);
    const dials = readFileSync(path.join(out, "week-tiny", "autopilot", "dials.ndjson"), "utf8")
      .trim()
      .split("\n");
    expect(dials).toHaveLength(r?.autopilot.dials ?? -1);
    // The household line of two debts (issue 100): one record for both, never two dials in an hour.
    const household = dials
      .map((line) => JSON.parse(line) as { phone: string; at: string; debts?: string[] })
      .filter((d) => d.phone === "+12125558640");
    for (const d of household) expect(d.debts).toEqual(["HOUSE-1", "HOUSE-2"]);
    const hours = household.map((d) => Math.floor(Date.parse(d.at) / 3_600_000));
    expect(new Set(hours).size).toBe(hours.length);
    const reports = readFileSync(path.join(out, "week-tiny", "autopilot", "day-reports.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { date: string });
    expect(reports.map((x) => x.date)).toEqual(["2026-12-07", "2026-12-08"]);
    // Each day report's dials are the emulator's (the serve week's test asserts the same of its day).
    expect(r?.autopilot.reportsMatch).toEqual([
      expect.objectContaining({ date: "2026-12-07", equal: true }),
      expect.objectContaining({ date: "2026-12-08", equal: true }),
    ]);
    expect(r?.autopilot.runTime.runs).toBeGreaterThan(0);
    const events = readFileSync(path.join(out, "week-tiny", "autopilot", "events.ndjson"), "utf8");
    expect(events).toMatch(/"kind":"revocation:letter"/);
    expect(events).toMatch(/"kind":"autopilot-run"/);
  }, 240_000); // a hang's bound: the old 120 s timed out at load 17–19 (2026-11-28, whole run)

  const bad = (text: string) => {
    try {
      parseScenario(text, "bad.yaml");
    } catch (error) {
      if (error instanceof ScenarioError) return error.problems;
      throw error;
    }
    throw new Error("the scenario was taken");
  };
  const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

  it("refuses an unknown field, naming its line", () => {
    const text = tiny.replace("dialsPerAgentHour: 6", "dialsPerAgentHour: 6\ndialsPerHour: 9");
    expect(bad(text)).toEqual([
      expect.objectContaining({ field: "dialsPerHour", line: lineOf(text, "dialsPerHour:") }),
    ]);
  });

  it("refuses a time without an offset, naming its line and field", () => {
    const text = tiny.replace('"2026-12-07T12:30:00-05:00"', '"2026-12-07T12:30:00"');
    const [problem] = bad(text);
    expect(problem).toMatchObject({ field: "revocations[0].at", line: lineOf(text, 'T12:30:00"') });
    expect(problem?.rule).toMatch(/offset/);
  });

  it("refuses an event before the week's start", () => {
    const text = tiny.replace('"2026-12-07T12:30:00-05:00"', '"2026-12-06T12:30:00-05:00"');
    expect(bad(text)).toEqual([
      expect.objectContaining({
        field: "revocations[0].at",
        line: lineOf(text, "2026-12-06T12:30"),
        rule: expect.stringMatching(/before the week's start/),
      }),
    ]);
  });

  it("refuses an account whose numbers cross tenants", () => {
    const text = `${tiny.replace("  accounts:\n", '  accounts:\n    - account: X-1\n      segment: retirees\n      numbers:\n        - { phone: "+12125550101", zone: America/New_York, state: NY }\n        - { phone: "+13055550102", zone: America/New_York, state: FL, tenant: other }\n')}`;
    expect(bad(text)).toEqual([
      expect.objectContaining({
        field: "population.accounts[0].numbers",
        line: lineOf(text, "      numbers:"),
        rule: expect.stringMatching(/cross tenants \(main, other\)/),
      }),
    ]);
  });

  it("exits 2 naming the file, line and field, nothing run", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-week-bad-"));
    const file = path.join(dir, "bad.yaml");
    const text = tiny.replace("days: 2", "days: 2\nweekend: true");
    writeFileSync(file, text);
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      expect(await main(["week", "--scenario", file, "--out", path.join(dir, "out")])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join("")).toMatch(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:${lineOf(text, "weekend:")}: weekend`),
    );
    expect(existsSync(path.join(dir, "out"))).toBe(false);
  });
});
