import type { Command } from "commander";
import { z } from "zod";
import { InputError } from "../../core/input-error.ts";
import { HTML_REPORT } from "../../core/safe-write.ts";
import type { BenchReport } from "../../dialer/simulator/pacing-bench/bench.ts";
import { BENCH_CONTROLLERS } from "../../dialer/simulator/pacing-bench/controllers.ts";
import { PACING_BENCH_RANGES } from "../../sdk/dialer-jobs.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
import { checkOutFile, writeOutFile } from "../output-target.ts";
import { flagProblems, seedFlag, wholeNumberFlag } from "./number-flags.ts";

/**
 * `cxo dialer pacing bench`: every pacing controller on one scenario file with common random
 * numbers, the baselines grid-tuned on other seeds; a table, `--json` (the contract in
 * docs/pacing.md) and `--out report.html`. Local and pure: nothing is sent to CXone. Exit 2
 * for a bad scenario file or flag, naming the field. Every `cxo dialer …` command registers this
 * one, so the controllers, the scenario reader, the bench and its report are imported when it runs.
 */
const R = PACING_BENCH_RANGES;
const flagsSchema = z.object({
  scenario: z.string({ message: "is required" }).min(1, "is required"),
  replications: wholeNumberFlag(R.replications.min, R.replications.max).optional(),
  seed: seedFlag.optional(),
  workers: wholeNumberFlag(R.workers.min, R.workers.max).optional(),
  tuneDays: wholeNumberFlag(R.tuneDays.min, R.tuneDays.max).optional(),
  controllers: z.string().optional(),
  out: z.string().optional(),
});

const FLAG_NAMES: Record<string, string> = {
  scenario: "--scenario",
  replications: "--replications",
  seed: "--seed",
  workers: "--workers",
  tuneDays: "--tune-days",
  controllers: "--controllers",
  out: "--out",
};

export function registerDialerPacingCommands(dialer: Command): void {
  const pacing = dialer
    .command("pacing")
    .description("predictive pacing controllers: benchmark them on a scenario");
  pacing
    .command("bench")
    .description(
      "run every pacing controller on a scenario file (common random numbers, baselines grid-tuned)",
    )
    .option("--scenario <file>", "scenario file (.yaml/.json; schema in docs/pacing.md)")
    .option("--controllers <list>", `comma-separated (default: ${BENCH_CONTROLLERS.join(",")})`)
    .option("--replications <n>", "replications reported, each the scenario's days (default 10)")
    .option("--seed <n>", "first replication's seed (default 1); tuning uses other seeds")
    .option("--workers <n>", "worker threads (default: one per core, at most 4; 0 runs inline)")
    .option("--tune-days <n>", "days each baseline tuning is judged on (default 90)")
    .option("--out <file>", "write the HTML report (uPlot charts) to this file")
    .option("--force", "with --out: replace a file there that is not a report cxo wrote")
    .action(
      withContext(async (ctx, options: Record<string, string | undefined>) => {
        const parsed = flagsSchema.safeParse(options);
        if (!parsed.success) throw new InputError(flagProblems(parsed.error, FLAG_NAMES));
        const flags = parsed.data;
        const force = options.force !== undefined;
        // The report's file is checked before the (long) bench runs.
        if (flags.out) checkOutFile(flags.out, "--out", HTML_REPORT, force);
        const controllers = flags.controllers
          ?.split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
        // The client's dialer.pacingBench: local, nothing sent; Ctrl-C stops it between jobs.
        const interrupt = ctx.interrupt("stopping the bench");
        const report = await withFlagNames(FLAG_NAMES, () =>
          ctx.withClient(
            (client) =>
              client.dialer.pacingBench(
                {
                  scenario: flags.scenario,
                  ...(controllers ? { controllers } : {}),
                  ...(flags.replications !== undefined ? { replications: flags.replications } : {}),
                  ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
                  ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
                  ...(flags.tuneDays !== undefined ? { tuneDays: flags.tuneDays } : {}),
                },
                { signal: interrupt.signal },
              ),
            { offline: true },
          ),
        ).finally(() => interrupt.dispose());
        const { benchHtml } = await import("../../dialer/simulator/pacing-bench/report-html.ts");
        if (flags.out) writeOutFile(flags.out, benchHtml(report), "--out", HTML_REPORT, force);
        ctx.print(jsonOf(report), () => humanBench(report));
      }),
    );
}

/** The `--json` document: the contract's fields first, then extras. */
export function jsonOf(report: BenchReport) {
  return {
    scenario: report.scenario,
    replications: report.replications,
    days: report.days,
    controllers: report.controllers.map((c) => ({
      name: c.name,
      tuning: c.tuning,
      connectsPerAgentHour: c.connectsPerAgentHour,
      occupancy: c.occupancy,
      predictiveGain: c.predictiveGain,
      idleBetweenCalls: c.idleBetweenCalls,
      abandonment: c.abandonment,
      meetsTarget: c.meetsTarget,
      rules: c.rules ?? null,
      matched: c.matched ?? null,
      noiseFloor: c.noiseFloor ?? null,
    })),
    ceiling: report.ceiling,
    seed: report.seed,
    front: report.front,
    frontier: report.frontier,
    tuneDays: report.tuneDays,
    wallSeconds: report.wallSeconds,
  };
}

export function humanBench(report: BenchReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const lines = [
    `${report.scenario}: ${report.replications} replication(s) × ${report.days} day(s), seed ${report.seed}, ${report.wallSeconds.toFixed(1)} s`,
    "controller             conn/agent-h  occupancy  abandonment  days over  worst window  worst 30 min  cxo at matched abandonment",
  ];
  for (const c of report.controllers)
    lines.push(
      `${c.name.padEnd(22)} ${c.connectsPerAgentHour.toFixed(2).padStart(12)}  ${pct(c.occupancy).padStart(9)}  ${pct(
        c.abandonment.mean,
      ).padStart(
        11,
      )}  ${pct(c.abandonment.shareOfDaysOver).padStart(9)}  ${pct(c.abandonment.worstWindow).padStart(12)}  ${pct(
        c.abandonment.worst30Min,
      ).padStart(12)}  ${
        c.matched
          ? c.matched.ratio === null
            ? `— (${pct(c.matched.abandonment)} is below cxo's frontier)`
            : `${c.matched.ratio.toFixed(3)}× at ${pct(c.matched.abandonment)} (${c.matched.replications} rep.)`
          : ""
      }`,
    );
  lines.push(`ceiling                ${report.ceiling.connectsPerAgentHour.toFixed(2).padStart(12)}`);
  return lines.join("\n");
}
