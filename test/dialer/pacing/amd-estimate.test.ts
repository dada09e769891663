import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { campaignSpecSchema } from "../../../src/campaigns/spec.ts";
import { InputError } from "../../../src/core/input-error.ts";
import {
  initialPacingState,
  LivePacer,
  type LivePacingState,
} from "../../../src/dialer/live-pacing/live-pacer.ts";
import { emptyBudget, recordInWindow, windowFigures } from "../../../src/dialer/live-pacing/window-budget.ts";
import { missingEstimateNotice } from "../../../src/dialer/pacing/amd-estimate.ts";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import { DEFAULT_LIMITS } from "../../../src/dialer/pacing/types.ts";
import { runJob } from "../../../src/dialer/simulator/pacing-bench/job.ts";
import type { DialerCounters } from "../../../src/platform/types.ts";
import { runCli } from "../../support/run-cli.ts";
import { smallScenario } from "./small-scenario.ts";

/**
 * Issue 67 §1: `machines.falsePositive`, the operator's estimate of the people the detector hangs
 * up on as machines ({rate} or {sampled, foundLive}), in the scenario, the campaign's pacing spec
 * and the live loop; the controller counts them as abandoned, and Ofcom's window does.
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-amd-estimate-"));
const MACHINES = { share: 0.3, detectSeconds: 2.5, passedAsLive: 0.05 };

function scenarioProblems(falsePositive: unknown): { field: string; rule: string }[] {
  const file = path.join(dir, `s${Math.random().toString(36).slice(2)}.json`);
  const base = {
    name: "x",
    days: 1,
    day: { start: "09:00", end: "10:00" },
    agents: 5,
    talk: { dist: "exponential", mean: 60 },
    wrap: { dist: "constant", mean: 5 },
    ring: { answered: { dist: "constant", mean: 5 }, unansweredSeconds: 25 },
    answerRate: [{ at: "09:00", rate: 0.3 }],
    machines: { ...MACHINES, falsePositive },
  };
  writeFileSync(file, JSON.stringify(base));
  try {
    loadScenarioFile(file);
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  return [];
}

describe("machines.falsePositive in the scenario", () => {
  it("refuses an estimate outside [0, 0.5] and foundLive > sampled, naming the field", () => {
    expect(scenarioProblems({ rate: 0.6 })[0]?.field).toBe("machines.falsePositive.rate");
    expect(scenarioProblems({ rate: -0.1 })[0]?.field).toBe("machines.falsePositive.rate");
    const over = scenarioProblems({ sampled: 40, foundLive: 41 });
    expect(over[0]?.field).toBe("machines.falsePositive.foundLive");
    expect(over[0]?.rule).toMatch(/at most sampled \(40\)/);
    expect(scenarioProblems({ sampled: 40, foundLive: 2 })).toEqual([]);
    expect(scenarioProblems({ rate: 0.01 })).toEqual([]);
  });

  it("hands the estimate to the controller as limits.amdFalsePositive; a number keeps its old meaning", () => {
    const estimated = smallScenario({
      machines: { ...MACHINES, falsePositive: { sampled: 200, foundLive: 3 } },
    });
    expect(estimated.limits.amdFalsePositive).toEqual({ sampled: 200, foundLive: 3 });
    expect(estimated.falsePositive).toBe(0.05);
    const old = smallScenario({ machines: { share: 0.3, detectSeconds: 2.5, falsePositive: 0.07 } });
    expect(old.falsePositive).toBe(0.07);
    expect(old.limits.amdFalsePositive).toBeUndefined();
  });

  it("cxo counts the estimated people as abandoned: it spends less where the detector hangs up on people", () => {
    const machines = { share: 0.3, detectSeconds: 2.5, passedAsLive: 0.05, liveHungUp: 0.01 };
    const run = (falsePositive?: { rate: number }) => {
      const scenario = {
        ...smallScenario({
          days: 3,
          machines: falsePositive ? { ...machines, falsePositive } : machines,
          limits: { target: 0.03, window: "ofcom-24h", maxLinesPerAgent: 3 },
        }),
      };
      const r = runJob({ scenario, controller: "cxo", tuning: {}, seed: 3, firstDay: 0, days: 3 });
      const lives = r.lives.reduce((a, b) => a + b, 0);
      return r.abandons.reduce((a, b) => a + b, 0) / lives;
    };
    const without = run();
    // 1% of live people hung up on: 0.7 × 0.01 per answer among 0.3 × 0.95 + 0.007 machine verdicts.
    const withEstimate = run({ rate: 0.024 });
    expect(withEstimate).toBeLessThan(without);
  });
});

describe("machines.falsePositive in the campaign's pacing spec and the live loop", () => {
  const spec = (falsePositive: unknown) =>
    campaignSpecSchema.safeParse({
      name: "c",
      predictive: { abandonmentTarget: 0.03, dialRatio: 1.5 },
      compliance: {},
      pacing: { window: "ofcom-24h", machines: { falsePositive } },
    });

  it("takes {rate} or {sampled, foundLive} and refuses a bad one naming the field", () => {
    const ok = spec({ sampled: 300, foundLive: 2 });
    if (ok.success) expect(ok.data.pacing?.machines?.falsePositive).toEqual({ sampled: 300, foundLive: 2 });
    const bad = spec({ sampled: 3, foundLive: 4 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join("."))).toContain(
      "pacing.machines.falsePositive.foundLive",
    );
    const rate = spec({ rate: 0.51 });
    expect(rate.error?.issues.map((i) => i.path.join("."))).toContain("pacing.machines.falsePositive.rate");
  });

  it("Ofcom's window counts the estimated people; the FTC's window does not", () => {
    const at = Date.UTC(2026, 10, 26, 12);
    const ofcom = recordInWindow(emptyBudget("ofcom-24h", 0.03), at, 1000, 20, 500);
    const ftc = recordInWindow(emptyBudget("ftc-30d", 0.03), at, 1000, 20, 500);
    const estimate = { rate: 0.02 };
    const o = windowFigures(ofcom, at, estimate);
    expect(o.estimatedPeople).toBe(10);
    expect(o.abandonment).toBeCloseTo(30 / 1010, 10);
    expect(windowFigures(ftc, at, estimate).abandonment).toBeCloseTo(0.02, 10);
    expect(windowFigures(ofcom, at).abandonment).toBeCloseTo(0.02, 10);
  });

  it("keeps 31 days of hours whatever the window (the ledger judges every regime from them)", () => {
    const at = Date.UTC(2026, 10, 26, 12);
    let budget = emptyBudget("ofcom-24h", 0.03);
    for (let h = 0; h < 800; h++) budget = recordInWindow(budget, at - (800 - h) * 3_600_000, 10, 0, 1);
    expect(budget.hours.length).toBe(31 * 24);
    expect(windowFigures(budget, at - 3_600_000).liveAnswers).toBe(240);
  });

  it("the live pacer reads the dialer's machine verdicts into its window and goes progressive on the estimate", () => {
    const counters = (seconds: number, lives: number, drops: number, machines: number): DialerCounters => ({
      observedSeconds: seconds,
      dials: lives * 4,
      liveAnswers: lives,
      connects: lives - drops,
      abandons: drops,
      machines,
      handled: 0,
      handleSeconds: 0,
      answerSeconds: 0,
      agentsLoggedIn: 20,
      agentsBusy: 10,
      callsInProgress: 5,
      dialRatio: 2,
    });
    const limits = { ...DEFAULT_LIMITS, window: "ofcom-24h" as const, amdFalsePositive: { rate: 0.05 } };
    const pacer = new LivePacer({ limits, maxStep: 0.25, minIntervalMs: 0 });
    let state: LivePacingState = { ...initialPacingState(limits), ratio: 2 };
    const at = Date.UTC(2026, 10, 26, 12);
    state = pacer.step(state, counters(0, 0, 0, 0), at).state;
    // 1,000 live answers, 25 abandons (2.5%), 400 machine verdicts: 20 people by the estimate → 4.4%.
    const step = pacer.step(state, counters(600, 1000, 25, 400), at + 600_000);
    expect(step.figures.estimatedPeople).toBe(20);
    expect(step.figures.abandonment).toBeCloseTo(45 / 1020, 10);
    expect(step.apply).toBe(1);
  });
});

describe("cxo dialer pacing bench with a bad estimate", () => {
  it("exits 2 naming machines.falsePositive.foundLive, running nothing", async () => {
    const file = path.join(dir, "bad-estimate.yaml");
    writeFileSync(
      file,
      [
        "name: x",
        "days: 1",
        'day: { start: "09:00", end: "10:00" }',
        "agents: 5",
        "talk: { dist: exponential, mean: 60 }",
        "wrap: { dist: constant, mean: 5 }",
        "ring: { answered: { dist: constant, mean: 5 }, unansweredSeconds: 25 }",
        'answerRate: [ { at: "09:00", rate: 0.3 } ]',
        "machines: { share: 0.3, detectSeconds: 2.5, falsePositive: { sampled: 10, foundLive: 12 } }",
      ].join("\n"),
    );
    const result = await runCli(["dialer", "pacing", "bench", "--scenario", file, "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/machines\.falsePositive\.foundLive/);
    expect(result.stdout).toBe("");
  });
});

describe("an estimate of none", () => {
  it("keeps cxo's Ofcom margins: a run with {rate: 0} is the run without an estimate", () => {
    const machines = { share: 0.3, detectSeconds: 2.5, passedAsLive: 0.05 };
    const limits = { target: 0.02, window: "ofcom-24h", maxLinesPerAgent: 3 };
    const plain = smallScenario({ days: 2, machines, limits });
    const zero = smallScenario({ days: 2, machines: { ...machines, falsePositive: { rate: 0 } }, limits });
    const run = (scenario: typeof plain) =>
      runJob({ scenario, controller: "cxo", tuning: {}, seed: 4, firstDay: 0, days: 2 });
    const a = run(plain);
    const b = run(zero);
    expect(Array.from(b.abandons)).toEqual(Array.from(a.abandons));
    expect(Array.from(b.connects)).toEqual(Array.from(a.connects));
  });
});

/**
 * Issue 67 §3: under Ofcom's window without the operator's estimate, cxo warns and assumes no
 * share (Ofcom publishes none and does not accept a vendor's accuracy figure): the notice names
 * the fix; no notice where an estimate (zero included) is given or the regime does not count them.
 */
describe("no estimate under Ofcom", () => {
  it("warns under Ofcom's window without an estimate, and only there", () => {
    const notice = missingEstimateNotice("ofcom-24h", undefined);
    expect(notice).toMatch(/Ofcom/);
    expect(notice).toMatch(/pacing\.machines\.falsePositive/);
    expect(notice).toMatch(/cxo dialer abandonment/);
    expect(missingEstimateNotice("ofcom-24h", { rate: 0 })).toBeNull();
    expect(missingEstimateNotice("ofcom-24h", { sampled: 300, foundLive: 2 })).toBeNull();
    for (const window of ["ftc-30d", "day", "crtc-month"])
      expect(missingEstimateNotice(window, undefined)).toBeNull();
  });
});
