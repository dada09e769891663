import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type InternalClient as CxoneClient,
  clientOptionsFromSettings,
  createInternalClient as createClient,
} from "../../../src/client.ts";
import { loadSettings } from "../../../src/core/config/index.ts";
import { ConflictError } from "../../../src/core/http/errors.ts";
import type { RunningCxoneEmulator } from "../../../src/emulator/index.ts";
import { type CxoneHarness, cxoneHarness } from "../../emulator/cxone/helpers.ts";
import { adminCall } from "../../support/emulator-admin.ts";

/**
 * Issue 29, tagging's cost on the production platform: a file of one campaign's live calls
 * costs the writes plus cached reads (no read per row), without giving up what proves a
 * write took; and the agent sessions the adapter joins are never ended unless told to.
 */
let h: CxoneHarness;
let skill: RunningCxoneEmulator["fixtures"]["skills"][number];
const clients: CxoneClient[] = [];

interface Logged {
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
  bodyFields?: string[];
}

function client(productionApi: Record<string, unknown> = {}): CxoneClient {
  const f = h.fixtures;
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  const settings = loadSettings({
    cwd: "/nonexistent",
    env: {
      CXONE_PLATFORM: "cxone",
      CXONE_ISSUER: h.url,
      CXONE_CLIENT_ID: f.client.clientId,
      CXONE_CLIENT_SECRET: f.client.clientSecret,
      CXONE_ACCESS_KEY_ID: key.accessKeyId,
      CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
      CXO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "cxo-tagreq-")),
    },
  });
  Object.assign(settings.cxone.productionApi, productionApi);
  // Request counts are what this file is about, not CXone's request limits: at the production
  // adapter's 10 tagging requests a second, 40 rows' 80 writes alone took 8 s.
  Object.assign(settings.http, { backoffBaseMs: 5, backoffCapMs: 50, rateLimitScale: 10 });
  const c = createClient(clientOptionsFromSettings(settings));
  clients.push(c);
  return c;
}

const knobs = (body: Record<string, unknown>) => adminCall(h.url, "POST", "/knobs", body);
/** API requests the emulator saw since the log was last cleared (token and discovery left out). */
const apiRequests = async () =>
  ((await adminCall(h.url, "GET", "/requests")).requests as Logged[]).filter((r) =>
    r.path.includes("/inContactAPI/"),
  );
const clearLog = () => adminCall(h.url, "DELETE", "/requests");
const newLiveCalls = async (count: number, agentId?: number) =>
  (
    (await adminCall(h.url, "POST", `/skills/${skill.skillId}/contacts`, {
      count,
      ...(agentId ? { agentId } : {}),
    })) as { contacts: Array<{ contactId: number; agentId: number }> }
  ).contacts;
const code = () => String(skill.dispositionIds[0]);

beforeAll(async () => {
  h = await cxoneHarness({ seed: 29, contacts: 500 });
  skill = h.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)!;
});
beforeEach(async () => {
  await adminCall(h.url, "POST", "/reset");
  await clearLog();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await h.close();
});

describe("a file of live calls costs its writes plus cached reads", () => {
  it("40 rows: 80 writes, no read of any one contact, the skill's live calls read for all of them", async () => {
    const calls = await newLiveCalls(40);
    const tag = h.fixtures.tags[0]!.tagName;
    const file = path.join(mkdtempSync(path.join(tmpdir(), "cxo-tagreq-file-")), "rows.ndjson");
    writeFileSync(
      file,
      calls
        .map((c) => JSON.stringify({ callId: String(c.contactId), dispositionCodeId: code(), tags: tag }))
        .join("\n"),
    );
    const c = client();
    const summary = await c.dispositions.tagFile(file, { campaignId: String(skill.skillId) });
    expect(summary.succeeded).toBe(40);

    const log = await apiRequests();
    const writes = log.filter((r) => r.method !== "GET");
    expect(writes.filter((r) => r.path.endsWith("/set-disposition"))).toHaveLength(40);
    expect(writes.filter((r) => r.path.endsWith("/tags"))).toHaveLength(40);
    expect(writes).toHaveLength(80);
    const reads = log.filter((r) => r.method === "GET");
    // Nothing read per contact: not its record, not its disposition, not its liveness.
    expect(reads.filter((r) => /\/contacts\/\d+/.test(r.path))).toEqual([]);
    expect(reads.filter((r) => r.path.endsWith("/contacts/active") && r.query.contactId)).toEqual([]);
    // What is read: the skill, its dispositions, the tag catalogue, and its live calls (a
    // cached read; again only after the cache's lifetime, so a handful at most).
    const snapshots = reads.filter((r) => r.path.endsWith("/contacts/active"));
    expect(snapshots.length).toBeGreaterThanOrEqual(1);
    expect(snapshots.every((r) => String(r.query.skillId) === String(skill.skillId))).toBe(true);
    expect(reads.length - snapshots.length).toBe(3);
    expect(reads.length).toBeLessThan(20);
    // And CXone holds what the rows asked for.
    for (const call of calls.slice(0, 3)) {
      const held = await h.api("GET", `contacts/${call.contactId}/disposition`, { version: "v27.0" });
      expect(String(held.body.dispositionId)).toBe(code());
    }
  });

  it("a call that ended after the live list was read: CXone refuses, the call alone is re-checked, 'ended', not tagged", async () => {
    const [first, second] = await newLiveCalls(2);
    const c = client();
    const campaign = String(skill.skillId);
    await c.dispositions.tag(campaign, { callId: String(first!.contactId), dispositionCodeId: code() });
    // The list this client read still shows `second` live; it ends now.
    await adminCall(h.url, "POST", `/contacts/${second!.contactId}/end`);
    await clearLog();
    await expect(
      c.dispositions.tag(campaign, { callId: String(second!.contactId), dispositionCodeId: code() }),
    ).rejects.toThrow(/ended before its disposition could be set/);
    const log = await apiRequests();
    // The platform's refusal (404: an ended call is not warehoused yet), then one question about that call.
    expect(log.map((r) => `${r.method} ${r.path.replace(/.*\/v\d+\.0/, "")} ${r.status}`)).toEqual([
      `POST /contacts/${second!.contactId}/set-disposition 404`,
      "GET /contacts/active 204",
    ]);
    expect(log[1]!.query.contactId).toBe(String(second!.contactId));
    // What the refusal showed is kept: the next try reads the contact on its own, not the list.
    await clearLog();
    await expect(
      c.dispositions.tag(campaign, { callId: String(second!.contactId), dispositionCodeId: code() }),
    ).rejects.toThrow();
    const retry = await apiRequests();
    expect(retry.some((r) => r.path.endsWith(`/contacts/${second!.contactId}`))).toBe(true);
    expect(retry.filter((r) => r.method === "POST")).toEqual([]);
  });
});

describe("where a 200 is not proof, the write is read back", () => {
  it("a completed contact on a tenant that accepts and ignores the write: a conflict, no tags sent, never 'tagged'", async () => {
    await knobs({ closedContact: "ignore" });
    const more = (await adminCall(
      h.url,
      "GET",
      "/fixtures?contacts=200",
    )) as RunningCxoneEmulator["fixtures"];
    const target = more.completed.sample.find(
      (s) => s.skillId === skill.skillId && String(s.primaryDispositionId ?? "") !== code(),
    )!;
    expect(target).toBeDefined();
    const c = client({ allowClosedContactDisposition: true });
    const error = await c.port.dispositions
      .setCallDisposition(
        String(target.contactId),
        { dispositionCodeId: code(), tags: [h.fixtures.tags[0]!.tagName] },
        undefined,
        { campaignId: String(skill.skillId) },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toMatch(/reads disposition .* not tagged/);
    expect((error as ConflictError).body).toMatchObject({ error: "not_applied", expected: code() });
    expect((await apiRequests()).filter((r) => r.path.endsWith("/tags") && r.method === "POST")).toEqual([]);
  });

  it("a completed contact on a tenant that takes the write: tagged, as read back", async () => {
    await knobs({ closedContact: "accept" });
    const more = (await adminCall(
      h.url,
      "GET",
      "/fixtures?contacts=200",
    )) as RunningCxoneEmulator["fixtures"];
    const target = more.completed.sample.find((s) => s.skillId === skill.skillId)!;
    const c = client({ allowClosedContactDisposition: true });
    const result = await c.port.dispositions.setCallDisposition(
      String(target.contactId),
      { dispositionCodeId: code(), tags: [] },
      undefined,
      { campaignId: String(skill.skillId) },
    );
    expect(result.call.dispositionCode).toBe(code());
  });
});

describe("a contact no agent has taken (CXone writes agent 0)", () => {
  it("is refused before any session is joined, naming the setting that gives the agent", async () => {
    const [call] = (
      (await adminCall(h.url, "POST", `/skills/${skill.skillId}/contacts`, { count: 1, agentId: 0 })) as {
        contacts: Array<{ contactId: number }>;
      }
    ).contacts;
    const c = client({ dispositionVia: "agent-session" });
    const refused = await c.dispositions
      .tag(String(skill.skillId), { callId: String(call!.contactId), dispositionCodeId: code() })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: "invalid_input",
      problems: [{ field: "cxone.productionApi.agentId" }],
    });
    expect((await apiRequests()).filter((r) => r.path.includes("/agent-sessions"))).toEqual([]);
  });
});

describe("agent sessions the adapter joins", () => {
  const tagThroughSession = async (productionApi: Record<string, unknown>) => {
    const agentId = h.fixtures.agents[0]!.agentId;
    const [call] = await newLiveCalls(1, agentId);
    const c = client({ dispositionVia: "agent-session", ...productionApi });
    await c.dispositions.tag(String(skill.skillId), {
      callId: String(call!.contactId),
      dispositionCodeId: code(),
    });
    const joined = (await apiRequests()).filter((r) => r.path.endsWith("/agent-sessions/join"));
    expect(joined).toHaveLength(1);
    // Issue 75 §3: asAgentId in the JSON body (NICE's SDK) and in the query (the generated client).
    expect(joined[0]).toMatchObject({ query: { asAgentId: String(agentId) }, bodyFields: ["asAgentId"] });
    await clearLog();
    await c.close();
    return { call: call!, ended: (await apiRequests()).filter((r) => r.method === "DELETE") };
  };

  it("are not ended when the client closes: ending a joined session very probably logs the agent out", async () => {
    const { ended } = await tagThroughSession({});
    expect(ended).toEqual([]);
  });

  it("with endJoinedSessions, closing ends each one without forcing a logoff or ending the agent's calls", async () => {
    await knobs({ joinedSessionEnd: "leave" });
    const { call, ended } = await tagThroughSession({ endJoinedSessions: true });
    expect(ended).toHaveLength(1);
    const flags = { forceLogoff: "false", endContacts: "false", ignorePersonalQueue: "false" };
    expect(ended[0]).toMatchObject({ status: 202, query: flags });
    // …and the same flags in the JSON body, as NICE's SDK sends them (issue 75 §3).
    expect([...(ended[0]!.bodyFields ?? [])].sort()).toEqual(Object.keys(flags).sort());
    expect(ended[0]!.path).toMatch(/\/agent-sessions\/[0-9a-f-]{36}$/);
    // The agent's call is still live.
    const live = await h.api("GET", `contacts/active?contactId=${call.contactId}`);
    expect(live.body.activeContacts).toHaveLength(1);
  });
});
