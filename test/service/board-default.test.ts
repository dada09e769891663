import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { type ServiceHarness, serviceHarness } from "./harness.ts";

/**
 * Issue 20, item 15: the board was empty until campaign ids were configured. Without any, it
 * shows the campaigns this data dir has worked with (tagged calls of, paused, exported).
 */
describe("cxo serve: the board's campaigns by default", () => {
  let h: ServiceHarness;
  beforeAll(async () => {
    h = await serviceHarness();
  });
  afterAll(() => h.close());

  it("lists the campaigns of the data dir's recent work, with nothing configured", async () => {
    const [tagged, paused] = h.campaignIds as [string, string];
    const store = await openStore(h.dataDir);
    await store.audit.appendBatch([
      { operation: "dispositions.tag", target: "call-1", outcome: "done", details: { campaignId: tagged } },
      { operation: "campaigns.set-status", target: paused, outcome: "done" },
      {
        operation: "dispositions.tag",
        target: "call-2",
        outcome: "done",
        details: { campaignId: "bad id!" },
      },
    ]);
    await store.close();
    const svc = await h.start({ service: { campaigns: [] } });
    const { campaigns } = (await (await fetch(`${svc.url}/api/campaigns`)).json()) as {
      campaigns: Array<{ id: string }>;
    };
    expect(campaigns.map((c) => c.id).sort()).toEqual([tagged, paused].sort());
  });
});
