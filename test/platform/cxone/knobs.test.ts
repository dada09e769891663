import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../../src/client.ts";
import { loadSettings } from "../../../src/core/config/index.ts";
import { ConflictError, PreconditionFailedError } from "../../../src/core/http/errors.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { adminCall } from "../../support/emulator-admin.ts";

/**
 * The production adapter against the emulator's OTHER readings of the facts the reference
 * marks as unconfirmed (each a knob): whichever way a live tenant turns out, the port answers
 * the same. One emulator; knobs are set per test and reset after.
 */
let emulator: RunningCxoneEmulator;
let skill: RunningCxoneEmulator["fixtures"]["skills"][number];
/** A completed contact of the skill (from a bigger fixtures sample). */
let completedId = "";
const clients: InternalClient[] = [];

function client(
  extra: Record<string, string> = {},
  productionApi: Record<string, unknown> = {},
): InternalClient {
  const f = emulator.fixtures;
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  const settings = loadSettings({
    cwd: "/nonexistent",
    env: {
      CXONE_PLATFORM: "cxone",
      CXONE_ISSUER: emulator.url,
      CXONE_CLIENT_ID: f.client.clientId,
      CXONE_CLIENT_SECRET: f.client.clientSecret,
      CXONE_ACCESS_KEY_ID: key.accessKeyId,
      CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
      ...extra,
    },
  });
  Object.assign(settings.cxone.productionApi, productionApi);
  // The knobs' readings are what this file is about, not CXone's request limits (the production
  // adapter's 10 tagging requests a second held a tagging run to 4 s).
  Object.assign(settings.http, { backoffBaseMs: 5, backoffCapMs: 50, rateLimitScale: 10 });
  const c = createInternalClient(clientOptionsFromSettings(settings));
  clients.push(c);
  return c;
}

const knobs = (body: Record<string, unknown>) => adminCall(emulator.url, "POST", "/knobs", body);

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 3,
    contacts: 4000,
    // Contacts at any hour: the realistic history has none 11:00–12:00 UTC (no NANP number is
    // callable), and this file reads recent contacts (it failed when run in that hour).
    history: "any-hour",
  })) as RunningCxoneEmulator;
  skill = emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!;
  const more = (await adminCall(
    emulator.url,
    "GET",
    "/fixtures?contacts=200",
  )) as RunningCxoneEmulator["fixtures"];
  completedId = String(
    more.completed.sample.find((s) => s.skillId === skill.skillId && s.isOutbound)!.contactId,
  );
});
beforeEach(() => adminCall(emulator.url, "POST", "/reset"));
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emulator.close();
});

describe("unconfirmed platform facts, both ways", () => {
  it("stringly numbers and booleans, wrapped skills, flat or listed contacts: the same domain answers", async () => {
    const c = client();
    const id = String(skill.skillId);
    const contactId = completedId;
    const plain = {
      campaign: await c.port.campaigns.get(id),
      call: await c.port.dispositions.getCall(contactId),
    };
    for (const variant of [
      { stringly: true, numbersAsStrings: true, skillWrapped: true, contactEnvelope: "flat" },
      { contactEnvelope: "contacts", noDispositionStatus: 404 },
      { contactEnvelope: "completedContacts", dispositionAgentField: "dispositionedByAgendId" },
    ]) {
      await knobs(variant);
      const campaign = await c.port.campaigns.get(id);
      expect({ ...campaign, raw: undefined, updatedAt: undefined }).toEqual({
        ...plain.campaign,
        raw: undefined,
        updatedAt: undefined,
      });
      expect(await c.port.dispositions.getCall(contactId)).toEqual(plain.call);
    }
  });

  it("v23 field names (an older pinned API version) give the same outcome records", async () => {
    const query = {
      campaignId: String(skill.skillId),
      from: emulator.fixtures.completed.windowStart,
      to: new Date(Date.now() - 3_600_000).toISOString(),
      pageSize: 300,
    };
    const v33 = await client().port.outcomes.listCalls(query).toArray();
    // v23 names, every number sent as a string (the tenant's envelope too: totalRecords, ids).
    await knobs({ numbersAsStrings: true, stringly: true });
    const v23 = await client({ CXONE_API_VERSION: "v23.0" }).port.outcomes.listCalls(query).toArray();
    expect(v23.length).toBe(v33.length);
    expect(v23.map((c) => [c.id, c.startTime, c.dispositionCode, c.durationSeconds, c.tags])).toEqual(
      v33.map((c) => [c.id, c.startTime, c.dispositionCode, c.durationSeconds, c.tags]),
    );
  });

  it("set-disposition taking names, not ids: the adapter falls back to the name", async () => {
    await knobs({ dispositionCode: "name" });
    const live = emulator.fixtures.activeContacts.find((a) => a.skillId === skill.skillId)!;
    const code = String(skill.dispositionIds[1]);
    const result = await client().port.dispositions.setCallDisposition(String(live.contactId), {
      dispositionCodeId: code,
      tags: [],
    });
    expect(result.call.dispositionCode).toBe(code);
  });

  it("a completed contact: refused as locked by default; with the opt-in and a tenant that accepts it, set with tags", async () => {
    const contactId = completedId;
    const input = {
      dispositionCodeId: String(skill.dispositionIds[0]),
      tags: [emulator.fixtures.tags[0]!.tagName],
    };
    await expect(client().port.dispositions.setCallDisposition(contactId, input)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await knobs({ closedContact: "accept" });
    const result = await client(
      {},
      { allowClosedContactDisposition: true },
    ).port.dispositions.setCallDisposition(contactId, input);
    expect(result.call).toMatchObject({
      dispositionCode: input.dispositionCodeId,
      tags: expect.arrayContaining(input.tags),
    });
  });

  it("POST /skills without the new id, Pascal-case list records, the other WFM key, fraction abandon rates", async () => {
    await knobs({
      skillCreateReturnsId: false,
      listRecordKeys: "pascal",
      wfmArrayKey: "wfM_OB_StatsV9",
      abandonRateUnit: "fraction",
    });
    const c = client({}, { abandonRateUnit: "fraction" });
    const list = String(skill.callingListIds[0]);
    const created = await c.port.campaigns.create(
      {
        name: "Knob campaign",
        contactListId: list,
        dialer: {
          type: "predictive",
          predictive: { answerRatio: 0.5, maxCallsInFlight: 5, callRate: 1, abandonmentThreshold: 0.03 },
        },
        compliance: {
          timeZone: "America/New_York",
          windowStart: "09:00",
          windowEnd: "20:00",
          allowedDays: ["Monday"],
        },
      },
      "knob-key",
    );
    expect(created.campaign.name).toBe("Knob campaign");
    const contacts = await c.port.campaigns.listContacts(list, { pageSize: 50 }).toArray(10);
    expect(contacts[0]?.phone).toMatch(/^\+1\d{10}$/);
    const settings = await c.port.dialer.getSettings({ campaignId: created.campaign.id });
    expect(settings.settings.algorithm.abandonmentTarget).toBe(0.03);
    const rows = await c.port.dialer
      .metrics({
        campaignId: String(skill.skillId),
        metrics: ["answerRate"],
        groupBy: "day",
        from: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      })
      .toArray();
    expect(rows.length).toBeGreaterThan(0);
  });

  it("faults: revoked tokens are renewed through the password grant once; a concurrent UI edit is a 412, nothing overwritten", async () => {
    const c = client();
    const id = String(skill.skillId);
    await c.port.dispositions.getMatrix(id);
    const before = c.core.tokens.tokenRequests;
    await adminCall(emulator.url, "POST", "/faults", { expireTokens: true, count: 1 });
    await c.port.dispositions.getMatrix(id);
    expect(c.core.tokens.tokenRequests - before).toBe(1);

    // Someone edits the skill in CXone's UI right after we read it (before our write's re-read).
    await adminCall(emulator.url, "POST", "/faults", {
      concurrentEdit: { skillId: skill.skillId, afterReads: 1, generalSettings: { maximumRatio: 1.7 } },
    });
    const read = await c.port.dialer.getSettings({ campaignId: id });
    const wanted = structuredClone(read.settings);
    wanted.algorithm.dialRatio = 3;
    const error = await c.port.dialer.putSettings({ campaignId: id }, wanted, read.versionTag).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PreconditionFailedError);
    const now = await c.port.dialer.getSettings({ campaignId: id });
    expect(now.settings.algorithm.dialRatio).toBe(1.7); // the other edit stands
    expect((error as PreconditionFailedError).body).toEqual({ currentVersionTag: now.versionTag });
  });

  it("maximumRatio as a percentage: a matching adapter writes 125 for 1.25 lines per agent; a mismatched one is refused, nothing changed", async () => {
    await knobs({ maximumRatioUnit: "percent" });
    await adminCall(emulator.url, "DELETE", "/requests");
    const id = String(skill.skillId);
    const c = client({}, { maximumRatioUnit: "percent" });
    const read = await c.port.dialer.getSettings({ campaignId: id });
    expect(read.settings.algorithm.dialRatio).toBe(2.5); // shown as 250 on the wire
    const wanted = structuredClone(read.settings);
    wanted.algorithm.dialRatio = 1.25;
    await c.port.dialer.putSettings({ campaignId: id }, wanted, read.versionTag);
    const log = (await adminCall(emulator.url, "GET", "/requests")) as {
      requests: Array<{ method: string; path: string; status: number }>;
    };
    expect(log.requests.filter((r) => r.method === "PUT" && r.path.endsWith("/general-settings"))).toEqual([
      expect.objectContaining({ status: 200 }),
    ]);
    expect((await c.port.dialer.getSettings({ campaignId: id })).settings.algorithm.dialRatio).toBe(1.25);

    // An adapter left at lines per agent sends 1.5: below the tenant's range (100–1000), refused.
    const wrong = client();
    const now = await wrong.port.dialer.getSettings({ campaignId: id });
    expect(now.settings.algorithm.dialRatio).toBe(125); // what a mismatch looks like on reading
    const again = structuredClone(now.settings);
    again.algorithm.dialRatio = 1.5;
    await expect(wrong.port.dialer.putSettings({ campaignId: id }, again, now.versionTag)).rejects.toThrow(
      /maximumRatio/,
    );
    expect((await c.port.dialer.getSettings({ campaignId: id })).settings.algorithm.dialRatio).toBe(1.25);
  });

  it("the agent-session path: a primary and a secondary disposition through the contact's agent's session", async () => {
    const live = emulator.fixtures.activeContacts.find((a) => a.skillId === skill.skillId)!;
    const c = client({}, { dispositionVia: "agent-session", agentId: String(live.agentId) });
    const [primary, secondary] = skill.dispositionIds.map(String);
    const result = await c.port.dispositions.setCallDisposition(String(live.contactId), {
      dispositionCodeId: primary!,
      reasonCodeId: secondary!,
      tags: [],
      notes: "through the session",
    });
    expect(result.call).toMatchObject({ dispositionCode: primary, reasonCodeId: secondary });
  });

  it("a tagging run through agent sessions leaves every agent logged in (ending a joined session logs the agent out: never by default)", async () => {
    const lives = emulator.fixtures.activeContacts.filter((a) => a.skillId === skill.skillId).slice(0, 3);
    expect(lives.length).toBeGreaterThan(1);
    const loggedIn = async () =>
      (
        (await adminCall(emulator.url, "GET", "/agents")) as {
          agents: Array<{ agentId: number; loggedIn: boolean }>;
        }
      ).agents
        .filter((a) => lives.some((l) => l.agentId === a.agentId))
        .map((a) => a.loggedIn);
    const tagAll = async (productionApi: Record<string, unknown>) => {
      const c = client({}, { dispositionVia: "agent-session", ...productionApi });
      for (const live of lives)
        await c.port.dispositions.setCallDisposition(String(live.contactId), {
          dispositionCodeId: String(skill.dispositionIds[0]),
          tags: [],
        });
      await c.close();
    };
    await tagAll({});
    expect(await loggedIn()).toEqual(lives.map(() => true));
    const log = (await adminCall(emulator.url, "GET", "/requests")) as {
      requests: Array<{ method: string }>;
    };
    expect(log.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    // The emulator's reading is live: a run told to end its sessions logs the agents out.
    await adminCall(emulator.url, "POST", "/reset");
    await tagAll({ endJoinedSessions: true });
    expect(await loggedIn()).toEqual(lives.map(() => false));
  });

  it("a tenant that caps top lower, or sorts completed contacts by other keys: the same contacts, one order for every page", async () => {
    const query = {
      campaignId: String(skill.skillId),
      from: emulator.fixtures.completed.windowStart,
      to: new Date(Date.now() - 3_600_000).toISOString(),
      pageSize: 250,
    };
    const ids = async () => (await client().port.outcomes.listCalls(query).toArray()).map((c) => c.id).sort();
    const expected = await ids();
    // A tenant that caps `top` below the page size asked for: its _links.next still gets every page.
    await knobs({ topCap: 100, topOverCap: "clamp" });
    expect(await ids()).toEqual(expected);
    await knobs({ topCap: 10_000 });
    for (const [keys, used] of [
      // lastUpdateTime moves under an offset (conformance §6): never a window listing's order.
      [["lastUpdateTime"], "none"],
      [["contactId"], "contactId asc"],
    ] as const) {
      await knobs({ orderByKeys: keys });
      await adminCall(emulator.url, "DELETE", "/requests");
      expect(await ids()).toEqual(expected);
      const log = (await adminCall(emulator.url, "GET", "/requests")) as {
        requests: Array<{ path: string; status: number; query: Record<string, string> }>;
      };
      const listing = log.requests.filter((r) => r.path.endsWith("/contacts/completed") && r.status === 200);
      expect([...new Set(listing.map((r) => r.query.orderBy ?? "none"))]).toEqual([used]);
    }
  });
});
