import { erlangA } from "./closed-forms/erlang-a.ts";
import { erlangB } from "./closed-forms/erlang-b.ts";
import { erlangC } from "./closed-forms/erlang-c.ts";
import { impatientQueue, mmnD } from "./closed-forms/impatient-queue.ts";
import { exponentialPatience } from "./closed-forms/patience.ts";
import { progressive } from "./closed-forms/progressive.ts";

/**
 * `cxo dialer erlang`'s answer: one document shape for every model, with null where a model
 * does not define a figure (Erlang B has no wait; Erlang C has no abandonment). Time inputs in
 * the planner's units (per minute, minutes, seconds); every output time in seconds.
 */
export const ERLANG_MODELS = ["b", "c", "a", "mmnd", "progressive"] as const;
/** The queueing model of an Erlang report: `b`, `c`, `a`, `mmnd` or `progressive`. */
export type ErlangModel = (typeof ERLANG_MODELS)[number];

export type ErlangInput =
  | { model: "b"; agents: number; arrivalPerMin: number; ahtMin: number }
  | { model: "c"; agents: number; arrivalPerMin: number; ahtMin: number; slSeconds: number }
  | {
      model: "a";
      agents: number;
      arrivalPerMin: number;
      ahtMin: number;
      patienceMin: number;
      slSeconds: number;
    }
  | {
      model: "mmnd";
      agents: number;
      arrivalPerMin: number;
      ahtMin: number;
      patienceSeconds: number;
      slSeconds: number;
    }
  | {
      model: "progressive";
      agents?: number;
      answerRate: number;
      nonLiveSeconds: number;
      liveSeconds: number;
      ahtSeconds: number;
    };

export interface ErlangReport {
  model: ErlangModel;
  pWait: number | null;
  pAbandon: number | null;
  /** Mean wait of answered calls, seconds. */
  asaSeconds: number | null;
  /** P(reach an agent within slSeconds), abandoned calls counting as misses. */
  serviceLevel: number | null;
  occupancy: number | null;
  /** Offered load a = λ/μ in Erlangs (queueing models). */
  offeredLoad?: number;
  slSeconds?: number;
  /** Mean wait over every arrival, abandoned ones included, seconds (impatient models). */
  meanWaitAllSeconds?: number;
  /** Erlang B on the same agents and load: what "drop at once" would give (impatient models). */
  erlangB?: number;
  cycleSeconds?: number;
  connectsPerAgentHour?: number;
  dialsPerAgentHour?: number;
  connectsPerHour?: number;
}

export function erlangReport(input: ErlangInput): ErlangReport {
  if (input.model === "progressive") {
    const r = progressive(input);
    return {
      model: "progressive",
      pWait: null,
      pAbandon: 0,
      asaSeconds: 0,
      serviceLevel: null,
      occupancy: r.occupancy,
      cycleSeconds: r.cycleSeconds,
      connectsPerAgentHour: r.connectsPerAgentHour,
      dialsPerAgentHour: r.dialsPerAgentHour,
      ...(input.agents !== undefined ? { connectsPerHour: r.connectsPerAgentHour * input.agents } : {}),
    };
  }
  // Work in seconds: λ per second, μ per second.
  const lambda = input.arrivalPerMin / 60;
  const mu = 1 / (input.ahtMin * 60);
  const n = input.agents;
  const offeredLoad = lambda / mu;
  if (input.model === "b") {
    const b = erlangB(n, offeredLoad);
    return {
      model: "b",
      pWait: null,
      pAbandon: b,
      asaSeconds: null,
      serviceLevel: null,
      occupancy: (offeredLoad * (1 - b)) / n,
      offeredLoad,
    };
  }
  if (input.model === "c") {
    const c = erlangC(n, lambda, mu, input.slSeconds);
    return {
      model: "c",
      pWait: c.pWait,
      pAbandon: null,
      asaSeconds: c.asa,
      serviceLevel: c.serviceLevel,
      occupancy: c.occupancy,
      offeredLoad,
      slSeconds: input.slSeconds,
    };
  }
  if (input.model === "a") {
    const theta = 1 / (input.patienceMin * 60);
    const closed = erlangA(n, lambda, mu, theta);
    // Waits and service level from the M/M/n+G integrals with exponential patience.
    const waits = impatientQueue(n, lambda, mu, exponentialPatience(input.patienceMin * 60), input.slSeconds);
    return {
      model: "a",
      pWait: closed.pWait,
      pAbandon: closed.pAbandon,
      asaSeconds: waits.asaServed,
      serviceLevel: waits.serviceLevel,
      occupancy: closed.occupancy,
      offeredLoad,
      slSeconds: input.slSeconds,
      meanWaitAllSeconds: closed.meanWait,
      erlangB: erlangB(n, offeredLoad),
    };
  }
  const d = mmnD(n, lambda, mu, input.patienceSeconds, input.slSeconds);
  return {
    model: "mmnd",
    pWait: d.pWait,
    pAbandon: d.pAbandon,
    asaSeconds: d.asaServed,
    serviceLevel: d.serviceLevel,
    occupancy: d.occupancy,
    offeredLoad,
    slSeconds: input.slSeconds,
    meanWaitAllSeconds: d.meanWaitAll,
    erlangB: erlangB(n, offeredLoad),
  };
}
