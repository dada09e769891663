import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { basicAuth, type CxoneHarness, claimsOf, cxoneHarness, fetchAnswer } from "./helpers.ts";

/**
 * Issue 75 §2: the production emulator takes what NICE's own production client sends
 * (independent-clients.md §6), each a request the emulator refused with 400 before: JSON whatever
 * its label, unknown fields ignored, query names in any case, a multi-key `orderBy`, NICE's
 * refresh grant, the `primary*` disposition fields, the join and end parameters in the body. It
 * still refuses a known field of the wrong type or a missing required one; its admin API stays
 * strict.
 */
let h: CxoneHarness;
beforeAll(async () => {
  h = await cxoneHarness({ seed: 11, contacts: 2000, days: 3 });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.admin("POST", "/reset");
});

const TEXT = { "content-type": "text/plain;charset=UTF-8" };
const completedContact = () => h.fixtures.completed.sample.find((s) => s.isOutbound)!;
const activeTag = () => h.fixtures.tags[0]!; // every seeded tag is active

async function raw(method: string, path: string, body: string | Uint8Array, headers: Record<string, string>) {
  return fetchAnswer(`${h.url}/inContactAPI/services/${path}`, {
    method,
    headers: { authorization: `Bearer ${await h.token()}`, accept: "*/*", ...headers },
    body,
  });
}

describe("production emulator: bodies as NICE's SDK sends them", () => {
  it("reads JSON labelled text/plain, and JSON with no Content-Type at all", async () => {
    const body = JSON.stringify({ tags: [{ tagId: activeTag().tagId }] });
    const labelled = await raw("POST", `v23.0/contacts/${completedContact().contactId}/tags`, body, TEXT);
    expect(labelled.status).toBe(200);
    const unlabelled = await raw(
      "POST",
      `v23.0/contacts/${completedContact().contactId}/tags`,
      new TextEncoder().encode(body),
      {},
    );
    expect(unlabelled.status).toBe(200);
    // Not JSON at all, whatever the label: still the platform's 400.
    const garbage = await raw("POST", `v23.0/contacts/${completedContact().contactId}/tags`, "{tags:", TEXT);
    expect({ status: garbage.status, error: garbage.body.error }).toEqual({
      status: 400,
      error: "InvalidParameter",
    });
  });

  it("ignores unknown fields (NICE's CXoneTag carries tagName, isActive, notes) but refuses wrong types", async () => {
    const tag = activeTag();
    const path = `contacts/${completedContact().contactId}/tags`;
    const full = await h.api("POST", path, {
      body: { tags: [{ tagId: tag.tagId, tagName: tag.tagName, isActive: true, notes: "" }], extra: 1 },
    });
    expect(full.status).toBe(200);
    // NICE's SDK counts the tagging done only if errorCount is the string "0".
    expect(full.body.resultSet.errorCount).toBe("0");
    expect(full.body.resultSet.tagResults).toEqual([{ success: true, tagId: tag.tagId, error: null }]);
    const wrongType = await h.api("POST", path, { body: { tags: [{ tagId: "eight" }] } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errorDescription).toBe("tags.0.tagId is invalid");
    const missing = await h.api("POST", path, { body: { tagz: [{ tagId: tag.tagId }] } });
    expect(missing.status).toBe(400);
    expect(missing.body.errorDescription).toBe("tags is invalid");
    await h.admin("POST", "/knobs", { tagErrorCount: "number" });
    expect(
      (await h.api("POST", path, { body: { tags: [{ tagId: tag.tagId }] } })).body.resultSet.errorCount,
    ).toBe(0);
  });

  it("keeps its own admin API strict: an unknown field there is still a 400", async () => {
    const answer = await h.admin("POST", "/faults", { group: "tags", errorRate: 0, bogus: 1 });
    expect(answer.status).toBe(400);
    expect(answer.body.errorDescription).toMatch(/unknown field\(s\) bogus/);
  });
});

describe("production emulator: query names in any case, multi-key orderBy", () => {
  it("reads Top, SKIP and orderby as top, skip and orderBy", async () => {
    const all = await h.api("GET", "tags");
    expect(all.body.tags.length).toBeGreaterThan(2);
    const page = await h.api("GET", "tags?Top=1&SKIP=1");
    expect(page.body.tags).toEqual([all.body.tags[1]]);

    const skills = await h.api("GET", "skills?orderby=skillName%20desc");
    const names = skills.body.skills.map((s: { skillName: string }) => s.skillName);
    expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a)));
    expect((await h.api("GET", "skills?orderBy=nope")).status).toBe(400);

    const base = "contacts/completed?top=3";
    const ascending = await h.api("GET", `${base}&orderBy=contactStartDate%20asc`);
    const lower = await h.api("GET", `${base}&orderby=contactStartDate%20desc`);
    expect(lower.status).toBe(200);
    const ids = (answer: typeof lower) =>
      answer.body.completedContacts.map((c: { contactId: number }) => c.contactId);
    expect(ids(lower)).not.toEqual(ids(ascending));
    const starts = lower.body.completedContacts.map((c: { contactStartDate: string }) => c.contactStartDate);
    expect([...starts].sort().reverse()).toEqual(starts);
  });

  it("takes several orderBy keys and v23's contactStart; an unknown key is still a 400", async () => {
    const base = "contacts/completed?top=3";
    const top = async () =>
      (await h.api("GET", `${base}&orderBy=contactStartDate%20desc`)).body.completedContacts as Array<{
        contactId: number;
      }>;
    const ids = (contacts: Array<{ contactId: number }>) => contacts.map((c) => c.contactId);
    // The emulator's dialer goes on completing contacts while the test reads: a contact completed
    // between two reads changes the newest three, so each answer is held to the plain read just
    // before it or just after it (on the wall clock of a loaded machine the two reads differed).
    const before = await top();
    const multi = await h.api("GET", `${base}&orderBy=contactStartDate%20desc,contactId%20asc`);
    const afterMulti = await top();
    expect(multi.status).toBe(200);
    expect([before, afterMulti]).toContainEqual(multi.body.completedContacts);
    const v23 = await h.api("GET", "contacts/completed?top=3&orderby=contactStart%20desc", {
      version: "v23.0",
    });
    const afterV23 = await top();
    expect(v23.status).toBe(200);
    expect([ids(afterMulti), ids(afterV23)]).toContainEqual(ids(v23.body.completedContacts));
    expect((await h.api("GET", `${base}&orderBy=contactStartDate%20desc,nope`)).status).toBe(400);
  });
});

describe("production emulator: NICE's refresh grant and id_token", () => {
  it("refreshes a form labelled application/json with no client credentials; the id_token names the agent", async () => {
    const { client, accessKeys } = h.fixtures;
    const key = accessKeys[0]!;
    const login = await h.call("POST", "/auth/token", {
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: basicAuth(client.clientId, client.clientSecret),
      },
      body: new URLSearchParams({
        grant_type: "password",
        username: key.accessKeyId,
        password: key.accessKeySecret,
      }).toString(),
    });
    const refreshed = await h.call("POST", "/auth/token", {
      headers: { "content-type": "application/json", "originating-service-identifier": "CXoneAgent" },
      body: `grant_type=refresh_token&scope=openid&refresh_token=${login.body.refresh_token}`,
    });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body).sort()).toEqual(
      ["access_token", "expires_in", "id_token", "issued_token_type", "refresh_token", "token_type"].sort(),
    );
    const id = claimsOf(refreshed.body.id_token);
    const agent = h.fixtures.agents.find((a) => a.agentId === key.agentId);
    expect(id).toMatchObject({
      tenantId: h.fixtures.tenant.tenantId,
      tenant: h.fixtures.tenant.tenantName,
      icAgentId: key.agentId,
      icBUId: h.fixtures.tenant.businessUnitId,
      icClusterId: h.fixtures.tenant.clusterId,
      teamId: agent?.teamId ?? null,
      name: expect.any(String),
      sub: expect.stringMatching(/^user:/),
    });
    expect((await h.api("GET", "skills", { token: refreshed.body.access_token })).status).toBe(200);
    const forged = await h.call("POST", "/auth/token", {
      headers: { "content-type": "application/json" },
      body: "grant_type=refresh_token&scope=openid&refresh_token=not-a-token",
    });
    expect({ status: forged.status, error: forged.body.error }).toEqual({
      status: 400,
      error: "invalid_grant",
    });
    // A JSON document is still not a token request (RFC 6749 takes forms).
    const json = await h.call("POST", "/auth/token", {
      body: { grant_type: "refresh_token", refresh_token: login.body.refresh_token },
    });
    expect(json.status).toBe(400);
  });
});

describe("production emulator: agent sessions as NICE's SDK and the generated client call them", () => {
  async function liveContact() {
    const skill = h.fixtures.skills.find((s) => s.isRunning && s.isOutbound && s.dispositionIds.length > 1)!;
    const agentId = h.fixtures.agents[0]!.agentId;
    const made = await h.admin("POST", `/skills/${skill.skillId}/contacts`, { count: 1, agentId });
    return { skill, agentId, contactId: made.body.contacts[0].contactId as number };
  }

  it("joins with asAgentId in a text/plain JSON body, dispositions with NICE's primary* fields, ends by body", async () => {
    const { skill, agentId, contactId } = await liveContact();
    const join = await raw(
      "POST",
      "v23.0/agent-sessions/join",
      JSON.stringify({ asAgentId: String(agentId) }),
      TEXT,
    );
    expect(join.status).toBe(200);
    const sessionId = join.body.sessionId as string;
    const [first, second] = skill.dispositionIds as [number, number];
    const path = `agent-sessions/${sessionId}/interactions/${contactId}/disposition`;
    const callback = {
      primaryDispositionId: first,
      primaryDispositionNotes: "cb",
      primaryCallbackTime: "2026-11-27T20:29:21.801Z",
      primaryCallbackNumber: "6125550100",
      primaryCommitmentAmount: 0,
    };
    expect((await raw("POST", `v27.0/${path}`, JSON.stringify(callback), TEXT)).status).toBe(202);
    const reschedule = {
      primaryDispositionId: second,
      primaryCallbackNumber: "6125550100",
      primaryCallbackTime: "2026-11-27T20:29:21.957Z",
      primaryDispositionNotes: "later",
    };
    expect((await raw("POST", `v23.0/${path}`, JSON.stringify(reschedule), TEXT)).status).toBe(202);
    const badTime = { primaryDispositionId: first, primaryCallbackTime: "tomorrow" };
    expect((await h.api("POST", path, { body: badTime, version: "v27.0" })).status).toBe(400);

    const end = await raw(
      "DELETE",
      `v23.0/agent-sessions/${sessionId}`,
      JSON.stringify({ forceLogoff: false, endContacts: true, ignorePersonalQueue: false }),
      TEXT,
    );
    expect(end.status).toBe(202);
    // endContacts read from the body: the agent's live call ended.
    const live = await h.api("GET", `contacts/active?contactId=${contactId}`);
    expect(live.status).toBe(204);
  });

  it("still takes the generated client's query, and refuses a body and a query that disagree", async () => {
    const { agentId, contactId } = await liveContact();
    const byQuery = await h.api("POST", `agent-sessions/join?asAgentId=${agentId}`);
    expect(byQuery.status).toBe(200);
    const both = await h.api("POST", `agent-sessions/join?asAgentId=${agentId}`, {
      body: { asAgentId: agentId },
    });
    expect(both.status).toBe(200);
    const differ = await h.api("POST", `agent-sessions/join?asAgentId=${agentId}`, {
      body: { asAgentId: agentId + 1 },
    });
    expect(differ.status).toBe(400);
    expect((await h.api("POST", "agent-sessions/join", { body: {} })).status).toBe(400);
    const end = await h.api("DELETE", `agent-sessions/${both.body.sessionId}?endContacts=true`);
    expect(end.status).toBe(202);
    expect((await h.api("GET", `contacts/active?contactId=${contactId}`)).status).toBe(204);
  });
});

describe("production emulator: skill dispositions and the Skills View permission (knob skillDispositionsVersion)", () => {
  it("serves every version by default; under v12.0, v33.0 is a 403 and v12.0 serves", async () => {
    const skill = h.fixtures.skills.find((s) => s.dispositionIds.length > 0)!;
    const path = `skills/${skill.skillId}/dispositions`;
    expect((await h.api("GET", path)).status).toBe(200);
    await h.admin("POST", "/knobs", { skillDispositionsVersion: "v12.0" });
    const refused = await h.api("GET", path);
    expect({ status: refused.status, error: refused.body.error }).toEqual({
      status: 403,
      error: "Forbidden",
    });
    const old = await h.api("GET", path, { version: "v12.0" });
    expect(old.status).toBe(200);
    expect(old.body.dispositions.map((d: { dispositionId: number }) => d.dispositionId)).toEqual(
      skill.dispositionIds,
    );
  });
});
