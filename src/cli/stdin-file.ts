import { InputError } from "../core/input-error.ts";
import { withSpooledFile } from "../core/spool.ts";

/**
 * `-` as a file argument means standard input. Commands that read a file by path (to detect
 * its format from the extension, read it twice, digest it for resumption) get stdin copied to
 * a private temporary file named with `extension` (e.g. `.csv`) first, removed afterwards.
 */
export async function withStdinFile<T>(
  file: string,
  flag: string,
  fn: (path: string) => Promise<T>,
  extension?: string,
): Promise<T> {
  if (file !== "-") return fn(file);
  if (process.stdin.isTTY)
    throw new InputError({ field: flag, rule: "is - (standard input), but standard input is a terminal" });
  const name = `stdin${extension ?? (await sniffExtension())}`;
  return withSpooledFile(process.stdin, name, fn);
}

/** Rows on stdin: NDJSON when the first byte opens a JSON object, else CSV. */
async function sniffExtension(): Promise<string> {
  return new Promise((resolve) => {
    const onReadable = () => {
      const chunk: Buffer | null = process.stdin.read(1);
      process.stdin.off("readable", onReadable);
      process.stdin.off("end", onEnd);
      if (chunk) process.stdin.unshift(chunk);
      resolve(chunk?.toString() === "{" ? ".ndjson" : ".csv");
    };
    const onEnd = () => resolve(".csv");
    process.stdin.on("readable", onReadable);
    process.stdin.once("end", onEnd);
  });
}
