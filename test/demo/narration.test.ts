import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { openStore } from "../../src/core/store/index.ts";
import type { DemoEnvironment } from "../../src/demo/environment.ts";
import { counted, Narrator, unknownCodesLine } from "../../src/demo/narrator.ts";
import type { DemoDay } from "../../src/demo/run-demo.ts";
import { failoverStep } from "../../src/demo/steps/failover.ts";
import { startEmulator } from "../../src/emulator/index.ts";

/** Issue 20, item 16: the demo says things in the order they happen, with counts, in English. */
describe("demo narration", () => {
  it('says "1 page", not "1 pages", and counts unknown codes', () => {
    expect(counted(1, "page")).toBe("1 page");
    expect(counted(3, "page")).toBe("3 pages");
    expect(counted(12000, "record")).toBe("12,000 records");
    expect(unknownCodesLine({})).toBe("none");
    expect(unknownCodesLine({ SITE_SURVEY_BOOKED: 12, LEGACY_X: 1 })).toBe(
      "13 records (SITE_SURVEY_BOOKED 12, LEGACY_X 1)",
    );
  });

  it("the failover line comes after the evaluation that saw the third breach", async () => {
    const emulator = await startEmulator({ port: 0, calls: 10, rateLimitScale: 1000, metricsIntervalMs: 0 });
    const admin = emulator.fixtures.clients[0];
    const pair = emulator.fixtures.failoverPairs[0];
    if (!admin || !pair) throw new Error("fixtures");
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-narration-"));
    const settings = settingsSchema.parse({
      cxone: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
      dataDir,
      http: { rateLimitScale: 1000 },
    });
    const client = createInternalClient(clientOptionsFromSettings(settings));
    const store = await openStore(dataDir);
    const out = new PassThrough();
    let text = "";
    out.on("data", (chunk: Buffer) => (text += chunk.toString()));
    try {
      const env = { fast: true, emulator, client, store } as unknown as DemoEnvironment;
      const day = { primaryCampaignId: pair.primaryId, backupCampaignId: pair.backupId } as DemoDay;
      await failoverStep(env, new Narrator(1, out), day);
    } finally {
      await client.close();
      await store.close();
      await emulator.close();
    }
    const lines = text.split("\n");
    const third = lines.findIndex((line) => /\(3 in a row\)/.test(line));
    const failover = lines.findIndex((line) => /failover .*primary paused, backup activated/.test(line));
    expect(third).toBeGreaterThan(-1);
    expect(failover).toBeGreaterThan(third);
  });
});
