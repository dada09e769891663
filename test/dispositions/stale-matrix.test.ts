import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MatrixCache } from "../../src/dispositions/matrix-cache.ts";
import { openTaggingSession } from "../../src/dispositions/session.ts";
import { tagCall } from "../../src/dispositions/tag-call.ts";
import { callOfPath, type TagHarness, tagHarness } from "./helpers.ts";

describe("tagCall with a stale matrix cache", () => {
  let h: TagHarness;
  beforeAll(async () => {
    h = await tagHarness({ calls: 20_000 });
  });
  afterAll(() => h.close());

  it("refetches the matrix once when CXone rejects a code the cache called valid, and reports the row's problem", async () => {
    const dir = h.dir();
    const client = h.client(path.join(dir, ".cxo"), 1000);
    const session = await openTaggingSession(client.port.dispositions, path.join(dir, ".cxo"));
    let fetches = 0;
    // The first copy is stale: it still lists a code CXone has since removed.
    const matrices = new MatrixCache({
      getMatrix: async (campaignId) => {
        fetches += 1;
        const real = await client.port.dispositions.getMatrix(campaignId);
        return fetches === 1
          ? { ...real, codes: [...real.codes, { id: "RETIRED", name: "Retired", reasonCodes: [] }] }
          : real;
      },
    });
    try {
      const [a, b] = await h.callsOf(h.campaign.id, 2);
      const deps = { ...session, matrices };
      await matrices.get(h.campaign.id);
      const [first, second] = await Promise.all([
        tagCall(deps, h.campaign.id, { callId: a as string, dispositionCodeId: "RETIRED", tags: [] }),
        tagCall(deps, h.campaign.id, { callId: b as string, dispositionCodeId: "RETIRED", tags: [] }),
      ]);
      for (const outcome of [first, second]) {
        expect(outcome).toMatchObject({ ok: false, status: 400 });
        if (!outcome.ok)
          expect(outcome.problems).toEqual([
            expect.objectContaining({ field: "dispositionCodeId", code: "unknown_disposition_code" }),
          ]);
      }
      expect(fetches).toBe(2); // one refetch for both rejections
      const sent = (await h.puts()).filter((p) => [a, b].includes(callOfPath(p.path)));
      expect(sent).toHaveLength(2); // each sent once, not again after the refetch
      expect(await session.store.journal.counts()).toMatchObject({ pending: 0, done: 0, failed: 2 });
    } finally {
      await session.close();
      await client.close();
    }
  });
});
