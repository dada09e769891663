import type { SimulationMode } from "./params.ts";

/** What one simulation run measured (after the warm-up). Rates per hour of simulated time. */
export interface SimulationResult {
  mode: SimulationMode;
  seed: number;
  hours: number;
  agents: number;
  trunks: number;
  channelLimit: number;
  /** Abandoned / live answers, with its batch-means 95% CI (the planner reads ci95.high). */
  abandonment: { rate: number; ci95: { low: number; high: number } };
  /** Fraction of agent time talking or in wrap-up. */
  occupancy: number;
  /** Mean wait of answered calls that reached an agent, seconds. */
  asaSeconds: number;
  /** Mean time in queue over every live answer, abandoned ones included (Little's law on the queue). */
  meanWaitAllSeconds: number;
  /** P(a live answer finds no agent free). */
  pWait: number;
  /** P(a live answer is not connected within the warm-line timeout τ): dropped, or served after τ. */
  pWaitOverTau: number;
  perHour: {
    dials: number;
    liveAnswers: number;
    connects: number;
    abandoned: number;
    machines: number;
    noAnswers: number;
    busies: number;
    /** open mode: dials lost because every channel was busy. */
    blockedDials: number;
  };
  /** Live answers in the measured window (the sample size behind the abandonment figure). */
  answered: number;
  peakChannels: number;
  meanChannels: number;
  /** Mean seconds a dial holds a channel (dial → hang-up). */
  meanHoldingSeconds: number;
  meanWaitingCalls: number;
  /** adaptive: the dial level at the end and its time average; otherwise the fixed ratio. */
  dialLevel: { final: number; mean: number };
  eventsProcessed: number;
}
