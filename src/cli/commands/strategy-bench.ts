import type { Command } from "commander";
import { z } from "zod";
import { InputError } from "../../core/input-error.ts";
import { loadInputFile } from "../../core/input-file.ts";
import { checkWriteTarget, HTML_REPORT, writeFileSafely } from "../../core/safe-write.ts";
import type { StrategyBenchReport } from "../../strategy/bench.ts";
import type { StrategyEvaluation } from "../../strategy/evaluate.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
import { flagProblems, seedFlag, wholeNumberFlag } from "./number-flags.ts";

/**
 * `cxo strategy bench` and `cxo strategy evaluate` (issue 55 §4): local and pure, nothing is
 * sent to CXone. Bad flags or files exit 2 naming the field.
 */
const benchFlags = z.object({
  population: z.string({ message: "is required" }).min(1, "is required"),
  replications: wholeNumberFlag(1, 200).optional(),
  seed: seedFlag.optional(),
  out: z
    .string()
    .regex(/\.html?$/i, "must be an .html file")
    .optional(),
});

const evaluateFlags = z.object({
  model: z.string({ message: "is required" }).min(1, "is required"),
  history: z.string({ message: "is required" }).min(1, "is required"),
  holdoutDays: wholeNumberFlag(1, 365, "days").optional(),
});

const FLAG_NAMES: Record<string, string> = {
  population: "--population",
  replications: "--replications",
  seed: "--seed",
  out: "--out",
  model: "--model",
  history: "--history",
  holdoutDays: "--holdout-days",
};

export function registerStrategyBenchCommands(strategy: Command): void {
  strategy
    .command("bench")
    .description(
      "compare hour-agnostic retry, NICE's 27/29/31-hour rests, the learned strategy and an oracle on a synthetic population (equal capacity and attempts)",
    )
    .option("--population <file>", "population file (.yaml/.json; format in docs/strategy.md)")
    .option("--replications <n>", "replications, each a fresh list drawn from the population (default 10)")
    .option("--seed <n>", "first replication's seed (default 1)")
    .option("--out <file.html>", "write the HTML report (heat maps, capacity, rules, goals)")
    .option("--force", "replace --out even if it is not a report cxo wrote")
    .action(
      withContext(async (ctx, options: Record<string, string | boolean | undefined>) => {
        const { force, ...rest } = options;
        const parsed = benchFlags.safeParse(rest);
        if (!parsed.success) throw new InputError(flagProblems(parsed.error, FLAG_NAMES));
        const flags = parsed.data;
        // Before the run: a refusal costs nothing and writes nothing.
        const target = flags.out
          ? { field: "--out", kind: HTML_REPORT, force: force === true, forceName: "--force" }
          : undefined;
        if (flags.out && target) checkWriteTarget(flags.out, target);
        const params = {
          populationFile: flags.population,
          ...(flags.replications !== undefined ? { replications: flags.replications } : {}),
          ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
        };
        const report = await ctx.withClient(
          (client) => withFlagNames({ populationFile: "--population" }, () => client.strategy.bench(params)),
          { offline: true },
        );
        const { benchReportHtml } = await import("../../strategy/report-html.ts");
        if (flags.out && target) writeFileSafely(flags.out, benchReportHtml(report), target);
        ctx.print(benchJson(report), () => humanBench(report));
      }),
    );

  strategy
    .command("evaluate")
    .description("estimate offline, on your own held-out days, the lift the strategy would bring")
    .option("--model <model.json>", "model file written by `cxo strategy learn`")
    .option("--history <file>", "outcomes export (`cxo outcomes export`: NDJSON, CSV or Parquet)")
    .option("--holdout-days <n>", "days at the end of the history to evaluate on (default 14)")
    .option("--map <file>", "disposition map (the one learn was given; default: the outcomes' default map)")
    .option(
      "--allow-overlap",
      "evaluate a model that learned from the held-out days anyway (the headline then says the figure is optimistic)",
    )
    .action(
      withContext(async (ctx, options: Record<string, string | undefined>) => {
        const { map: mapFile, allowOverlap, ...rest } = options;
        const parsed = evaluateFlags.safeParse(rest);
        if (!parsed.success) throw new InputError(flagProblems(parsed.error, FLAG_NAMES));
        const flags = parsed.data;
        const [{ modelSchema }, { assertReadableFile }, { loadDispositionMap }] = await Promise.all([
          import("../../strategy/model-format.ts"),
          import("../../core/input-file.ts"),
          import("../../outcomes/disposition-map.ts"),
        ]);
        const model = loadInputFile(flags.model, modelSchema, "--model");
        assertReadableFile(flags.history, "--history");
        const dispositionMap = mapFile === undefined ? undefined : loadDispositionMap(mapFile);
        const params = {
          holdoutDays: flags.holdoutDays ?? 14,
          allowOverlap: allowOverlap !== undefined,
          ...(dispositionMap ? { dispositionMap } : {}),
        };
        const result = await ctx
          .withClient((client) => client.strategy.evaluate({ file: flags.history }, model, params), {
            offline: true,
          })
          .catch((error: unknown): never => {
            // The history's problems name the flag the user typed, the overlap's the flag that allows it.
            if (error instanceof InputError)
              throw new InputError(
                error.problems.map((p) =>
                  p.field === "history"
                    ? { ...p, field: "--history" }
                    : { ...p, rule: p.rule.replace("(allowOverlap)", "(--allow-overlap)") },
                ),
              );
            throw error;
          });
        ctx.print(result, () => humanEvaluation(result));
      }),
    );
}

/** The `--json` document of the bench (fields documented in docs/strategy.md). */
export function benchJson(report: StrategyBenchReport) {
  const { heat: _heat, perHour: _perHour, ...rest } = report;
  return rest;
}

export function humanBench(report: StrategyBenchReport): string {
  const ci = (e: { mean: number; ci95: [number, number] }, f: (x: number) => string) =>
    `${f(e.mean)} (${f(e.ci95[0])}–${f(e.ci95[1])})`;
  const lines = [
    `${report.population}: ${report.listSize} records, ${report.horizonDays} days, ${report.replications} replication(s), seed ${report.seed}, ${report.wallSeconds.toFixed(1)} s`,
    `strategy                          attempts  RPC/1000 attempts (95% CI)   vs hour-agnostic       reached   days to 1st RPC  violations`,
  ];
  for (const s of report.strategies)
    lines.push(
      `${s.name.padEnd(32)} ${Math.round(s.attempts).toString().padStart(9)}  ${ci(s.rpcPer1000, (x) => x.toFixed(1)).padEnd(27)} ${ci(s.ratio, (x) => `${x.toFixed(2)}×`).padEnd(22)} ${`${(s.reachedShare.mean * 100).toFixed(1)}%`.padStart(7)}   ${(s.hoursToFirstRpc === null ? "—" : (s.hoursToFirstRpc / 24).toFixed(1)).padStart(15)}  ${String(s.violations).padStart(10)}`,
    );
  if (report.curve.length > 0)
    lines.push(
      `lift against the column's accuracy: ${report.curve.map((p) => `${(p.accuracy * 100).toFixed(0)}% → ${p.learned.mean.toFixed(2)}× (oracle ${p.oracle.mean.toFixed(2)}×)`).join(", ")}`,
    );
  for (const g of report.goals)
    lines.push(`${g.met ? "met    " : "NOT met"}  ${g.name}: ${g.value.toFixed(3)} (target ${g.target})`);
  return lines.join("\n");
}

export function humanEvaluation(result: StrategyEvaluation): string {
  return [
    `campaign ${result.campaign}, held out ${result.holdout.from} to ${result.holdout.to}: ${result.attempts} attempts, ${result.rpcs} RPCs`,
    `as logged: ${result.loggedRpcPer1000.toFixed(1)} RPCs per 1,000 attempts; in the strategy's hours: ${result.strategyRpcPer1000.toFixed(1)} (${result.replayedAttempts} attempts replayed)`,
    `lift ${result.lift.toFixed(2)}× (95% interval ${result.ci95[0].toFixed(2)}–${result.ci95[1].toFixed(2)})`,
    result.verdict,
    ...result.notes.map((n) => `note: ${n}`),
  ].join("\n");
}
