import { describe, expect, it } from "vitest";
import type { ListAttemptsSource } from "../../src/autopilot/day-dials.ts";
import { decideHeld } from "../../src/autopilot/held.ts";
import { freshDay } from "../../src/autopilot/state.ts";
import type { ListAttempt } from "../../src/platform/ports/lists.ts";

/**
 * A held record is planned again only once its siblings' outcomes are known (issue 91 §2). The
 * week bench found a sibling dialled once, unanswered, then dialled again by the skill's retries (a
 * supervisor's retry edit the next push accepted) after the held record had been re-planned: two
 * numbers of a debt live at once, one called after the other's conversation. A sibling's outcome
 * is known once its dial window has closed.
 */
const unanswered: ListAttempt = {
  recordId: "r1",
  phone: "+12125557501",
  at: "2026-12-09T15:05:00Z",
  requestedAt: null,
  outcome: "No Answer",
  disposition: undefined,
  agentId: undefined,
  contactId: "c1",
  deliveredAsCallback: false,
} as unknown as ListAttempt;

const client: ListAttemptsSource = { attempts: async () => [unanswered] };

function day() {
  const d = freshDay("2026-12-09");
  d.lists.push("64");
  d.held.push({ recordId: "r2", accountId: "ACC-1", state: "waiting", why: "its sibling first" });
  return d;
}
const siblings = new Map([["ACC-1", ["r1"]]]);
const windowEnds = new Map([["r1", Date.parse("2026-12-09T15:59:00Z")]]);

describe("held records re-planned after their siblings' outcomes", () => {
  it("waits while the dialled sibling's window is open (the skill may dial it again)", async () => {
    const decision = await decideHeld(
      client,
      day(),
      siblings,
      windowEnds,
      Date.parse("2026-12-09T15:30:00Z"),
    );
    expect(decision.replan).toEqual([]);
    expect(decision.dropped).toEqual([]);
  });

  it("plans it again once that window has closed, unanswered", async () => {
    const decision = await decideHeld(
      client,
      day(),
      siblings,
      windowEnds,
      Date.parse("2026-12-09T16:00:00Z"),
    );
    expect(decision.replan.map((h) => h.recordId)).toEqual(["r2"]);
  });
});

describe("a held record of a number listed for several debts (issue 100)", () => {
  it("waits for the records sent for any of its debts, and is dropped after a conversation on one", async () => {
    const shared = freshDay("2026-12-09");
    shared.lists.push("64");
    // r2 is the household line of ACC-2 and ACC-1; r1, ACC-1's mobile, went first.
    shared.held.push({
      recordId: "r2",
      accountId: "ACC-2",
      accountIds: ["ACC-2", "ACC-1"],
      state: "waiting",
      why: "",
    });
    const open = await decideHeld(client, shared, siblings, windowEnds, Date.parse("2026-12-09T15:30:00Z"));
    // The old code looked at ACC-2's records alone (none) and planned it again at once.
    expect(open.replan).toEqual([]);
    const talked: ListAttemptsSource = { attempts: async () => [{ ...unanswered, agentId: "7" }] };
    const after = await decideHeld(talked, shared, siblings, windowEnds, Date.parse("2026-12-09T16:00:00Z"));
    expect(after.dropped.map((h) => h.recordId)).toEqual(["r2"]);
  });
});
