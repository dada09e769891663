import { initialPacingState, LivePacer } from "../../src/dialer/live-pacing/live-pacer.ts";
import { createController } from "../../src/dialer/pacing/registry.ts";
import { compileScenario, type Scenario, scenarioSchema } from "../../src/dialer/pacing/scenario.ts";
import { DEFAULT_LIMITS, type PacingLimits } from "../../src/dialer/pacing/types.ts";
import { simulateDays } from "../../src/dialer/simulator/day/engine.ts";
import { DialerTwin } from "../../src/emulator/dialer-twin.ts";
import type { DialerCounters } from "../../src/platform/types.ts";

/**
 * Issue 41 §4: "on the dialer twin the live loop reaches, within 30 simulated minutes, an
 * occupancy within 5 points of what the offline controller reaches on the twin's own scenario
 * at the same target". Both sides, on a virtual clock (no wall time), for the test and the bench.
 *
 * The twin's own scenario is the emulator's twin (src/emulator/dialer-twin.ts, docs/emulator.md)
 * as a pacing scenario file: 20 agents, a flat 30% live-answer rate, no machines, exponential talk
 * (mean 120 s) plus 10 s of wrap-up, live answers ringing 4–15 s (uniform: mean 9.5 s, cv 0.36,
 * here lognormal with that mean and cv), unanswered calls 25 s, the 2-second connect rule.
 */
export const TWIN_AGENTS = 20;

export function twinScenario(target = DEFAULT_LIMITS.target): Scenario {
  return compileScenario(
    scenarioSchema.parse({
      name: "dialer twin",
      days: 1,
      day: { start: "09:00", end: "17:00" },
      agents: TWIN_AGENTS,
      talk: { dist: "exponential", mean: 120 },
      wrap: { dist: "constant", mean: 10 },
      ring: { answered: { dist: "lognormal", mean: 9.5, cv: 0.36 }, unansweredSeconds: 25 },
      answerRate: [{ at: "09:00", rate: 0.3 }],
      abandon: { connectWithinSeconds: 2 },
      limits: { target, window: "ftc-30d", maxLinesPerAgent: DEFAULT_LIMITS.maxLinesPerAgent },
    }),
  );
}

/** The offline controller (one second per tick, the day simulator) on the twin's scenario: its occupancy and abandonment over `days` days. */
export function offlineOnTwin(options: {
  seed: number;
  days?: number;
  target?: number;
  controller?: string;
}) {
  const scenario = twinScenario(options.target);
  const r = simulateDays(
    scenario,
    createController(options.controller ?? "cxo", { limits: scenario.limits }),
    {
      seed: options.seed,
      days: options.days ?? 1,
    },
  );
  const sum = (xs: Float64Array) => xs.reduce((a, x) => a + x, 0);
  const lives = sum(r.lives);
  return {
    occupancy: sum(r.busySeconds) / sum(r.presentSeconds),
    abandonment: lives > 0 ? sum(r.abandons) / lives : 0,
  };
}

export interface LiveOnTwinResult {
  /** Occupancy of the twin's agents per simulated minute (busy agent-seconds ÷ agent-seconds). */
  occupancyByMinute: number[];
  /** The dial ratio in force at the end of each minute. */
  ratioByMinute: number[];
  /** The twin's ground truth at the end. */
  liveAnswers: number;
  abandons: number;
}

/**
 * The live loop (`LivePacer`, as `cxo serve` runs it: one read of the dialer's counters every
 * `intervalSeconds`, each change at most `maxStep`, the window's guard) against the emulator's
 * twin for `minutes` simulated minutes, from a campaign never paced before (progressive).
 * The spec's defaults: a read a minute, steps of 0.25.
 */
export function liveOnTwin(options: {
  seed: number;
  minutes: number;
  target?: number;
  intervalSeconds?: number;
  maxStep?: number;
}): LiveOnTwinResult {
  const interval = options.intervalSeconds ?? 60;
  const limits: PacingLimits = { ...DEFAULT_LIMITS, target: options.target ?? DEFAULT_LIMITS.target };
  const pacer = new LivePacer({ limits, maxStep: options.maxStep ?? 0.25, minIntervalMs: interval * 1000 });
  const twin = new DialerTwin(options.seed, "twin-check", 1, 0, { agents: TWIN_AGENTS });
  let state = initialPacingState(limits);
  let ratio = twin.truth(1).dialRatio;
  const occupancyByMinute: number[] = [];
  const ratioByMinute: number[] = [];
  let busyBefore = 0;
  for (let second = 1; second <= options.minutes * 60; second++) {
    // The twin advances one simulated second at a time at the ratio in force (speed 1: ms = s × 1000).
    twin.advance(second * 1000, ratio, true);
    if (second % interval === 0) {
      const step = pacer.step(state, countersOf(twin, ratio), second * 1000);
      state = step.state;
      if (step.apply !== null) ratio = step.apply;
    }
    if (second % 60 === 0) {
      const truth = twin.truth(ratio);
      occupancyByMinute.push((truth.busyAgentSeconds - busyBefore) / (truth.agents * 60));
      busyBefore = truth.busyAgentSeconds;
      ratioByMinute.push(ratio);
    }
  }
  const end = twin.truth(ratio);
  return { occupancyByMinute, ratioByMinute, liveAnswers: end.liveAnswers, abandons: end.abandons };
}

/** Mean occupancy over minutes [from, to) of a live run. */
export function occupancyBetween(run: LiveOnTwinResult, from: number, to: number): number {
  const slice = run.occupancyByMinute.slice(from, to);
  return slice.reduce((a, x) => a + x, 0) / slice.length;
}

/** The twin read as the seed adapter reads it (the metrics endpoint's `dialer` block). */
export function countersOf(twin: DialerTwin, ratio: number): DialerCounters {
  const t = twin.truth(ratio);
  return {
    observedSeconds: t.simulatedSeconds,
    dials: t.dials,
    liveAnswers: t.liveAnswers,
    connects: t.connects,
    abandons: t.abandons,
    handled: t.handled,
    handleSeconds: t.handleSeconds,
    answerSeconds: t.answerSeconds,
    agentsLoggedIn: t.agents,
    agentsBusy: t.agentsBusy,
    callsInProgress: t.callsInProgress,
    dialRatio: t.dialRatio,
  };
}
