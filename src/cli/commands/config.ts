import type { Command } from "commander";
import { redactValue } from "../../core/logging/secrets.ts";
import { withContext } from "../context.ts";

/** `cxo config show`: the resolved settings, secrets masked, to check what a command will use. */
export function registerConfigCommands(program: Command): void {
  const config = program.command("config").description("inspect the resolved settings");
  config
    .command("show")
    .description("print the resolved settings (flags > env > config file > defaults), secrets masked")
    .action(
      withContext(async (ctx) => {
        const settings = await ctx.settings();
        const shown = redactValue(settings);
        ctx.print(shown, () => JSON.stringify(shown, null, 2));
      }),
    );
}
