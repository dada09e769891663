/**
 * The capacity simulator behind `POST /api/v1/dialer/simulator/run` (seed 003): a closed-form
 * queueing estimate (Erlang C with the "2-second rule" for abandonment), deterministic for
 * given inputs. It only has to be plausible and consistent: the client's own simulator
 * (reference/queueing.md) is the precise one.
 */
export interface SimulationInput {
  durationMinutes: number;
  maxAgents: number;
  maxSimultaneousCalls: number;
  dialRatio: number;
  availability: number;
  abandonmentTarget: number;
  simulatedCallVolume: number | null;
  carrierMaxConcurrent: number | null;
  averageHandleTimeSec: number;
  answerRate: number;
}

export interface SimulationResult {
  predictedAbandonmentRate: number;
  agentUtilization: number;
  averageWaitSeconds: number;
  callsPerHour: number;
  peakConcurrentCalls: number;
  carrierUtilization: number | null;
  warnings: string[];
}

/** Erlang C: probability that a call waits, for `agents` servers and `load` Erlangs. */
export function erlangC(agents: number, load: number): number {
  if (agents <= 0) return 1;
  if (load >= agents) return 1;
  // Erlang B by recursion (stable), then C from B.
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (load * b) / (k + load * b);
  return b / (1 - (load / agents) * (1 - b));
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

export function simulate(input: SimulationInput): SimulationResult {
  const agents = Math.max(1, Math.round(input.maxAgents * input.availability));
  const ringSeconds = 25;
  const attemptSeconds = input.answerRate * input.averageHandleTimeSec + (1 - input.answerRate) * ringSeconds;
  // The dialer paces dial_ratio lines per available agent; the volume (if given) caps it.
  const pacedPerHour = (agents * input.dialRatio * 3600) / attemptSeconds;
  const volumePerHour =
    input.simulatedCallVolume === null
      ? Number.POSITIVE_INFINITY
      : (input.simulatedCallVolume * 60) / input.durationMinutes;
  const lineCap = Math.min(
    input.maxSimultaneousCalls,
    input.carrierMaxConcurrent ?? Number.POSITIVE_INFINITY,
  );
  const linePerHour = (lineCap * 3600) / attemptSeconds;
  const callsPerHour = Math.min(pacedPerHour, volumePerHour, linePerHour);
  const load = (callsPerHour * input.answerRate * input.averageHandleTimeSec) / 3600;
  let abandonment: number;
  let wait: number;
  if (load >= agents) {
    abandonment = 1 - agents / load;
    wait = input.averageHandleTimeSec;
  } else {
    const pWait = erlangC(agents, load);
    abandonment = pWait * Math.exp((-(agents - load) * 2) / input.averageHandleTimeSec);
    wait = (pWait * input.averageHandleTimeSec) / (agents - load);
  }
  const peak = Math.min(lineCap, Math.ceil(((callsPerHour * attemptSeconds) / 3600) * 1.25));
  const warnings: string[] = [];
  if (abandonment > input.abandonmentTarget) {
    warnings.push(
      `predicted abandonment ${round(abandonment)} exceeds the target ${input.abandonmentTarget}`,
    );
  }
  if (input.carrierMaxConcurrent !== null && input.maxSimultaneousCalls > input.carrierMaxConcurrent) {
    warnings.push(
      `max_simultaneous_calls ${input.maxSimultaneousCalls} exceeds the carrier limit ${input.carrierMaxConcurrent}`,
    );
  }
  if (load / agents > 0.95) warnings.push("agents are saturated (utilization above 95%)");
  return {
    predictedAbandonmentRate: round(Math.max(0, abandonment)),
    agentUtilization: round(Math.min(1, load / agents)),
    averageWaitSeconds: round(wait, 2),
    callsPerHour: Math.round(callsPerHour),
    peakConcurrentCalls: peak,
    carrierUtilization: input.carrierMaxConcurrent === null ? null : round(peak / input.carrierMaxConcurrent),
    warnings,
  };
}
