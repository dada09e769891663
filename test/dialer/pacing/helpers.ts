import { emptyCounts, type PacingObservation } from "../../../src/dialer/pacing/index.ts";

/** An observation with every field set; override what a test needs. */
export function observation(over: Partial<PacingObservation> = {}): PacingObservation {
  return {
    now: 0,
    secondOfDay: 9 * 3600,
    elapsed: 1,
    day: 0,
    agentsLoggedIn: 10,
    agentsReady: 10,
    agentsTalking: 0,
    agentsWrapping: 0,
    callsRinging: 0,
    callsWaiting: 0,
    callsConnected: 0,
    busyElapsed: [],
    counts: emptyCounts(),
    ...over,
  };
}
