/**
 * Finds where each element of one array field of a JSON object lies in its bytes, without
 * parsing the elements: `index(body, "calls")` records every element's byte range, and
 * `text(i)` gives element i's JSON text to parse when it is needed. A page of thousands of
 * records is then decoded one record at a time (each parsed, used and dropped) instead of as
 * one big string and thousands of objects alive together — the live set that made V8 grow its
 * young generation to 2 × 64 MB during a long export.
 *
 * Everything outside the array (e.g. `nextPageToken`) comes back parsed, with the array
 * emptied: `{ calls: [], nextPageToken: "…" }`. Only boundaries are found here (strings,
 * escapes, nesting, commas); each element's text and the rest go through JSON.parse, so
 * malformed input still fails as a whole-body parse would. Why not a streaming JSON library:
 * those on npm tokenise every value in JavaScript and measured ~130,000 records/s alone on an
 * outcome page; this scan plus a native JSON.parse per element does ~4× that.
 *
 * The instance reuses its offset arrays from one body to the next (one instance per buffer).
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

export class MalformedJsonError extends Error {
  override readonly name = "MalformedJsonError";
}

export class JsonArrayIndex {
  private body: Buffer = Buffer.alloc(0);
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);
  private size = 0;

  /** Elements found by the last `index`. */
  get count(): number {
    return this.size;
  }

  /**
   * Indexes `body` (a JSON object) and returns it parsed without the elements of `field`, which
   * stays as an empty array when it was an array (any other value is left as it is).
   */
  index(body: Buffer, field: string): Record<string, unknown> {
    this.body = body;
    this.size = 0;
    const n = body.length;
    let depth = 0;
    let expectKey = false; // at depth 1, the next string is a key
    let keyStart = -1;
    let lastKey: string | null = null;
    let awaitingValue = false; // after `"field":`
    let arrayOpen = -1; // index of the field's `[`
    let arrayClose = -1; // index of its `]`
    let elementStart = -1; // in the array, at depth 2: the current element's first byte
    let elementEnd = -1; // one past its last non-space byte
    for (let i = 0; i < n; i++) {
      const c = body[i] as number;
      if (c === QUOTE) {
        // Skip the string in one go: find its closing quote (not escaped).
        const open = i;
        for (i += 1; i < n; i++) {
          const s = body[i] as number;
          if (s === BACKSLASH) i += 1;
          else if (s === QUOTE) break;
        }
        if (i >= n) throw malformed("a string is not closed");
        if (depth === 1 && expectKey) {
          expectKey = false;
          keyStart = open;
          lastKey = JSON.parse(body.toString("utf8", keyStart, i + 1)) as string;
        } else if (arrayOpen !== -1 && arrayClose === -1 && depth === 2 && elementStart === -1) {
          elementStart = open;
        }
        if (arrayOpen !== -1 && arrayClose === -1 && depth >= 2) elementEnd = i + 1;
        awaitingValue = false;
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      const inArray = arrayOpen !== -1 && arrayClose === -1;
      if (inArray && depth === 2) {
        if (c === COMMA || c === CLOSE_ARRAY) {
          if (elementStart !== -1) this.push(elementStart, elementEnd);
          else if (c === COMMA || this.size > 0) throw malformed("an empty array element");
          elementStart = -1;
          elementEnd = -1;
          if (c === CLOSE_ARRAY) {
            arrayClose = i;
            depth -= 1;
          }
          continue;
        }
        // Anything else between two commas (e.g. a missing comma) is in the element's text,
        // where JSON.parse rejects it.
        if (elementStart === -1) elementStart = i;
      }
      switch (c) {
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          depth += 1;
          if (awaitingValue && c === OPEN_ARRAY) arrayOpen = i;
          else if (depth === 1) expectKey = c === OPEN_OBJECT;
          awaitingValue = false;
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          depth -= 1;
          if (depth < 0) throw malformed("an unbalanced bracket");
          break;
        case COMMA:
          if (depth === 1) expectKey = true;
          break;
        case COLON:
          if (depth === 1 && lastKey === field && keyStart !== -1) {
            if (arrayOpen !== -1) throw malformed(`"${field}" appears twice`);
            awaitingValue = true;
          }
          keyStart = -1;
          break;
        default:
          awaitingValue = false;
      }
      if (inArray && depth >= 2) elementEnd = i + 1;
    }
    if (depth !== 0 || (arrayOpen !== -1 && arrayClose === -1)) throw malformed("the body ended early");
    const restText =
      arrayOpen === -1
        ? body.toString("utf8")
        : body.toString("utf8", 0, arrayOpen + 1) + body.toString("utf8", arrayClose);
    let rest: unknown;
    try {
      rest = JSON.parse(restText);
    } catch (error) {
      throw malformed(`not JSON (${(error as Error).message})`);
    }
    if (typeof rest !== "object" || rest === null || Array.isArray(rest))
      throw malformed("not a JSON object");
    return rest as Record<string, unknown>;
  }

  /** Element i's JSON text (of the body last indexed, which must not have been overwritten). */
  text(i: number): string {
    if (i < 0 || i >= this.size) throw new RangeError(`element ${i} of ${this.size}`);
    return this.body.toString("utf8", this.starts[i], this.ends[i]);
  }

  /**
   * The string that follows `key` (the bytes of `"name":`) in element i, read from the bytes
   * without parsing the element; undefined when the key is absent, its value is not a string
   * or the string has escapes. The first occurrence anywhere in the element counts, a nested
   * object's key of that name included: a hint, for callers that check it against the
   * element decoded later.
   */
  stringAfter(i: number, key: Uint8Array): string | undefined {
    if (i < 0 || i >= this.size) throw new RangeError(`element ${i} of ${this.size}`);
    const start = this.starts[i] as number;
    const end = this.ends[i] as number;
    // Searched within the element only: a key missing from every element must not make each
    // search run to the end of the page.
    const at = this.body.subarray(start, end).indexOf(key);
    if (at === -1) return undefined;
    const open = start + at + key.length;
    if (this.body[open] !== QUOTE) return undefined;
    for (let j = open + 1; j < end; j++) {
      const c = this.body[j] as number;
      if (c === QUOTE) return this.body.toString("utf8", open + 1, j);
      if (c === BACKSLASH) return undefined;
    }
    return undefined;
  }

  private push(start: number, end: number): void {
    if (this.size === this.starts.length) {
      const starts = new Int32Array(this.size * 2);
      const ends = new Int32Array(this.size * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[this.size] = start;
    this.ends[this.size] = end;
    this.size += 1;
  }
}

const malformed = (what: string) => new MalformedJsonError(`response body: ${what}`);
