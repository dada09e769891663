import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { revocationId } from "../../src/consent/revocation.ts";
import {
  parseScope,
  type Scope,
  scopeColumns,
  scopeCovers,
  scopeOfColumns,
  scopeText,
} from "../../src/consent/scope.ts";

/**
 * A revocation's scope is a tagged union inside cxo; its text (`tenant`, `all`, `campaign:<id>`)
 * is read and written at the edges by one parse and one format, and stored as two columns.
 */
const campaignId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/);
const scope: fc.Arbitrary<Scope> = fc.oneof(
  fc.constant<Scope>({ kind: "tenant" }),
  fc.constant<Scope>({ kind: "all" }),
  campaignId.map((id): Scope => ({ kind: "campaign", campaignId: id })),
);

describe("consent scope", () => {
  it("text and columns round-trip every scope", () => {
    fc.assert(
      fc.property(scope, (s) => {
        expect(parseScope(scopeText(s))).toEqual(s);
        const { kind, campaign } = scopeColumns(s);
        expect(scopeOfColumns(kind, campaign)).toEqual(s);
      }),
    );
  });

  it("reads the forms people write, and nothing else", () => {
    expect(parseScope(" tenant ")).toEqual({ kind: "tenant" });
    expect(parseScope("all")).toEqual({ kind: "all" });
    expect(parseScope("campaign:a.b:c-1")).toEqual({ kind: "campaign", campaignId: "a.b:c-1" });
    for (const bad of ["", "Tenant", "campaign:", "campaign:-x", "campaign", "skill:101", "campaign: 101"])
      expect(parseScope(bad), bad).toBeUndefined();
    expect(() => scopeOfColumns("campaign", null)).toThrow(/no scope cxo knows/);
  });

  it("covers a campaign as before: tenant and all every one, a campaign its own (and a question naming none)", () => {
    const one: Scope = { kind: "campaign", campaignId: "101" };
    expect(scopeCovers({ kind: "tenant" }, "202")).toBe(true);
    expect(scopeCovers({ kind: "all" }, undefined)).toBe(true);
    expect(scopeCovers(one, "101")).toBe(true);
    expect(scopeCovers(one, "202")).toBe(false);
    expect(scopeCovers(one, undefined)).toBe(true);
  });

  it("a revocation's id is the one its text form always gave", () => {
    const r = {
      phone: "+13125551601",
      receivedAt: "2026-06-01T12:00:00.000Z",
      channel: "sms" as const,
      source: null,
    };
    // The digest of the text as ledger ids were made before the scope had a type of its own.
    expect(revocationId({ ...r, scope: { kind: "campaign", campaignId: "101" } })).toBe(
      "rev_" +
        createHash("sha256")
          .update(`+13125551601\u0000${Date.parse(r.receivedAt)}\u0000sms\u0000campaign:101`)
          .digest("hex")
          .slice(0, 32),
    );
  });
});
