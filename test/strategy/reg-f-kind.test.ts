import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { parseNanp } from "../../src/core/phone-number.ts";
import { dialRefusals } from "../../src/strategy/may-dial.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Regulation F (12 CFR 1006.14) is a debt collector's rule: the one judge of plan and push held a
 * sales campaign's household to 7 calls in 7 days and to no call after a conversation, and issue
 * 91's sales week saw its autopilot's retries refused for `reg_f_7_in_7` until the campaign stopped.
 */
const number = parseNanp("+12125550142");
if (!number) throw new Error("test number");
const record = {
  number,
  zones: ["America/New_York"],
  state: "NY",
  consent: true,
  onDnc: false,
  accountId: "H-1",
};
// Tuesday 2026-12-08, 14:00 New York: seven calls on the household's numbers in the days before,
// and a conversation yesterday.
const at = Date.parse("2026-12-08T19:00:00Z");
const account = [
  ...Array.from({ length: 7 }, (_, i) => ({ atMs: at - (i + 1) * 20 * 3_600_000, conversation: false })),
  { atMs: at - 86_400_000, conversation: true },
];
const codes = (kind?: "sales" | "collections") =>
  dialRefusals({ engine, campaignId: "301", ...(kind ? { kind } : {}) }, record, at, at + 59 * 60_000, {
    account,
  }).map((r) => r.code);

describe("Regulation F by the campaign's kind", () => {
  it("a collections campaign, or one of no declared kind, is held to it", () => {
    expect(codes("collections")).toEqual(
      expect.arrayContaining(["reg_f_after_conversation", "reg_f_7_in_7"]),
    );
    expect(codes()).toEqual(expect.arrayContaining(["reg_f_after_conversation", "reg_f_7_in_7"]));
  });
  it("a sales campaign is not", () => {
    expect(codes("sales").filter((c) => c.startsWith("reg_f"))).toEqual([]);
  });
});
