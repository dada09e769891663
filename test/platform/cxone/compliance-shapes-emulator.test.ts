import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../../src/client.ts";
import { loadSettings } from "../../../src/core/config/index.ts";
import { type CxoneHarness, cxoneHarness } from "../../emulator/cxone/helpers.ts";
import { accessKeyEnv } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * Issue 75 §1–2 end to end over real HTTP: the production emulator answers each documented shape
 * (its knobs), and the SDK reads every one of them right — `compliance.syncDnc` copies every
 * record of every group in each DNC envelope and records key, a live check finds a number in a
 * group answered as calljacob and DZ show it, `campaigns.contacts` reads both list-record
 * layouts, `cxo why`'s skill reading finds the zone hours under each zone key. A tenant that
 * ignores `skip` fails the sync (exit 1 from the CLI) and keeps the old copy.
 */
let h: CxoneHarness;
let dir: string;
const clients: InternalClient[] = [];
/** The group given 250 more numbers (three pages of records). */
let big: { dncGroupId: number; scrubbedSkillIds: number[]; phones: string[] };
let total: number;
const AT = "2026-03-10T19:00:00Z";

/**
 * One client (one login) per store: logins are rate limited like a tenant's, and a knob changes
 * what the emulator answers, not what the client holds.
 */
const byName = new Map<string, InternalClient>();
function client(name: string): InternalClient {
  const known = byName.get(name);
  if (known) return known;
  const settings = loadSettings({
    cwd: dir,
    env: { ...accessKeyEnv(h as never), CXO_DATA_DIR: path.join(dir, name) },
  });
  const c = createInternalClient({ ...clientOptionsFromSettings(settings), rateLimits: LIMITS as never });
  clients.push(c);
  byName.set(name, c);
  return c;
}

/** Generous limits: the documented 100 admin reads a minute would make this file wait, not test. */
const LIMITS = Object.fromEntries(
  ["token", "dispositions", "interactions", "campaigns", "dialer", "analytics", "outcomes", "default"].map(
    (g) => [g, { limit: 1000, per: "second", concurrency: 8 }],
  ),
);

const knobs = (body: Record<string, unknown>) => adminCall(h.url, "POST", "/knobs", body);
const extra = Array.from({ length: 250 }, (_, i) => `646555${String(i).padStart(4, "0")}`);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "cxo-shapes-"));
  h = await cxoneHarness({ seed: 75, contacts: 100, days: 1 });
  const group = h.fixtures.dncGroups.find((g) => g.isActive && g.scrubbedSkillIds.length > 0)!;
  const added = await h.api("POST", `dnc-groups/${group.dncGroupId}/records`, {
    body: { dncGroupRecords: extra.map((phoneNumber) => ({ phoneNumber })) },
  });
  expect(added.status).toBe(200);
  big = { ...group, phones: [...group.phones, ...extra] };
  total = h.fixtures.dncGroups.reduce((n, g) => n + g.phones.length, 0) + extra.length;
});
beforeEach(async () => {
  await knobs({
    dncEnvelope: "resultSet",
    dncRecordsKey: "dncRecords",
    ignoreSkip: false,
    listRecordLayout: "flat",
    listRecordKeys: "camel",
    zoneNameKey: "name",
  });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await h.close();
});

describe("compliance.syncDnc copies every record in each documented shape", () => {
  it.each([
    ["resultSet", "dncRecords"],
    ["resultSet", "dncGroupRecords"],
    ["flat", "dncRecords"],
    ["flat", "dncGroupRecords"],
  ])("envelope %s, records under %s", async (dncEnvelope, dncRecordsKey) => {
    await knobs({ dncEnvelope, dncRecordsKey });
    const c = client("main");
    const result = await c.compliance.syncDnc();
    expect(result.records).toBe(total);
    const skill = String(big.scrubbedSkillIds[0]);
    const last = await c.compliance.check({
      phone: `+1${extra.at(-1)}`,
      at: AT,
      consent: true,
      campaignId: skill,
    });
    expect(last.allowed).toBe(false);
    expect(last.reasons.map((r) => r.code)).toContain("cxone_dnc");
  });

  it("a tenant that ignores skip: the sync fails naming the route, the old copy stays", async () => {
    const c = client("main");
    expect((await c.compliance.syncDnc()).records).toBe(total);
    await knobs({ ignoreSkip: true });
    await expect(c.compliance.syncDnc()).rejects.toMatchObject({
      code: "cxone_listing_incomplete",
      reason: "repeated-page",
      route: "GET /dnc-groups/{groupId}/records",
    });
    // A number on the third page is still refused from the copy synced before.
    const check = await c.compliance.check({
      phone: `+1${extra.at(-1)}`,
      at: AT,
      consent: true,
      campaignId: String(big.scrubbedSkillIds[0]),
    });
    expect(check.cxoneDnc).toMatchObject({ source: "copy", stale: false });
    expect(check.allowed).toBe(false);

    const env = { ...accessKeyEnv(h as never), CXO_DATA_DIR: path.join(dir, "ignore-skip-cli") };
    const cli = await runCli(["--json", "compliance", "dnc", "sync"], env, { timeoutMs: 60_000 });
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stderr).toContain("GET /dnc-groups/{groupId}/records");
  });
});

describe("a live check (no copy) finds a number in a group answered as resultSet.dncGroups[]", () => {
  it.each(["resultSet", "flat"])(
    "envelope %s: refused for the skill the group scrubs",
    async (dncEnvelope) => {
      await knobs({ dncEnvelope });
      const check = await client("live").compliance.check({
        phone: `+1${big.phones[0]}`,
        at: AT,
        consent: true,
        campaignId: String(big.scrubbedSkillIds[0]),
      });
      expect(check.cxoneDnc).toMatchObject({ source: "live" });
      expect(check.allowed).toBe(false);
      expect(check.reasons.map((r) => r.code)).toContain("cxone_dnc");
    },
  );
});

describe("the campaigns port reads both list-record layouts", () => {
  it("the same ids, phones and custom columns from flat and destinations records, camel and Pascal", async () => {
    const list = [...h.fixtures.callingLists].sort(
      (a, b) => (a as { size: number }).size - (b as { size: number }).size,
    )[0]!;
    const listId = String(list.listId);
    const read: string[][] = [];
    for (const listRecordLayout of ["flat", "destinations"])
      for (const listRecordKeys of ["camel", "pascal"]) {
        await knobs({ listRecordLayout, listRecordKeys });
        // A custom column (otherFields[] in DZ's layout) read as the filter does.
        const contacts = await client("main")
          .port.campaigns.listContacts(listId, { filter: "segment==gold" })
          .toArray();
        read.push(contacts.map((c) => `${c.id} ${c.phone}`));
      }
    expect(read[0]!.length).toBeGreaterThan(0);
    for (const other of read.slice(1)) expect(other).toEqual(read[0]);
  });
});

describe("cxo why reads the skill's zone hours under every zone key", () => {
  it.each(["name", "standardName", "timeZone"])("%s", async (zoneNameKey) => {
    await knobs({ zoneNameKey });
    const skillId = String(big.scrubbedSkillIds[0]);
    const skill = await client("main").port.diagnosis.skill(skillId);
    expect(skill.zoneHours?.length).toBeGreaterThan(0);
    expect(skill.zoneHours).toContainEqual({ zone: "America/New_York", startMinute: 540, endMinute: 1200 });
  });
});
