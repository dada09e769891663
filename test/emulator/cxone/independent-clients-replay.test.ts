import { readFileSync } from "node:fs";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneHarness, cxoneHarness } from "./helpers.ts";

/**
 * The request shapes of four clients nobody on this project wrote (test/fixtures/
 * independent-client-requests.json: NICE's QA automation, a CXone MCP server run against live
 * tenants, a callback tool run against a live tenant, the spec-generated client; each with its
 * repo, path and commit) replayed against the production emulator: under the default
 * `requestTypes: lenient` every one gets the status the evidence says the platform answers, with
 * the fields those clients read; under `strict` (a tenant shown to read only the generated models'
 * JSON types) the quoted, `""`, integer-phone and date-only shapes are the platform's 400.
 *
 * Replayed with undici's `request`, not fetch: CAB sends JSON bodies on GET (Python's requests
 * does), which fetch refuses to send.
 */
interface Recorded {
  step: string;
  client: string;
  source: { repo: string; path: string; commit: string; builtBy: string };
  method: string;
  path: string;
  body: string | null;
  expect: { lenient: number; strict: number };
}

const recording = JSON.parse(
  readFileSync(new URL("../../fixtures/independent-client-requests.json", import.meta.url), "utf8"),
) as { requests: Recorded[] };

interface Replayed {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the clients' answers are read as they read them
  body: any;
}

const pad = (n: number) => String(n).padStart(2, "0");
const DAY_MS = 86_400_000;

/** What the clients compute at run time: the MCP's expiry 30 days on, callbacks two days on. */
function runtimeValues(): Record<string, string> {
  const expiry = new Date(Date.now() + 30 * DAY_MS);
  const later = new Date(Date.now() + 2 * DAY_MS);
  return {
    expiryDate: expiry.toISOString().slice(0, 10),
    qaScheduleDate: `${pad(later.getUTCMonth() + 1)}/${pad(later.getUTCDate())}/${later.getUTCFullYear()}`,
    cabScheduleDate: `${later.toISOString().slice(0, 10)} 11:30:00`,
  };
}

async function replayAll(h: CxoneHarness): Promise<Map<string, Replayed>> {
  const token = await h.token();
  const f = h.fixtures;
  const live = f.activeContacts[0];
  if (!live) throw new Error("the seed has no live call");
  const skill = f.skills.find((s) => s.skillId === live.skillId);
  const group = f.dncGroups.find((g) => g.dncGroupName === "Internal");
  if (!skill || !group) throw new Error("fixtures lack the live call's skill or the Internal group");
  const values: Record<string, string> = {
    ...runtimeValues(),
    skillId: String(skill.skillId),
    agentId: String(live.agentId),
    contactId: String(live.contactId),
    dispositionId: String(skill.dispositionIds[0]),
    dncGroupId: String(group.dncGroupId),
    // A tag made for the replay (no skill holds it at the start): QA assigns it, lists, removes it.
    tagId: String((await h.api("POST", "tags?tagName=replay-tag")).body.tagId),
    listName: "replay-list",
  };
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all);
  const answers = new Map<string, Replayed>();
  for (const r of recording.requests) {
    const answer = await request(`${h.url}${fill(r.path)}`, {
      method: r.method as "GET",
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        ...(r.body === null ? {} : { "content-type": "application/json; charset=utf-8" }),
      },
      body: r.body === null ? undefined : fill(r.body),
    });
    const text = await answer.body.text();
    const body = text ? JSON.parse(text) : null;
    answers.set(r.step, { status: answer.statusCode, body });
    // What later requests name: the list the MCP made, the session QA joined, CAB's callback.
    if (r.step === "MCP3" && body?.listId) values.listId = String(body.listId);
    if (r.step === "QA7" && body?.sessionId) values.sessionId = String(body.sessionId);
    if (r.step === "CAB1" && body?.callbackId) values.callbackId = String(body.callbackId);
  }
  return answers;
}

let lenient: CxoneHarness;
let strict: CxoneHarness;
let asLenient: Map<string, Replayed>;
let asStrict: Map<string, Replayed>;

beforeAll(async () => {
  lenient = await cxoneHarness({ seed: 42 });
  strict = await cxoneHarness({ seed: 42, knobs: { requestTypes: "strict" } });
  asLenient = await replayAll(lenient);
  asStrict = await replayAll(strict);
}, 30_000);
afterAll(async () => {
  await lenient?.close();
  await strict?.close();
});

const answer = (answers: Map<string, Replayed>, step: string): Replayed => {
  const found = answers.get(step);
  if (!found) throw new Error(`step ${step} was not replayed`);
  return found;
};

describe("the independent clients' recorded request shapes, replayed against the production emulator", () => {
  it("every fixture names its public source", () => {
    for (const r of recording.requests) {
      expect(r.source.repo, r.step).toMatch(/^[\w-]+\/[\w.-]+$/);
      expect(r.source.path, r.step).not.toBe("");
      expect(r.source.builtBy, r.step).not.toBe("");
    }
  });

  it("lenient (the default): each gets the status the evidence says the platform answers", () => {
    const got = recording.requests.map((r) => ({ step: r.step, status: answer(asLenient, r.step).status }));
    expect(got).toEqual(recording.requests.map((r) => ({ step: r.step, status: r.expect.lenient })));
  });

  it("strict: the quoted, empty, integer-phone and date-only shapes are refused, the rest answered alike", () => {
    const got = recording.requests.map((r) => ({ step: r.step, status: answer(asStrict, r.step).status }));
    expect(got).toEqual(recording.requests.map((r) => ({ step: r.step, status: r.expect.strict })));
  });

  it("MCP: the business unit answers callSuppression, the port limits and the features it reads", () => {
    const unit = answer(asLenient, "MCP1").body.businessUnits[0];
    expect(unit.callSuppression).toBe(true);
    expect(unit.concurrentPortLimit).toEqual(expect.any(Number));
    expect(unit.outboundPortLimit).toEqual(expect.any(Number));
    expect(unit.features.filter((f: { isEnabled: boolean }) => f.isEnabled).length).toBeGreaterThan(0);
    for (const f of unit.features) expect(f.productDescription).toEqual(expect.any(String));
  });

  it("MCP and the generated client: an integer phone number is held by the group; a date-only expiry ends that day", async () => {
    const group = lenient.fixtures.dncGroups.find((g) => g.dncGroupName === "Internal");
    const held = (await lenient.admin("GET", `/dnc-groups/${group?.dncGroupId}`)).body.records;
    const phones = held.map((r: { phone: string }) => r.phone);
    expect(phones).toEqual(expect.arrayContaining(["+16125550199", "+16125550198", "+16125550194"]));
    const records = await lenient.api("GET", `dnc-groups/${group?.dncGroupId}/records?top=100`);
    const dated = records.body.resultSet.dncRecords.find(
      (r: { phoneNumber: string }) => r.phoneNumber === "6125550194",
    );
    expect(dated.expiredDate).toBe(`${runtimeValues().expiryDate}T23:59:59.999Z`);
    expect(answer(asLenient, "MCP2").body.errorCount).toBe(0);
  });

  it("QA: the phone number in a search body finds the group QA's quoted record went into", () => {
    const group = lenient.fixtures.dncGroups.find((g) => g.dncGroupName === "Internal");
    for (const step of ["QA2", "QA3"])
      expect(
        answer(asLenient, step).body.searchResults.map((s: { dncGroupId: number }) => s.dncGroupId),
      ).toContain(group?.dncGroupId);
  });

  it("MCP and QA uploads answer a job; QA's disposition and CAB's callbacks are read as they read them", () => {
    expect(answer(asLenient, "MCP4").body.jobId).toEqual(expect.any(Number));
    expect(answer(asLenient, "QA4").body.jobId).toEqual(expect.any(Number));
    expect(answer(asLenient, "QA5").body.dispositionResults[0]).toMatchObject({ success: true });
    const listed = answer(asLenient, "CAB2").body.callbacks;
    expect(listed.map((c: { firstName: string }) => c.firstName)).toEqual(
      expect.arrayContaining(["Qa", "Cab"]),
    );
    for (const c of listed)
      expect(Object.keys(c)).toEqual(
        expect.arrayContaining(["callbackId", "lastName", "dialNumber", "callbackTime"]),
      );
    expect(answer(asLenient, "CAB4").body).toMatchObject({ callbackId: expect.any(Number) });
  });

  it("CAB and QA: GET agents/states lists every agent with the state, team and name CAB reads", () => {
    for (const step of ["QA6", "CAB3"]) {
      const states = answer(asLenient, step).body.agentStates;
      expect(states.length).toBe(lenient.fixtures.agents.length);
      for (const s of states)
        expect(s).toMatchObject({
          agentStateName: expect.any(String),
          teamName: expect.any(String),
          firstName: expect.any(String),
        });
    }
  });

  it("QA: a skill's tags — a quoted tag id assigned, listed under resultSet.tags[], removed (issue 90 §5)", async () => {
    const tagId = (await lenient.api("GET", "tags?searchString=replay-tag")).body.tags[0].tagId;
    const skillId = lenient.fixtures.skills.find(
      (s) => s.skillId === lenient.fixtures.activeContacts[0]?.skillId,
    )?.skillId;
    expect(answer(asLenient, "QA10").body.resultSet).toEqual({
      errorCount: 0,
      tagResults: [{ success: true, tagId, error: "" }],
    });
    const listed = answer(asLenient, "QA11").body.resultSet;
    expect(listed.skillId).toBe(skillId);
    expect(listed.tags.map((t: { tagId: number }) => t.tagId)).toContain(tagId);
    const after = await lenient.api("GET", `skills/${skillId}/tags`);
    expect(after.status).toBe(200);
    expect(after.body.resultSet.tags.map((t: { tagId: number }) => t.tagId)).not.toContain(tagId);
    // Strict: the quoted id is refused, so the skill never held the tag.
    const strictTag = (await strict.api("GET", "tags?searchString=replay-tag")).body.tags[0].tagId;
    expect(answer(asStrict, "QA11").body.resultSet.tags.map((t: { tagId: number }) => t.tagId)).not.toContain(
      strictTag,
    );
  });

  it("the generated client: a numeric externalId in removeProspects is answered per record", () => {
    const removal = answer(asLenient, "CJ1").body;
    const ids = [...removal.successfulRecords, ...removal.failedRecords].map(
      (r: { externalId: string }) => r.externalId,
    );
    expect(ids).toEqual(["1"]);
  });
});
