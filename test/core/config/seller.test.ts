import { describe, expect, it } from "vitest";
import { sellerOf } from "../../../src/core/config/seller.ts";

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
