/**
 * The pacing controller's contract: what it is told every tick and what it answers. The same
 * controller object runs in the day simulator (`simulator/`) and live (`cxo serve`), so nothing
 * here names a simulator internal or a platform field: only what a dialer can observe.
 */
import type { FalsePositiveEstimate } from "./amd-estimate.ts";

/** Which legal abandonment window the budget is spent over (pacing.md §1). */
export type PacingWindow = "ftc-30d" | "ofcom-24h" | "day";

export const PACING_WINDOWS: readonly PacingWindow[] = ["ftc-30d", "ofcom-24h", "day"];

/** Length of each window in seconds (a "day" window is the calendar day: reset at midnight). */
export const WINDOW_SECONDS: Record<PacingWindow, number> = {
  "ftc-30d": 30 * 86_400,
  "ofcom-24h": 86_400,
  day: 86_400,
};

/** The rules every controller respects (reference §1's list). */
export interface PacingLimits {
  /** Abandoned / live answers allowed over the window (0.03 = 3%). */
  target: number;
  window: PacingWindow;
  /** Never more calls in progress than this × logged-in agents. */
  maxLinesPerAgent: number;
  /** A live answer not connected within this many seconds of the greeting is abandoned. */
  connectWithinSeconds: number;
  /**
   * The operator's estimate of the people the detector hangs up on as machines (issue 67:
   * `machines.falsePositive`, a share of the machine verdicts, with its evidence). A controller
   * counts `rate × machines` as live answers abandoned: no controller can observe them, and
   * Ofcom counts them. The simulator never sets it from the scenario's truth (`liveHungUp`).
   */
  amdFalsePositive?: FalsePositiveEstimate;
}

export const DEFAULT_LIMITS: PacingLimits = {
  target: 0.03,
  window: "ftc-30d",
  maxLinesPerAgent: 3,
  connectWithinSeconds: 2,
};

/** Events counted since the previous tick. */
export interface PacingCounts {
  /** Calls placed. */
  dials: number;
  /** Calls answered by a live person (as the dialer classified them, i.e. passed toward an agent). */
  liveAnswers: number;
  /** Calls answered and classified as answering machines (hung up by the dialer). */
  machines: number;
  /** Calls that rang out, were busy or failed. */
  unanswered: number;
  /** Live answers not connected within the connect threshold (dropped, or the caller hung up). */
  abandons: number;
  /** Live answers connected to an agent. */
  connects: number;
  /** Calls an agent finished (talk and wrap-up done) and their summed talk + wrap seconds. */
  handled: number;
  handleSeconds: number;
  /**
   * Summed seconds from dial to answer of the calls answered (live or machine) counted in this
   * tick's `liveAnswers` and `machines`: told when the dialer classifies the answer, not before.
   */
  answerSeconds: number;
  /**
   * Calls passed on as live that the agent marked as an answering machine (the detector's
   * false positives, as agents' dispositions reveal them; optional for callers that lack it).
   */
  agentMachines?: number;
}

/** The state at the tick. */
export interface PacingObservation {
  /** Seconds since the campaign's epoch (monotonic; crosses nights). */
  now: number;
  /** Seconds since the local midnight of `now` (VICIdial's "today", tapered mode's clock). */
  secondOfDay: number;
  /** Seconds since the previous tick (0 at the first). */
  elapsed: number;
  /** Whole days since the campaign's epoch. */
  day: number;
  /** Agents logged in to the campaign. */
  agentsLoggedIn: number;
  /** Agents free for a call (not reserved, not talking, not wrapping). */
  agentsReady: number;
  /** Agents talking. */
  agentsTalking: number;
  /** Agents in wrap-up. */
  agentsWrapping: number;
  /**
   * Busy agents who asked to leave after their call (break, lunch, end of shift: CXone's
   * "unavailable after this contact"); they will not take another call. Optional: callers that
   * cannot see it leave it out.
   */
  agentsLeaving?: number;
  /** Calls placed and not yet answered or ended (ringing, or being screened for a machine). */
  callsRinging: number;
  /** Live answers waiting for an agent. */
  callsWaiting: number;
  /** Calls connected to an agent. */
  callsConnected: number;
  /**
   * Seconds each busy agent has spent on its current call (talk + wrap so far), first
   * `agentsTalking + agentsWrapping` entries valid. Reused between ticks: copy to keep.
   */
  busyElapsed: ArrayLike<number>;
  /** Events since the previous tick. */
  counts: PacingCounts;
}

/** What the controller reports about itself (for the report and the dashboard). */
export interface PacingStatus {
  /** The current lines-per-agent ratio the controller dials at (1 = progressive). */
  ratio: number;
  /** The controller's own estimate of the live-answer rate, when it keeps one. */
  answerRate?: number;
  /** Abandoned / live answers over the configured window so far, as the controller counts it. */
  windowAbandonment?: number;
  /** A feedback controller's gain or level, when it keeps one. */
  gain?: number;
  /** The controller's estimate of the share of calls passed on as live that were machines. */
  amdMachineShare?: number;
  /** The controller's estimate of the answer delay's coefficient of variation. */
  answerDelayCv?: number;
  /**
   * Calls the controller wanted in progress (ringing or waiting) at its last tick, before the
   * floor at zero new dials: below the calls already in progress when it has too many. A live
   * dialer that paces by a ratio of calls in flight per free agent (the seed twin) is steered
   * by it (src/dialer/live-pacing/live-pacer.ts). Absent in warm-up and for controllers without
   * a model of the calls in flight.
   */
  inFlightWanted?: number;
  /**
   * The abandonment a budget controller aims at for the calendar day (cxo: the target × its
   * margin, less 2.33 × the day-to-day spread of its own day rates, so ≤ 1% of days go over).
   */
  dayAim?: number;
  /** Every tuning value the controller runs with, defaults included (cxo). */
  tuning?: Readonly<Record<string, number>>;
}

/**
 * A pacing controller: a plain object. `tick` is called about once a second with the
 * observation and returns how many NEW calls to place now (≥ 0). The caller also enforces
 * `maxLinesPerAgent`, but controllers respect it themselves.
 */
export interface PacingController {
  readonly name: string;
  /** The knobs this instance runs with (what grid tuning varied). */
  readonly tuning: Readonly<Record<string, number | string>>;
  /** Set when the controller reads `busyElapsed` (the caller may skip filling it otherwise). */
  readonly wantsBusyElapsed?: boolean;
  tick(observation: PacingObservation): number;
  status(): PacingStatus;
  /**
   * Other controllers (registry names, with the same tuning) whose run on the same days would
   * have been this one exactly, tick for tick, as far as this run went: the bench reuses the
   * result instead of running them (VICIdial's modes until a drop override sets the level
   * differently). Absent or empty: none known.
   */
  sameRunAs?(): readonly string[];
}

/** What a factory is given: the limits, the knobs, and optional scenario facts (references only). */
export interface ControllerOptions {
  limits: PacingLimits;
  tuning?: Readonly<Record<string, number | string>>;
}

export type ControllerFactory = (options: ControllerOptions) => PacingController;

/** New calls allowed by the line cap: maxLinesPerAgent × logged in − calls in progress. */
export function lineHeadroom(o: PacingObservation, limits: PacingLimits): number {
  const cap = Math.floor(limits.maxLinesPerAgent * o.agentsLoggedIn + 1e-9);
  return Math.max(0, cap - (o.callsRinging + o.callsWaiting + o.callsConnected));
}

/**
 * Calls to place for `lines` wanted on the ready agents (the agents themselves when progressive,
 * ratio × them when predictive): less the calls already ringing or waiting for one, never below
 * 0 nor above the line headroom.
 */
export function dialsFor(lines: number, o: PacingObservation, limits: PacingLimits): number {
  return Math.max(0, Math.min(lines - o.callsRinging - o.callsWaiting, lineHeadroom(o, limits)));
}

/** Counts of nothing: what a new record starts from and a spent one is reset to (`Object.assign`). */
export const ZERO_COUNTS: Readonly<PacingCounts> = Object.freeze({
  dials: 0,
  liveAnswers: 0,
  machines: 0,
  unanswered: 0,
  abandons: 0,
  connects: 0,
  handled: 0,
  handleSeconds: 0,
  answerSeconds: 0,
  agentMachines: 0,
});

/** A zeroed counts record (for callers that build observations). */
export function emptyCounts(): PacingCounts {
  return { ...ZERO_COUNTS };
}
