import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { InputError } from "../../src/core/input-error.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { startService } from "../../src/service/index.ts";
import { accessKeyEnv, accessKeySettings } from "../support/cxone-access-key.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 78, three Lows on the production platform:
 * §8  a CXone DNC group's name with a line break cannot forge a line of `compliance check`;
 * §11 an unknown `consent.cxoneDncGroup` refuses the service's start, naming the setting;
 * §13 a number removed from the CXone group after it was honoured is added again, and
 *     `consent report` says it was removed until then.
 */
let cxone: RunningCxoneEmulator;
let client: InternalClient;
let groupId = 0;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-consent-lows-"));

/** A write to the emulator's API as an agent or admin would make it in CXone (not through cxo). */
async function cxoneApi(method: string, route: string, body: unknown): Promise<void> {
  const key = cxone.fixtures.accessKeys.find((k) => !k.readOnly)!;
  const login = await fetch(`${cxone.url}/authentication/v1/token/access-key`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret }),
  });
  const { access_token: token } = (await login.json()) as { access_token: string };
  const answer = await fetch(`${cxone.url}/inContactAPI/services/v33.0${route}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`${method} ${route}: ${answer.status} ${await answer.text()}`);
}

beforeAll(async () => {
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 87,
    contacts: 20,
    days: 1,
  })) as RunningCxoneEmulator;
  groupId = cxone.fixtures.dncGroups.find((g) => g.isActive)!.dncGroupId;
  client = createInternalClient({
    ...clientOptionsFromSettings(accessKeySettings(cxone)),
    dataDir: path.join(dir, ".cxo"),
    consent: { cxoneDncGroup: String(groupId) },
  });
});
afterAll(async () => {
  await client?.close();
  await cxone?.close();
});

describe("a number removed from the CXone group after it was honoured (issue 78 §13)", () => {
  it("is reported removed, then added again by the next honour", async () => {
    const phone = "+13125558701";
    // What the tenant's seeded calls already hold (an agent's Do Not Call among them, read by
    // honour with the dispositions, depending on the hour) is honoured first: the count below is
    // this number's alone (a whole run once saw sent: 2).
    await client.consent.honour();
    const revoked = await client.consent.revoke({ phone, channel: "sms" });
    expect(revoked.entry.cxone.status).toBe("done");
    // Someone takes it out of the group in CXone; the next sync sees the group without it.
    await cxoneApi("DELETE", `/dnc-groups/${groupId}/records`, {
      dncGroupRecords: [{ phoneNumber: phone.slice(2) }],
    });
    await client.compliance.syncDnc();
    const honoured = await client.consent.honour();
    expect(honoured).toMatchObject({ readded: 1, sent: 1 });
    const hits = await client.port.dncGroups!.search(phone);
    expect(hits.some((h) => h.groupId === String(groupId))).toBe(true);
    // And an honour with nothing removed re-adds nothing.
    await client.compliance.syncDnc();
    expect((await client.consent.honour())?.readded).toBeUndefined();
  });

  it("consent report says removed while it is out of the group", async () => {
    const phone = "+13125558702";
    await client.consent.revoke({ phone, channel: "sms" });
    await cxoneApi("DELETE", `/dnc-groups/${groupId}/records`, {
      dncGroupRecords: [{ phoneNumber: phone.slice(2) }],
    });
    await client.compliance.syncDnc();
    // The reopening is honour's first step; a failing group write leaves the entry `removed`.
    const store = await openStore(path.join(dir, ".cxo"));
    try {
      const { reopenRemovedFromGroups } = await import("../../src/consent/ledger-queue.ts");
      expect(await reopenRemovedFromGroups(store, "test")).toBe(1);
    } finally {
      await store.close();
    }
    const report = await client.consent.report();
    const entry = report.entries.find((e) => e.phone === phone);
    expect(entry).toMatchObject({ honouredAt: null, cxone: { status: "removed" } });
    const env = { ...accessKeyEnv(cxone), CXO_DATA_DIR: path.join(dir, ".cxo") };
    const human = await runCli(["consent", "report"], env);
    expect(human.stdout).toMatch(/REMOVED from the CXone group/);
  });
});

describe("a CXone DNC group's name is data, not lines (issue 78 §8)", () => {
  it("a line break in it is escaped in compliance check's output", async () => {
    const dataDir = path.join(dir, "names");
    const store = await openStore(dataDir);
    try {
      await store.db.run(
        "INSERT INTO cxone_dnc_groups (group_id, name, active, scrubbed_skills, records, synced_at) VALUES ('66', ?, 1, '[]', 1, ?)",
        ["Internal\nALLOWED", new Date().toISOString()],
      );
      await store.db.run(
        "INSERT INTO cxone_dnc_records (group_id, phone, expires_at) VALUES ('66', ?, NULL)",
        ["+13125558703"],
      );
    } finally {
      await store.close();
    }
    const result = await runCli(
      [
        "compliance",
        "check",
        "--phone",
        "+13125558703",
        "--consent",
        "yes",
        "--at",
        "2026-12-01T15:00:00-05:00",
      ],
      { CXO_DATA_DIR: dataDir },
    );
    expect(result.stdout).toContain("Internal\\nALLOWED");
    expect(result.stdout.split("\n").map((l) => l.trim())).not.toContain('ALLOWED" (id 66)');
  });
});

describe("an unknown consent.cxoneDncGroup (issue 78 §11)", () => {
  it("refuses the service's start with an InputError naming the setting and the groups there are", async () => {
    const settings = settingsSchema.parse({
      ...accessKeySettings(cxone),
      dataDir: path.join(dir, "service"),
      consent: { cxoneDncGroup: "999999" },
      service: { port: 0, pollIntervalSeconds: 3600 },
    });
    const refused = await startService({ settings }).then(
      async (svc) => {
        await svc.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).problems[0]).toMatchObject({ field: "consent.cxoneDncGroup" });
    expect((refused as InputError).problems[0]?.rule).toMatch(/999999.*does not have/);
  });
});
