import { Command, CommanderError, Option } from "commander";
import { packageVersion } from "../core/package-version.ts";
import { printableText } from "../core/printable.ts";
import { exitQuietlyOnBrokenPipe, isBrokenPipe } from "./broken-pipe.ts";
import { COMMANDS } from "./commands/index.ts";
import { deliverOnExit } from "./deliver-on-exit.ts";
import { describeError, EXIT_BAD_INPUT, exitCodeFor } from "./exit-codes.ts";
import { installCommandClock } from "./process-clock.ts";

/**
 * The `cxo` command line: global options (the settings of DESIGN.md's contract), then one
 * sub-command group per capability. Only the command being run is loaded (see commands/index.ts);
 * the others are listed by name and summary.
 */

/** package.json sits two levels up from src/cli/ and from dist/cli/. */

/** `-V, --version`: prints the version and ends the parse, as Commander's own would. */
function printVersion(): never {
  const version = packageVersion();
  process.stdout.write(`${version}\n`);
  throw new CommanderError(0, "commander.version", version);
}

function globalProgram(): Command {
  return (
    new Command("cxo")
      .description("Run the outbound side of a NICE CXone contact centre from code.")
      .option("-V, --version", "print the version")
      .on("option:version", printVersion)
      .option("--base-url <url>", "CXone API base URL (env CXONE_BASE_URL)")
      .option(
        "--token-url <url>",
        "OAuth2 token URL (env CXONE_TOKEN_URL; default $CXONE_BASE_URL/oauth/token)",
      )
      .option("--client-id <id>", "OAuth2 client id (env CXONE_CLIENT_ID)")
      .option(
        "--client-secret <secret>",
        "OAuth2 client secret (env CXONE_CLIENT_SECRET; prefer the env var)",
      )
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
      .option(
        "--tenant-id <id>",
        "production platform: tenant id (env CXONE_TENANT_ID; default: the token's)",
      )
      .option(
        "--api-version <v>",
        "production platform: inContactAPI version (env CXONE_API_VERSION; default v33.0)",
      )
      .option(
        "--tenant <name>",
        "the business unit (of the config file's tenants:) this command is for (env CXO_TENANT)",
      )
      .option(
        "--actor <name>",
        "the role this run acts in, recorded beside the person (cli:<os user>@<host> as <name>) and the API user in every write's audit record (env CXO_ACTOR)",
      )
      .option("--data-dir <dir>", "local store directory (env CXO_DATA_DIR; default ./.cxo)")
      .option(
        "--clock <clock>",
        "the clock this command reads: an instant with offset (fixed) or <instant>@x<N>[~<anchor>] (running N times faster) or file:<path> (stepped: the clock the file holds, followed as it is rewritten) (env CXO_CLOCK; default the wall clock; docs/clock.md)",
      )
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
      .configureHelp({ showGlobalOptions: true })
      // Options before the command are the program's; after it, the command's. So a command can
      // have an option of its own with a global's name (`cxo dialer validate --config FILE`
      // beside `cxo --config cxo.yaml …`), and `inheritGlobalOptions` lets every other command
      // take the global ones anywhere (`cxo tag … --json`).
      .enablePositionalOptions()
      .exitOverride()
  );
}

/**
 * Gives every command below the program (hidden) copies of the global options it does not
 * define itself; CliContext.fromCommand merges them, the nearest command's value first.
 */
function inheritGlobalOptions(program: Command): void {
  const visit = (command: Command) => {
    for (const global of program.options) {
      if (global.long === "--version") continue;
      if (command.options.some((own) => own.long === global.long)) continue;
      const copy = new Option(global.flags, global.description).hideHelp();
      if (global.argChoices) copy.choices(global.argChoices);
      command.addOption(copy);
    }
    for (const sub of command.commands) visit(sub);
  };
  for (const command of program.commands) visit(command);
}

/**
 * The command `argv` runs (`cxo help X` → X): the first word that is neither an option nor the
 * value of a global option that takes one.
 */
export function commandNameOf(program: Command, argv: readonly string[]): string | undefined {
  const takesValue = new Set<string>();
  for (const option of program.options)
    if (option.required || option.optional)
      for (const flag of [option.long, option.short]) if (flag) takesValue.add(flag);
  let helpFor = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === "--") return helpFor ? undefined : argv[i + 1];
    if (arg.startsWith("-")) {
      if (!arg.includes("=") && takesValue.has(arg)) i += 1;
      continue;
    }
    if (arg === "help" && !helpFor) {
      helpFor = true;
      continue;
    }
    return arg;
  }
  return undefined;
}

/** The program with the command `argv` runs fully defined, and the others as name + summary. */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = globalProgram();
  const wanted = commandNameOf(program, argv);
  // A command that reads every command (`cxo completion`) gets them all, defined.
  if (COMMANDS.some((entry) => entry.name === wanted && entry.readsEveryCommand)) return buildFullProgram();
  for (const entry of COMMANDS) {
    if (entry.name === wanted) await entry.register(program);
    else program.command(entry.name).description(entry.summary);
  }
  inheritGlobalOptions(program);
  return program;
}

/** The program with every command fully defined (for `cxo completion`). */
export async function buildFullProgram(): Promise<Command> {
  const program = globalProgram();
  for (const entry of COMMANDS) await entry.register(program);
  inheritGlobalOptions(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    if (process.stdout.listenerCount("error") === 0) exitQuietlyOnBrokenPipe();
    const program = await buildProgram(argv);
    let uninstallClock: () => void = () => undefined;
    program.hook("preAction", (_program, action) => {
      uninstallClock = installCommandClock(action);
    });
    try {
      await program.parseAsync(argv, { from: "user" });
    } finally {
      await deliverOnExit();
      uninstallClock();
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
    // An error can quote what the user gave (a file's cell, a name): no control character but the layout's.
    process.stderr.write(`${printableText(describeError(error))}\n`);
    return exitCodeFor(error);
  }
}
