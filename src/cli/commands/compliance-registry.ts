import { accessSync, constants } from "node:fs";
import type { Command } from "commander";
import { US_REGION_ZONES } from "../../compliance/geography.ts";
import { clockNowMs } from "../../core/clock/now.ts";
import { InputError, type InputProblem } from "../../core/input-error.ts";
import { withContext } from "../context.ts";

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

const DATE = /^\d{4}-\d{2}-\d{2}$/;

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
        // Loaded here: the importer (zlib, streams) is no part of `compliance check`'s start-up.
        const { defaultAsOf, importRegistry } = await import("../../compliance/registry/import.ts");
        const { registry, asOf } = checkImport(files, options, defaultAsOf);
        if (registry === "tps" || registry === "ctps") {
          const { importUkRegistry } = await import("../../compliance/registry/uk.ts");
          if (files.length !== 1 || files[0] === "-" || options.changes)
            throw new InputError({
              field: "files",
              rule: "a TPS or CTPS copy is one whole file (phone,registeredAt a line), not stdin or changes",
            });
          const summary = importUkRegistry({
            dataDir: (await ctx.settings()).dataDir,
            registry,
            file: files[0] as string,
            asOf,
            nowMs: clockNowMs(),
          });
          ctx.print(
            summary,
            `${summary.registry}: ${summary.numbers} numbers, dated ${summary.asOf} (${summary.lines} lines read)`,
          );
          return;
        }
        const summary = await importRegistry({
          dataDir: (await ctx.settings()).dataDir,
          registry,
          files,
          mode: options.changes ? "changes" : "full",
          asOf,
        });
        ctx.print(
          summary,
          `${summary.registry}: ${summary.numbers} numbers in ${summary.areaCodes} area codes, dated ${summary.asOf} (${summary.lines} lines read, ${summary.linesPerSec}/s, ${summary.mode})`,
        );
      }),
    );
}

function checkImport(
  files: string[],
  options: ImportOptions,
  defaultAsOf: (files: string[]) => string | undefined,
): { registry: string; asOf: string } {
  const problems: InputProblem[] = [];
  const name = options.registry;
  const registry = name === "national" || name === "tps" || name === "ctps" ? name : name?.toUpperCase();
  if (
    !registry ||
    (registry !== "national" &&
      registry !== "tps" &&
      registry !== "ctps" &&
      !(/^[A-Z]{2}$/.test(registry) && registry in US_REGION_ZONES))
  )
    problems.push({
      field: "--registry",
      rule: "must be national, a US state's two letters (e.g. TX), or tps / ctps (the UK's)",
    });
  if (files.filter((f) => f === "-").length > 1)
    problems.push({ field: "files", rule: "stdin ('-') can be read once" });
  for (const file of files) {
    if (file === "-") continue;
    try {
      accessSync(file, constants.R_OK);
    } catch (error) {
      problems.push({
        field: file,
        rule: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      });
    }
  }
  let asOf = options.asOf;
  if (asOf !== undefined) {
    const ms = Date.parse(`${asOf}T00:00:00Z`);
    if (!DATE.test(asOf) || !Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== asOf)
      problems.push({ field: "--as-of", rule: "must be a date, yyyy-mm-dd" });
    else if (ms > clockNowMs() + 86_400_000)
      problems.push({ field: "--as-of", rule: "must not be in the future (it is the registry's date)" });
  } else if (problems.length === 0) {
    asOf = defaultAsOf(files);
    if (asOf === undefined)
      problems.push({ field: "--as-of", rule: "is required when reading stdin (a stream has no date)" });
  }
  if (problems.length > 0 || !registry || !asOf) throw new InputError(problems);
  return { registry, asOf };
}
