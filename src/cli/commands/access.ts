import type { Command } from "commander";
import { CliContext } from "../context.ts";

/** `cxo auth check`: proves the credentials work and shows what the token grants (never the token). */
export function registerAccessCommands(program: Command): void {
  const auth = program.command("auth").description("check credentials against CXone");
  auth
    .command("check")
    .description("obtain a token and show the scopes it grants and when it expires")
    .action(async (_options, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      await ctx.withClient(async (client) => {
        const info = await client.access.describe();
        ctx.print(
          { ...info, tokenUrl: client.connection.tokenUrl },
          `client ${info.clientId}: token OK (${info.tokenType}), expires ${info.expiresAt}\nscopes: ${info.scopes.join(" ") || "(none listed)"}`,
        );
      });
    });
}
