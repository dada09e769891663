import type { Command } from "commander";
import { runDemo } from "../../demo/run-demo.ts";

/** The exit code a shell gives a command stopped by Ctrl-C (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;

/**
 * `cxo demo [--fast] [--out DIR]` — what `npm start` runs: a whole outbound day against the
 * embedded emulator. `CXO_DEMO_FAST=1` is the same as `--fast`.
 */
export function registerDemoCommands(program: Command): void {
  program
    .command("demo")
    .description(
      "run a whole outbound day end to end on the embedded emulator (what `npm start` does); --platform cxone runs it on the emulator of NICE's production API, skipping with one line what that platform cannot do",
    )
    .option("--fast", "small volumes, short waits, exit at the end instead of waiting for Ctrl-C")
    .option("--out <dir>", "where the data dir, reports and charts go (wiped at each run)", "demo-output")
    .action(async (options: { fast?: boolean; out: string }, command: Command) => {
      // --platform is the global option: cxone runs the day on the production API's emulator.
      const platform =
        command.optsWithGlobals<{ platform?: string }>().platform === "cxone" ? "cxone" : "seed";
      const fast = options.fast === true || process.env.CXO_DEMO_FAST === "1";
      // Ctrl-C (or SIGTERM) stops the day within 2 seconds, mid-step if need be (run-demo.ts),
      // and in full mode closes the dashboard kept up after the last step. Exit 130, as a shell
      // reports a command stopped by SIGINT.
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      try {
        const result = await runDemo({ fast, outDir: options.out, signal: controller.signal, platform });
        if (result.stoppedAt) {
          process.exitCode = EXIT_INTERRUPTED;
          // A step abandoned mid-way may still hold a timer or socket: the day is over, leave.
          setTimeout(() => process.exit(EXIT_INTERRUPTED), 1_000).unref();
        }
      } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      }
    });
}
