import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import type { ComplianceInput } from "../../src/compliance/verdict.ts";
import { zoneOfZip } from "../../src/compliance/zip-zones.ts";
import { parseNanp } from "../../src/core/phone-number.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 92 §4: a ZIP narrows the called party's zone where the vendored table places it. An
 * Oregon 541 number is judged at Pacific, Mountain and Boise time without one (Malheur County
 * keeps Mountain time), so at 19:30 Pacific — 20:30 Mountain, past Oregon's 8 p.m. — it is
 * refused; with a Portland ZIP it is allowed, with Ontario's (Malheur County) it is refused.
 * A ZIP the table does not list keeps the union. `zoneDerivation` says which decided.
 */
const at = (iso: string) => Date.parse(iso);
const call = (zip?: string) =>
  engine.evaluate({
    number: parseNanp("+15413821234")!,
    atMs: at("2026-12-02T19:30:00-08:00"),
    consent: true,
    ...(zip === undefined ? {} : { zip }),
  } as ComplianceInput);

describe("the zone from the ZIP", () => {
  it("the table places ZIP codes (Portland, Ontario OR, El Paso, Pensacola, Tallahassee) and not unknown ones", () => {
    expect(zoneOfZip("97201")).toBe("America/Los_Angeles");
    expect(zoneOfZip("97914")).toBe("America/Boise");
    expect(zoneOfZip("79901")).toBe("America/Denver");
    expect(zoneOfZip("32501")).toBe("America/Chicago");
    expect(zoneOfZip("32301-1234")).toBe("America/New_York");
    expect(zoneOfZip("00000")).toBeUndefined();
    expect(zoneOfZip("1234")).toBeUndefined();
  });

  it("narrows an Oregon number's zones to the ZIP's, and says so; an unknown ZIP keeps the union", () => {
    const none = call();
    expect(none).toMatchObject({ allowed: false, zoneDerivation: "number" });
    expect(none.zones).toEqual(expect.arrayContaining(["America/Los_Angeles", "America/Denver"]));
    expect(call("97201")).toMatchObject({
      allowed: true,
      zones: ["America/Los_Angeles"],
      zoneDerivation: "zip",
    });
    expect(call("97914")).toMatchObject({ allowed: false, zones: ["America/Boise"], zoneDerivation: "zip" });
    expect(call("00000")).toMatchObject({ allowed: false, zones: none.zones, zoneDerivation: "number" });
  });
});

/**
 * Issue 100 (probe, Medium): a ZIP outside every zone of the number and of the state widened the
 * calling window — `--state NY --zip 90210` allowed a New York number at 21:30 New York time,
 * judged at Los Angeles's 18:30 alone. A ZIP only narrows: outside the number's regions (or the
 * state's) it is judged together with them, never instead.
 */
describe("a ZIP only narrows", () => {
  const nyAt2130 = (extra: Partial<ComplianceInput>) =>
    engine.evaluate({
      number: parseNanp("+12125551234")!,
      atMs: at("2026-12-02T21:30:00-05:00"),
      consent: true,
      ...extra,
    } as ComplianceInput);

  it("a New York number with a Beverly Hills ZIP (and the state NY) is judged in New York's zone too: refused at 21:30", () => {
    for (const extra of [{ zip: "90210", addressState: "NY" }, { zip: "90210" }]) {
      const verdict = nyAt2130(extra);
      expect(verdict.allowed).toBe(false);
      expect(verdict.zones).toEqual(expect.arrayContaining(["America/New_York", "America/Los_Angeles"]));
      expect(verdict.zoneDerivation).toBe("number+zip");
    }
  });

  it("a ZIP inside the number's regions but outside the address state's does not narrow either", () => {
    // Portland's ZIP with a Texas address: the Oregon number's zones, Texas's and the ZIP's, together.
    const verdict = call("97201");
    expect(verdict.zoneDerivation).toBe("zip");
    const withIdaho = engine.evaluate({
      number: parseNanp("+15413821234")!,
      atMs: at("2026-12-02T19:30:00-08:00"),
      consent: true,
      zip: "97201",
      addressState: "TX",
    } as ComplianceInput);
    expect(withIdaho.zoneDerivation).toBe("number+zip");
    expect(withIdaho.allowed).toBe(false);
  });
});
