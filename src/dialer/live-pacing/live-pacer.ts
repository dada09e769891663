import type { DialerCounters } from "../../platform/types.ts";
import { createController } from "../pacing/registry.ts";
import type { PacingController, PacingLimits, PacingObservation } from "../pacing/types.ts";
import {
  emptyBudget,
  recordInWindow,
  type WindowBudget,
  type WindowFigures,
  windowFigures,
} from "./window-budget.ts";

/**
 * Live pacing of one campaign, without I/O: each read of the dialer's counters becomes one
 * observation for the pacing controller (the same object the simulator runs, src/dialer/pacing),
 * and the controller's ratio becomes a proposed change of the campaign's dial ratio. The window's
 * budget is the last word: over the target the campaign goes progressive (ratio 1) until the
 * window recovers, near it the ratio may not rise. At most one change per interval, each at
 * most `maxStep`, always within [1, maxLinesPerAgent].
 *
 * The state is plain JSON: `cxo serve` keeps it in the store, so a restart or a failover to
 * another instance resumes the window's budget (the controller's own estimates warm up again).
 */
export interface LivePacingState {
  budget: WindowBudget;
  /** The counters of the previous read (differences give what happened since). */
  last: DialerCounters | null;
  /** The ratio last applied (or found), and when it was applied. */
  ratio: number | null;
  changedAtMs: number | null;
  /**
   * A ratio the loop asked for whose operation was not confirmed (timed out, failed to verify):
   * if it comes into force later, it is the loop's own change, not one made outside it.
   */
  pending?: number | null;
}

export interface LivePacingOptions {
  limits: PacingLimits;
  /** Controller name (default `cxo`) and its knobs. */
  controller?: string | undefined;
  tuning?: Readonly<Record<string, number | string>> | undefined;
  /** Largest change of the ratio per step. */
  maxStep: number;
  /** Least time between two changes. */
  minIntervalMs: number;
}

export interface LivePacingStep {
  state: LivePacingState;
  /** The ratio to apply now, or null to leave it. */
  apply: number | null;
  /** Why (for the log, the audit and the dashboard). */
  reason: string;
  figures: WindowFigures;
  /** What the controller asked for before the guards. */
  proposed: number | null;
}

/** Below this the change is noise, not worth a settings operation. */
const MIN_CHANGE = 0.05;
/** Within this share of the target the ratio may fall but not rise. */
const NEAR_TARGET = 0.9;

export function initialPacingState(limits: PacingLimits): LivePacingState {
  return { budget: emptyBudget(limits.window, limits.target), last: null, ratio: null, changedAtMs: null };
}

export class LivePacer {
  private readonly controller: PacingController;
  private readonly options: LivePacingOptions;
  /** Calls the controller wanted in flight, and agents free, summed over the last reads (decaying). */
  private wantedInFlight = 0;
  private freeAgents = 0;

  constructor(options: LivePacingOptions) {
    this.options = options;
    this.controller = createController(options.controller ?? "cxo", {
      limits: options.limits,
      ...(options.tuning ? { tuning: options.tuning } : {}),
    });
  }

  /**
   * The controller's wish as the platform's dial ratio. The seed API's dialer (and its twin) keeps
   * `ratio × free agents` calls in flight, topping up every second; the controller's own `ratio`
   * is lines per active agent, connected calls included (VICIdial's meaning), which on a busy
   * team is far lower: applied as is, 1.45 meant 1.45 calls per free agent where the controller
   * wanted ~3 (issue 41: 65% occupancy after 1.5 simulated hours). So the pacer asks the
   * controller how many calls it wants in flight (`inFlightWanted`: below the calls in progress
   * when it has too many, which its dials, floored at 0, cannot say) and divides by the free
   * agents. One read is a snapshot (2 free agents or 6), so both are summed over the last reads
   * (ratio of sums: the constant ratio that puts the wanted calls in flight on average).
   * A controller without that figure keeps its own ratio.
   */
  private platformRatio(counters: DialerCounters, current: number): number {
    const status = this.controller.status();
    if (status.inFlightWanted === undefined) {
      // Warm-up or no model: the controller's own ratio (1 in warm-up: progressive).
      this.wantedInFlight = 0;
      this.freeAgents = 0;
      return status.ratio;
    }
    const free = Math.max(0, counters.agentsLoggedIn - counters.agentsBusy);
    this.wantedInFlight = this.wantedInFlight * READ_MEMORY + status.inFlightWanted;
    this.freeAgents = this.freeAgents * READ_MEMORY + free;
    return this.freeAgents >= 0.5 ? this.wantedInFlight / this.freeAgents : current;
  }

  step(state: LivePacingState, counters: DialerCounters, nowMs: number): LivePacingStep {
    const { limits } = this.options;
    const last = state.last;
    const current = state.ratio ?? counters.dialRatio;
    // A first read, or counters that went backwards (the dialer restarted): a new baseline.
    if (!last || counters.observedSeconds < last.observedSeconds || counters.dials < last.dials) {
      const next = { ...state, last: counters, ratio: current };
      const figures = windowFigures(next.budget, nowMs);
      // Never paced before: start progressive (one line per agent, as CXone's predictive mode
      // starts) and let the controller ramp up once it has data.
      if (state.ratio === null && current !== 1)
        return {
          state: { ...next, ratio: 1, changedAtMs: nowMs },
          apply: 1,
          reason: "warm-up: progressive until the controller has data",
          figures,
          proposed: null,
        };
      return { state: next, apply: null, reason: "first read", figures, proposed: null };
    }
    const lives = counters.liveAnswers - last.liveAnswers;
    const drops = counters.abandons - last.abandons;
    const machines = Math.max(0, (counters.machines ?? 0) - (last.machines ?? 0));
    const budget = recordInWindow(state.budget, nowMs, lives, drops, machines);
    const figures = windowFigures(budget, nowMs, limits.amdFalsePositive);
    this.controller.tick(observation(counters, last));
    const proposed = this.platformRatio(counters, current);
    const next: LivePacingState = { ...state, budget, last: counters, ratio: current };

    let wanted = proposed;
    // A ratio says nothing without its unit: lines dialled per available agent.
    let reason = `controller ${this.controller.name} asks ratio ${proposed.toFixed(2)} lines per agent`;
    if (figures.liveAnswers > 0 && figures.abandonment >= limits.target) {
      wanted = 1;
      reason = `window abandonment ${pct(figures.abandonment)} is at or over the ${pct(limits.target)} target: progressive until it recovers`;
    } else if (
      figures.liveAnswers > 0 &&
      figures.abandonment >= NEAR_TARGET * limits.target &&
      wanted > current
    ) {
      wanted = current;
      reason = `window abandonment ${pct(figures.abandonment)} is near the target: not raising the ratio`;
    }
    wanted = Math.min(limits.maxLinesPerAgent, Math.max(1, wanted));
    // Going progressive over the target is not rate limited: the law does not wait.
    const emergency = wanted === 1 && figures.abandonment >= limits.target;
    const step = emergency ? wanted - current : clamp(wanted - current, this.options.maxStep);
    const target = round(current + step);
    const tooSoon = state.changedAtMs !== null && nowMs - state.changedAtMs < this.options.minIntervalMs;
    if (Math.abs(target - current) < MIN_CHANGE || (tooSoon && !emergency))
      return { state: next, apply: null, reason, figures, proposed };
    return {
      state: { ...next, ratio: target, changedAtMs: nowMs },
      apply: target,
      reason,
      figures,
      proposed,
    };
  }
}

/** Each read's weight in the next (about a 2-read memory: one read is one snapshot of the agents). */
const READ_MEMORY = 0.6;

/** One observation from two reads of the counters: the differences, and the agents now. */
function observation(now: DialerCounters, last: DialerCounters): PacingObservation {
  const busy = now.agentsBusy;
  const dials = now.dials - last.dials;
  const liveAnswers = now.liveAnswers - last.liveAnswers;
  return {
    now: now.observedSeconds,
    secondOfDay: now.observedSeconds % 86_400,
    elapsed: now.observedSeconds - last.observedSeconds,
    day: Math.floor(now.observedSeconds / 86_400),
    agentsLoggedIn: now.agentsLoggedIn,
    agentsReady: Math.max(0, now.agentsLoggedIn - busy),
    agentsTalking: busy,
    agentsWrapping: 0,
    callsRinging: now.callsInProgress,
    callsWaiting: 0,
    callsConnected: busy,
    busyElapsed: [],
    counts: {
      dials,
      liveAnswers,
      machines: Math.max(0, (now.machines ?? 0) - (last.machines ?? 0)),
      unanswered: Math.max(0, dials - liveAnswers),
      abandons: now.abandons - last.abandons,
      connects: now.connects - last.connects,
      handled: now.handled - last.handled,
      handleSeconds: now.handleSeconds - last.handleSeconds,
      answerSeconds: now.answerSeconds - last.answerSeconds,
      agentMachines: 0,
    },
  };
}

const clamp = (value: number, limit: number) => Math.max(-limit, Math.min(limit, value));
const round = (value: number) => Math.round(value * 100) / 100;
const pct = (value: number) => `${(value * 100).toFixed(2)}%`;
