import { type DialerConfigInput, dialerConfigSchema } from "../../../src/dialer/config.ts";
import type { SimParams } from "../../../src/dialer/simulator/index.ts";

/**
 * A textbook open-loop queue: every dial answers live at once (no ring, no greeting), talk is
 * exponential and there is no wrap, so the closed forms apply exactly.
 */
export function textbookParams(overrides: Partial<SimParams>): SimParams {
  return {
    mode: "open",
    agents: 20,
    trunks: 100_000,
    channelLimit: 100_000,
    liveRate: 1,
    machineRate: 0,
    noAnswerRate: 0,
    ring: { kind: "deterministic", mean: 0 },
    noAnswerSeconds: 25,
    busySeconds: 3,
    greetingSeconds: 0,
    talk: { kind: "exponential", mean: 120 },
    wrap: { kind: "deterministic", mean: 0 },
    patience: { kind: "deterministic", mean: 2 },
    dialRatio: 1,
    dialsPerSecond: 0.15,
    callSpacingSeconds: 0,
    abandonmentTarget: 0.03,
    hours: 100,
    warmupSeconds: 3600,
    batches: 30,
    seed: 7,
    ...overrides,
  };
}

/** A dialer config with the given parts merged over a 20-agent predictive campaign. */
export function dialerConfig(overrides: Partial<DialerConfigInput> = {}) {
  return dialerConfigSchema.parse({
    concurrency: { maxAgents: 20, maxSimultaneousCalls: 10_000 },
    algorithm: { abandonmentTarget: 0.03, dialRatio: 2, agentAvailabilityEstimate: 1 },
    carrier: { trunks: 10_000 },
    traffic: { talkSeconds: 110, wrapSeconds: 10 },
    ...overrides,
  });
}
