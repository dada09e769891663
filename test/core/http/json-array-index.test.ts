import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonArrayIndex, MalformedJsonError } from "../../../src/core/http/json-array-index.ts";

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
});
