/**
 * The Do Not Call registry download format, parsed from bytes (no string per line: 2 million
 * lines a second is the target). One number a line; blank lines and `#` comments skipped.
 *
 *   2125550100          listed (a full file's line, or a change file's addition)
 *   +12125550100        the same in E.164 (11 digits starting 1 are read as +1 and 10 digits)
 *   2125550100,A        an addition, flagged (`,A` / `,ADD`, or a space instead of the comma)
 *   2125550100,D        a deletion (`,D` / `,DEL` / `,DELETE`), or `-2125550100`
 *
 * Anything else is a problem naming the line; the caller aborts the import on the first ones.
 */
export interface ParsedLine {
  /** Area code as a number (200-999 for a NANP number; 0-199 kept as given). */
  npa: number;
  /** The 7 digits after the area code, 0 … 9 999 999: the bit's index in the area code's set. */
  rest: number;
  deletion: boolean;
}

export interface LineProblem {
  line: number;
  text: string;
}

const ZERO = 48;
const NINE = 57;
const NL = 10;
const CR = 13;

/** A streaming parser: feed() chunks in order, then end(); `onNumber` is called per number. */
export class RegistryLineParser {
  private line = 0;
  /** Bytes of an unfinished line carried over from the previous chunk. */
  private carry: Uint8Array | undefined;
  readonly problems: LineProblem[] = [];
  count = 0;

  private readonly onNumber: (npa: number, rest: number, deletion: boolean) => void;
  private readonly maxProblems: number;

  constructor(onNumber: (npa: number, rest: number, deletion: boolean) => void, maxProblems = 20) {
    this.onNumber = onNumber;
    this.maxProblems = maxProblems;
  }

  feed(chunk: Uint8Array): void {
    let start = 0;
    if (this.carry) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.carry = concat(this.carry, chunk);
        return;
      }
      this.parseLine(concat(this.carry, chunk.subarray(0, nl)), 0, this.carry.length + nl);
      this.carry = undefined;
      start = nl + 1;
    }
    const length = chunk.length;
    while (start < length) {
      // Fast path: exactly 10 digits then "\n" or "\r\n" (the registry's own format).
      const crlf = start + 11 < length && chunk[start + 10] === CR && chunk[start + 11] === NL;
      if (start + 10 < length && (chunk[start + 10] === NL || crlf)) {
        let value = 0;
        let i = start;
        for (; i < start + 10; i += 1) {
          const c = chunk[i] as number;
          if (c < ZERO || c > NINE) break;
          value = value * 10 + (c - ZERO);
        }
        if (i === start + 10) {
          this.line += 1;
          this.count += 1;
          this.onNumber(Math.floor(value / 10_000_000), value % 10_000_000, false);
          start += crlf ? 12 : 11;
          continue;
        }
      }
      const nl = chunk.indexOf(NL, start);
      if (nl < 0) {
        this.carry = chunk.slice(start);
        return;
      }
      this.parseLine(chunk, start, nl);
      start = nl + 1;
    }
  }

  end(): void {
    if (this.carry && this.carry.length > 0) this.parseLine(this.carry, 0, this.carry.length);
    this.carry = undefined;
  }

  get failed(): boolean {
    return this.problems.length >= this.maxProblems;
  }

  /** The general path: one line [from, to) without its "\n". */
  private parseLine(bytes: Uint8Array, from: number, to: number): void {
    this.line += 1;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from)
      .toString("latin1")
      .replace(/#.*$/, "")
      .trim();
    if (text === "") return;
    const match = /^([+-]?)(\d{10,11})(?:\s*[,\s]\s*(A|ADD|D|DEL|DELETE))?$/i.exec(text);
    let digits = match?.[2];
    if (digits && digits.length === 11) digits = digits.startsWith("1") ? digits.slice(1) : undefined;
    const flag = match?.[3]?.toUpperCase();
    if (!match || !digits || (match[1] === "-" && flag !== undefined)) {
      if (this.problems.length < this.maxProblems)
        this.problems.push({ line: this.line, text: text.slice(0, 40) });
      return;
    }
    const value = Number(digits);
    this.count += 1;
    this.onNumber(
      Math.floor(value / 10_000_000),
      value % 10_000_000,
      match[1] === "-" || flag?.startsWith("D") === true,
    );
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export const LINE_RULE =
  "must be one 10-digit number (or +1 and 10 digits) a line, optionally flagged ',A' (add) or ',D' / a leading '-' (delete)";
