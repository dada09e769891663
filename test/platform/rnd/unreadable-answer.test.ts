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
