import { describe, expect, it } from "vitest";
import { contactOf } from "../../../src/platform/cxone/call-lists.ts";

/**
 * Issue 79 §3 on the production platform: a calling list's record carries the day call consent
 * was given in a custom column (`cxone.productionApi.consentDateColumn`), read as YYYY-MM-DD —
 * what `campaigns contacts` and `strategy plan` ask the Reassigned Numbers Database about.
 */
describe("a calling list's consent date column", () => {
  const record = (value: string) => ({
    externalId: "r1",
    phoneNumber: "3035552001",
    customFields: { consent_call: "Y", consent_date: value },
  });
  it.each([
    ["2024-03-01", "2024-03-01"],
    ["2024-03-01T15:00:00Z", "2024-03-01"],
    ["3/1/2024", "2024-03-01"],
    ["", undefined],
  ])("%s → %s", (cell, day) => {
    expect(contactOf(record(cell), "consent_call", "consent_date").consentDate).toBe(day);
  });
  it("a cell that is not a day blocks (UnreadableAnswerError naming the column and the record), never reads as no date", () => {
    expect(() => contactOf(record("yesterday"), "consent_call", "consent_date")).toThrow(
      /consent date column consent_date of record r1 \(it holds "yesterday"\).*blocks rather than allows/,
    );
  });
  it("without the setting the column is not read", () => {
    expect(contactOf(record("2024-03-01"), "consent_call").consentDate).toBeUndefined();
  });
});
