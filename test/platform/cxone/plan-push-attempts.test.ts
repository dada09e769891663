import { describe, expect, it } from "vitest";
import { productionLists } from "../../../src/platform/cxone/plan-push.ts";
import { UnreadableAnswerError } from "../../../src/platform/errors.ts";

/**
 * Issue 76: a push is judged with the dials CXone made on the lists cxo pushed, so the attempts
 * reader is on a compliance path (round 7): an answer it cannot understand fails naming the
 * route, never reads as "no dials".
 */
const answering = (body: unknown) =>
  productionLists({ request: async () => ({ status: 200, body, headers: {} }) } as never);

describe("the pushed lists' attempts reader", () => {
  it("reads contactAttempts wherever the answer keeps them", async () => {
    const attempts = await answering({
      resultSet: {
        contactAttempts: [
          { externalId: "r1", formattedPhone: "3125550101", dateOfCall: "2026-12-02T15:00:00Z" },
        ],
      },
    }).attempts("7");
    expect(attempts).toMatchObject([{ recordId: "r1", phone: "+13125550101" }]);
  });

  it("an answer without its attempts is unreadable, not empty", async () => {
    const error = await answering({ resultSet: { totalRecords: 3 } })
      .attempts("7")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableAnswerError);
    expect(String(error)).toMatch(/attempts/);
  });
});
