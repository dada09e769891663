import { describe, expect, it } from "vitest";
import { planNdjsonLine } from "../../src/strategy/files.ts";
import { canonicalListRow, listRowSchema } from "../../src/strategy/list-format.ts";
import type { PlanRow } from "../../src/strategy/plan-format.ts";

describe("plan file lines", () => {
  const ruledOut = Object.freeze([Object.freeze({ slot: 20, rule: "outside_calling_hours" })]);
  const base: PlanRow = {
    recordId: 'r"1\\é',
    phone: "+13055552100",
    attemptAt: "2026-03-03T19:00:00-05:00",
    zone: "America/New_York",
    slot: 43,
    attempt: 1,
    estimate: 0.123456789,
    interval: Object.freeze([0.1, 0.15]) as unknown as [number, number],
    ruledOut: ruledOut as unknown as PlanRow["ruledOut"],
  };
  it.each([
    ["without an account", base],
    // the planner's field order: accountId after phone
    [
      "with an account",
      (({ recordId, phone, ...rest }) => ({ recordId, phone, accountId: "A\n7", ...rest }))(base),
    ],
    [
      "with its own lists",
      { ...base, interval: [0, 1] as [number, number], ruledOut: [{ slot: 1, rule: "capacity" }] },
    ],
    // the CLI stamps the plan's campaign last (push refuses a row of another campaign)
    ["stamped with its campaign", { ...base, campaign: "4012" }],
    // version 2: the planner adds the list's zip and the dial window after ruledOut, then the stamp
    ["with its dial window and zip", { ...base, zip: "33101", staleMinutes: 59, campaign: "4012" }],
    ["with its dial window, no zip", { ...base, staleMinutes: 0 }],
  ])("an NDJSON line is JSON.stringify's text (%s)", (_, row) => {
    expect(planNdjsonLine(row)).toBe(`${JSON.stringify(row)}\n`);
    expect(planNdjsonLine(row)).toBe(`${JSON.stringify(row)}\n`);
  });
});

describe("list rows in canonical form", () => {
  it.each([
    { recordId: "r1", phone: "+13055552100" },
    { recordId: "r1", phone: "+13055552100", state: "FL", zip: "33101", accountId: "A1", consent: "true" },
    { recordId: "r1", phone: "+13055552100", state: "", zip: "", accountId: "", consent: "" },
    { recordId: "r1", phone: "+13055552100", consent: "false", other: "ignored" },
    { recordId: "r1", phone: "+13055552100", consent: true },
  ])("are what the schema returns (%o)", (record) => {
    expect(canonicalListRow(record)).toEqual(listRowSchema.parse(record));
  });
  it.each([
    { recordId: 7, phone: "+13055552100" },
    { recordId: "r1", phone: "3055552100" },
    { recordId: "r1", phone: "+13055552100", state: "fl" },
    { recordId: "r1", phone: "+13055552100", consent: "yes" },
    { recordId: "", phone: "+13055552100" },
  ])("else are left to the schema (%o)", (record) => {
    expect(canonicalListRow(record)).toBeUndefined();
  });
});
