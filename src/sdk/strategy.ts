import { InputError } from "../core/input-error.ts";
import type { StrategyBenchReport } from "../strategy/bench.ts";
import type { StrategyEvaluateOptions, StrategyEvaluation } from "../strategy/evaluate.ts";
import type { Model } from "../strategy/model-format.ts";
import type { OutcomeRecord } from "../strategy/types.ts";
import { type RequestOptions, requestSignal } from "./runtime.ts";

// The bench and the evaluation (the compliance engine, luxon's zones) load at first use.

export interface StrategyBenchParams {
  /** A population file, .yaml/.yml/.json. */
  populationFile: string;
  /** Replications (default 10) and the first one's seed (default 1). */
  replications?: number;
  seed?: number;
}

/** The contact strategy (issue 55): local work on files and records; nothing is sent to CXone. */
export interface StrategyGroup {
  /**
   * The offline lift of the strategy on the last `holdoutDays` days of a history (outcome
   * records, e.g. read from `cxo outcomes export` NDJSON), with its 95% interval and a verdict
   * sentence. Bad input is an InputError naming the field (`holdoutDays`, `history`).
   */
  evaluate(
    history: AsyncIterable<OutcomeRecord> | Iterable<OutcomeRecord>,
    model: Model,
    params: StrategyEvaluateOptions,
    options?: RequestOptions,
  ): Promise<StrategyEvaluation>;
  /**
   * The benchmark on a population file (format in docs/strategy.md): the strategies side by
   * side at equal capacity and attempts. A bad file is an InputError naming the field.
   */
  bench(params: StrategyBenchParams, options?: RequestOptions): Promise<StrategyBenchReport>;
}

export function strategyGroup(): StrategyGroup {
  return {
    async evaluate(history, model, params, options) {
      requestSignal(options)?.throwIfAborted();
      const { evaluate } = await import("../strategy/evaluate.ts");
      return evaluate(history, model, params);
    },
    async bench(params, options) {
      requestSignal(options)?.throwIfAborted();
      if (typeof params?.populationFile !== "string" || params.populationFile === "")
        throw new InputError({ field: "populationFile", rule: "is required: the path of a population file" });
      const [{ runStrategyBench }, { loadPopulationFile }] = await Promise.all([
        import("../strategy/bench.ts"),
        import("../strategy/population.ts"),
      ]);
      const population = loadPopulationFile(params.populationFile, "populationFile");
      return runStrategyBench({
        population,
        ...(params.replications !== undefined ? { replications: params.replications } : {}),
        ...(params.seed !== undefined ? { seed: params.seed } : {}),
      });
    },
  };
}
