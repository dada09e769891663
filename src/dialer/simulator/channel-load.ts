import type { DialerConfig } from "../config.ts";
import { erlangB } from "./closed-forms/erlang-b.ts";
import { BUSY_SECONDS, openLoopDialRate } from "./des/params.ts";

/**
 * Channel (trunk) load of a dialer config by Little's law, without simulating:
 * busy channels = dial rate × mean channel holding time, and the chance a dial finds every
 * trunk busy by Erlang B (trunks are a loss system). The dial rate is the config's open-loop
 * rate (dialRatio dials per available agent per handling time), an upper bound on what the
 * predictive pacer sends when agents are free.
 */
export interface ChannelLoad {
  dialsPerSecond: number;
  /** Mean seconds one dial holds a channel, over all outcomes (live calls until talk ends). */
  holdingSeconds: number;
  meanBusyChannels: number;
  /** Erlang B with carrier.trunks servers: P(a dial finds no free trunk). */
  trunkBlocking: number;
  trunks: number;
}

export function channelLoad(config: DialerConfig): ChannelLoad {
  const t = config.traffic;
  const busyRate = Math.max(0, 1 - t.liveAnswerRate - t.machineRate - t.noAnswerRate);
  const answered = t.ringSeconds + t.greetingSeconds;
  const holdingSeconds =
    t.liveAnswerRate * (answered + t.talkSeconds) +
    t.machineRate * answered +
    t.noAnswerRate * t.noAnswerTimeoutSeconds +
    busyRate * BUSY_SECONDS;
  const dialsPerSecond = openLoopDialRate(config);
  const meanBusyChannels = dialsPerSecond * holdingSeconds;
  return {
    dialsPerSecond,
    holdingSeconds,
    meanBusyChannels,
    trunkBlocking: erlangB(config.carrier.trunks, meanBusyChannels),
    trunks: config.carrier.trunks,
  };
}
