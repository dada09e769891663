import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCxoRunner } from "../../bench/week/cxone.ts";
import { runWeekModes, type ScenarioResult, unattended } from "../../bench/week/main.ts";
import { parseScenario, ScenarioError } from "../../bench/week/scenario.ts";
import { canHost, runHosted } from "../support/cli-host.ts";

/**
 * The week bench's serve week (issue 101's goals) on a tiny scenario: one day run by a real
 * `cxo serve` on a running clock shared with the bench's emulator, a DNC outage and a second host
 * beside it. Asserted on data only (a loaded machine makes the serve's runs longer on the clock,
 * which changes how much is dialled, not whether it is judged): every dial judged lawful, the day
 * report's dials equal to the emulator's, the serve's runs measured from its step lines, the
 * second host's run left to the running one or run in turn, never beside it.
 *
 * The serve week alone (since 2026-11-28): the scenario's cron week and human-run week, which
 * `npm run bench -- week` runs beside it, are the kind test/bench/week-bench.test.ts runs (its
 * cron week's day reports asserted equal to its dials there); they were ~40% of this file's CPU.
 * The table that prints the two weeks side by side is asserted here on the serve week's figures.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const TINY = path.join(here, "week-serve-tiny.yaml");

// The commands that run to their end in the suite's warm `cxo` hosts (a process each cost the
// two files ~45 s of CPU a run); the kill and `cxo serve` stay processes.
beforeAll(() => useCxoRunner(canHost({}) ? runHosted : undefined));
afterAll(() => useCxoRunner(undefined));

describe("npm run bench -- week: the serve week", () => {
  it("runs the day by cxo serve with the faults, judged like the cron week and printed beside it", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "cxo-week-serve-"));
    const { serve } = await runWeekModes({ scenario: TINY, modes: ["serve"], out });
    expect(serve).toBeDefined();
    expect(serve?.violations).toEqual([]);
    expect(serve?.reportsMatch).toEqual([
      expect.objectContaining({ date: "2026-12-07", reported: serve?.days[0]?.dials, equal: true }),
    ]);
    expect(serve?.runTime.runs).toBeGreaterThan(0);
    expect(serve?.runTime.p99).toBeGreaterThanOrEqual(serve?.runTime.p50 ?? Infinity);
    const events = readFileSync(path.join(out, "week-serve-tiny", "serve", "events.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { kind: string; detail: string; ok: boolean });
    const kinds = events.map((e) => e.kind);
    expect(kinds).toContain("fault:dnc-outage#0 begins");
    expect(kinds).toContain("fault:dnc-outage#0 ends");
    expect(kinds).toContain("serve-step");
    expect(
      events.find((e) => e.kind === "serve-step" && /report: day report written/.test(e.detail)),
    ).toBeDefined();
    // Cron's run beside the serve: held by the serve's run, or run alone (never two at once).
    const cron = events.find((e) => e.kind === "autopilot-run (cron beside serve)");
    expect(cron?.ok, cron?.detail).toBe(true);
    // The bench's table of the two weeks, the serve week's figures in both columns.
    const printed = unattended({
      scenario: "tiny serve week",
      autopilot: serve,
      serve,
      met: {},
    } as ScenarioResult);
    expect(printed).toMatch(/day reports equal to the dials\s+1 of 1\s+1 of 1/);
  }, 240_000);

  it("refuses a fault that ends before it begins, naming its field", () => {
    const text = readFileSync(TINY, "utf8").replace(
      'to: "2026-12-07T10:00:00-05:00"',
      'to: "2026-12-07T08:00:00-05:00"',
    );
    try {
      parseScenario(text, "bad.yaml");
      throw new Error("the scenario was taken");
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      expect(error.problems).toEqual([
        expect.objectContaining({ field: "faults[0].to", rule: expect.stringMatching(/must be after from/) }),
      ]);
    }
  });
});
