import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import type { ComplianceInput } from "../../src/compliance/verdict.ts";
import { parseNanp } from "../../src/core/phone-number.ts";

/**
 * The rule book's corrections: Texas' registration no longer flags a text sent with the
 * recipient's consent (the 2025-11-06 settlement; the exemption relied on is in the verdict), and
 * a New York telemarketing call carries GBL 399-z's opening (the do-not-call offer) as a script
 * requirement. Each row: the call, whether allowed, the reason codes, the exemptions' and the
 * scripts' rule ids.
 */
const engine = new ComplianceEngine();
const TX = parseNanp("+12145551234");
const NY = parseNanp("+12125551234");
if (!TX || !NY) throw new Error("test numbers");
const base = { consent: true, onDnc: false, kind: "sales" as const };

type Row = [string, ComplianceInput, { codes: string[]; exemptions: string[]; scripts: string[] }];
const ROWS: Row[] = [
  [
    "Texas, a sales text with consent after the settlement: exempt, the exemption named",
    { ...base, number: TX, channel: "sms", atMs: Date.parse("2026-03-03T12:00:00-06:00") },
    { codes: [], exemptions: ["tx-registration-2025-11"], scripts: [] },
  ],
  [
    "Texas, a sales text without consent: registration still asked (and consent)",
    {
      ...base,
      consent: undefined,
      number: TX,
      channel: "sms",
      atMs: Date.parse("2026-03-03T12:00:00-06:00"),
    },
    { codes: ["no_consent", "registration_required"], exemptions: [], scripts: [] },
  ],
  [
    "Texas, a sales call with consent: the exemption is for texts",
    { ...base, number: TX, atMs: Date.parse("2026-03-03T12:00:00-06:00") },
    { codes: ["registration_required"], exemptions: [], scripts: [] },
  ],
  [
    "Texas, a consented text before the settlement (2025-10-01): flagged, as the law was read then",
    { ...base, number: TX, channel: "sms", atMs: Date.parse("2025-10-01T12:00:00-05:00") },
    { codes: ["registration_required"], exemptions: [], scripts: [] },
  ],
  [
    "Texas, a consented text with the registration held: allowed, nothing to exempt from",
    {
      ...base,
      number: TX,
      channel: "sms",
      registrations: { TX: { number: "2025-123", until: "2027-12-31" } },
      atMs: Date.parse("2026-03-03T12:00:00-06:00"),
    },
    { codes: [], exemptions: ["tx-registration-2025-11"], scripts: [] },
  ],
  [
    "New York, a sales call: the do-not-call offer at the beginning",
    { ...base, number: NY, atMs: Date.parse("2026-03-03T12:00:00-05:00") },
    { codes: [], exemptions: [], scripts: ["ny-399z-dnc-offer"] },
  ],
  [
    "New York, a call of an undeclared kind: carried too (the stricter reading)",
    { ...base, kind: undefined, number: NY, atMs: Date.parse("2026-03-03T12:00:00-05:00") },
    { codes: [], exemptions: [], scripts: ["ny-399z-dnc-offer"] },
  ],
  [
    "New York, a collections call: not telemarketing",
    { ...base, kind: "collections", number: NY, atMs: Date.parse("2026-03-03T12:00:00-05:00") },
    { codes: [], exemptions: [], scripts: [] },
  ],
  [
    "New York, a sales call before 2023-03-06",
    { ...base, number: NY, atMs: Date.parse("2023-03-01T12:00:00-05:00") },
    { codes: [], exemptions: [], scripts: [] },
  ],
  [
    "New York, a sales text: the opening is a call's",
    { ...base, number: NY, channel: "sms", atMs: Date.parse("2026-03-03T12:00:00-05:00") },
    { codes: [], exemptions: [], scripts: [] },
  ],
];

describe("Texas' consented texts and New York's opening", () => {
  it.each(ROWS)("%s", (_name, input, expected) => {
    const verdict = engine.evaluateUncached(input);
    expect(verdict.reasons.map((r) => r.code)).toEqual(expected.codes);
    expect((verdict.exemptions ?? []).map((e) => e.ruleId)).toEqual(expected.exemptions);
    expect((verdict.scripts ?? []).map((s) => s.ruleId)).toEqual(expected.scripts);
    for (const e of verdict.exemptions ?? []) expect(e.citation).toMatch(/settlement 2025-11-06/);
    for (const s of verdict.scripts ?? []) {
      expect(s.citation).toMatch(/N\.Y\. Gen\. Bus\. Law 399-z/);
      expect(verdict.rules).toContain(s.ruleId);
    }
  });
});
