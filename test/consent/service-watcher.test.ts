import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInternalClient, type InternalClient } from "../../src/client.ts";
import { ledgerEntries } from "../../src/consent/ledger.ts";
import { silentLogger } from "../../src/core/logging/index.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { ConsentWatcher } from "../../src/service/consent-watcher.ts";

/**
 * Issue 62 §1 in `cxo serve`: a "Do not call" an agent sets in CXone (here: straight on the
 * platform, as an agent's desktop does, not through cxo) becomes a revocation at the call's
 * time, channel agent, on the watcher's next run; a second run adds nothing; other
 * dispositions add nothing. Issue 78 §3: the watcher is told no campaign (it reads every
 * campaign of the business unit), and its first read looks back 30 days, not 24 hours.
 */
let emu: RunningEmulator;
let client: InternalClient;
let store: Store;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-consent-watch-"));

beforeAll(async () => {
  emu = await startEmulator({ port: 0, calls: 20_000, metricsIntervalMs: 0 });
  const credentials = emu.fixtures.clients[0];
  if (!credentials) throw new Error("no fixtures");
  client = createInternalClient({
    connection: { baseUrl: emu.url, clientId: credentials.clientId, clientSecret: credentials.clientSecret },
    dataDir: path.join(dir, "service"),
  });
  store = await openStore(path.join(dir, "service"));
});

afterAll(async () => {
  await store?.close();
  await client?.close();
  await emu?.close();
});

describe("ConsentWatcher", () => {
  it("records a do-not-call disposition set in CXone, once, and nothing for other codes", async () => {
    const campaign = emu.fixtures.campaigns.find((c) =>
      c.dispositionCodes.some((d) => d.reasonCodes.some((r) => /do not call/i.test(r.name))),
    );
    if (!campaign) throw new Error("no campaign with a do-not-call reason");
    const code = campaign.dispositionCodes.find((d) =>
      d.reasonCodes.some((r) => /do not call/i.test(r.name)),
    );
    const reason = code?.reasonCodes.find((r) => /do not call/i.test(r.name));
    const other = campaign.dispositionCodes.find((d) => d.id !== code?.id && d.reasonCodes.length === 0);
    // The watcher's clock is given (no time of day matters): its first read looks back 30 days
    // (issue 78 §3), so a call of 20 days ago and one of 10 days ago are both read.
    const now = Date.now();
    const DAY = 86_400_000;
    const from = (days: number) =>
      client.outcomes
        .list({
          campaignId: campaign.id,
          from: new Date(now - days * DAY).toISOString(),
          to: new Date(now - (days - 5) * DAY).toISOString(),
        })
        .toArray({ limit: 1 });
    const [[dnc], [plain]] = await Promise.all([from(25), from(10)]);
    if (!code || !reason || !other || !dnc || !plain) throw new Error("no recent calls to disposition");
    // What an agent does in CXone: the platform's own endpoint, not cxo's tagging.
    await client.port.dispositions.setCallDisposition(dnc.id, {
      dispositionCodeId: code.id,
      reasonCodeId: reason.id,
      tags: [],
    });
    await client.port.dispositions.setCallDisposition(plain.id, { dispositionCodeId: other.id, tags: [] });

    const watcher = new ConsentWatcher({
      client,
      store,
      logger: silentLogger,
      intervalMs: 60_000,
      cxoneGroupId: undefined,
      now: () => now,
    });
    await watcher.runNow();
    const afterFirst = watcher.recorded;
    await watcher.runNow();
    await watcher.stop();
    expect(watcher.recorded).toBe(afterFirst);
    const entries = (await ledgerEntries(store, 0, Date.now() + 60_000)).filter((e) =>
      e.source?.startsWith("cxone:"),
    );
    // The seeded history has its own "Do not call again" calls: each is a revocation too.
    expect(entries).toHaveLength(afterFirst);
    const ours = entries.filter((e) => e.source?.includes(dnc.id));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({
      channel: "agent",
      scope: "tenant",
      receivedAt: new Date(dnc.startTime).toISOString(),
    });
    expect(ours[0]?.recordedBy).toBe("service:consent");
    expect(entries.some((e) => e.source?.includes(plain.id))).toBe(false);
  });
});
