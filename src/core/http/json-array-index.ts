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

/** What `fieldAt` answers for an element whose field cannot be read from the bytes alone. */
export const IRREGULAR: unique symbol = Symbol("irregular");

export class JsonArrayIndex {
  private body: Buffer = Buffer.alloc(0);
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);
  private size = 0;
  /** Top-level keys of the elements whose values are located (UTF-8), see `fieldAt`. */
  private readonly keys: Buffer[];
  /** Per key, per element: the byte where the value starts, or -1 when the key is absent. */
  private values: Int32Array[];
  /** Per element: 1 when its fields cannot be located (not an object, an escaped key). */
  private irregular = new Uint8Array(1024);

  /**
   * `elementKeys`: top-level keys of the array's elements whose values `fieldAt` reads from the
   * bytes while the element stays unparsed (found by the same scan, for a few cycles per key).
   */
  constructor(elementKeys: readonly string[] = []) {
    this.keys = elementKeys.map((key) => Buffer.from(key, "utf8"));
    this.values = this.keys.map(() => new Int32Array(1024));
  }

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
    const locate = this.keys.length > 0;
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
          if (locate) this.startElement(false);
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
        if (elementStart === -1) {
          elementStart = i;
          if (c === OPEN_OBJECT) {
            // An object (a record): scanned in one go up to its closing brace.
            i = this.scanObject(body, i, n, locate);
            elementEnd = i + 1;
            continue;
          }
          if (locate) this.startElement(false);
        } else if (locate) (this.irregular as Uint8Array)[this.size] = 1;
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

  /**
   * The value of a located key (see the constructor) of element i, read from the bytes: a
   * string, number, boolean or null exactly as JSON.parse would give it, or undefined when the
   * key is absent. IRREGULAR when the bytes alone cannot say (the element is not an object, a
   * key is escaped, the value is an object or an array, or is not valid JSON): parse the element.
   * A key that appears twice counts by its last occurrence, as in JSON.parse.
   */
  fieldAt(i: number, key: number): unknown {
    if (i < 0 || i >= this.size) throw new RangeError(`element ${i} of ${this.size}`);
    if (this.irregular[i] === 1) return IRREGULAR;
    const at = (this.values[key] as Int32Array)[i] as number;
    if (at === -1) return undefined;
    const body = this.body;
    const end = this.ends[i] as number;
    const c = body[at] as number;
    if (c === QUOTE) {
      for (let j = at + 1; j < end; j++) {
        const s = body[j] as number;
        if (s === QUOTE) return body.toString("utf8", at + 1, j);
        if (s === BACKSLASH) {
          // Escapes: find the closing quote and let JSON.parse decode them.
          for (j += 2; j < end; j++) {
            const t = body[j] as number;
            if (t === BACKSLASH) j += 1;
            else if (t === QUOTE) return parseToken(body.toString("utf8", at, j + 1));
          }
          return IRREGULAR;
        }
      }
      return IRREGULAR;
    }
    let j = at;
    while (j < end) {
      const t = body[j] as number;
      if (t === COMMA || t === CLOSE_OBJECT || t === 0x20 || t === 0x0a || t === 0x0d || t === 0x09) break;
      j += 1;
    }
    const token = body.toString("latin1", at, j);
    if (token === "true") return true;
    if (token === "false") return false;
    if (token === "null") return null;
    return JSON_NUMBER.test(token) ? Number(token) : IRREGULAR;
  }

  /**
   * An element that is an object, from its `{` at `open`: returns the index of its closing
   * brace, having located the values of the constructor's keys among its own (top-level) keys.
   * Only boundaries are checked here, as in `index`; JSON.parse judges the rest.
   */
  private scanObject(body: Buffer, open: number, n: number, locate: boolean): number {
    if (locate) this.startElement(true);
    const size = this.size;
    let depth = 1;
    let keyNext = locate; // the next string at depth 1 is a key
    let pendingKey = -1; // the located key just read, awaiting its `:`
    let valueFor = -1; // after that `:`: the next byte starts its value
    for (let i = open + 1; i < n; i++) {
      const c = body[i] as number;
      if (c === QUOTE) {
        const start = i;
        let escaped = false;
        for (i += 1; i < n; i++) {
          const s = body[i] as number;
          if (s === BACKSLASH) {
            i += 1;
            escaped = true;
          } else if (s === QUOTE) break;
        }
        if (i >= n) throw malformed("a string is not closed");
        if (depth === 1 && locate) {
          if (valueFor !== -1) {
            (this.values[valueFor] as Int32Array)[size] = start;
            valueFor = -1;
          } else if (keyNext) {
            keyNext = false;
            // An escaped key may spell a located one differently: the element is read by parsing it.
            if (escaped) (this.irregular as Uint8Array)[size] = 1;
            else pendingKey = this.keyAt(start + 1, i);
          }
        }
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (valueFor !== -1 && depth === 1) {
        (this.values[valueFor] as Int32Array)[size] = i;
        valueFor = -1;
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth += 1;
      else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth -= 1;
        if (depth === 0) return i;
      } else if (depth === 1 && locate) {
        if (c === COMMA) keyNext = true;
        else if (c === COLON && pendingKey !== -1) {
          valueFor = pendingKey;
          pendingKey = -1;
        }
      }
    }
    throw malformed("the body ended early");
  }

  /** Element `this.size` begins: no key of it located yet. */
  private startElement(isObject: boolean): void {
    if (this.size === this.irregular.length) {
      const grow = (from: Int32Array) => {
        const to = new Int32Array(this.size * 2);
        to.set(from);
        return to;
      };
      this.values = this.values.map(grow);
      const irregular = new Uint8Array(this.size * 2);
      irregular.set(this.irregular);
      this.irregular = irregular;
    }
    for (const values of this.values) values[this.size] = -1;
    this.irregular[this.size] = isObject ? 0 : 1;
  }

  /** Which located key the bytes [start, end) spell (unescaped), or -1. */
  private keyAt(start: number, end: number): number {
    const length = end - start;
    for (let k = 0; k < this.keys.length; k++) {
      const key = this.keys[k] as Buffer;
      if (key.length !== length) continue;
      let j = 0;
      while (j < length && key[j] === this.body[start + j]) j += 1;
      if (j === length) return k;
    }
    return -1;
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

/** A JSON number token (JSON.parse and Number agree on every one of these). */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function parseToken(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return IRREGULAR;
  }
}

const malformed = (what: string) => new MalformedJsonError(`response body: ${what}`);
