import { describe, expect, it } from "vitest";
import { refusedInBatch, removalVerdictOf } from "../../../src/platform/cxone/batch-answer.ts";
import { e164Of } from "../../../src/platform/cxone/call-lists.ts";
import { text } from "../../../src/platform/cxone/tolerant.ts";

/** CXone's batch answers, read record by record whatever their envelope. */
const A = "+13125550101";
const B = "+13125550102";
const read = (body: unknown) =>
  Object.fromEntries(
    refusedInBatch([A, B], body, {
      items: "recordResults",
      keyOf: (item) => {
        const phone = text(item.formattedPhone ?? item.phoneNumber);
        return phone === undefined ? undefined : e164Of(phone);
      },
    }),
  );

describe("a DNC records answer", () => {
  it("finds the refused record at the top or inside resultSet, errorCount a number or text", () => {
    const items = [
      { formattedPhone: "(312) 555-0101", error: null },
      { formattedPhone: "(312) 555-0102", error: "Invalid phone number" },
    ];
    expect(read({ errorCount: 1, recordResults: items })).toEqual({ [B]: "Invalid phone number" });
    expect(read({ resultSet: { errorCount: "1", recordResults: items } })).toEqual({
      [B]: "Invalid phone number",
    });
    expect(
      read({ resultSet: { errorCount: "0", recordResults: [{ success: "True" }, { success: true }] } }),
    ).toEqual({});
    // By position when an item names no number; `success: false` alone refuses.
    expect(read({ recordResults: [{ success: false }, { success: true }] })).toEqual({
      [A]: "refused, no reason given",
    });
  });

  it("an error count its items do not account for refuses every record not shown taken", () => {
    expect(Object.keys(read({ resultSet: { errorCount: "2", recordResults: [] } }))).toEqual([A, B]);
    expect(
      Object.keys(
        read({ errorCount: 1, recordResults: [{ formattedPhone: "(312) 555-0101", success: true }] }),
      ),
    ).toEqual([B]);
    expect(read({})).toEqual({});
  });
});

describe("a removeProspects answer", () => {
  it("is read in or out of resultSet; an id named nowhere is not removed", () => {
    const endpoint = "DELETE /lists/call-lists/{sourceName}/removeProspects";
    expect(
      removalVerdictOf(
        ["k1", "k2", "k3"],
        {
          resultSet: {
            successfulRecords: [{ externalId: 1 }],
            failedRecords: [{ externalId: "k2", resultCode: "Locked" }],
          },
        },
        endpoint,
      ),
    ).toEqual({
      removed: ["1"],
      failed: [
        { externalId: "k2", reason: "Locked" },
        { externalId: "k1", reason: "not named in CXone's answer: not removed" },
        { externalId: "k3", reason: "not named in CXone's answer: not removed" },
      ],
    });
    expect(() => removalVerdictOf(["k1"], { successfulRecords: [] }, endpoint)).toThrow(
      /without its successfulRecords\/failedRecords lists/,
    );
  });
});
