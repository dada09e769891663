import { describe, expect, it } from "vitest";
import { callerIdBinds, callerIdFindings, callerIdMessage } from "../../src/compliance/caller-id-rule.ts";
import { callerIdNumberOf } from "../../src/core/phone-number.ts";
import type { PresentedCallerId } from "../../src/platform/ports/diagnosis.ts";

/**
 * The caller id a call presents, judged (47 CFR 64.1601(e)): pure, table-driven. The value as the
 * skill shows it, the blocked lists' codes for it, and the code the rule gives (none: presentable).
 */
const shown = (value: string | undefined): PresentedCallerId => ({
  shown: value,
  number: callerIdNumberOf(value),
  name: undefined,
  evidence: "test",
});

const ROWS: Array<[string, string | undefined, string[], string | undefined]> = [
  ["the field absent", undefined, [], "callerid_absent"],
  ["empty: withheld", "", [], "callerid_withheld"],
  ["text, not a number", "Anonymous", [], "callerid_invalid"],
  ["too short", "5551234", [], "callerid_invalid"],
  ["a UK number (not NANP)", "+442079460123", [], "callerid_invalid"],
  ["area code starting 1", "1125550123", [], "callerid_invalid"],
  ["an N11 exchange", "3124110123", [], "callerid_invalid"],
  ["555-01XX in a geographic area code (fiction)", "3125550150", [], "callerid_invalid"],
  ["an unassigned area code", "9992340123", [], "callerid_invalid"],
  ["555-01XX in a toll-free area code (a real number)", "8005550100", [], undefined],
  ["10 digits, valid", "3125530999", [], undefined],
  ["E.164 with separators, valid", "+1 (312) 553-0999", [], undefined],
  ["valid, but on the internal list", "3125530999", ["internal_dnc"], "callerid_blocked"],
];

describe("callerIdFindings", () => {
  it.each(ROWS)("%s", (_what, value, blocked, code) => {
    const found = callerIdFindings(shown(value), blocked);
    expect(found.map((f) => f.code)).toEqual(code === undefined ? [] : [code]);
  });

  it("binds telemarketing and an undeclared kind, not collections; the message names the skill, the code and the rule", () => {
    expect(callerIdBinds("sales")).toBe(true);
    expect(callerIdBinds(undefined)).toBe(true);
    expect(callerIdBinds("collections")).toBe(false);
    const [finding] = callerIdFindings(shown(""));
    expect(callerIdMessage("42", finding!, "sales")).toMatch(/^skill 42: callerid_withheld: .*64\.1601\(e\)/);
    expect(callerIdMessage("42", finding!, undefined)).toMatch(
      /not declared, so it is judged as telemarketing/,
    );
    expect(callerIdMessage("42", finding!, "collections")).toMatch(
      /not telemarketing.*a warning, not a refusal/,
    );
  });
});
