import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DialerConfig } from "../../../src/dialer/config.ts";
import { localChecks } from "../../../src/dialer/settings/local-checks.ts";
import { loadSettingsFile } from "../../../src/dialer/settings/settings-file.ts";
import { simulate } from "../../../src/dialer/simulator/des/engine.ts";
import { paramsFromConfig } from "../../../src/dialer/simulator/des/params.ts";

/**
 * Issue 20, item 9: `dialer validate` judged trunks by an open-loop formula (0.83 dials/s, 37.6
 * busy channels on examples/dialer.yaml) while the simulator measured 1.2 dials/s and 54.6; with
 * 50 trunks it passed although the simulator held 50 of 50 the whole run.
 */
const example = loadSettingsFile(path.resolve("examples/dialer.yaml"));
const withTrunks = (trunks: number, maxCalls: number): DialerConfig => ({
  ...example,
  concurrency: { ...example.concurrency, maxSimultaneousCalls: maxCalls },
  carrier: { ...example.carrier, trunks },
});
const run = (config: DialerConfig, seed: number) => simulate(paramsFromConfig(config, { hours: 8, seed }));

describe("dialer validate's trunk load agrees with the simulator", () => {
  it("examples/dialer.yaml: the same dials/s and busy channels as `dialer simulate`, within 3% over seeds", () => {
    const local = localChecks(example).figures;
    for (const seed of [1, 2, 3]) {
      const sim = run(example, seed);
      expect(local.dialsPerSecond).toBeCloseTo(sim.perHour.dials / 3600, 1);
      expect(Math.abs(local.meanBusyChannels - sim.meanChannels) / sim.meanChannels).toBeLessThan(0.03);
    }
    expect(local.meanBusyChannels).toBeGreaterThan(50); // ~54.6, not the formula's 37.6
  });

  it("50 trunks for that demand: saturated in the simulator, and a TRUNK_BLOCKING violation", () => {
    const config = withTrunks(50, 50);
    const sim = run(config, 1);
    expect(sim.peakChannels).toBe(50);
    expect(sim.meanChannels).toBeGreaterThan(49.5); // 50 of 50 the whole run
    const result = localChecks(config);
    const trunk = result.violations.find((v) => v.rule === "TRUNK_BLOCKING");
    expect(trunk?.field).toBe("carrier.trunks");
    expect(trunk?.message).toMatch(/saturated/);
    expect(result.figures.trunkBlocking).toBeGreaterThan(0.05);
  });

  it("enough trunks pass", () => {
    const result = localChecks(withTrunks(80, 150));
    expect(result.violations.map((v) => v.rule)).not.toContain("TRUNK_BLOCKING");
  });
});
