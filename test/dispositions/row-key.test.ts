import { describe, expect, it } from "vitest";
import { rowKey } from "../../src/dispositions/bulk-tag.ts";

describe("bulk tagging checkpoint keys", () => {
  it("sort in row order (appended to the store's index, not scattered) and name the call", () => {
    const request = (callId: string) => ({ callId, dispositionCodeId: "CONVERTED", tags: [] });
    const keys = [2, 10, 9, 100, 1_000_000].map((row) => rowKey(row, request(`call-${row}`)));
    expect([...keys].sort()).toEqual(
      [2, 9, 10, 100, 1_000_000].map((row) => rowKey(row, request(`call-${row}`))),
    );
    expect(rowKey(7, request("call-x"))).toBe("0000000007:call-x");
  });
});
