import { type DialerConfig, MAX_ABANDONMENT_RATE } from "../config.ts";
import { channelLoad, predictAbandonment } from "../simulator/index.ts";

/**
 * The checks `cxo dialer validate` runs on the user's machine, before asking CXone (pure; the
 * simulator runs in-process). A violation breaks the law or cannot work as configured; a
 * warning is worth a look but safe.
 */
export interface Finding {
  /** Dotted field of the config file the finding is about. */
  field: string;
  /** Stable code, e.g. TCPA_ABANDONMENT_LIMIT. */
  rule: string;
  message: string;
  /** The value the rule judged (a config value or a computed figure). */
  value: number | string | null;
  source: "local" | "server";
}

/** The local checks' findings (violations, warnings) and the simulated figures they judged. */
export interface LocalCheckResult {
  violations: Finding[];
  warnings: Finding[];
  figures: {
    dialsPerSecond: number;
    meanBusyChannels: number;
    trunkBlocking: number;
    linesWanted: number;
    predictedAbandonment: { rate: number; ci95: { low: number; high: number } };
  };
}

/** A dial that finds every trunk busy fails outright; above this share the config cannot work. */
export const MAX_TRUNK_BLOCKING = 0.01;

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export function localChecks(config: DialerConfig, options: { seed?: number } = {}): LocalCheckResult {
  const violations: Finding[] = [];
  const warnings: Finding[] = [];
  const local = (field: string, rule: string, message: string, value: Finding["value"]): Finding => ({
    field,
    rule,
    message,
    value,
    source: "local",
  });
  const { concurrency, algorithm, carrier } = config;

  if (algorithm.abandonmentTarget > MAX_ABANDONMENT_RATE) {
    violations.push(
      local(
        "algorithm.abandonmentTarget",
        "TCPA_ABANDONMENT_LIMIT",
        `abandonment target ${algorithm.abandonmentTarget} is above the legal ${MAX_ABANDONMENT_RATE} (TCPA 3% of answered calls)`,
        algorithm.abandonmentTarget,
      ),
    );
  }

  // Trunks: the channels the pacing keeps busy, measured by the simulator (the same run as
  // `cxo dialer simulate`, trunks out of the way), then Erlang B with the carrier's trunks.
  const load = channelLoad(config, { seed: options.seed ?? 1 });
  if (load.trunkBlocking > MAX_TRUNK_BLOCKING) {
    violations.push(
      local(
        "carrier.trunks",
        "TRUNK_BLOCKING",
        `${carrier.trunks} trunks for ~${load.meanBusyChannels.toFixed(1)} busy channels (simulated: ${load.dialsPerSecond.toFixed(2)} dials/s × ${load.holdingSeconds.toFixed(1)} s held)${load.meanBusyChannels >= 0.98 * carrier.trunks ? ": the trunk group is saturated (every trunk busy nearly all the time)" : ""}; ${pct(load.trunkBlocking)} of dials would find no free trunk (Erlang B; at most ${pct(MAX_TRUNK_BLOCKING)}): add trunks or lower dialRatio`,
        load.trunkBlocking,
      ),
    );
  }
  if (concurrency.maxSimultaneousCalls > carrier.trunks) {
    warnings.push(
      local(
        "concurrency.maxSimultaneousCalls",
        "CONCURRENCY_ABOVE_TRUNKS",
        `maxSimultaneousCalls ${concurrency.maxSimultaneousCalls} exceeds the carrier's ${carrier.trunks} trunks: calls above that are blocked`,
        concurrency.maxSimultaneousCalls,
      ),
    );
  }

  // Consistency: the lines the pacer wants (available agents × dial ratio) vs the call cap.
  const linesWanted = concurrency.maxAgents * algorithm.agentAvailabilityEstimate * algorithm.dialRatio;
  if (linesWanted > concurrency.maxSimultaneousCalls) {
    warnings.push(
      local(
        "concurrency.maxSimultaneousCalls",
        "CONCURRENCY_CAP",
        `maxAgents × agentAvailabilityEstimate × dialRatio = ${linesWanted.toFixed(1)} lines wanted, above maxSimultaneousCalls ${concurrency.maxSimultaneousCalls}: pacing will be capped`,
        linesWanted,
      ),
    );
  }

  // The simulator's abandonment, judged by its upper 95% bound (the point estimate understates risk).
  const prediction = predictAbandonment(config, { seed: options.seed ?? 1 });
  const high = prediction.ci95.high;
  if (high > MAX_ABANDONMENT_RATE) {
    violations.push(
      local(
        "algorithm.dialRatio",
        "PREDICTED_ABANDONMENT_OVER_LIMIT",
        `simulated abandonment ${pct(prediction.rate)} (95% CI up to ${pct(high)}) can exceed the legal ${pct(MAX_ABANDONMENT_RATE)}: lower dialRatio or add agents`,
        high,
      ),
    );
  } else if (high > algorithm.abandonmentTarget) {
    warnings.push(
      local(
        "algorithm.abandonmentTarget",
        "PREDICTED_ABANDONMENT_OVER_TARGET",
        `simulated abandonment 95% CI up to ${pct(high)} is above the target ${pct(algorithm.abandonmentTarget)} (still within the legal limit)`,
        high,
      ),
    );
  }

  return {
    violations,
    warnings,
    figures: {
      dialsPerSecond: load.dialsPerSecond,
      meanBusyChannels: load.meanBusyChannels,
      trunkBlocking: load.trunkBlocking,
      linesWanted,
      predictedAbandonment: { rate: prediction.rate, ci95: prediction.ci95 },
    },
  };
}
