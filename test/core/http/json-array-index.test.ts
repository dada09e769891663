import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IRREGULAR, JsonArrayIndex, MalformedJsonError } from "../../../src/core/http/json-array-index.ts";

/** JsonArrayIndex: the byte ranges of one array field's elements, and the rest of the object. */
const elementsOf = (index: JsonArrayIndex) => Array.from({ length: index.count }, (_, i) => index.text(i));

describe("JsonArrayIndex", () => {
  it("finds every element, whatever its kind, and returns the rest with the array emptied", () => {
    const index = new JsonArrayIndex();
    const body = Buffer.from(
      '{ "n": {"calls": [9]}, "calls" : [1, 22 ,"a,]\\"}",{"x":[1,{"y":"}"}]} , null,true, [ ] ], "z": "ü"}',
    );
    expect(index.index(body, "calls")).toEqual({ n: { calls: [9] }, calls: [], z: "ü" });
    expect(elementsOf(index)).toEqual(["1", "22", '"a,]\\"}"', '{"x":[1,{"y":"}"}]}', "null", "true", "[ ]"]);
  });

  it("leaves an absent or non-array field as it is", () => {
    const index = new JsonArrayIndex();
    expect(index.index(Buffer.from('{"calls":null,"next":"t"}'), "calls")).toEqual({
      calls: null,
      next: "t",
    });
    expect(index.count).toBe(0);
    expect(index.index(Buffer.from('{"other":[1,2]}'), "calls")).toEqual({ other: [1, 2] });
    expect(index.count).toBe(0);
    expect(index.index(Buffer.from('{"calls":[]}'), "calls")).toEqual({ calls: [] });
    expect(index.count).toBe(0);
  });

  it.each([
    ['{"calls":[1,]}', /empty array element/],
    ['{"calls":[,1]}', /empty array element/],
    ['{"calls":[1],"calls":[2]}', /appears twice/],
    ["[1,2]", /not a JSON object/],
    ['{"calls":[1', /ended early/],
    ['{"calls":["ab', /string is not closed/],
    ['{"calls":[1]}}', /unbalanced/],
    ['{"calls":[1] "x"}', /not JSON/],
  ])("rejects %s", (body, message) => {
    expect(() => new JsonArrayIndex().index(Buffer.from(body), "calls")).toThrow(message);
    expect(() => new JsonArrayIndex().index(Buffer.from(body), "calls")).toThrow(MalformedJsonError);
  });

  it("a missing comma between elements stays in the element's text, where JSON.parse rejects it", () => {
    const index = new JsonArrayIndex();
    index.index(Buffer.from('{"calls":[{"a":1} {"b":2}, 3]}'), "calls");
    expect(() => JSON.parse(index.text(0))).toThrow();
    expect(index.text(1)).toBe("3");
  });

  it("property: any object, any formatting — the elements and the rest are exactly the parsed ones", () => {
    const index = new JsonArrayIndex();
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }),
        fc.array(fc.jsonValue(), { maxLength: 30 }),
        fc.constantFrom(undefined, 1, "\t"),
        (others, calls, indent) => {
          const document = JSON.parse(JSON.stringify({ ...others, calls }));
          const body = Buffer.from(JSON.stringify(document, null, indent));
          const rest = index.index(body, "calls");
          expect(rest).toEqual({ ...document, calls: [] });
          expect(elementsOf(index).map((text) => JSON.parse(text))).toEqual(document.calls);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("property: every strict prefix of a body is refused (a cut-off answer never passes)", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 10 }), fc.nat(), (calls, cut) => {
        const body = Buffer.from(JSON.stringify({ calls, nextPageToken: "t" }));
        const prefix = body.subarray(0, cut % body.length);
        expect(() => new JsonArrayIndex().index(prefix, "calls")).toThrow(MalformedJsonError);
      }),
      { numRuns: 300 },
    );
  });

  it("reuses its offset arrays: a second body replaces the first one's elements", () => {
    const index = new JsonArrayIndex();
    const many = Buffer.from(JSON.stringify({ calls: Array.from({ length: 3000 }, (_, i) => ({ i })) }));
    index.index(many, "calls");
    expect(index.count).toBe(3000);
    expect(JSON.parse(index.text(2999))).toEqual({ i: 2999 });
    index.index(Buffer.from('{"calls":["x"]}'), "calls");
    expect(elementsOf(index)).toEqual(['"x"']);
    expect(() => index.text(1)).toThrow(RangeError);
  });

  it("stringAfter reads one string field from an element's bytes, within that element only", () => {
    const index = new JsonArrayIndex();
    const key = Buffer.from('"phone":');
    index.index(
      Buffer.from(
        '{"contacts":[{"id":"a","phone":"+12125550100"},{"id":"b"},{"phone":"+1\\u0032"},' +
          '{"phone":12},{"x":{"phone":"+13055550100"},"phone":"+12125550101"},{"phone":"Ø+1"},' +
          '{"phone":"+1'.concat('212"}],"next":"{\\"phone\\":\\"+19995550100\\"}"}'),
      ),
      "contacts",
    );
    expect(index.count).toBe(7);
    expect(index.stringAfter(0, key)).toBe("+12125550100");
    expect(index.stringAfter(1, key)).toBeUndefined(); // absent here, though later elements have it
    expect(index.stringAfter(2, key)).toBeUndefined(); // escaped: left to JSON.parse
    expect(index.stringAfter(3, key)).toBeUndefined(); // not a string
    expect(index.stringAfter(4, key)).toBe("+13055550100"); // the first occurrence: a hint only
    expect(index.stringAfter(5, key)).toBe("Ø+1");
    expect(index.stringAfter(6, key)).toBe("+1212");
    expect(() => index.stringAfter(7, key)).toThrow(RangeError);
  });

  it("fieldAt reads an element's top-level scalar exactly as JSON.parse would, or says IRREGULAR", () => {
    const index = new JsonArrayIndex(["id", "ok", "at"]);
    index.index(
      Buffer.from(
        '{"calls":[{"id":1,"ok":true,"at":"2026-01-01T00:00:00Z"},' +
          '{ "x" : {"id":9,"ok":false} , "id" : -1.5e3 , "ok" : "False" },' + // nested keys do not count
          '{"id":"a\\"b","ok":null},' + // an escaped value
          '{"id":[1]},' + // not a scalar
          '{"\\u0069d":2},' + // an escaped key (spells "id")
          "7," + // not an object
          '{"id":1,"id":2},' + // the last occurrence wins
          '{"id":01},' + // not JSON
          '{"at":"Ø","tags":[{"at":"x","id":3}]}' +
          '],"at":"rest"}',
      ),
      "calls",
    );
    const read = (i: number) => [index.fieldAt(i, 0), index.fieldAt(i, 1), index.fieldAt(i, 2)];
    expect(read(0)).toEqual([1, true, "2026-01-01T00:00:00Z"]);
    expect(read(1)).toEqual([-1500, "False", undefined]);
    expect(read(2)).toEqual(['a"b', null, undefined]);
    expect(read(3)[0]).toBe(IRREGULAR);
    expect(read(4)[0]).toBe(IRREGULAR);
    expect(read(5)[0]).toBe(IRREGULAR);
    expect(read(6)[0]).toBe(2);
    expect(read(7)[0]).toBe(IRREGULAR);
    expect(read(8)).toEqual([undefined, undefined, "Ø"]);
    expect(() => index.fieldAt(9, 0)).toThrow(RangeError);
  });

  it("property: fieldAt agrees with JSON.parse of the element on any object, any formatting", () => {
    const keys = ["a", "b", "ü"];
    const index = new JsonArrayIndex(keys);
    const element = fc.dictionary(fc.constantFrom("a", "b", "ü", "c", "\\"), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 5,
    });
    fc.assert(
      fc.property(
        fc.array(fc.oneof(element, fc.jsonValue({ maxDepth: 1 })), { maxLength: 40 }),
        fc.constantFrom(undefined, 1, "\t"),
        (calls, indent) => {
          index.index(Buffer.from(JSON.stringify({ calls }, null, indent)), "calls");
          for (let i = 0; i < index.count; i++) {
            const parsed = JSON.parse(index.text(i)) as unknown;
            keys.forEach((key, k) => {
              const value = index.fieldAt(i, k);
              if (value === IRREGULAR) {
                // Only when the bytes alone cannot say.
                const own = parsed as Record<string, unknown> | null;
                const readable =
                  typeof own === "object" &&
                  own !== null &&
                  !Array.isArray(own) &&
                  (own[key] === null || typeof own[key] !== "object") &&
                  Object.keys(own).every((k) => JSON.stringify(k) === `"${k}"`);
                expect(readable).toBe(false);
              } else expect(value).toEqual((parsed as Record<string, unknown>)[key]);
            });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
