import { type Command, Option } from "commander";
import { MAX_ABANDONMENT_RATE } from "../../dialer/config.ts";
// The simulator's modes, not its index: that would load the chart code and the channel load
// model too, for every `cxo dialer …` command (all of them register these). The work is the
// client's (dialer.erlang, simulate, sweep), with no connection: nothing is sent.
import { SIMULATION_MODES } from "../../dialer/simulator/des/params.ts";
import { withContext } from "../context.ts";
import { parseErlangFlags } from "./dialer-erlang-flags.ts";
import { splitConfigFlag } from "./dialer-settings.ts";
import { parseSimulateFlags, type SimulateFlags } from "./dialer-simulate-flags.ts";
import { humanErlang, humanSimulation, humanSweep, writeChart } from "./dialer-simulator-output.ts";

/**
 * `cxo dialer erlang` (queueing closed forms) and `cxo dialer simulate` (the discrete-event
 * simulator, optionally swept over the dial ratio with a chart). Both are local and pure:
 * nothing is sent to CXone, no credentials are needed. Exit 0 with the figures (an answer
 * over target is still an answer), 2 for bad input naming the flag, 1 if a chart cannot be
 * written.
 */
export function registerDialerSimulatorCommands(group: Command): void {
  group
    .command("erlang")
    .description("queueing closed forms: Erlang B, C, A, M/M/n+D (the 2-second rule) and progressive dialing")
    .addOption(new Option("--model <model>", `b | c | a | mmnd | progressive`))
    .option("--agents <n>", "agents (servers)")
    .option("--arrival-per-min <rate>", "live answers (arrivals) per minute")
    .option("--aht-min <minutes>", "average handling time (talk + wrap), minutes")
    .option("--patience-min <minutes>", "model a: mean caller patience, minutes")
    .option("--patience-s <seconds>", "model mmnd: how long an answered call waits for an agent (default 2)")
    .option("--sl-s <seconds>", "service-level threshold, seconds (default 20)")
    .option("--answer-rate <p>", "progressive: P(live answer) per attempt")
    .option("--non-live-s <seconds>", "progressive: mean duration of a non-live attempt")
    .option("--live-s <seconds>", "progressive: mean ring + greeting before a live call reaches the agent")
    .option("--aht-s <seconds>", "progressive: average handling time, seconds")
    .action(
      withContext(async (ctx, options: Record<string, string | undefined>) => {
        const input = parseErlangFlags(options);
        const report = await ctx.withClient((client) => client.dialer.erlang(input), { offline: true });
        ctx.print({ ...report, inputs: input }, () => humanErlang(report));
      }),
    );

  group
    .command("simulate")
    .description(
      "simulate a dialer config (or --agents/--aht-s/--answer-rate/--dial-ratio) locally: abandonment with its 95% CI, occupancy, channels",
    )
    .option("--config <file>", "dialer config (.yaml/.json, the file `cxo dialer validate` reads)")
    .option("--hours <h>", "simulated hours measured after the warm-up (default 8)")
    .option("--seed <n>", "random seed; the same seed gives the same result (default 1)")
    .addOption(
      new Option("--mode <mode>", "dialing policy (default: the config's algorithm.type)").choices(
        SIMULATION_MODES,
      ),
    )
    .option("--agents <n>", "agents taking calls (without --config; overrides concurrency.maxAgents with it)")
    .option("--aht-s <seconds>", "average handling time, talk + wrap, seconds")
    .option("--wrap-s <seconds>", "wrap-up part of the handling time, seconds (default 10)")
    .option("--answer-rate <p>", "P(live answer) per dial")
    .option("--dial-ratio <r>", "lines per available agent (predictive; the maximum level for adaptive)")
    .option("--trunks <n>", "carrier trunks (default without --config: unlimited)")
    .option(
      "--patience-s <seconds>",
      "warm-line timeout: how long an answered call waits for an agent (default 2)",
    )
    .option(
      "--target <rate>",
      `abandonment target, at most ${MAX_ABANDONMENT_RATE} (default ${MAX_ABANDONMENT_RATE})`,
    )
    .option("--dials-per-hour <n>", "open mode: Poisson dial rate (default: dial ratio × agents / AHT)")
    .option("--sweep <range>", "one run per dial ratio, e.g. dial-ratio=1:4:0.1")
    .option("--chart <file>", "with --sweep: write the chart (.svg, or self-contained interactive .html)")
    .option("--force", "with --chart: replace a file there that is not a chart cxo wrote")
    .action(
      withContext(async (_ctx, options: SimulateFlags, command: Command) => {
        // `--config` here is the dialer's file: the client's settings are the cxo config's.
        const { file, ctx } = splitConfigFlag(command);
        const run = parseSimulateFlags(options, file);
        const started = performance.now();
        // Ctrl-C stops the run (the client's simulation runs in slices, so its signal is heard).
        const interrupt = ctx.interrupt("stopping the simulation");
        try {
          if (run.sweep) {
            const range = run.sweep;
            const sweep = await ctx.withClient(
              (client) =>
                client.dialer.sweep(
                  run.config,
                  { dialRatio: range, mode: run.mode, hours: run.hours, seed: run.seed },
                  { signal: interrupt.signal },
                ),
              { offline: true },
            );
            if (run.chart) await writeChart(run.chart, sweep, run.config, run.force);
            const elapsedMs = performance.now() - started;
            ctx.print({ ...sweep, chart: run.chart ?? null, elapsedMs }, () =>
              humanSweep(sweep, run.chart, elapsedMs),
            );
            return;
          }
          const overrides = {
            mode: run.mode,
            hours: run.hours,
            seed: run.seed,
            ...(run.dialsPerSecond !== undefined ? { dialsPerSecond: run.dialsPerSecond } : {}),
          };
          const result = await ctx.withClient(
            (client) => client.dialer.simulate(run.config, overrides, { signal: interrupt.signal }),
            { offline: true },
          );
          const elapsedMs = performance.now() - started;
          const doc = { ...result, elapsedMs, eventsPerSecond: result.eventsProcessed / (elapsedMs / 1000) };
          ctx.print(doc, () => humanSimulation(result, elapsedMs));
        } finally {
          interrupt.dispose();
        }
      }),
    );
}

// ---------------------------------------------------------------------------------- erlang --
