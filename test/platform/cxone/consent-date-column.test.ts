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
    ["yesterday", undefined],
  ])("%s → %s", (cell, day) => {
    expect(contactOf(record(cell), "consent_call", "consent_date").consentDate).toBe(day);
  });
  it("without the setting the column is not read", () => {
    expect(contactOf(record("2024-03-01"), "consent_call").consentDate).toBeUndefined();
  });
});
