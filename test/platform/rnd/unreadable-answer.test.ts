import { describe, expect, it } from "vitest";
import { UnreadableAnswerError } from "../../../src/platform/errors.ts";
import { readReply } from "../../../src/platform/rnd/client.ts";

/** An RND answer that cannot be read names the RND, not CXone, as the party that answered. */
describe("the Reassigned Numbers Database's unreadable answer", () => {
  it("says the RND answered, naming the route and what was missing", () => {
    let error: unknown;
    try {
      readReply({ unexpected: true }, [{ number: "+12125550188", date: "2026-01-01" }] as never, 200);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnreadableAnswerError);
    expect((error as Error).message).toMatch(
      /^POST \/api\/v1\/queries: the Reassigned Numbers Database answered 200 without /,
    );
    expect((error as Error).message).not.toMatch(/CXone/);
  });
});

describe("the RND's dataAsOf is judged: only the latest database is evidence", () => {
  const NOW = Date.parse("2026-11-27T15:00:00Z");
  const reply = (dataAsOf: string) => () =>
    readReply(
      { dataAsOf, results: [{ tn: "2127363188", date: "2026-01-01", result: "no" }] },
      [{ phone: "+12127363188", consentDate: "2026-01-01" }] as never,
      200,
      NOW,
    );
  it("data of this month's or last month's reports is read", () => {
    expect(reply("2026-11-27")().dataAsOf).toBe("2026-11-27");
    expect(reply("2026-11-15")().dataAsOf).toBe("2026-11-15");
    expect(reply("2026-10-15")().dataAsOf).toBe("2026-10-15");
  });
  it.each([
    ["2021-03-01", /not the latest database/],
    ["2026-10-01", /not the latest database/],
    ["2027-01-04", /data from the future/],
  ])("data as of %s is refused: not kept as safe-harbor evidence", (dataAsOf, rule) => {
    expect(reply(dataAsOf)).toThrow(UnreadableAnswerError);
    expect(reply(dataAsOf)).toThrow(rule);
  });
});
