import { describe, expect, it } from "vitest";
import { failureOf } from "../../src/autopilot/failures.ts";
import { CxoneError } from "../../src/core/http/errors.ts";
import { paginateByToken } from "../../src/core/http/pagination.ts";
import * as sdk from "../../src/index.ts";
import { checkReadBack } from "../../src/platform/cxone/parameter-blocks.ts";
import { refuseWhileRemoving } from "../../src/strategy/push-removing.ts";

const caught = (run: () => unknown): Promise<unknown> =>
  Promise.resolve()
    .then(run)
    .then(
      () => undefined,
      (error: unknown) => error,
    );

/**
 * The conditions that used the catch-all `cxone_error` (or a code of their own per platform) now
 * say what they are; the autopilot stops on each as it did, on purpose rather than by default.
 */
describe("conditions named by their class and code, and the autopilot's reaction to them", () => {
  it("a repeated page token (seed): an IncompleteListingError, repeated-page, as on CXone", async () => {
    let n = 0;
    const list = paginateByToken(async () => ({ items: [n++], nextToken: "again" }), { route: "GET /x" });
    const error = await caught(() => list.toArray());
    expect(error).toBeInstanceOf(sdk.IncompleteListingError);
    expect(error).toBeInstanceOf(sdk.RepeatedPageTokenError);
    expect(error).toMatchObject({
      code: "cxone_listing_incomplete",
      reason: "repeated-page",
      route: "GET /x",
      read: 2,
    });
    expect(failureOf(error).kind).toBe("stop");
  });

  it("records CXone has not taken out of a list: RemovalPendingError, the autopilot stops", async () => {
    const error = await caught(() =>
      refuseWhileRemoving([{ listId: "L1", listName: "plan 1", removing: ["k2"] }]),
    );
    expect(error).toBeInstanceOf(sdk.RemovalPendingError);
    expect(error).toBeInstanceOf(CxoneError);
    expect(error).toMatchObject({ code: "cxone_removal_pending", records: { L1: ["k2"] } });
    expect((error as Error).message).toMatch(/CXone has not taken 1 record\(s\).*\(k2\)/);
    expect(failureOf(error)).toMatchObject({ kind: "stop", code: "cxone_removal_pending" });
  });

  it("parameters that did not read back as written: ReadBackMismatchError, the autopilot stops", async () => {
    const error = await caught(() =>
      checkReadBack(
        { retrySettings: { maxAttempts: 2 } },
        [["retry-settings", { retrySettings: { maxAttempts: 3 } }]],
        "PUT /p",
      ),
    );
    expect(error).toBeInstanceOf(sdk.ReadBackMismatchError);
    expect(error).toBeInstanceOf(CxoneError);
    expect(error).toMatchObject({ code: "cxone_read_back_mismatch", endpoint: "PUT /p" });
    expect((error as Error).message).toMatch(/retrySettings\.maxAttempts \(sent 3, reads 2\)/);
    expect(failureOf(error)).toMatchObject({ kind: "stop", code: "cxone_read_back_mismatch" });
  });
});
