import { isUtf8 } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import { InputError } from "./input-error.ts";

/**
 * Input files are UTF-8. Decoding anything else with Node's "utf8" turns each bad byte into
 * U+FFFD, so a Latin-1 `café` was sent to CXone as `caf�` with exit 0 (issue 51 item 10).
 * These checks refuse it first, naming the line, in one pass over the bytes (Node's native
 * isUtf8 per chunk; the slow search for the line only runs once something is wrong).
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

/** The 1-based line (counting from `firstLine`) of the first invalid sequence in `bytes`. */
function badLine(bytes: Buffer, firstLine: number): number {
  let line = firstLine;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(10, start);
    const text = bytes.subarray(start, end === -1 ? bytes.length : end);
    if (!isUtf8(text)) return line;
    if (end === -1) return line;
    line += 1;
    start = end + 1;
  }
}

function refuse(field: string, name: string, line: number): never {
  throw new InputError({
    field,
    rule: `${name} line ${line} is not valid UTF-8 (save the file as UTF-8; nothing was sent)`,
  });
}

/** Refuses a buffer that is not UTF-8, naming its line (`name`: how the message names it). */
export function assertUtf8(bytes: Buffer, field: string, name: string): void {
  if (!isUtf8(bytes)) refuse(field, name, badLine(bytes, 1));
}

/** Refuses a file that is not UTF-8, naming its line; reads it in chunks (constant memory). */
export function assertUtf8File(path: string, field: string, name = `"${path}"`): void {
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    let line = 1;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      const bytes = Buffer.concat([carry, chunk.subarray(0, n)]);
      const cut = n === 0 ? bytes.length : completeLength(bytes);
      const whole = bytes.subarray(0, cut);
      if (!isUtf8(whole)) refuse(field, name, badLine(whole, line));
      line += countLines(whole);
      carry = Buffer.from(bytes.subarray(cut));
      if (n === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}
