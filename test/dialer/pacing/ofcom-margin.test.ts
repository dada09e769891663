import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RollingCounts } from "../../../src/dialer/pacing/rolling.ts";
import { loadScenarioFile } from "../../../src/dialer/pacing/scenario-file.ts";
import { runJob } from "../../../src/dialer/simulator/pacing-bench/job.ts";
import { worstLegalWindow } from "../../../src/dialer/simulator/pacing-bench/metrics.ts";

/**
 * Issue 53, legal first: on `ofcom-50` the detector hangs up on 0.3% of live people as machines
 * (abandoned people the dialer counts as machines, never told to the controller). On main cxo's
 * worst 24 hours reached 3.10% on seed 5 (30 days): the hung-up people used up its margin.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const ofcom50 = loadScenarioFile(path.join(here, "..", "..", "..", "examples", "pacing", "ofcom-50.yaml"));

describe("cxo keeps Ofcom's 24 hours with people hung up on as machines", () => {
  it("ofcom-50, seed 5: worst 24 hours ≤ 3%", { timeout: 60_000 }, () => {
    const r = runJob({
      scenario: ofcom50,
      controller: "cxo",
      tuning: {},
      seed: 5,
      firstDay: 0,
      days: ofcom50.days,
    });
    expect(worstLegalWindow(ofcom50, r)).toBeLessThanOrEqual(ofcom50.limits.target);
  });
});

describe("RollingCounts.leaving", () => {
  it("sums the oldest buckets: what falls out of the window next", () => {
    const r = new RollingCounts(10, 4, 1);
    for (let b = 0; b < 4; b++) {
      r.at(b * 10);
      r.add(0, b + 1); // buckets hold 1, 2, 3, 4 (oldest first)
    }
    expect(r.total(0)).toBe(10);
    expect(r.leaving(0, 1)).toBe(1);
    expect(r.leaving(0, 2)).toBe(3);
    expect(r.leaving(0, 9)).toBe(6); // never the current bucket
    r.at(40);
    expect(r.leaving(0, 1)).toBe(2);
  });
});

/**
 * Issue 67 §3: with the operator's estimate of the people hung up on as machines (here the
 * scenario's own share of machine verdicts), cxo counts them and keeps less margin under Ofcom's
 * window: ≥ 80% of a 2% target spent with every 24 hours under it (without the estimate's margins
 * it spent ~77%).
 * One seed (issue 80, CPU): each seed on its own keeps both bounds with the same room (on
 * 2026-11-27 seeds 1, 2, 3 spent 82.5%, 81.8%, 82.7% with worst 24 hours 1.94%, 1.89%, 1.88%),
 * and one 30-day run checks the 24-hour bound on as many windows per run as two did; the
 * second seed only pooled the spend and cost a third of the file.
 */
describe("cxo under Ofcom with the operator's estimate", () => {
  it("ofcom-50 at 2%, seed 1: ≥ 80% of the target spent, every 24 hours ≤ 2%", {
    timeout: 120_000,
  }, () => {
    const share = (0.6 * 0.003) / (0.4 * 0.92 + 0.6 * 0.003);
    const scenario = {
      ...ofcom50,
      limits: { ...ofcom50.limits, target: 0.02, amdFalsePositive: { rate: share } },
    };
    const runs = [1].map((seed) =>
      runJob({ scenario, controller: "cxo", tuning: {}, seed, firstDay: 0, days: ofcom50.days }),
    );
    const lives = runs.reduce((a, r) => a + r.lives.reduce((x, y) => x + y, 0), 0);
    const drops = runs.reduce((a, r) => a + r.abandons.reduce((x, y) => x + y, 0), 0);
    expect(drops / lives / 0.02).toBeGreaterThanOrEqual(0.8);
    for (const r of runs) expect(worstLegalWindow(scenario, r)).toBeLessThanOrEqual(0.02);
  });
});
