import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { objectBuilder, RecordShapes } from "../../src/core/record-shape.ts";

/** What a builder must equal: the leading values, then the copied fields that are defined, by assignment. */
function reference(leading: string[], copied: string[], source: Record<string, unknown>, values: unknown[]) {
  const out: Record<string, unknown> = {};
  const set = (key: string, value: unknown) =>
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  leading.forEach((key, i) => {
    set(key, values[i]);
  });
  for (const key of copied) if (source[key] !== undefined) set(key, source[key]);
  return out;
}

describe("objectBuilder", () => {
  it("copies the fields a plain loop would, in the same key order, for any key names and values", () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom(
        "__proto__",
        "constructor",
        "toString",
        'a"b',
        "a\\b",
        "\u2028",
        "}); throw 1; ({",
        "0",
        "10",
      ),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { maxLength: 6 }),
        fc.uniqueArray(key, { maxLength: 8 }),
        fc.array(fc.oneof(fc.jsonValue(), fc.constant(undefined)), { minLength: 8, maxLength: 8 }),
        (leading, copied, data) => {
          const source: Record<string, unknown> = {};
          copied.forEach((k, i) => {
            Object.defineProperty(source, k, { value: data[i], enumerable: true });
          });
          const values = leading.map((_, i) => data[(i + 3) % data.length]);
          const built = objectBuilder(leading, copied)(source, ...values);
          const expected = reference(leading, copied, source, values);
          expect(Object.keys(built)).toEqual(Object.keys(expected));
          expect(Object.getPrototypeOf(built)).toBe(Object.prototype);
          for (const k of Object.keys(expected)) expect(built[k]).toBe(expected[k]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("writes a key that repeats a leading one in the leading place, with the source's value", () => {
    const build = objectBuilder(["id", "direction"], ["direction", "extra"]);
    const built = build({ direction: "INBOUND", extra: 1 }, "7", "OUTBOUND");
    expect(Object.entries(built)).toEqual([
      ["id", "7"],
      ["direction", "INBOUND"],
      ["extra", 1],
    ]);
    // An undefined copy leaves the leading value (JSON has no undefined).
    expect(build({ extra: 1 }, "7", "OUTBOUND")).toEqual({ id: "7", direction: "OUTBOUND", extra: 1 });
  });
});

describe("RecordShapes", () => {
  it("derives once per shape, and keeps the recent shapes when records alternate", () => {
    const derived: string[] = [];
    const shapes = new RecordShapes((keys) => {
      derived.push(keys.join(","));
      return keys.length;
    }, 2);
    const a = { x: 1, y: 2 };
    const b = { x: 1, y: 2, z: 3 };
    const c = { y: 2, x: 1 };
    for (let i = 0; i < 10; i++) {
      expect(shapes.of(a)).toBe(2);
      expect(shapes.of(b)).toBe(3);
    }
    expect(derived).toEqual(["x,y", "x,y,z"]);
    // Same keys in another order is another shape; the least recent one is dropped (capacity 2).
    expect(shapes.of(c)).toBe(2);
    expect(shapes.of(b)).toBe(3);
    expect(shapes.of(a)).toBe(2);
    expect(derived).toEqual(["x,y", "x,y,z", "y,x", "x,y"]);
    // A record with fewer keys than a kept shape is not taken for it.
    expect(shapes.of({ x: 1 })).toBe(1);
  });
});
