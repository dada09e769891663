import { describe, expect, it } from "vitest";
import * as sdk from "../../src/index.ts";

/** The package's front door exposes every capability a script needs, not only the CLI. */
describe("SDK front door", () => {
  it("exports each capability's entry points", () => {
    expect(typeof sdk.createClient).toBe("function");
    expect(typeof sdk.campaigns.createCampaign).toBe("function");
    expect(typeof sdk.campaigns.startWatchdog).toBe("function");
    expect(typeof sdk.compliance.evaluateCall).toBe("function");
    expect(typeof sdk.segmentContacts).toBe("function");
    expect(typeof sdk.dialerSettings.applySettings).toBe("function");
    expect(typeof sdk.simulator.erlangB).toBe("function");
    expect(typeof sdk.outcomes.exportOutcomes).toBe("function");
    expect(typeof sdk.startService).toBe("function");
    expect(typeof sdk.runDemo).toBe("function");
  });

  it("the simulator answers the reference Erlang B values through the front door", () => {
    expect(sdk.simulator.erlangB(1, 1)).toBeCloseTo(0.5, 10);
    expect(sdk.simulator.erlangB(2, 1)).toBeCloseTo(0.2, 10);
  });
});
