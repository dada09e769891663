import { describe, expect, it } from "vitest";
import { type SellerUnit, sellerOf, sellerPeers } from "../../../src/core/config/seller.ts";

describe("sellerOf: the one seller rule", () => {
  it("is the unit's consent.seller when it names one", () => {
    expect(sellerOf({ seller: "acme-group" }, "acme-east")).toBe("acme-group");
    expect(sellerOf({ seller: "acme-group" }, undefined)).toBe("acme-group");
  });

  it("is the unit itself when consent names no seller, or there are no consent settings", () => {
    expect(sellerOf({}, "acme-east")).toBe("acme-east");
    expect(sellerOf({ seller: undefined }, "acme-east")).toBe("acme-east");
    expect(sellerOf(undefined, "acme-east")).toBe("acme-east");
  });

  it("is undefined when neither says one (a client of no named unit)", () => {
    expect(sellerOf(undefined, undefined)).toBeUndefined();
  });
});

describe("sellerPeers: the one rule for the seller's other units", () => {
  const units: SellerUnit[] = [
    { name: "acme-east", consent: { seller: "acme" } },
    { name: "acme-west", consent: { seller: "acme" } },
    { name: "acme", consent: {} },
    { name: "globex", consent: undefined },
    { name: undefined, consent: { seller: "acme" } },
  ];
  const names = (list: SellerUnit[]) => list.map((u) => u.name);
  const own = (name: string) => units.find((u) => u.name === name) as SellerUnit;

  it("is every other named unit with the same seller, in order; the unit itself is left out", () => {
    // A unit named as another's seller, with no seller of its own, is that seller's too.
    expect(names(sellerPeers(own("acme-east"), units, (u) => u))).toEqual(["acme-west", "acme"]);
    expect(names(sellerPeers(own("acme"), units, (u) => u))).toEqual(["acme-east", "acme-west"]);
  });

  it("is empty for a unit that is its own seller alone, and never counts an unnamed unit", () => {
    expect(sellerPeers(own("globex"), units, (u) => u)).toEqual([]);
    expect(names(sellerPeers(own("acme-west"), units, (u) => u))).not.toContain(undefined);
  });

  it("sees units through the caller's view (names with their settings elsewhere)", () => {
    const settings: Record<string, { seller?: string }> = { a: { seller: "s" }, b: { seller: "s" }, c: {} };
    expect(sellerPeers("a", ["a", "b", "c"], (name) => ({ name, consent: settings[name] }))).toEqual(["b"]);
  });
});
