import type { Command } from "commander";
import { campaignIdProblem } from "../../core/ids.ts";
import { InputError } from "../../core/input-error.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";

/** `cxo dispositions codes --campaign C`: the campaign's disposition matrix (seed 000). */
export function registerDispositionCommands(program: Command): void {
  const dispositions = program.command("dispositions").description("disposition codes of outbound campaigns");
  dispositions
    .command("codes")
    .description("list a campaign's disposition codes with the reason codes of each")
    .requiredOption(
      "--campaign <id>",
      "campaign id (on the cxone platform: a Personal Connection skill id, e.g. 101)",
    )
    .action(
      withContext(async (ctx, options: { campaign: string }) => {
        const problem = campaignIdProblem(options.campaign, "--campaign");
        if (problem) throw new InputError(problem);
        await ctx.withClient(async (client) => {
          const matrix = await withFlagNames({ campaignId: "--campaign" }, () =>
            client.dispositions.codes(options.campaign),
          );
          ctx.print(matrix, () =>
            matrix.codes
              .map(
                (code) =>
                  `${code.id}  ${code.name}${code.reasonCodes.length ? `\n${code.reasonCodes.map((r) => `    ${r.id}  ${r.name}`).join("\n")}` : ""}`,
              )
              .join("\n"),
          );
        });
      }),
    );
}
