import { InputError, type InputProblem } from "../../../core/input-error.ts";
import type { DialerConfig } from "../../config.ts";
import type { Distribution } from "./distributions.ts";

/**
 * Everything one simulation run needs, in seconds. Built from a user's dialer config by
 * `paramsFromConfig`, or directly by tests that need a textbook queue (exponential patience,
 * no wrap) to compare with a closed form.
 */
export const SIMULATION_MODES = ["open", "progressive", "predictive", "adaptive"] as const;
/** How the simulated dialer places calls: `open` (a given arrival rate), `progressive`, `predictive` or `adaptive`. */
export type SimulationMode = (typeof SIMULATION_MODES)[number];

export interface SimParams {
  mode: SimulationMode;
  /** Agents taking calls. */
  agents: number;
  /** Carrier trunks (reported against the peak). */
  trunks: number;
  /** Channels the dialer may hold at once: min(trunks, maxSimultaneousCalls). */
  channelLimit: number;
  /** Per-attempt outcome probabilities; busy is the rest. */
  liveRate: number;
  machineRate: number;
  noAnswerRate: number;
  /** Ring time before a live or machine answer. */
  ring: Distribution;
  /** A no-answer holds the channel this long. */
  noAnswerSeconds: number;
  /** A busy signal holds the channel this long. */
  busySeconds: number;
  /** Greeting / answering-machine detection after answer, before a live call can be connected. */
  greetingSeconds: number;
  talk: Distribution;
  wrap: Distribution;
  /** How long an answered caller waits for an agent before the call is dropped (abandoned). */
  patience: Distribution;
  /** predictive: lines per available agent; adaptive: the maximum dial level. */
  dialRatio: number;
  /** open: Poisson dial rate. */
  dialsPerSecond: number;
  /** Minimum gap between two dials (0: none). */
  callSpacingSeconds: number;
  /** adaptive: the abandonment rate the controller steers to. */
  abandonmentTarget: number;
  /** Measured duration after the warm-up. */
  hours: number;
  warmupSeconds: number;
  batches: number;
  seed: number;
}

/** Channel seconds a busy signal takes (signal detection). */
export const BUSY_SECONDS = 3;
/** Ring time spread: lognormal with this coefficient of variation around traffic.ringSeconds. */
export const RING_CV = 0.5;

export interface ParamOverrides {
  mode?: SimulationMode;
  hours?: number;
  seed?: number;
  dialRatio?: number;
  dialsPerSecond?: number;
  warmupSeconds?: number;
  batches?: number;
}

/** Agents the dialer paces for: staffed × availability estimate, at least one. */
export function availableAgents(config: DialerConfig): number {
  return Math.max(1, Math.round(config.concurrency.maxAgents * config.algorithm.agentAvailabilityEstimate));
}

/** The config's mode: its algorithm type (preview is paced like progressive: one call per agent). */
export function modeOf(config: DialerConfig): SimulationMode {
  return config.algorithm.type === "predictive" ? "predictive" : "progressive";
}

/**
 * Open-loop dial rate implied by a dial ratio: each available agent is offered `dialRatio`
 * dials per handling time, so at ratio = 1/P(live) the live load equals the agents.
 */
export function openLoopDialRate(config: DialerConfig, dialRatio = config.algorithm.dialRatio): number {
  const aht = config.traffic.talkSeconds + config.traffic.wrapSeconds;
  return (dialRatio * availableAgents(config)) / aht;
}

export function paramsFromConfig(config: DialerConfig, overrides: ParamOverrides = {}): SimParams {
  const t = config.traffic;
  const dialRatio = overrides.dialRatio ?? config.algorithm.dialRatio;
  const hours = overrides.hours ?? 1;
  return {
    mode: overrides.mode ?? modeOf(config),
    agents: availableAgents(config),
    trunks: config.carrier.trunks,
    channelLimit: Math.min(config.carrier.trunks, config.concurrency.maxSimultaneousCalls),
    liveRate: t.liveAnswerRate,
    machineRate: t.machineRate,
    noAnswerRate: t.noAnswerRate,
    ring: { kind: "lognormal", mean: t.ringSeconds, cv: RING_CV },
    noAnswerSeconds: t.noAnswerTimeoutSeconds,
    busySeconds: BUSY_SECONDS,
    greetingSeconds: t.greetingSeconds,
    talk: { kind: "exponential", mean: t.talkSeconds },
    wrap: { kind: "exponential", mean: t.wrapSeconds },
    patience: { kind: "deterministic", mean: config.algorithm.warmLineTimeoutSec },
    dialRatio,
    dialsPerSecond: overrides.dialsPerSecond ?? openLoopDialRate(config, dialRatio),
    callSpacingSeconds: config.concurrency.callSpacingMs / 1000,
    abandonmentTarget: config.algorithm.abandonmentTarget,
    hours,
    warmupSeconds: overrides.warmupSeconds ?? Math.min(1800, Math.max(300, hours * 360)),
    batches: overrides.batches ?? 20,
    seed: overrides.seed ?? 1,
  };
}

/**
 * Throws an InputError naming every parameter a run cannot use (each problem under the
 * parameter's name, as the overrides and the SDK's `simulate` call it).
 */
export function validateParams(p: SimParams): void {
  const problems: InputProblem[] = [];
  const refuse = (field: string, rule: string) => problems.push({ field, rule });
  if (!Number.isInteger(p.agents) || p.agents < 1) refuse("agents", "must be a whole number ≥ 1");
  if (!Number.isInteger(p.channelLimit) || p.channelLimit < 1) refuse("channelLimit", "must be ≥ 1");
  if (p.liveRate + p.machineRate + p.noAnswerRate > 1 + 1e-12)
    refuse("liveRate", "the outcome rates (live, machine, no answer) sum above 1");
  if (!(p.hours > 0)) refuse("hours", "must be > 0");
  if (!Number.isInteger(p.batches) || p.batches < 2) refuse("batches", "must be a whole number ≥ 2");
  if (p.mode === "open" && !(p.dialsPerSecond > 0)) refuse("dialsPerSecond", "must be > 0 in open mode");
  if ((p.mode === "predictive" || p.mode === "adaptive") && !(p.dialRatio >= 1))
    refuse("dialRatio", "must be ≥ 1");
  if (problems.length > 0) throw new InputError(problems);
}
