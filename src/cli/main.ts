import { Command, CommanderError, Option } from "commander";
import { exitQuietlyOnBrokenPipe, isBrokenPipe } from "./broken-pipe.ts";
import { registerCommands } from "./commands/index.ts";
import { deliverOnExit } from "./deliver-on-exit.ts";
import { describeError, EXIT_BAD_INPUT, exitCodeFor } from "./exit-codes.ts";

/**
 * The `cxo` command line: global options (the settings of DESIGN.md's contract), then one
 * sub-command group per capability, each registered from its own file under commands/.
 */
export function buildProgram(): Command {
  const program = new Command("cxo")
    .description("Run the outbound side of a NICE CXone contact centre from code.")
    .option("--base-url <url>", "CXone API base URL (env CXONE_BASE_URL)")
    .option(
      "--token-url <url>",
      "OAuth2 token URL (env CXONE_TOKEN_URL; default $CXONE_BASE_URL/oauth/token)",
    )
    .option("--client-id <id>", "OAuth2 client id (env CXONE_CLIENT_ID)")
    .option("--client-secret <secret>", "OAuth2 client secret (env CXONE_CLIENT_SECRET; prefer the env var)")
    .addOption(
      new Option(
        "--platform <platform>",
        "seed (the seeds' API) or cxone (NICE's production inContactAPI) (env CXONE_PLATFORM)",
      ).choices(["seed", "cxone"]),
    )
    .option(
      "--issuer <url>",
      "production platform: OpenID issuer (env CXONE_ISSUER; default https://cxone.niceincontact.com)",
    )
    .option(
      "--access-key-id <id>",
      "production platform: the API user's access key id (env CXONE_ACCESS_KEY_ID; its secret only from env CXONE_ACCESS_KEY_SECRET)",
    )
    .option("--tenant-id <id>", "production platform: tenant id (env CXONE_TENANT_ID; default: the token's)")
    .option(
      "--api-version <v>",
      "production platform: inContactAPI version (env CXONE_API_VERSION; default v33.0)",
    )
    .option("--data-dir <dir>", "local store directory (env CXO_DATA_DIR; default ./.cxo)")
    .option("--config <file>", "config file (default ./cxo.config.yaml when present)")
    .addOption(
      new Option("--log-level <level>", "log level on stderr (env CXO_LOG_LEVEL)").choices([
        "fatal",
        "error",
        "warn",
        "info",
        "debug",
        "trace",
        "silent",
      ]),
    )
    .option("--json", "print one JSON document on stdout")
    .option(
      "--no-deliver",
      "leave the webhook events this command queues to cxo serve / cxo outbox deliver (default: deliver them before exiting, 10 s at most)",
    )
    .addHelpText(
      "after",
      "\nPlatforms: --platform seed (default) talks to the API the seeds describe; --platform cxone talks to NICE\nCXone's production inContactAPI (access-key auth). On cxone a campaign id is a Personal Connection skill\nid (--campaign 101); what that platform cannot do exits 1 saying so. See docs/platforms.md.",
    )
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    if (process.stdout.listenerCount("error") === 0) exitQuietlyOnBrokenPipe();
    try {
      await program.parseAsync(argv, { from: "user" });
    } finally {
      await deliverOnExit();
    }
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (isBrokenPipe(error)) return 0;
    if (error instanceof CommanderError) {
      // Help and version are not failures; usage mistakes are bad input.
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
      if (error.code === "commander.help") return 0;
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}

const exitCode = await main(process.argv.slice(2));
// Let pending writes (stdout pipes) flush, then exit with the contract's code.
process.exitCode = exitCode;
