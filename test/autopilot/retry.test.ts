import { describe, expect, it } from "vitest";
import { recordsToRetry } from "../../src/autopilot/retry.ts";
import type { ListAttempt } from "../../src/platform/ports/lists.ts";

const dial = (recordId: string, talked = false): ListAttempt => ({
  recordId,
  phone: "+12125550100",
  at: "2026-12-07T14:10:00Z",
  requestedAt: undefined,
  outcome: talked ? "Answered" : "No Answer",
  disposition: undefined,
  agentId: talked ? "agent-1" : undefined,
  contactId: undefined,
  deliveredAsCallback: false,
});

const NOW = Date.parse("2026-12-07T16:05:00Z");
const closed = NOW - 60_000;
const open = NOW + 60_000;

function retry(over: Partial<Parameters<typeof recordsToRetry>[0]> = {}) {
  return recordsToRetry({
    dials: new Map([
      ["a1", [dial("a1")]],
      ["b1", [dial("b1"), dial("b1")]],
      ["c1", [dial("c1", true)]],
      ["c2", [dial("c2")]],
      ["d1", [dial("d1")]],
      ["e1", []],
      ["u1", [dial("u1")]],
    ]),
    sentByAccount: new Map([
      ["A", ["a1"]],
      ["B", ["b1"]],
      ["C", ["c1", "c2"]],
      ["D", ["d1"]],
      ["E", ["e1"]],
    ]),
    unaccounted: ["u1"],
    windowEnds: new Map([
      ["a1", closed],
      ["b1", closed],
      ["c1", closed],
      ["c2", closed],
      ["d1", open],
      ["e1", closed],
      ["u1", closed],
    ]),
    waitingAccounts: new Set(),
    nowMs: NOW,
    retries: 1,
    ...over,
  });
}

describe("recordsToRetry", () => {
  it("an unanswered record whose window closed, once a day beyond its first dial; never after a conversation on its debt, while its window is open, or undialled", () => {
    expect(retry().sort()).toEqual(["a1", "u1"]);
  });
  it("two retries let a record dialled twice be planned a third time", () => {
    expect(retry({ retries: 2 }).sort()).toEqual(["a1", "b1", "u1"]);
  });
  it("none while a number of the debt waits behind it, or with retries 0", () => {
    expect(retry({ waitingAccounts: new Set(["A"]) }).sort()).toEqual(["u1"]);
    expect(retry({ retries: 0 })).toEqual([]);
  });
  it("none while another number of the debt is live", () => {
    expect(retry({ sentByAccount: new Map([["A", ["a1", "d1"]]]), unaccounted: [] })).toEqual([]);
  });
});
