import { describe, expect, it } from "vitest";
import { OutcomeAnalyzer } from "../../src/outcomes/analysis.ts";
import {
  Categorizer,
  DEFAULT_DISPOSITION_MAP,
  dispositionMapSchema,
} from "../../src/outcomes/disposition-map.ts";
import { canonicalRecord } from "../../src/outcomes/record-format.ts";

/** A map entry matches a record by code or by disposition name (production platform: ids). */
const record = (code: string | null, name?: string) =>
  canonicalRecord({
    id: `c-${code}`,
    campaignId: "101",
    startTime: "2026-06-01T10:00:00Z",
    dispositionCode: code,
    ...(name === undefined ? {} : { dispositionName: name }),
  });

describe("disposition map: code or name", () => {
  const categorizer = new Categorizer(DEFAULT_DISPOSITION_MAP);

  it("matches a code exactly, and a name ignoring case, spaces, _ and -", () => {
    expect(categorizer.categoryOf("CONVERTED")).toBe("success");
    expect(categorizer.categoryOf("converted")).toBeUndefined(); // codes stay exact
    expect(categorizer.categoryOf("11", "Appointment Set")).toBe("success");
    expect(categorizer.categoryOf("12", "callback-requested")).toBe("warm");
    expect(categorizer.categoryOf("13", " No  Answer ")).toBe("neutral");
    // The usual CXone names are in the default map too (issue 30: 29% "unknown" without them).
    expect(categorizer.categoryOf("14", "Sale")).toBe("success");
    expect(categorizer.categoryOf("15", "Do Not Call")).toBe("cold");
    expect(categorizer.categoryOf("16", "Frobnicated")).toBeUndefined();
    expect(categorizer.categoryOf(null, null)).toBeUndefined();
  });

  it("a code match wins over a name match", () => {
    const map = dispositionMapSchema.parse({
      categories: { success: ["Sale"], cold: ["11"] },
      conversionCategories: ["success"],
    });
    const c = new Categorizer(map);
    expect(c.categoryOf("11", "Sale")).toBe("cold");
    expect(c.categoryOf("12", "Sale")).toBe("success");
  });

  it("accepts names with spaces; refuses two categories claiming one name", () => {
    expect(
      dispositionMapSchema.safeParse({
        categories: { success: ["Appointment Set", "APPOINTMENT_SET", "Don't Call Back (VIP)"] },
        conversionCategories: ["success"],
      }).success,
    ).toBe(true);
    const clash = dispositionMapSchema.safeParse({
      categories: { success: ["Appointment Set"], warm: ["appointment-set"] },
      conversionCategories: ["success"],
    });
    expect(clash.success).toBe(false);
    expect(clash.error?.issues[0]).toMatchObject({ path: ["categories", "warm", 0] });
    expect(clash.error?.issues[0]?.message).toMatch(
      /Appointment Set \(category "success"\) match the same disposition name/,
    );
    for (const bad of [" Sale", "Sale ", "a\tb", ""])
      expect(
        dispositionMapSchema.safeParse({ categories: { s: [bad] }, conversionCategories: ["s"] }).success,
      ).toBe(false);
  });

  it("the analysis counts by name and lists an unknown code with its name", () => {
    const analyzer = new OutcomeAnalyzer(categorizer);
    for (const r of [
      record("11", "Appointment Set"),
      record("15", "Do Not Call"),
      record("BUSY"),
      record("ODD"),
      record("16", "Frobnicated"),
    ])
      analyzer.add(r);
    const result = analyzer.result();
    expect(result.categories).toMatchObject({ success: 1, neutral: 1, cold: 1 });
    expect(result.conversionRate).toBe(0.2);
    expect(result.unknownCodes).toEqual({ "Frobnicated (16)": 1, ODD: 1 });
  });

  it("the default map names the usual CXone dispositions (Sale, Answering Machine, Do Not Call)", () => {
    const analyzer = new OutcomeAnalyzer(categorizer);
    for (const [id, name] of [
      ["10", "Sale"],
      ["12", "Answering Machine"],
      ["15", "Do Not Call"],
      ["17", "Left Voicemail"],
    ] as const)
      analyzer.add(record(id, name));
    const result = analyzer.result();
    expect(result.categories).toMatchObject({ success: 1, neutral: 2, cold: 1 });
    expect(result.unknownCodes).toEqual({});
  });
});
