import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInternalClient, type InternalClient } from "../../src/client.ts";
import { ledgerEntries } from "../../src/consent/ledger.ts";
import { silentLogger } from "../../src/core/logging/index.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { ConsentWatcher } from "../../src/service/consent-watcher.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * Issue 62 §1 on the production platform: an agent's "Do Not Call" on a live call, once the call
 * has ended, is read by the consent watcher from the changed contacts and recorded (the call's
 * number, channel agent), then put in the tenant's CXone DNC group on the same run.
 */
let cxone: RunningCxoneEmulator;
let client: InternalClient;
let store: Store;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-consent-watch-cxone-"));

beforeAll(async () => {
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 43,
    contacts: 50,
    days: 1,
  })) as RunningCxoneEmulator;
  const key = cxone.fixtures.accessKeys.find((k) => !k.readOnly);
  if (!key) throw new Error("no key");
  client = createInternalClient({
    connection: {
      platform: "cxone",
      issuer: cxone.url,
      accessKeyUrl: `${cxone.url}/authentication/v1/token/access-key`,
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
    },
    dataDir: path.join(dir, "desk"),
  });
  store = await openStore(path.join(dir, "service"));
  await adminCall(cxone.url, "POST", "/knobs", { warehouseLagS: 0 });
});

afterAll(async () => {
  await store?.close();
  await client?.close();
  await cxone?.close();
});

describe("ConsentWatcher on the production platform", () => {
  it("records an agent's Do Not Call from the changed contacts and sends it to the DNC group", async () => {
    const f = cxone.fixtures;
    const dnc = f.dispositions.find((d) => d.dispositionName === "Do Not Call");
    const skill = f.skills.find((s) => s.isRunning && dnc && s.dispositionIds.includes(dnc.dispositionId));
    const group = f.dncGroups.find((g) => g.isActive);
    if (!dnc || !skill || !group) throw new Error("fixtures lack a DNC disposition, a skill or a group");
    const { contacts } = (await adminCall(cxone.url, "POST", `/skills/${skill.skillId}/contacts`, {
      count: 1,
    })) as {
      contacts: Array<{ contactId: number }>;
    };
    const contactId = String(contacts[0]?.contactId);
    const call = await client.port.dispositions.getCall(contactId);
    expect(call.phone).toMatch(/^\+1\d{10}$/);
    await client.port.dispositions.setCallDisposition(contactId, {
      dispositionCodeId: String(dnc.dispositionId),
      tags: [],
    });
    await adminCall(cxone.url, "POST", `/contacts/${contactId}/end`);
    await adminCall(cxone.url, "DELETE", "/requests");
    // Told no campaign: the skill is one the service does not know (issue 78 §3).
    const watcher = new ConsentWatcher({
      client,
      store,
      logger: silentLogger,
      intervalMs: 60_000,
      cxoneGroupId: String(group.dncGroupId),
    });
    await watcher.runNow();
    await watcher.stop();
    // One tenant-wide listing: no skill named, every outbound skill read.
    const log = (await adminCall(cxone.url, "GET", "/requests")) as {
      requests: Array<{ path: string; query: Record<string, unknown> }>;
    };
    const listings = log.requests.filter((r) => r.path.endsWith("/contacts/completed"));
    expect(listings.length).toBeGreaterThan(0);
    for (const r of listings) expect(r.query.skillId).toBeUndefined();
    const entry = (await ledgerEntries(store, 0, Date.now() + 60_000)).find((e) =>
      e.source?.includes(contactId),
    );
    expect(entry).toMatchObject({ phone: call.phone, channel: "agent", cxone: { status: "done" } });
    const { records } = (await adminCall(cxone.url, "GET", `/dnc-groups/${group.dncGroupId}`)) as {
      records: Array<{ phone: string; sent: number }>;
    };
    expect(records.find((r) => r.phone === call.phone)?.sent).toBe(1);
  });
});
