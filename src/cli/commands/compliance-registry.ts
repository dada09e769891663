import type { Command } from "commander";
import type { RegistryImportParams } from "../../sdk/compliance.ts";
import { withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";

/**
 * `cxo compliance dnc import --registry national|XX [--changes] [--as-of DATE] FILE…`: the
 * National Do Not Call Registry's (or a state list's) download files into the data dir.
 * Exit 2 for bad input (unknown registry, unreadable file, a malformed line — named by file
 * and line — or a date in the future), and then the previous copy is untouched.
 */
interface ImportOptions {
  registry?: string;
  changes?: boolean;
  asOf?: string;
}

export function registerRegistryImport(dnc: Command): void {
  dnc
    .command("import")
    .description(
      "import National (or state) Do Not Call registry files: one 10-digit number a line, plain or gzip, '-' = stdin; atomically replaces the previous copy",
    )
    .argument("<files...>", "registry download files, read in order ('-' reads stdin)")
    .option(
      "--registry <name>",
      "national, a US state's two letters for its own list, or tps / ctps (the UK's: phone,registeredAt a line)",
    )
    .option(
      "--changes",
      "the files are change files applied to the current copy (default: they are the whole copy)",
    )
    .option(
      "--as-of <yyyy-mm-dd>",
      "the registry's date (default: the oldest file's modification date; required for stdin)",
    )
    .action(
      withContext(async (ctx, files: string[], options: ImportOptions) => {
        // The client's compliance.importRegistry, on the data dir alone (nothing is sent).
        const summary = await withFlagNames({ registry: "--registry", asOf: "--as-of" }, () =>
          ctx.withClient(
            (client) =>
              client.compliance.importRegistry({
                ...(options.registry === undefined ? {} : { registry: options.registry }),
                files,
                mode: options.changes ? "changes" : "full",
                ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
              } as RegistryImportParams),
            { offline: true },
          ),
        );
        ctx.print(
          summary,
          "areaCodes" in summary
            ? `${summary.registry}: ${summary.numbers} numbers in ${summary.areaCodes} area codes, dated ${summary.asOf} (${summary.lines} lines read, ${summary.linesPerSec}/s, ${summary.mode})`
            : `${summary.registry}: ${summary.numbers} numbers, dated ${summary.asOf} (${summary.lines} lines read)`,
        );
      }),
    );
}
