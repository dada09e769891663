import type { SimulationResult } from "./result.ts";
import type { DesRun } from "./run.ts";

/** The figures of a finished run: rates per hour and means over the measured window. */
export function summarise(run: DesRun): SimulationResult {
  const { params, stats } = run;
  const { hours, agents } = params;
  const windowSeconds = stats.seconds;
  const lives = stats.lives;
  const ratio = stats.abandonment();
  return {
    mode: params.mode,
    seed: params.seed,
    hours,
    agents,
    trunks: params.trunks,
    channelLimit: params.channelLimit,
    abandonment: { rate: ratio.value, ci95: { low: ratio.low, high: ratio.high } },
    occupancy: stats.busyIntegral / (agents * windowSeconds),
    asaSeconds: stats.connects > 0 ? stats.servedWaitSum / stats.connects : 0,
    meanWaitAllSeconds: lives > 0 ? stats.waitAllSum / lives : 0,
    pWait: lives > 0 ? stats.queued / lives : 0,
    pWaitOverTau: lives > 0 ? stats.overTau / lives : 0,
    perHour: {
      dials: stats.dials / hours,
      liveAnswers: lives / hours,
      connects: stats.connects / hours,
      abandoned: stats.abandoned / hours,
      machines: stats.machines / hours,
      noAnswers: stats.noAnswers / hours,
      busies: stats.busies / hours,
      blockedDials: stats.blocked / hours,
    },
    answered: lives,
    peakChannels: stats.peakChannels,
    meanChannels: stats.channelIntegral / windowSeconds,
    meanHoldingSeconds: stats.holdingCount > 0 ? stats.holdingSum / stats.holdingCount : 0,
    meanWaitingCalls: stats.waitingIntegral / windowSeconds,
    dialLevel: { final: run.level.value, mean: stats.levelIntegral / windowSeconds },
    eventsProcessed: run.events,
  };
}
