import type { Command } from "commander";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
/**
 * `cxo touches import --file` (issue 79 §1): touches made elsewhere, counted by every cap, through
 * the client's `touches.import`. Local only (nothing is sent to CXone), so it needs no connection.
 */
export function registerTouchesCommands(program: Command): void {
  const group = program
    .command("touches")
    .description("touches made elsewhere (texts, emails, another dialer's calls), counted by every cap");
  group
    .command("import")
    .description(
      "record touches from a file (columns phone, at, channel, account?, campaign?, seller?, answered?, voice?, purpose?, message?); a row's message is the consumer's inbound text, read for a revocation; re-running adds nothing",
    )
    .requiredOption("--file <path>", ".csv (comma or semicolon) or .ndjson")
    .action(
      withContext(async (ctx, options: { file: string }) => {
        const summary = await ctx.withClient(
          (client) => withFlagNames({ file: "--file" }, () => client.touches.import({ file: options.file })),
          { offline: true },
        );
        const m = summary.messages;
        ctx.print(
          summary,
          `${summary.rows} row(s): ${summary.added} new touch(es) recorded, ${summary.alreadyRecorded} already recorded (${Object.entries(
            summary.byChannel,
          )
            .map(([channel, n]) => `${channel} ${n}`)
            .join(", ")})${
            m
              ? `; messages: ${m.recorded} revocation(s) recorded, ${m.review} in review (cxo consent review), ${m.other} other`
              : ""
          }`,
        );
      }),
    );
}
