import type { DialerConfig } from "../config.ts";
import { simulate } from "./des/engine.ts";
import { paramsFromConfig } from "./des/params.ts";

/**
 * The planner-facing prediction for a dialer config: simulate it in its own mode
 * (algorithm.type + dialRatio) and report abandonment with its 95% CI. Compare `ci95.high`
 * with the legal limit: the point estimate alone understates the risk.
 */
/** Simulated hours behind a prediction: enough answers for a useful CI, tens of ms of CPU. */
export const DEFAULT_PREDICTION_HOURS = 8;

export interface AbandonmentPrediction {
  rate: number;
  ci95: { low: number; high: number };
  occupancy: number;
  peakChannels: number;
  /** Live answers simulated (the sample behind the rate). */
  answered: number;
}

export function predictAbandonment(
  config: DialerConfig,
  options: { hours?: number; seed?: number } = {},
): AbandonmentPrediction {
  const result = simulate(
    paramsFromConfig(config, { hours: options.hours ?? DEFAULT_PREDICTION_HOURS, seed: options.seed ?? 1 }),
  );
  return {
    rate: result.abandonment.rate,
    ci95: result.abandonment.ci95,
    occupancy: result.occupancy,
    peakChannels: result.peakChannels,
    answered: result.answered,
  };
}
