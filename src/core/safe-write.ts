import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  type Stats,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { Writable } from "node:stream";
import { InputError } from "./input-error.ts";

/**
 * The one way the tool writes a file a user names (profiles, HAR recordings, reports, exports,
 * audit anchors, charts): never through a symbolic link, never over a file this command did
 * not write (unless forced), and never half-written:
 *
 * - the target is checked with lstat (a link is refused, whatever it points to; so is a
 *   directory or a device), and an existing regular file must look like what this command
 *   writes (its `kind`), else it is refused unless `force`;
 * - the bytes go to a new temporary file in the target's directory (O_CREAT|O_EXCL|O_NOFOLLOW,
 *   mode 0600 unless asked), which is fsync'ed and then renamed over the target: a reader sees
 *   the old file or the new one, and a link planted meanwhile is replaced, not followed.
 *
 * Directories below the one a user named are entered or created the same way, never through a
 * link (`ensureRealDirectory`).
 *
 * Refusals are InputErrors (the CLI exits 2) naming the field the caller gives (its flag) and
 * the path; they say `force` in backticks, which the CLI renames to its flag.
 */
export interface FileKind {
  /** What the command writes, for messages ("tenant profile", "HAR recording"). */
  readonly name: string;
  /** Whether an existing file whose first bytes (≤ 4 KiB, as UTF-8) are `head` is of this kind. */
  recognise(head: string): boolean;
}

export interface SafeWriteOptions {
  /** The field (the CLI: the flag) naming the path in errors. */
  field: string;
  /** What is written: an existing file of another kind is refused unless `force`. */
  kind: FileKind;
  /** Replace an existing file of another kind (never a link, a directory or a device). */
  force?: boolean | undefined;
  /** The new file's mode (default 0600: anything the tool writes holds data). */
  mode?: number | undefined;
  /** How the caller's API names `force`, for the message (default `force`). */
  forceName?: string | undefined;
}

export const DEFAULT_FILE_MODE = 0o600;

const HEAD_BYTES = 4096;

/** Node's O_NOFOLLOW (0 where the platform has none: O_EXCL alone never follows a link). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw error;
  }
}

/** lstatOrUndefined, any failure but absence refused as `cannot …` with its code. */
function lstatOrRefuse(
  path: string,
  options: Pick<SafeWriteOptions, "field">,
  cannot: string,
): Stats | undefined {
  try {
    return lstatOrUndefined(path);
  } catch (error) {
    refuse(options, `${cannot} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}

/** The first bytes of a regular file, as text (never following a link). */
function headOf(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | NOFOLLOW);
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, n).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function refuse(options: Pick<SafeWriteOptions, "field">, rule: string): never {
  throw new InputError({ field: options.field, rule });
}

/**
 * Checks that `file` may be written (before any work starts, so a refusal sends nothing):
 * its directory exists, and it is absent, empty, or a regular file of `kind` (or `force`).
 * Returns the absolute path.
 */
export function checkWriteTarget(file: string, options: SafeWriteOptions): string {
  if (file === "" || file === "-") refuse(options, "must name a file");
  const path = resolve(file);
  const dir = lstatOrUndefined(dirname(path));
  if (!dir) refuse(options, `directory ${dirname(path)} does not exist`);
  checkCanCreateIn(dirname(path), options);
  const stats = lstatOrRefuse(path, options, `cannot write "${file}"`);
  if (!stats) return path;
  if (stats.isSymbolicLink())
    refuse(options, `"${file}" is a symbolic link: cxo never writes through a link (name the file itself)`);
  if (stats.isDirectory()) refuse(options, `"${file}" is a directory`);
  if (!stats.isFile()) refuse(options, `"${file}" is not a regular file`);
  if (stats.size === 0 || options.force) return path;
  let head: string;
  try {
    head = headOf(path);
  } catch (error) {
    refuse(
      options,
      `cannot read "${file}" to check what it is (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  if (!options.kind.recognise(head))
    refuse(
      options,
      `"${file}" exists and is not a ${options.kind.name}: cxo replaces only a file it wrote (\`${options.forceName ?? "force"}\` replaces it anyway)`,
    );
  return path;
}

/**
 * A directory the tool enters or creates below one the user named (an export's `campaign=` and
 * `date=` partitions): checked with lstat like a file, so a symbolic link planted there is
 * refused, never followed (issue 63 N5: a linked partition had parts written, and others
 * deleted, wherever it pointed). Returns whether it exists.
 */
export function checkRealDirectory(dir: string, options: Pick<SafeWriteOptions, "field">): boolean {
  const stats = lstatOrRefuse(dir, options, `cannot use "${dir}"`);
  if (!stats) return false;
  if (stats.isSymbolicLink())
    refuse(
      options,
      `"${dir}" is a symbolic link: cxo never writes through a link (remove it, or give another directory)`,
    );
  if (!stats.isDirectory()) refuse(options, `"${dir}" is not a directory`);
  return true;
}

/**
 * checkRealDirectory, creating the directory when absent (one level: its parent is one already
 * checked), and checked again after: a link planted in between is refused too.
 */
export function ensureRealDirectory(dir: string, options: Pick<SafeWriteOptions, "field">): void {
  if (checkRealDirectory(dir, options)) return;
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST")
      refuse(options, `cannot create "${dir}" (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  checkRealDirectory(dir, options);
}

/**
 * Whether a file can be created in `dir` at all, tried before any work (a temporary file made
 * and removed at once): a read-only directory, another user's, a read-only file system or a
 * kernel tree was found only once the work was done, and a second output refused then left the
 * first behind (issue 63 N17). Permission bits alone do not tell (root ignores them).
 */
function checkCanCreateIn(dir: string, options: Pick<SafeWriteOptions, "field">): void {
  let made: { temp: string; fd: number };
  try {
    made = openTemp(`${dir}/cxo-write-check`, DEFAULT_FILE_MODE);
  } catch (error) {
    refuse(options, `directory ${dir} cannot be written (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  closeSync(made.fd);
  unlinkQuietly(made.temp);
}

/** A new temporary file beside `path` (exclusive, no link followed), open for writing. */
function openTemp(path: string, mode: number): { temp: string; fd: number } {
  for (let attempt = 0; ; attempt += 1) {
    const temp = `${dirname(path)}/.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, mode);
      return { temp, fd };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 5) throw error;
    }
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * Renames a finished temporary file (in the target's directory) over `file`, after checking the
 * target again (it may have become a link since the first check); the temporary file is removed
 * when refused. For writers that manage their own temporary file (an export's `.partial`).
 */
export function replaceWithTemp(temp: string, file: string, options: SafeWriteOptions): void {
  let path: string;
  try {
    path = checkWriteTarget(file, options);
  } catch (error) {
    unlinkQuietly(temp);
    throw error;
  }
  renameSync(temp, path);
}

function writeAll(fd: number, data: Buffer): void {
  let written = 0;
  while (written < data.length) written += writeSync(fd, data, written, data.length - written);
}

/** Writes `data` to `file` safely (see above), whole or not at all. */
export function writeFileSafely(file: string, data: string | Uint8Array, options: SafeWriteOptions): void {
  const path = checkWriteTarget(file, options);
  const { temp, fd } = openTemp(path, options.mode ?? DEFAULT_FILE_MODE);
  try {
    writeAll(fd, typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data));
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(temp);
    throw error;
  }
  closeSync(fd);
  replaceWithTemp(temp, path, options);
}

/**
 * The open flags of a file a writer manages itself (an export's `.partial`, resumed by offset):
 * created or truncated, or reopened as it is; never through a link.
 */
export const OWN_FILE_TRUNCATE = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | NOFOLLOW;
export const OWN_FILE_REOPEN = constants.O_RDWR | NOFOLLOW;

/**
 * A writable stream onto `file`, written safely: the bytes go to a temporary file, and `end()`
 * finishes (its 'finish' event) only after that file is renamed over the target. A stream
 * destroyed before it ends leaves the target as it was and removes the temporary file.
 */
export function createSafeWriteStream(file: string, options: SafeWriteOptions): Writable {
  const path = checkWriteTarget(file, options);
  const { temp, fd } = openTemp(path, options.mode ?? DEFAULT_FILE_MODE);
  let open = true;
  let committed = false;
  const closeFd = () => {
    if (open) {
      open = false;
      closeSync(fd);
    }
  };
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      try {
        writeAll(fd, chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    final(callback) {
      try {
        fsyncSync(fd);
        closeFd();
        replaceWithTemp(temp, path, options);
        committed = true;
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    destroy(error, callback) {
      try {
        closeFd();
      } catch {
        // closing a descriptor that failed
      }
      if (!committed) unlinkQuietly(temp);
      callback(error);
    },
  });
}

// ------------------------------------------------------------------------------ file kinds --

const firstLine = (head: string): string => head.split(/\r?\n/, 1)[0] ?? "";

/** A kind recognised by its first line (a CSV header, a comment). */
export function kindByFirstLine(name: string, test: (line: string) => boolean): FileKind {
  return { name, recognise: (head) => test(firstLine(head).replace(/^\uFEFF/, "")) };
}

/** JSON lines whose first line is an object passing `test` (the head may cut a long line). */
export function kindByJsonLines(name: string, test: (line: string) => boolean): FileKind {
  return { name, recognise: (head) => firstLine(head).trimStart().startsWith("{") && test(firstLine(head)) };
}

/** The generator mark every HTML page the tool writes carries in its head. */
export const HTML_GENERATOR_META = '<meta name="generator" content="cxone-outbound">';

/** An HTML page written by this tool (it carries HTML_GENERATOR_META). */
export const HTML_REPORT: FileKind = {
  name: "report written by cxo (an HTML page with its generator mark)",
  recognise: (head) => /^\s*<!doctype html>/i.test(head) && head.includes(HTML_GENERATOR_META),
};

/** An SVG chart written by this tool. */
export const SVG_CHART: FileKind = {
  name: "chart written by cxo (an SVG with its generator mark)",
  recognise: (head) => /^\s*<svg\b/.test(head) && head.includes("cxone-outbound"),
};
