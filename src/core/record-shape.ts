/**
 * Fast field copies for the records of a listing, which share a shape (the same keys, in the
 * same order). Code that copies fields by a key list worked out at run time
 * (`out[key] = record[key]` in a loop) pays V8's generic keyed access for every field of every
 * record, and that was most of the cost of turning a production contact record into an export
 * record (20 such copies, twice per record). Here the key list is worked out once per shape
 * (RecordShapes), and the copy is a function made once per key list (`objectBuilder`) whose
 * body is one object literal of plain property reads, compiled by V8 like hand-written code.
 */

/**
 * What a caller derives from a record's key list (which keys to copy, in which order), worked
 * out once per shape. The few most recent shapes are kept, so records whose shapes alternate
 * (a field present on some records only) do not work it out again and again.
 */
export class RecordShapes<T> {
  private readonly derive: (keys: readonly string[]) => T;
  private readonly capacity: number;
  /** Most recently used first. */
  private readonly shapes: { keys: string[]; value: T }[] = [];

  constructor(derive: (keys: readonly string[]) => T, capacity = 4) {
    this.derive = derive;
    this.capacity = capacity;
  }

  /** The value derived from the enumerable keys of `record` (`for…in` order). */
  of(record: object): T {
    const shapes = this.shapes;
    for (let s = 0; s < shapes.length; s++) {
      const shape = shapes[s] as { keys: string[]; value: T };
      if (hasKeys(record, shape.keys)) {
        if (s > 0) shapes.unshift(...shapes.splice(s, 1));
        return shape.value;
      }
    }
    const keys: string[] = [];
    for (const key in record) keys.push(key);
    const value = this.derive(keys);
    shapes.unshift({ keys, value });
    if (shapes.length > this.capacity) shapes.pop();
    return value;
  }
}

function hasKeys(record: object, keys: readonly string[]): boolean {
  let n = 0;
  for (const key in record) {
    if (keys[n] !== key) return false;
    n += 1;
  }
  return n === keys.length;
}

/** A record copier made by `objectBuilder`: the source record, then the leading keys' values in order. */
export type ObjectBuilder = (
  source: Record<string, unknown>,
  ...values: unknown[]
) => Record<string, unknown>;

/** Builders made so far, by key lists: one per shape of a listing's records, a handful in all. */
const built = new Map<string, ObjectBuilder>();
const MAX_BUILT = 256;
/**
 * Compiles at most, for the life of the process: a server whose records change their key set
 * every record would otherwise compile a builder per record (~1 s each for 100,000 keys). Past
 * it, new shapes get the plain loop (slower per record, no compile).
 */
export const MAX_COMPILED = 128;
let compiled = 0;
/**
 * False once `new Function` was refused (`node --disallow-code-generation-from-strings`, a
 * hardening flag): every builder is then the plain loop.
 */
let codegen = true;

/** For tests: how many builders were compiled, and whether code generation is still tried. */
export function builderStats(): { compiled: number; codegen: boolean } {
  return { compiled, codegen };
}

/**
 * Builds `{ [leading[0]]: values[0], …, [copied[0]]: source[copied[0]], … }` in that key order,
 * without the copied keys whose value is undefined. Made with `new Function` from the keys
 * (each written as a JSON string literal, so no key can be read as code); a key list the literal
 * cannot spell (`__proto__`, which a literal takes as the prototype) gets the plain loop instead.
 * A copied key that repeats a leading one keeps its place and takes the source's value, as an
 * assignment after the literal would.
 */
export function objectBuilder(leading: readonly string[], copied: readonly string[]): ObjectBuilder {
  const id = JSON.stringify([leading, copied]);
  let builder = built.get(id);
  if (builder === undefined) {
    builder = makeBuilder(leading, copied);
    // Bounded: data whose shapes never repeat makes a builder per record (slow, still correct).
    if (built.size >= MAX_BUILT) built.clear();
    built.set(id, builder);
  }
  return builder;
}

function makeBuilder(leading: readonly string[], copied: readonly string[]): ObjectBuilder {
  if (!codegen || compiled >= MAX_COMPILED || [...leading, ...copied].includes("__proto__"))
    return loopBuilder(leading, copied);
  const quote = (key: string) => JSON.stringify(key);
  const params = leading.map((_, i) => `v${i}`);
  // Undefined values are left out, as JSON and the loop copy do: rare, so checked once for all.
  const reads = copied.map((key, i) => `c${i} = source[${quote(key)}]`);
  const fields = [
    ...leading.map((key, i) => `${quote(key)}: v${i}`),
    ...copied.map((key, i) => `${quote(key)}: c${i}`),
  ];
  const anyUndefined = copied.map((_, i) => `c${i} === undefined`).join(" || ") || "false";
  const body = `"use strict";
${reads.length > 0 ? `const ${reads.join(", ")};` : ""}
if (${anyUndefined}) return fallback(source, ${params.join(", ")});
return { ${fields.join(", ")} };`;
  let make: (fallback: ObjectBuilder) => ObjectBuilder;
  try {
    make = new Function(
      "fallback",
      `return function build(source, ${params.join(", ")}) {\n${body}\n};`,
    ) as typeof make;
  } catch (error) {
    if (!(error instanceof EvalError)) throw error;
    codegen = false;
    return loopBuilder(leading, copied);
  }
  compiled += 1;
  return make(loopBuilder(leading, copied));
}

function loopBuilder(leading: readonly string[], copied: readonly string[]): ObjectBuilder {
  return (source, ...values) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < leading.length; i++) define(out, leading[i] as string, values[i]);
    for (const key of copied) {
      const value = source[key];
      if (value !== undefined) define(out, key, value);
    }
    return out;
  };
}

/** An own data property even for `__proto__` (plain assignment would set the prototype). */
function define(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
