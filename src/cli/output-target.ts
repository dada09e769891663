import { existsSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { InputError } from "../core/input-error.ts";
import { checkWriteTarget, type FileKind, writeFileSafely } from "../core/safe-write.ts";
import { withFlagNamesSync } from "./flag-names.ts";

/**
 * Where a command's rows go and in which format, decided the same way by every command that
 * writes records (`outcomes export`, `campaigns contacts`):
 * - `--out -` (or no --out where stdout is the default) means standard output, never a file
 *   named "-";
 * - the format comes from `--format`, else from --out's extension (.csv → csv, .ndjson/.jsonl →
 *   ndjson), else ndjson;
 * - a `--format` that contradicts the extension (`--out x.csv --format ndjson`) is refused:
 *   `outcomes verify x.csv` would otherwise fail on the file it was given.
 */
export type RecordFormat = "ndjson" | "csv";

const BY_EXTENSION: Record<string, RecordFormat> = { ".csv": "csv", ".ndjson": "ndjson", ".jsonl": "ndjson" };

export interface OutputTarget {
  /** undefined: standard output. */
  file: string | undefined;
  format: RecordFormat;
}

export function outputTarget(out: string | undefined, format: string | undefined): OutputTarget {
  const file = out === "-" ? undefined : out;
  if (format !== undefined && format !== "ndjson" && format !== "csv")
    throw new InputError({ field: "--format", rule: "must be ndjson or csv" });
  const fromExtension = file ? BY_EXTENSION[extname(file).toLowerCase()] : undefined;
  if (format && fromExtension && format !== fromExtension)
    throw new InputError({
      field: "--format",
      rule: `${format} does not match --out "${file}" (a .${fromExtension === "csv" ? "csv" : "ndjson"} name): drop --format, or name the file .${format}`,
    });
  return { file, format: (format as RecordFormat | undefined) ?? fromExtension ?? "ndjson" };
}

/** Why a file could not be written where a flag names it (its directory is missing), or undefined. */
export function missingDirectory(file: string): string | undefined {
  const dir = dirname(resolve(file));
  return existsSync(dir) ? undefined : `directory ${dir} does not exist`;
}

/**
 * Checks a file a command will write (before anything is sent): through the safe-write helper
 * (no link, no directory, no existing file of another kind unless --force); its refusals name
 * `flag` and say --force.
 */
export function checkOutFile(file: string, flag: string, kind: FileKind, force: boolean | undefined): string {
  return withFlagNamesSync({ force: "--force" }, () => checkWriteTarget(file, { field: flag, kind, force }));
}

/** Writes a whole file a command produces, safely (see checkOutFile). */
export function writeOutFile(
  file: string,
  data: string,
  flag: string,
  kind: FileKind,
  force: boolean | undefined,
): void {
  withFlagNamesSync({ force: "--force" }, () => writeFileSafely(file, data, { field: flag, kind, force }));
}
