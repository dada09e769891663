import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
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
