import { closeSync, constants, fstatSync, openSync, readSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { extname } from "node:path";
import type { z } from "zod";
import { bytesText } from "./byte-count.ts";
import { InputError, type InputProblem } from "./input-error.ts";
import { assertUtf8, assertUtf8File, assertUtf8FileWithin } from "./utf8.ts";
import { parseYamlBounded } from "./yaml-bounded.ts";

// yaml (72 modules) is loaded on the first YAML document read (a config file, a spec), not by
// every command that might read one: most runs never do, and each `cxo` run pays for what it loads.
const require = createRequire(import.meta.url);
/**
 * Parses YAML text (which also reads JSON) within bounds, in linear time (core/yaml-bounded.ts:
 * the yaml library's own duplicate-key check is quadratic). Text over MAX_INPUT_DOCUMENT_BYTES
 * is refused unparsed. Throws an Error saying what is wrong.
 */
export const parseYaml = (text: string): unknown => {
  if (text.length > MAX_INPUT_DOCUMENT_BYTES || Buffer.byteLength(text) > MAX_INPUT_DOCUMENT_BYTES)
    throw new Error(
      `the document is larger than ${bytesText(MAX_INPUT_DOCUMENT_BYTES)}, the most an input document may be: nothing was parsed`,
    );
  return parseYamlBounded(require("yaml") as typeof import("yaml"), text);
};

/**
 * A whole YAML file's text, refused (an Error saying so) when it is not a regular file or is
 * larger than MAX_INPUT_DOCUMENT_BYTES: never more than that is read.
 */
export function readCappedText(file: string): string {
  return readBoundedFile(file, MAX_INPUT_DOCUMENT_BYTES, `${file}`, (rule) => new Error(rule)).toString(
    "utf8",
  );
}

/**
 * Why `path` cannot be an input file, checked with `stat` BEFORE it is opened (opening a FIFO
 * waits for a writer forever), or undefined when it is a regular file. A device (/dev/zero
 * never ends), a FIFO or a socket is refused: `stat`'s size says nothing about what they hold
 * (issue 63 N14: /dev/zero passed the size cap and ran V8 out of memory at 2.6 GB).
 */
function notRegular(path: string, name: string): string | undefined {
  const stats = statSync(path);
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return `cannot read ${name}: it is a directory, not a file`;
  return `${name} is not a regular file (a device, a FIFO or a socket): give a file`;
}

/**
 * At most `limit` bytes of the regular file `path` (a link to one is followed), read through
 * one descriptor: the check is made on what was opened, and no more than `limit` + 1 bytes are
 * ever read, whatever `stat` said (a /proc file says 0). `fail` makes the error.
 */
export function readBoundedFile(
  path: string,
  limit: number,
  name: string,
  fail: (rule: string) => Error,
): Buffer {
  const why = notRegular(path, name);
  if (why) throw fail(why);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw fail(`${name} is not a regular file: give a file`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1 << 20, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit)
        throw fail(
          `${name} is larger than ${bytesText(limit)}, the most an input document may be: nothing was parsed`,
        );
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a user's YAML or JSON input file (campaign spec, dialer config, disposition map …) and
 * validates it with a zod schema. Every problem names the field by its dotted path in the
 * file and the rule it broke, so `cxo` can exit 2 before anything is sent to CXone.
 */
export function loadInputFile<S extends z.ZodType>(path: string, schema: S, flag: string): z.infer<S> {
  const document = readInputDocument(path, flag);
  return parseInput(document, schema, flag);
}

/**
 * The largest input document read (specs, maps, scenarios, config). A YAML parser holds a
 * document's whole syntax tree: a 45 MB scenario took 4.4 GB and died out of memory after a
 * minute, so a document is refused by its size before it is parsed. The project's largest real
 * inputs are a few kilobytes.
 */
export const MAX_INPUT_DOCUMENT_BYTES = 8 * 1024 * 1024;

/** Standard input, at most `limit` + 1 bytes (one more than allowed says it is too big). */
function readStdin(limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") continue;
      if ((error as NodeJS.ErrnoException).code === "EOF") break;
      throw error;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
    total += n;
    if (total > limit) break;
  }
  return Buffer.concat(chunks);
}

/**
 * The parsed (not yet validated) document of a .yaml/.yml/.json file, or of standard input when
 * `path` is `-` (read as YAML, which also reads JSON); at most MAX_INPUT_DOCUMENT_BYTES.
 */
export function readInputDocument(path: string, flag: string): unknown {
  const extension = path === "-" ? ".yaml" : extname(path).toLowerCase();
  if (![".yaml", ".yml", ".json"].includes(extension))
    throw new InputError({ field: flag, rule: `must be a .yaml, .yml or .json file (got "${path}")` });
  const name = path === "-" ? "standard input" : `"${path}"`;
  const tooBig = () =>
    new InputError({
      field: flag,
      rule: `${name} is larger than ${bytesText(MAX_INPUT_DOCUMENT_BYTES)}, the most an input document may be: nothing was parsed`,
    });
  let text: string;
  try {
    const bytes =
      path === "-"
        ? readStdin(MAX_INPUT_DOCUMENT_BYTES)
        : readBoundedFile(
            path,
            MAX_INPUT_DOCUMENT_BYTES,
            name,
            (rule) => new InputError({ field: flag, rule }),
          );
    // Not UTF-8: refused naming the line, not decoded to U+FFFD and used.
    assertUtf8(bytes, flag, name);
    text = bytes.toString("utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({ field: flag, rule: `cannot read "${path}" (${code ?? String(error)})` });
  }
  if (Buffer.byteLength(text) > MAX_INPUT_DOCUMENT_BYTES) throw tooBig();
  try {
    return extension === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InputError({
      field: flag,
      rule: `${name} is not valid ${extension.slice(1)}: ${(error as Error).message}`,
    });
  }
}

/** Validates an already-parsed document; fields are named `<prefix>.<path>` when a prefix is given. */
export function parseInput<S extends z.ZodType>(document: unknown, schema: S, prefix?: string): z.infer<S> {
  const result = schema.safeParse(document);
  if (result.success) return result.data;
  throw new InputError(zodProblems(result.error, prefix));
}

/** zod issues as input problems: the dotted field path and zod's message as the rule. */
export function zodProblems(error: z.ZodError, prefix?: string): InputProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    const field = path === "" ? (prefix ?? "(document)") : path;
    return { field, rule: issue.message };
  });
}

const WHY: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOTDIR: "a part of the path is a file, not a directory",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
};

/**
 * Checks that an input file can be read, before any work (and any request) starts: a missing
 * file, a directory, or a file this user may not read is bad input naming the flag and the file,
 * not a stack trace from a stream half-way through.
 */
export function assertReadableFile(path: string, field: string): void {
  const fail = (why: string): never => {
    throw new InputError({ field, rule: `cannot read "${path}": ${why}` });
  };
  const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);
  let why: string | undefined;
  try {
    why = notRegular(path, `"${path}"`);
  } catch (error) {
    fail(WHY[code(error)] ?? code(error));
  }
  // Refused before it is opened: opening a FIFO waits for a writer, forever.
  if (why) throw new InputError({ field, rule: why });
  try {
    closeSync(openSync(path, "r"));
  } catch (error) {
    fail(WHY[code(error)] ?? code(error));
  }
}

/**
 * A text input read as a stream (a list, a history, a plan, rows to tag): readable, and UTF-8
 * (no NUL byte: a UTF-16 file is refused too), checked in one pass before it is parsed, so
 * nothing is ever decoded to U+FFFD and used (issue 63 N4: a Latin-1 `Josè-1` and `José-1`
 * both became `Jos\uFFFD-1`, one record id for two people).
 */
export function assertTextInputFile(path: string, field: string): void {
  assertReadableFile(path, field);
  assertUtf8File(path, field, `"${path}"`, { maxLineBytes: MAX_LINE_BYTES });
}

/** `assertTextInputFile` for an SDK call bounded by its signal: the scan stops once it is aborted. */
export async function assertTextInputFileWithin(
  path: string,
  field: string,
  signal: AbortSignal | undefined,
  /** What a problem calls the file (default its path): the user's file when `path` is a private copy of it. */
  name = path,
): Promise<void> {
  assertReadableFile(path, field);
  await assertUtf8FileWithin(path, field, signal, `"${name}"`, { maxLineBytes: MAX_LINE_BYTES });
}

/**
 * The longest line (or CSV record) a streamed input may hold. A list row is a few hundred
 * bytes; a line past this is a mistake or an attack, and one past V8's string limit (512 MiB)
 * ended in a raw engine error with no line number (issue 63 N16).
 */
export const MAX_LINE_BYTES = 1024 * 1024;
