import { describe, expect, it } from "vitest";
import { jsonOf } from "../../../src/cli/commands/dialer-pacing.ts";
import type { DaysResult } from "../../../src/dialer/simulator/day/engine.ts";
import { runBench } from "../../../src/dialer/simulator/pacing-bench/bench.ts";
import { worstLegalWindow, worstRolling } from "../../../src/dialer/simulator/pacing-bench/metrics.ts";
import { benchHtml } from "../../../src/dialer/simulator/pacing-bench/report-html.ts";
import { smallScenario } from "./small-scenario.ts";

describe("pacing bench", () => {
  it("reports the contract's JSON for every controller asked, tuned baselines included", async () => {
    const scenario = { ...smallScenario(), days: 1 };
    const report = await runBench({
      scenario,
      controllers: ["cxo", "webitel", "best-fixed", "progressive"],
      replications: 2,
      workers: 0,
      tuneDays: 1,
    });
    const doc = jsonOf(report);
    expect(doc).toMatchObject({ scenario: "small", replications: 2, days: 1 });
    expect(doc.controllers.map((c) => c.name)).toEqual(["cxo", "webitel", "best-fixed", "progressive"]);
    // The figures behave as pacing does, not only in shape: every predictive controller connects
    // more per agent-hour than progressive (one call per free agent) and abandons more; nobody
    // passes the ceiling (every agent talking all day) or full occupancy.
    const named = (name: string) =>
      doc.controllers.find((c) => c.name === name) as (typeof doc.controllers)[0];
    const progressive = named("progressive");
    for (const name of ["cxo", "webitel", "best-fixed"]) {
      expect(named(name).connectsPerAgentHour, name).toBeGreaterThan(1.1 * progressive.connectsPerAgentHour);
      expect(named(name).abandonment.mean, name).toBeGreaterThan(progressive.abandonment.mean);
    }
    for (const c of doc.controllers) {
      expect(c.connectsPerAgentHour, c.name).toBeLessThan(doc.ceiling.connectsPerAgentHour);
      expect(c.occupancy, c.name).toBeGreaterThan(0);
      expect(c.occupancy, c.name).toBeLessThan(1);
    }
    for (const c of doc.controllers) {
      expect(Object.keys(c)).toEqual(
        expect.arrayContaining([
          "name",
          "tuning",
          "connectsPerAgentHour",
          "occupancy",
          "predictiveGain",
          "idleBetweenCalls",
          "abandonment",
        ]),
      );
      expect(Object.keys(c.abandonment).sort()).toEqual(
        ["ci95", "mean", "shareOfDaysOver", "worst30Min", "worst60Min", "worstWindow"].sort(),
      );
      expect(c.abandonment.ci95[0]).toBeLessThanOrEqual(c.abandonment.ci95[1]);
    }
    expect(doc.controllers.find((c) => c.name === "best-fixed")?.tuning).toHaveProperty("ratio");
    // Issue 53 §2: each worst 30 minutes beside its noise floor (a steady controller at its mean).
    for (const c of doc.controllers) {
      const floor = c.noiseFloor as { worst30Min: number; multiple: number | null };
      expect(floor.worst30Min, c.name).toBeGreaterThanOrEqual(c.abandonment.mean);
      expect(floor.multiple, c.name).toBeCloseTo(c.abandonment.worst30Min / floor.worst30Min, 12);
    }
    expect(doc.ceiling.connectsPerAgentHour).toBeCloseTo(3600 / 130, 9);
    // Issue 80 §5: `front` carries connects too (the 1% spend row's figure); progressive's are its own.
    for (const f of doc.front.filter((x) => x.controller === "progressive"))
      expect(f.connectsPerAgentHour).toBe(progressive.connectsPerAgentHour);
    for (const f of doc.front.filter((x) => x.occupancy !== null))
      expect(f.connectsPerAgentHour, `${f.controller} ≤ ${f.target}`).toBeGreaterThan(0);
    expect(benchHtml(report)).toContain("uPlot");
  });

  it("adds the matched figures: each baseline read on cxo's frontier at its own realised abandonment", async () => {
    const scenario = { ...smallScenario(), days: 1 };
    const report = await runBench({
      scenario,
      controllers: ["cxo", "progressive", "best-fixed"],
      replications: 2,
      workers: 0,
      tuneDays: 2,
      matchedReplications: 2,
      frontierTargets: [0.01, 0.06],
    });
    const doc = jsonOf(report);
    expect(doc.tuneDays).toBe(2);
    // cxo at 1%, 3% (its main run), 6%, and progressive's point.
    expect(doc.frontier.map((p) => p.target).sort()).toEqual([0, 0.01, 0.03, 0.06]);
    expect(doc.controllers.find((c) => c.name === "cxo")?.matched).toBeNull();
    const fixed = doc.controllers.find((c) => c.name === "best-fixed");
    const m = fixed?.matched;
    expect(m).toBeTruthy();
    if (!m || m.ratio === null || m.cxoConnectsPerAgentHour === null) throw new Error("no matched figure");
    expect(m.connectsPerAgentHour).toBeCloseTo(fixed?.connectsPerAgentHour ?? 0, 9);
    expect(m.ratio).toBeCloseTo(m.cxoConnectsPerAgentHour / m.connectsPerAgentHour, 12);
    expect(fixed?.rules).toEqual({
      legalWindow: expect.any(Boolean),
      daysOver: expect.any(Boolean),
      worst30Min: expect.any(Boolean),
    });
  });

  it("an adaptive frontier runs only the targets that bracket the baselines, and matches them as the full one does", async () => {
    const scenario = { ...smallScenario(), days: 1 };
    const options = {
      scenario,
      controllers: ["cxo", "progressive", "best-fixed"],
      replications: 2,
      workers: 0,
      tuneDays: 1,
      matchedReplications: 2,
      frontierTargets: [0.0025, 0.005, 0.01, 0.015, 0.02, 0.035],
    };
    const full = await runBench(options);
    const adaptive = await runBench({ ...options, adaptiveFrontier: true });
    const matched = (r: typeof full) => r.controllers.find((c) => c.name === "best-fixed")?.matched;
    expect(matched(adaptive)).toEqual(matched(full));
    expect(matched(adaptive)?.ratio).not.toBeNull();
    expect(adaptive.frontier.length).toBeLessThan(full.frontier.length);
    // Every adaptive point is a point of the full frontier (same seeds, same target).
    for (const p of adaptive.frontier) expect(full.frontier).toContainEqual(p);
  });

  it("judges windows: worst rolling minutes and the 24-hour window across two days", () => {
    const minutes = 4;
    const r = {
      days: 2,
      minutes,
      lives: Float64Array.from([40, 40]),
      abandons: Float64Array.from([2, 0]),
      minuteLives: Float64Array.from([10, 10, 10, 10, 10, 10, 10, 10]),
      minuteAbandons: Float64Array.from([0, 0, 0, 2, 0, 0, 0, 0]),
    } as unknown as DaysResult;
    expect(worstRolling(r, 2)).toBeCloseTo(0.1, 12);
    const scenario = smallScenario();
    expect(worstLegalWindow({ ...scenario, limits: { ...scenario.limits, window: "day" } }, r)).toBeCloseTo(
      0.05,
      12,
    );
    expect(
      worstLegalWindow({ ...scenario, limits: { ...scenario.limits, window: "ftc-30d" } }, r),
    ).toBeCloseTo(0.025, 12);
    // 24 h from day 1's last minute: 2 of 10 + day 2's first 3 minutes (30 lives): 2/40.
    expect(
      worstLegalWindow({ ...scenario, limits: { ...scenario.limits, window: "ofcom-24h" } }, r),
    ).toBeCloseTo(0.05, 12);
  });
});
