import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  namedAreaCodes,
  parsePipeText,
  pipeRowsText,
  placeOfAreaCode,
} from "../../src/compliance/phone-data.ts";

const data = (name: string) =>
  readFileSync(new URL(`../../src/compliance/data/${name}`, import.meta.url), "utf8");

/** What the tables' text must be: the parsed rows, joined (the reference). */
const joined = (text: string) =>
  `\n${parsePipeText(text)
    .map(([prefix, value]) => `${prefix}|${value}`)
    .join("\n")}\n`;

describe("the vendored tables read as text", () => {
  it.each(["timezones_map_data.txt", "nanp_area_codes.txt"])(
    "%s: one regex pass gives the parsed rows",
    (name) => {
      const text = data(name);
      expect(pipeRowsText(text)).toBe(joined(text));
    },
  );

  it.each([
    ["a comment between rows", "# head\n\n1201|A\n# middle\n1202|B\n", true],
    ["no final newline", "1201|A\n1202|B", true],
    ["a value with inner spaces", "1201|New Jersey\n", true],
    ["leading spaces", "  1201|A\n", false],
    ["trailing spaces", "1201|A  \n", false],
    ["CRLF", "1201|A\r\n", false],
    ["a line without a bar", "1201|A\nnot a row\n", false],
    ["a line starting with a bar", "|A\n1201|B\n", false],
    ["only comments", "# x\n", false],
  ])("%s: fast when plain, else left to the parser", (_what, text, fast) => {
    const rows = pipeRowsText(text as string);
    if (fast) expect(rows).toBe(joined(text as string));
    else expect(rows).toBeUndefined();
  });

  it("places by area code: the same as the parsed table, for every area code", () => {
    const named = new Map(parsePipeText(data("nanp_area_codes.txt")));
    for (let npa = 0; npa <= 999; npa += 1) {
      const code = String(npa).padStart(3, "0");
      expect(placeOfAreaCode(code), code).toBe(named.get(`1${code}`));
    }
    expect(placeOfAreaCode("21|")).toBeUndefined();
    expect(namedAreaCodes()).toHaveLength(named.size);
  });
});
