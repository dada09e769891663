import { accessSync, constants } from "node:fs";
import { calendarDayMs, calendarDayProblem, calendarDayText } from "../../core/calendar-day.ts";
import { clockNowMs } from "../../core/clock/now.ts";
import { InputError, type InputProblem } from "../../core/input-error.ts";
import { US_REGION_ZONES } from "../geography.ts";
import type { ImportSummary } from "./import.ts";
import type { UkImportSummary } from "./uk.ts";

/**
 * `client.compliance.importRegistry`'s request: a Do Not Call registry's download files into the
 * data dir's copy (the one `compliance.check` reads). Checked whole before anything is read.
 */
export interface RegistryImportParams {
  /** `national`, a US state's two letters (its own list, e.g. `TX`), or `tps` / `ctps` (the UK's). */
  registry: string;
  /** The files, read in order (plain or gzip); `-` reads `stdin` (once). A TPS/CTPS copy is one whole file. */
  files: readonly string[];
  /** `full` (default: the files are the whole copy) or `changes` (applied to the current copy; US registries). */
  mode?: "full" | "changes";
  /** The registry's date, yyyy-mm-dd, not in the future (default: the oldest file's modification date; required for `-`). */
  asOf?: string;
  /** What `-` reads (default the process's standard input). */
  stdin?: NodeJS.ReadableStream;
}

/** What an import did: a US registry's summary, or a UK one's (`registry` `tps` or `ctps`). */
export type RegistryImportSummary = ImportSummary | UkImportSummary;

/** Imports `params` into `dataDir`'s registry copy, atomically: on bad input or an abort the previous copy stays. */
export async function importRegistryOf(
  dataDir: string,
  params: RegistryImportParams,
  signal: AbortSignal | undefined,
): Promise<RegistryImportSummary> {
  const { defaultAsOf, importRegistry } = await import("./import.ts");
  const { registry, asOf, files, mode } = checkRegistryImport(params, defaultAsOf);
  if (registry === "tps" || registry === "ctps") {
    if (files.length !== 1 || files[0] === "-" || mode === "changes")
      throw new InputError({
        field: "files",
        rule: "a TPS or CTPS copy is one whole file (phone,registeredAt a line), not stdin or changes",
      });
    const { importUkRegistry } = await import("./uk.ts");
    signal?.throwIfAborted();
    return importUkRegistry({ dataDir, registry, file: files[0] as string, asOf, nowMs: clockNowMs() });
  }
  return importRegistry({
    dataDir,
    registry,
    files,
    mode,
    asOf,
    ...(params.stdin ? { stdin: params.stdin } : {}),
    ...(signal ? { signal } : {}),
  });
}

/** The request checked whole (every problem named by its field; an unreadable file by its path). */
function checkRegistryImport(
  params: RegistryImportParams,
  defaultAsOf: (files: string[]) => string | undefined,
): { registry: string; asOf: string; files: string[]; mode: "full" | "changes" } {
  if (typeof params !== "object" || params === null)
    throw new InputError({ field: "params", rule: "must be an object ({ registry, files, … })" });
  const problems: InputProblem[] = [];
  const name = typeof params.registry === "string" ? params.registry : undefined;
  const registry = name === "national" || name === "tps" || name === "ctps" ? name : name?.toUpperCase();
  if (
    !registry ||
    (registry !== "national" &&
      registry !== "tps" &&
      registry !== "ctps" &&
      !(/^[A-Z]{2}$/.test(registry) && registry in US_REGION_ZONES))
  )
    problems.push({
      field: "registry",
      rule: "must be national, a US state's two letters (e.g. TX), or tps / ctps (the UK's)",
    });
  const files =
    Array.isArray(params.files) && params.files.every((f) => typeof f === "string" && f !== "")
      ? [...params.files]
      : undefined;
  if (!files || files.length === 0)
    problems.push({ field: "files", rule: "must be a non-empty list of file paths" });
  const mode = params.mode ?? "full";
  if (mode !== "full" && mode !== "changes")
    problems.push({ field: "mode", rule: "must be full or changes" });
  if (files && files.filter((f) => f === "-").length > 1)
    problems.push({ field: "files", rule: "stdin ('-') can be read once" });
  for (const file of files ?? []) {
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
  let asOf = params.asOf;
  if (asOf !== undefined) {
    const ms = calendarDayMs(asOf);
    asOf = calendarDayText(asOf) ?? asOf;
    if (ms === undefined) problems.push({ field: "asOf", rule: calendarDayProblem(params.asOf) as string });
    else if (ms > clockNowMs() + 86_400_000)
      problems.push({ field: "asOf", rule: "must not be in the future (it is the registry's date)" });
  } else if (problems.length === 0 && files) {
    asOf = defaultAsOf(files);
    if (asOf === undefined)
      problems.push({ field: "asOf", rule: "is required when reading stdin (a stream has no date)" });
  }
  if (problems.length > 0 || !registry || !asOf || !files) throw new InputError(problems);
  return { registry, asOf, files, mode };
}
