import { describe, expect, it } from "vitest";
import { COLUMNS } from "../../src/outcomes/record-format.ts";
import { completedCallOf } from "../../src/platform/cxone/contact-record.ts";
import { CALL_RECORD_FIELDS } from "../../src/platform/types.ts";

/**
 * Issue 52 §1: the call record's field list is kept once, beside OutboundCall. The export's
 * columns and the production adapter's record both follow it (they were two lists, in two
 * orders: the adapter put phoneNumber before contactId).
 */
describe("one call-record field list", () => {
  it("the export's columns are the call record's fields, then extra, then the TSR fields (issue 79 §4)", () => {
    expect(COLUMNS).toEqual([...CALL_RECORD_FIELDS, "extra", "seller", "telemarketer", "robocall"]);
  });

  it("a production record's raw starts with the call record's fields, in the same order", () => {
    const call = completedCallOf({
      contactId: "5001",
      masterContactId: "5000",
      skillId: "701",
      contactStartDate: "2026-11-20T10:00:00Z",
      totalDurationSeconds: 42,
      toAddress: "+12125550123",
      agentId: 9,
      primaryDispositionId: 3,
      tags: [],
      someOtherField: "kept",
    });
    expect(Object.keys(call.raw).slice(0, CALL_RECORD_FIELDS.length)).toEqual([...CALL_RECORD_FIELDS]);
    expect(call.raw).toMatchObject({
      contactId: "5000",
      phoneNumber: "+12125550123",
      someOtherField: "kept",
    });
  });
});
