/**
 * Progressive dialing (one call per idle agent), exact for any distributions by renewal: an
 * agent's cycle is the expected non-live attempts before a live one, the live attempt's ring +
 * greeting, then the handling time. Nothing is ever abandoned: an agent waits on every call.
 */
export interface ProgressiveInput {
  /** P(live answer) per attempt, in (0, 1]. */
  answerRate: number;
  /** Mean duration of a non-live attempt (no answer, busy, machine), seconds. */
  nonLiveSeconds: number;
  /** Mean ring + greeting of a live attempt before the agent is connected, seconds. */
  liveSeconds: number;
  /** Average handling time (talk + wrap), seconds. */
  ahtSeconds: number;
}

export interface ProgressiveResult {
  cycleSeconds: number;
  connectsPerAgentHour: number;
  dialsPerAgentHour: number;
  occupancy: number;
  pAbandon: 0;
}

export function progressive(input: ProgressiveInput): ProgressiveResult {
  const { answerRate: p, nonLiveSeconds, liveSeconds, ahtSeconds } = input;
  if (!(p > 0 && p <= 1)) throw new RangeError("answerRate must be in (0, 1]");
  const cycleSeconds = ((1 - p) / p) * nonLiveSeconds + liveSeconds + ahtSeconds;
  const connectsPerAgentHour = 3600 / cycleSeconds;
  return {
    cycleSeconds,
    connectsPerAgentHour,
    dialsPerAgentHour: connectsPerAgentHour / p,
    occupancy: ahtSeconds / cycleSeconds,
    pAbandon: 0,
  };
}
