import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { parseNanp } from "../../src/compliance/index.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * The independent audit's examples (issue 19): each was ALLOWED by the engine when the law
 * forbids the call. All with consent. Each must now be refused, for the reason given.
 */
const AUDIT: Array<[string, { phone: string; at: string; state?: string; code: string; zone?: string }]> = [
  [
    "689 is an Orlando overlay (Eastern): 20:30 EDT is past Florida's 20:00",
    {
      phone: "+16892341234",
      at: "2026-03-10T20:30:00-04:00",
      code: "outside_calling_hours",
      zone: "America/New_York",
    },
  ],
  [
    "907-581 Unalaska is on Alaska time, not Honolulu: 22:30 AKDT",
    {
      phone: "+19075811234",
      at: "2026-07-07T22:30:00-08:00",
      code: "outside_calling_hours",
      zone: "America/Anchorage",
    },
  ],
  [
    "474 is Saskatchewan (Regina, no DST), not Winnipeg: 08:30 CST is before the CRTC's 09:00",
    {
      phone: "+14745551234",
      at: "2026-07-07T08:30:00-06:00",
      code: "outside_calling_hours",
      zone: "America/Regina",
    },
  ],
  [
    "867-667 Whitehorse is UTC−7 all year since 2020: 21:45 is past the CRTC's 21:30",
    {
      phone: "+18676671234",
      at: "2026-01-13T21:45:00-07:00",
      code: "outside_calling_hours",
      zone: "America/Whitehorse",
    },
  ],
  [
    "807 spans Eastern and Central (Kenora): an unlisted exchange gets both; 08:30 CDT is too early",
    {
      phone: "+18072031234",
      at: "2026-03-10T09:30:00-04:00",
      code: "outside_calling_hours",
      zone: "America/Winnipeg",
    },
  ],
  [
    "a British Columbia address adds Pacific time: 08:30 in Vancouver",
    {
      phone: "+12124561234",
      at: "2026-03-10T11:30:00-04:00",
      state: "BC",
      code: "outside_calling_hours",
      zone: "America/Vancouver",
    },
  ],
  [
    "Victory Day (second Monday of August) is a Rhode Island legal holiday",
    { phone: "+14015551234", at: "2026-08-10T12:00:00-04:00", code: "holiday" },
  ],
  [
    "an N11 exchange is not a subscriber number",
    { phone: "+12129115555", at: "2026-03-10T12:00:00-04:00", code: "not_dialable" },
  ],
  [
    "555-01XX is reserved for fiction",
    { phone: "+12125550123", at: "2026-03-10T12:00:00-04:00", code: "not_dialable" },
  ],
  [
    "an exchange starting 1 does not exist",
    { phone: "+12121231234", at: "2026-03-10T12:00:00-04:00", code: "not_dialable" },
  ],
  [
    "area code 999 is not assigned",
    { phone: "+19992341234", at: "2026-03-10T12:00:00-04:00", code: "not_dialable" },
  ],
];

describe("the audit's examples are refused", () => {
  it.each(AUDIT)("%s", (_why, c) => {
    const number = parseNanp(c.phone);
    expect(number, c.phone).toBeDefined();
    if (!number) return;
    const verdict = engine.evaluate({
      number,
      atMs: Date.parse(c.at),
      consent: true,
      onDnc: false,
      addressState: c.state,
    });
    expect(verdict.allowed).toBe(false);
    const reason = verdict.reasons.find(
      (r) => r.code === c.code && (c.zone === undefined || r.zone === c.zone),
    );
    expect(reason, JSON.stringify(verdict.reasons)).toBeDefined();
  });

  it("the 867 region is Yukon, Northwest Territories and Nunavut, not NT alone", () => {
    const number = parseNanp("+18676671234");
    if (!number) throw new Error("unparsed");
    const verdict = engine.evaluate({
      number,
      atMs: Date.parse("2026-01-13T12:00:00-07:00"),
      consent: true,
      onDnc: false,
    });
    expect(verdict.states).toEqual(["YT", "NT", "NU"]);
  });
});
