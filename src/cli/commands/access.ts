import type { Command } from "commander";
import { CliContext } from "../context.ts";

/** `cxo auth check`: proves the credentials work and shows what the token grants (never the token). */
export function registerAccessCommands(program: Command): void {
  const auth = program.command("auth").description("check credentials against CXone");
  auth
    .command("check")
    .description(
      "obtain a token and show what it grants and when it expires (production platform: tenant, API endpoint, role)",
    )
    .action(async (_options, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      await ctx.withClient(async (client) => {
        const info = await client.access.describe();
        if (client.connection.platform === "cxone") {
          const { issuer } = client.connection;
          ctx.print(
            { ...info, platform: "cxone", issuer },
            `tenant ${info.tenantId} (API ${info.apiEndpoint}): token OK (${info.tokenType}), expires ${info.expiresAt}\nrole: ${info.role ?? "(not in the token)"}; client ${info.clientId}; issuer ${issuer}`,
          );
          return;
        }
        ctx.print(
          { ...info, platform: "seed", tokenUrl: client.connection.tokenUrl },
          `client ${info.clientId}: token OK (${info.tokenType}), expires ${info.expiresAt}\nscopes: ${info.scopes.join(" ") || "(none listed)"}`,
        );
      });
    });
}
