import type { Scenario } from "../../pacing/scenario.ts";
import type { ControllerFigures } from "./metrics.ts";

/** The pacing bench's options, its report's shapes, and what one run's steps share (bench.ts). */
/** A controller's settings the bench tunes (a grid point of tuning.ts), by name. */
export type Tuning = Record<string, number | string>;

export interface BenchOptions {
  scenario: Scenario;
  controllers?: string[];
  /** Replications reported (each = the scenario's days). Default 10. */
  replications?: number;
  seed?: number;
  /** Worker threads (0: inline). */
  workers?: number;
  /** Days per tuning evaluation (default 90: three FTC windows; more than the scenario's days is fine). */
  tuneDays?: number;
  /** Reported seeds cxo's frontier is run on for the matched comparison (default min(replications, 4); 0: none). */
  matchedReplications?: number;
  /** cxo targets of the frontier besides the scenario's (default 0.5%…3.5% by 0.5 point). */
  frontierTargets?: number[];
  /**
   * Run only the frontier targets the matched comparison reads (default false: all of them). The
   * baselines' realised abandonments are known after the reported replications; cxo's realised
   * abandonment is about proportional to its target, so for each baseline the two targets of
   * `frontierTargets` whose predicted abandonment brackets it are run, and a further one beyond
   * when a bracket turns out not to hold. The matched figure is then the one the whole frontier
   * gives (the same two points are interpolated); the frontier in the report has fewer points.
   */
  adaptiveFrontier?: boolean;
  /** Smaller baseline grids (robustness variants). */
  quick?: boolean;
  /** The worker pool's priority for this bench's jobs (runs beside it with a lower one wait). */
  priority?: number;
  /**
   * Run progressive too when not asked for, for the predictive gain (default true). The
   * robustness variants compare two controllers only and leave it out.
   */
  predictiveGain?: boolean;
  /** Compute the matched frontier (cxo run at other targets; default true). */
  front?: boolean;
  onProgress?: (phase: string, done: number, total: number) => void;
  /**
   * Stops the bench: no further job starts (inline, checked between jobs, each a slice; on
   * threads, the queued jobs are dropped) and the run rejects with the signal's reason.
   */
  signal?: AbortSignal;
}

export interface ControllerReport extends Omit<ControllerFigures, "talkMinutesPerAgentHour" | "days"> {
  name: string;
  tuning: Tuning;
  /** Talk minutes per agent-hour over progressive's (Sytel's predictive gain). */
  predictiveGain: number | null;
  /** Met the target on the tuning seeds (its worst legal window, the selection rule). */
  meetsTarget: boolean;
  /** The rules checked on the reported days, for every controller alike. */
  rules?: { legalWindow: boolean; daysOver: boolean; worst30Min: boolean };
  /** A baseline against cxo at its realised abandonment (null for cxo and when not computed). */
  matched?: MatchedFigures | null;
  /**
   * The worst 30 minutes against chance (issue 53 §2): what a perfectly steady controller with
   * this one's mean abandonment and live answers per minute would show over the same windows
   * (`worstRollingFloor`), and this controller's worst 30 minutes as a multiple of it.
   */
  noiseFloor?: { worst30Min: number; multiple: number | null };
}

/** One baseline read against cxo's frontier at the baseline's realised abandonment. */
export interface MatchedFigures {
  /** Seeds compared (the first `replications` reported ones). */
  replications: number;
  /** The baseline's realised abandonment and connects per agent-hour on those seeds. */
  abandonment: number;
  connectsPerAgentHour: number;
  /** cxo's connects per agent-hour at that abandonment (interpolated on its frontier). */
  cxoConnectsPerAgentHour: number | null;
  /** cxo ÷ baseline at matched abandonment (null: the abandonment is outside cxo's frontier). */
  ratio: number | null;
  /** How the cxo figure was read: between two frontier points, or clamped at its top. */
  method: "interpolated" | "clamped-top" | "below-frontier";
}

export interface FrontierPoint {
  target: number;
  abandonment: number;
  connectsPerAgentHour: number;
  occupancy: number;
}

export interface TunedPoint {
  controller: string;
  tuning: Tuning;
  abandonment: number;
  occupancy: number;
  connectsPerAgentHour: number;
  meets: boolean;
}

export interface BenchReport {
  scenario: string;
  /** The scenario's target and legal window (the report's legal line and rule marks). */
  limits?: { target: number; window: string };
  replications: number;
  days: number;
  seed: number;
  controllers: ControllerReport[];
  ceiling: { connectsPerAgentHour: number };
  /** Best occupancy and connects per controller with abandonment ≤ 1%, 2%, 3% (tuning seeds; cxo: its frontier). */
  front: {
    controller: string;
    target: number;
    occupancy: number | null;
    connectsPerAgentHour: number | null;
  }[];
  /** cxo's frontier on the first matched seeds (realised abandonment, connects), low to high. */
  frontier: FrontierPoint[];
  /** Days each tuning was judged on. */
  tuneDays: number;
  /** Replication 0 by 5-minute slot of the day, averaged over its days. */
  series: { controller: string; ratio: number[]; answerRate: number[]; abandonment: (number | null)[] }[];
  wallSeconds: number;
}

/** What every step of one bench run shares. */
export interface BenchRun {
  options: BenchOptions;
  scenario: Scenario;
  replications: number;
  seed: number;
  tuneSeed: number;
  tuneDays: number;
  /** Controllers run: the ones asked, and progressive for the predictive gain. */
  names: string[];
  /** Controllers reported (the ones asked). */
  wanted: string[];
  /** Reported seeds cxo's frontier is read on (0: no matched comparison). */
  matchedReps: number;
  /** cxo's frontier targets besides the scenario's. */
  frontierTargets: number[];
  progress: (phase: string) => (done: number, total: number) => void;
}
