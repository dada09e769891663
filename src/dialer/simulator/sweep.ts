import type { DialerConfig } from "../config.ts";
import { simulate, simulateUntilAborted } from "./des/engine.ts";
import { paramsFromConfig, type SimulationMode } from "./des/params.ts";
import type { SimulationResult } from "./des/result.ts";
import { withinTarget } from "./verdict.ts";

/**
 * A dial-ratio sweep: one simulation per ratio, same seed for every point (common random
 * numbers, so neighbouring points differ by the ratio, not by luck), and the recommendation a
 * planner needs: the largest ratio whose abandonment CI upper bound stays at or under the
 * target — and every smaller ratio does too, so one lucky point cannot recommend itself.
 */
export interface SweepRange {
  from: number;
  to: number;
  step: number;
}

export interface SweepPoint {
  dialRatio: number;
  abandonment: number;
  ci95Low: number;
  ci95High: number;
  occupancy: number;
  connectsPerHour: number;
  peakChannels: number;
}

export interface SweepResult {
  parameter: "dialRatio";
  mode: SimulationMode;
  hours: number;
  seed: number;
  target: number;
  points: SweepPoint[];
  /** null when even the smallest ratio's CI upper bound is above the target. */
  recommendedMaxRatio: number | null;
}

export const MAX_SWEEP_POINTS = 200;

export function sweepValues(range: SweepRange): number[] {
  const count = Math.floor((range.to - range.from) / range.step + 1e-9) + 1;
  // Rounded to the step's decimals so 1 + 0.1·k prints as 1.3, not 1.2999999999999998.
  const decimals = Math.min(10, Math.max(0, -Math.floor(Math.log10(range.step)) + 2));
  return Array.from({ length: count }, (_, k) => Number((range.from + k * range.step).toFixed(decimals)));
}

/**
 * What a sweep's range breaks, as a rule (dial ratios from 1 to 20, TO at least FROM, STEP above
 * 0, at most MAX_SWEEP_POINTS points); undefined when it can be swept.
 */
export function sweepRangeRule(range: SweepRange): string | undefined {
  const { from, to, step } = range;
  if (from < 1 || to > 20) return "dial ratios must be from 1 to 20";
  if (to < from) return "TO must be at least FROM";
  if (!(step > 0)) return "STEP must be above 0";
  const count = sweepValues({ from, to, step }).length;
  if (count > MAX_SWEEP_POINTS) return `at most ${MAX_SWEEP_POINTS} points (this range has ${count})`;
  return undefined;
}

export interface SweepOptions {
  mode: SimulationMode;
  hours: number;
  seed: number;
  onPoint?: (done: number, total: number) => void;
}

export function sweepDialRatio(config: DialerConfig, range: SweepRange, options: SweepOptions): SweepResult {
  const values = sweepValues(range);
  const points = values.map((dialRatio, index) => {
    const r = simulate(paramsFromConfig(config, { ...runOf(options), dialRatio }));
    options.onPoint?.(index + 1, values.length);
    return pointOf(dialRatio, r);
  });
  return sweepOf(config, options, points);
}

/** The same sweep run in slices: at `signal`'s abort it rejects with the signal's reason. */
export async function sweepDialRatioUntilAborted(
  config: DialerConfig,
  range: SweepRange,
  options: SweepOptions,
  signal: AbortSignal | undefined,
): Promise<SweepResult> {
  const values = sweepValues(range);
  const points: SweepPoint[] = [];
  for (const [index, dialRatio] of values.entries()) {
    const r = await simulateUntilAborted(paramsFromConfig(config, { ...runOf(options), dialRatio }), signal);
    options.onPoint?.(index + 1, values.length);
    points.push(pointOf(dialRatio, r));
  }
  return sweepOf(config, options, points);
}

const runOf = (options: SweepOptions) => ({ mode: options.mode, hours: options.hours, seed: options.seed });

function pointOf(dialRatio: number, r: SimulationResult): SweepPoint {
  return {
    dialRatio,
    abandonment: r.abandonment.rate,
    ci95Low: r.abandonment.ci95.low,
    ci95High: r.abandonment.ci95.high,
    occupancy: r.occupancy,
    connectsPerHour: r.perHour.connects,
    peakChannels: r.peakChannels,
  };
}

function sweepOf(config: DialerConfig, options: SweepOptions, points: SweepPoint[]): SweepResult {
  const target = config.algorithm.abandonmentTarget;
  let recommendedMaxRatio: number | null = null;
  for (const point of points) {
    if (!withinTarget(point.ci95High, target)) break;
    recommendedMaxRatio = point.dialRatio;
  }
  return {
    parameter: "dialRatio",
    mode: options.mode,
    hours: options.hours,
    seed: options.seed,
    target,
    points,
    recommendedMaxRatio,
  };
}
