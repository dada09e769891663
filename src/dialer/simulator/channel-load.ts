import type { DialerConfig } from "../config.ts";
import { erlangB } from "./closed-forms/erlang-b.ts";
import { simulate } from "./des/engine.ts";
import { paramsFromConfig } from "./des/params.ts";
import { DEFAULT_PREDICTION_HOURS } from "./predict.ts";

/**
 * Channel (trunk) load of a dialer config, as the simulator measures it: the config's own
 * pacing (a predictive pacer re-dials as soon as non-live attempts end, so it dials well above
 * the open-loop "ratio × agents / handling time" a formula would assume) with the trunks taken
 * out of the way (only maxSimultaneousCalls caps it). That run's mean busy channels is the load
 * offered to the trunk group; Erlang B with `carrier.trunks` servers then says how often a dial
 * would find them all busy. The same run, with the trunks in place, is what `cxo dialer
 * simulate` shows: with 50 trunks for ~55 channels of demand it holds 50 of 50 the whole time.
 */
export interface ChannelLoad {
  dialsPerSecond: number;
  /** Mean seconds one dial holds a channel, over all outcomes (live calls until talk ends). */
  holdingSeconds: number;
  /** Mean channels the pacing wants busy (offered load, in Erlangs). */
  meanBusyChannels: number;
  peakBusyChannels: number;
  /** Erlang B with carrier.trunks servers at that load: P(a dial finds no free trunk). */
  trunkBlocking: number;
  trunks: number;
}

export function channelLoad(
  config: DialerConfig,
  options: { seed?: number; hours?: number } = {},
): ChannelLoad {
  const params = paramsFromConfig(config, {
    hours: options.hours ?? DEFAULT_PREDICTION_HOURS,
    seed: options.seed ?? 1,
  });
  const demand = simulate({ ...params, channelLimit: config.concurrency.maxSimultaneousCalls });
  return {
    dialsPerSecond: demand.perHour.dials / 3600,
    holdingSeconds: demand.meanHoldingSeconds,
    meanBusyChannels: demand.meanChannels,
    peakBusyChannels: demand.peakChannels,
    trunkBlocking: erlangB(config.carrier.trunks, demand.meanChannels),
    trunks: config.carrier.trunks,
  };
}
