import type { Command } from "commander";
import { withContext } from "../context.ts";
import { loginWaitingNote, noteWhileWaiting } from "../waiting-note.ts";

/** `cxo auth check`: proves the credentials work and shows what the token grants (never the token). */
export function registerAccessCommands(program: Command): void {
  const auth = program.command("auth").description("check credentials against CXone");
  auth
    .command("check")
    .description(
      "obtain a token and show what it grants and when it expires (production platform: tenant, API endpoint, role)",
    )
    .action(
      withContext(async (ctx) => {
        await ctx.withClient(async (client) => {
          // A login that takes a while says what it is waiting for (stderr, human mode only).
          const { connection } = client;
          const where =
            connection.platform === "cxone"
              ? connection.issuer
              : connection.platform === "seed"
                ? connection.tokenUrl
                : connection.missing;
          const info = await noteWhileWaiting(client.access.describe(), () =>
            ctx.note(loginWaitingNote(where)),
          );
          if (client.connection.platform === "cxone") {
            const { issuer, login } = client.connection;
            const via =
              login === "access-key"
                ? "access key alone (no registered application)"
                : `application ${info.clientId}`;
            ctx.print(
              { ...info, platform: "cxone", login, issuer },
              `tenant ${info.tenantId} (API ${info.apiEndpoint}): token OK (${info.tokenType}), expires ${info.expiresAt}\nlogin: ${via}; role: ${info.role ?? "(not in the token)"}; issuer ${issuer}`,
            );
            return;
          }
          ctx.print(
            {
              ...info,
              platform: "seed",
              tokenUrl: connection.platform === "seed" ? connection.tokenUrl : "",
            },
            `client ${info.clientId}: token OK (${info.tokenType}), expires ${info.expiresAt}\nscopes: ${info.scopes.join(" ") || "(none listed)"}`,
          );
        });
      }),
    );
}
