import { isUtf8 } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import { bytesText } from "./byte-count.ts";
import { InputError } from "./input-error.ts";
import { SignalSlices } from "./signal-slices.ts";

/**
 * Input files are UTF-8. Decoding anything else with Node's "utf8" turns each bad byte into
 * U+FFFD, so a Latin-1 `café` was sent to CXone as `caf�` with exit 0 (issue 51 item 10).
 * These checks refuse it first, naming the line and the byte offset, in one pass over the bytes
 * (Node's native isUtf8 per chunk; the slow search for the place only runs once something is
 * wrong).
 */

/** How many bytes a sequence led by `byte` needs (0: not a lead byte). */
function sequenceLength(byte: number): number {
  if (byte < 0x80) return 1;
  if (byte >= 0xc2 && byte <= 0xdf) return 2;
  if (byte >= 0xe0 && byte <= 0xef) return 3;
  if (byte >= 0xf0 && byte <= 0xf4) return 4;
  return 0;
}

/** Where a chunk may be cut so that no multi-byte sequence is split (its tail goes to the next). */
function completeLength(chunk: Buffer): number {
  for (let back = 1; back <= Math.min(3, chunk.length); back += 1) {
    const byte = chunk[chunk.length - back] as number;
    if ((byte & 0xc0) !== 0x80) {
      const need = sequenceLength(byte);
      return need > back ? chunk.length - back : chunk.length;
    }
  }
  return chunk.length;
}

const countLines = (bytes: Buffer): number => {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n += 1;
  return n;
};

/**
 * Whether `bytes` are text we take: valid UTF-8 without a NUL byte. NUL is valid UTF-8, but no
 * text file holds one, and a UTF-16 file of plain ASCII without its byte-order mark is exactly
 * that: every other byte a NUL (such a list once passed, its ids read with NULs in them).
 */
const isText = (bytes: Buffer): boolean => isUtf8(bytes) && bytes.indexOf(0) === -1;

/** The index of the first byte of `bytes` that does not belong to valid UTF-8 text (-1: none). */
function firstBadByte(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i] as number;
    if (byte === 0) return i;
    const need = sequenceLength(byte);
    if (need === 0 || i + need > bytes.length) return i;
    // The second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
    const second = bytes[i + 1] as number;
    const low = byte === 0xe0 ? 0xa0 : byte === 0xf0 ? 0x90 : 0x80;
    const high = byte === 0xed ? 0x9f : byte === 0xf4 ? 0x8f : 0xbf;
    if (need > 1 && (second < low || second > high)) return i;
    for (let k = 2; k < need; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
    i += need;
  }
  return -1;
}

/** The 1-based line (counting from `firstLine`) and the offset of the first bad byte in `bytes`. */
function badPlace(bytes: Buffer, firstLine: number): { line: number; index: number } {
  const index = Math.max(0, firstBadByte(bytes));
  return { line: firstLine + countLines(bytes.subarray(0, index)), index };
}

function refuse(field: string, name: string, place: { line: number; offset: number; byte: number }): never {
  const what =
    place.byte === 0 ? "a NUL byte: UTF-16 or binary?" : `0x${place.byte.toString(16).padStart(2, "0")}`;
  throw new InputError({
    field,
    rule: `${name} line ${place.line} is not valid UTF-8 (byte offset ${place.offset}: ${what}; save the file as UTF-8; nothing was sent)`,
  });
}

/**
 * Where in `bytes` a line first grows past `max` bytes (`at`, -1: nowhere), the line before it
 * having `carried` bytes already; and the bytes of the line still open at its end.
 */
function longLine(bytes: Buffer, carried: number, max: number): { at: number; carried: number } {
  let start = 0;
  let length = carried;
  for (;;) {
    const end = bytes.indexOf(10, start);
    const segment = (end === -1 ? bytes.length : end) - start;
    if (length + segment > max) return { at: start, carried: 0 };
    if (end === -1) return { at: -1, carried: length + segment };
    length = 0;
    start = end + 1;
  }
}

/** Refuses a buffer that is not UTF-8, naming its line (`name`: how the message names it). */
export function assertUtf8(bytes: Buffer, field: string, name: string): void {
  if (isText(bytes)) return;
  const { line, index } = badPlace(bytes, 1);
  refuse(field, name, { line, offset: index, byte: bytes[index] as number });
}

/**
 * Refuses a file that is not UTF-8, naming its line; reads it in chunks (constant memory). With
 * `maxLineBytes`, a line longer than that is refused too, naming it, before anything reads the
 * line into a string (a 576 MB cell ended in V8's raw "Invalid string length", issue 63 N16).
 */
export function assertUtf8File(
  path: string,
  field: string,
  name = `"${path}"`,
  options: { maxLineBytes?: number } = {},
): void {
  for (const _chunk of utf8FileChunks(path, field, name, options));
}

/**
 * `assertUtf8File` for an SDK call bounded by its signal (issue 80 §2): the same pass, with a
 * look at the signal per chunk and a turn of the event loop every slice, so a deadline or a
 * `close()` stops the scan of a file of any size (the scan of 1 GB takes seconds).
 */
export async function assertUtf8FileWithin(
  path: string,
  field: string,
  signal: AbortSignal | undefined,
  name = `"${path}"`,
  options: { maxLineBytes?: number } = {},
): Promise<void> {
  const slices = new SignalSlices(signal, 20, 1);
  for (const _chunk of utf8FileChunks(path, field, name, options)) await slices.tick();
}

/** The check's pass over the file, one chunk a step (the caller decides what happens between). */
function* utf8FileChunks(
  path: string,
  field: string,
  name: string,
  options: { maxLineBytes?: number },
): Generator<void> {
  const fd = openSync(path, "r");
  const maxLine = options.maxLineBytes ?? Number.POSITIVE_INFINITY;
  let lineBytes = 0;
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    let line = 1;
    let offset = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      const bytes = Buffer.concat([carry, chunk.subarray(0, n)]);
      const cut = n === 0 ? bytes.length : completeLength(bytes);
      const whole = bytes.subarray(0, cut);
      if (!isText(whole)) {
        const place = badPlace(whole, line);
        refuse(field, name, {
          line: place.line,
          offset: offset + place.index,
          byte: whole[place.index] as number,
        });
      }
      const long = longLine(whole, lineBytes, maxLine);
      if (long.at !== -1)
        throw new InputError({
          field,
          rule: `${name} line ${line + countLines(whole.subarray(0, long.at))} is longer than ${bytesText(maxLine)}, the most a line of an input file may be (nothing was sent)`,
        });
      lineBytes = long.carried;
      line += countLines(whole);
      offset += cut;
      carry = Buffer.from(bytes.subarray(cut));
      if (n === 0) return;
      yield;
    }
  } finally {
    closeSync(fd);
  }
}
