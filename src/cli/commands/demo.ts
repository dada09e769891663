import type { Command } from "commander";
import { runDemo } from "../../demo/run-demo.ts";

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
      // The dashboard stays up after the day's steps until Ctrl-C (or SIGTERM) in full mode.
      const untilStopped = new Promise<void>((resolve) => {
        process.once("SIGINT", () => resolve());
        process.once("SIGTERM", () => resolve());
      });
      await runDemo({ fast, outDir: options.out, untilStopped, platform });
    });
}
