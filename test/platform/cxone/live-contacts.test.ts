import { describe, expect, it } from "vitest";
import type { ApiRequest, ProductionApi } from "../../../src/platform/cxone/api.ts";
import { LIVE_CONTACTS_TTL_MS, LiveContacts } from "../../../src/platform/cxone/live-contacts.ts";

/**
 * The cached live list of a skill (live-contacts.ts): how long it is kept (on the client's
 * clock, never the wall clock), what a refusal takes out of it, and its bounds.
 */
function fakeApi(live: Record<string, Array<{ contactId: number; agentId?: number }>>) {
  let now = 1_000_000;
  const requests: ApiRequest[] = [];
  let fail = false;
  let release: (() => void) | undefined;
  const api = {
    now: () => now,
    async request(options: ApiRequest) {
      requests.push(options);
      if (release) await new Promise<void>((resolve) => (release = resolve));
      if (fail) throw new Error("network down");
      const skillId = String(options.query?.skillId);
      const calls = live[skillId] ?? [];
      if (calls.length === 0) return { status: 204, body: undefined };
      return {
        status: 200,
        body: { activeContacts: calls.map((c) => ({ ...c, skillId: Number(skillId) })) },
      };
    },
  } as unknown as ProductionApi;
  return {
    api,
    requests,
    advance: (ms: number) => {
      now += ms;
    },
    failing: (on: boolean) => {
      fail = on;
    },
    hold: () => {
      release = () => undefined;
    },
    let: () => {
      const r = release;
      release = undefined;
      r?.();
    },
  };
}

describe("LiveContacts", () => {
  it("one read serves every call of the skill until the TTL passes on the client's clock", async () => {
    const t = fakeApi({ "101": [{ contactId: 5, agentId: 9 }, { contactId: 6 }] });
    const live = new LiveContacts(t.api);
    const view = await live.find("101", "5");
    expect(view).toMatchObject({ id: "5", skillId: "101", agentId: "9", active: true, tags: [] });
    expect(await live.find("101", "6")).toMatchObject({ id: "6", active: true });
    expect(await live.find("101", "7")).toBeUndefined(); // not listed: the caller reads it on its own
    expect(t.requests).toHaveLength(1);
    expect(t.requests[0]).toMatchObject({
      method: "GET",
      path: "/contacts/active",
      query: { skillId: "101", skip: 0, top: 10_000 },
    });
    t.advance(LIVE_CONTACTS_TTL_MS - 1);
    await live.find("101", "5");
    expect(t.requests).toHaveLength(1);
    t.advance(1);
    await live.find("101", "5");
    expect(t.requests).toHaveLength(2);
  });

  it("rows arriving together share one read; one caller giving up does not fail the others", async () => {
    const t = fakeApi({ "101": [{ contactId: 5 }] });
    const live = new LiveContacts(t.api);
    t.hold();
    const quitter = new AbortController();
    const a = live.find("101", "5", quitter.signal);
    const b = live.find("101", "5");
    quitter.abort(new Error("gave up"));
    await expect(a).rejects.toThrow("gave up");
    await Promise.resolve();
    t.let();
    expect(await b).toMatchObject({ id: "5" });
    expect(t.requests).toHaveLength(1);
  });

  it("what a refusal shows is applied: an ended call leaves the list, a stopped skill drops it whole", async () => {
    const t = fakeApi({ "101": [{ contactId: 5 }, { contactId: 6 }] });
    const live = new LiveContacts(t.api);
    await live.find("101", "5");
    live.forget("101", "5");
    expect(await live.find("101", "5")).toBeUndefined();
    expect(await live.find("101", "6")).toBeDefined();
    expect(t.requests).toHaveLength(1);
    live.forget("101");
    await live.find("101", "6");
    expect(t.requests).toHaveLength(2); // read again at once, not after the TTL
  });

  it("a failed read is not kept; a clock that goes back does not make a list live for ever", async () => {
    const t = fakeApi({ "101": [{ contactId: 5 }] });
    const live = new LiveContacts(t.api);
    t.failing(true);
    await expect(live.find("101", "5")).rejects.toThrow("network down");
    t.failing(false);
    expect(await live.find("101", "5")).toBeDefined();
    expect(t.requests).toHaveLength(2);
    t.advance(-60_000);
    await live.find("101", "5");
    expect(t.requests).toHaveLength(3);
  });

  it("bounded: at most 16 skills are kept, the oldest read goes first; a 204 is an empty list", async () => {
    const t = fakeApi(Object.fromEntries(Array.from({ length: 17 }, (_, i) => [String(200 + i), []])));
    const live = new LiveContacts(t.api);
    for (let i = 0; i < 17; i++) expect(await live.find(String(200 + i), "1")).toBeUndefined();
    expect(t.requests).toHaveLength(17);
    await live.find("216", "1"); // the newest: still kept
    expect(t.requests).toHaveLength(17);
    await live.find("200", "1"); // the oldest: dropped when the 17th came
    expect(t.requests).toHaveLength(18);
  });

  it("a call another skill's list shows (a server that ignored the filter) is not taken as this skill's", async () => {
    const t = fakeApi({});
    const api = {
      now: () => 0,
      request: async () => ({
        status: 200,
        body: { activeContacts: [{ contactId: 5, skillId: 999 }] },
      }),
    } as unknown as ProductionApi;
    expect(await new LiveContacts(api).find("101", "5")).toBeUndefined();
    expect(t.requests).toHaveLength(0);
  });
});
