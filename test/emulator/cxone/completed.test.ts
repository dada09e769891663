import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../../src/emulator/index.ts";
import { type CxoneHarness, cxoneHarness, fetchAnswer } from "./helpers.ts";

let h: CxoneHarness;
beforeAll(async () => {
  h = await cxoneHarness({ seed: 11, contacts: 20_000, days: 10 });
});
afterAll(() => h.close());

const completed = (query: Record<string, string | number>, version = "v33.0") =>
  h.api(
    "GET",
    `contacts/completed?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`,
    {
      version,
    },
  );

describe("production-API emulator: GET /contacts/completed", () => {
  it("pages with skip/top, an absolute _links.next, and a bare 204 past the end", async () => {
    const skillId = h.fixtures.skills[0]!.skillId;
    const { windowStart } = h.fixtures.completed;
    const start = new Date(Date.parse(windowStart) + 86_400_000).toISOString();
    const end = new Date(Date.parse(windowStart) + 2 * 86_400_000).toISOString();
    const first = await completed({ skillId, startDate: start, endDate: end, top: 200 });
    expect(first.status).toBe(200);
    const total = first.body.totalRecords as number;
    expect(total).toBeGreaterThan(200);
    expect(first.body.businessUnitId).toBe(h.fixtures.tenant.businessUnitId);
    expect(first.body._links.previous).toBeNull();
    const seen: number[] = [];
    let page = first;
    let pages = 0;
    while (page.status === 200) {
      pages++;
      for (const c of page.body.completedContacts) {
        expect(c.skillId).toBe(skillId);
        expect(c.contactStartDate >= start && c.contactStartDate < end).toBe(true);
        seen.push(c.contactId);
      }
      const next = page.body._links.next as string | null;
      if (!next) break;
      expect(next.startsWith(`${h.url}/inContactAPI/services/v33.0/contacts/completed?`)).toBe(true);
      page = await fetchAnswer(next, {
        headers: { authorization: `Bearer ${await h.token()}`, accept: "application/json" },
      });
    }
    expect(pages).toBe(Math.ceil(total / 200));
    expect(new Set(seen).size).toBe(total);
    const past = await completed({ skillId, startDate: start, endDate: end, top: 200, skip: total });
    expect(past.status).toBe(204);
    expect(past.text).toBe("");
  });

  it("uses v23 field names below v33, and projects with fields=", async () => {
    const v33 = (await completed({ top: 1 })).body.completedContacts[0];
    const v23 = (await completed({ top: 1 }, "v23.0")).body.completedContacts[0];
    expect(Object.keys(v33)).toEqual(
      expect.arrayContaining([
        "contactStartDate",
        "fromAddress",
        "toAddress",
        "mediaTypeId",
        "conferenceSeconds",
      ]),
    );
    expect(Object.keys(v23)).toEqual(
      expect.arrayContaining(["contactStart", "fromAddr", "toAddr", "mediaType", "confSeconds"]),
    );
    expect(v23.contactStartDate).toBeUndefined();
    expect(v23.contactStart).toBe(v33.contactStartDate);
    // The same record otherwise: the same values in the same order under those names, tags too.
    const V23: Record<string, string> = {
      contactStartDate: "contactStart",
      fromAddress: "fromAddr",
      toAddress: "toAddr",
      mediaTypeId: "mediaType",
      conferenceSeconds: "confSeconds",
    };
    const tagged = (await completed({ top: 200, tags: "true" })).body.completedContacts.findIndex(
      (c: { tags: unknown[] }) => c.tags.length > 0,
    );
    expect(tagged).toBeGreaterThanOrEqual(0);
    const [modern, legacy] = [
      (await completed({ top: 200, tags: "true" })).body.completedContacts[tagged],
      (await completed({ top: 200, tags: "true" }, "v23.0")).body.completedContacts[tagged],
    ];
    const { tags, ...rest } = modern as {
      tags: Array<{ contactId: number; tagId: number; tagName: string }>;
    };
    expect(legacy).toStrictEqual(
      Object.fromEntries([
        ...Object.entries(rest).map(([key, value]) => [V23[key] ?? key, value]),
        ["tags", tags.map((t) => ({ Contact_Id: t.contactId, TagId: t.tagId, TagName: t.tagName }))],
      ]),
    );
    expect(Object.keys(legacy)).toEqual(Object.keys(modern).map((key) => V23[key] ?? key));
    const projected = (await completed({ top: 2, fields: "contactId,contactStartDate,skillId" })).body
      .completedContacts;
    expect(Object.keys(projected[0]).sort()).toEqual(["contactId", "contactStartDate", "skillId"]);
  });

  it("filters [startDate, endDate) on contactStartDate, hides the warehouse lag, and obeys the knobs", async () => {
    const sample = h.fixtures.completed.sample[3]!;
    const at = sample.contactStartDate;
    const exact = await completed({ startDate: at, endDate: at });
    expect(exact.status).toBe(204); // empty half-open range
    const one = await completed({ startDate: at, endDate: new Date(Date.parse(at) + 1).toISOString() });
    expect(one.body.completedContacts.map((c: { contactId: number }) => c.contactId)).toContain(
      sample.contactId,
    );
    await h.admin("POST", "/knobs", { endDateInclusive: true });
    const inclusive = await completed({ startDate: at, endDate: at });
    expect(inclusive.body.completedContacts[0].contactId).toBe(sample.contactId);
    await h.admin("POST", "/knobs", { endDateInclusive: false });

    const all = (await completed({ top: 1 })).body.totalRecords;
    expect(all).toBe(h.fixtures.completed.visible);
    expect(all).toBeLessThan(20_000); // the last 30 minutes are not warehoused yet
    await h.admin("POST", "/knobs", { warehouseLagS: 0 });
    expect((await completed({ top: 1 })).body.totalRecords).toBe(20_000);
    await h.admin("POST", "/knobs", { topCap: 50, topOverCap: "reject" });
    const capped = await completed({ top: 51 });
    expect(capped.status).toBe(400);
    expect(capped.body).toEqual({
      error: "InvalidParameter",
      errorDescription: "top is above the maximum of 50",
    });
    await h.admin("POST", "/knobs", { topOverCap: "clamp" });
    expect((await completed({ top: 51 })).body.completedContacts).toHaveLength(50);
    await h.admin("POST", "/knobs", { topCap: 10_000, warehouseLagS: 1800 });
    expect((await completed({ orderBy: "agentName asc" })).status).toBe(400);
    const desc = (await completed({ top: 3, orderBy: "contactStartDate desc" })).body.completedContacts;
    expect(desc[0].contactStartDate >= desc[2].contactStartDate).toBe(true);
  });

  it("shows tags and set-disposition changes (with closedContact=accept) in later listings", async () => {
    const sample = h.fixtures.completed.sample.find((s) => s.isOutbound)!;
    const tag = h.fixtures.tags[0]!;
    const tagged = await h.api("POST", `contacts/${sample.contactId}/tags`, {
      body: { tags: [{ tagId: tag.tagId }, { tagId: 99_999 }] },
    });
    expect(tagged.body.resultSet).toEqual({
      errorCount: "1", // text, as NICE's agent SDK reads it (knob tagErrorCount)
      tagResults: [
        { success: true, tagId: tag.tagId, error: null },
        { success: false, tagId: 99_999, error: "Invalid TagId" },
      ],
    });
    const skill = h.fixtures.skills.find((s) => s.skillId === sample.skillId)!;
    const code = skill.dispositionIds[0]!;
    const body = {
      dispositionInfo: { skill: String(sample.skillId), dispositionCode: String(code), notes: "fixed" },
    };
    const refused = await h.api("POST", `contacts/${sample.contactId}/set-disposition`, { body });
    expect(refused.status).toBe(400);
    await h.admin("POST", "/knobs", { closedContact: "accept" });
    expect((await h.api("POST", `contacts/${sample.contactId}/set-disposition`, { body })).status).toBe(200);
    await h.admin("POST", "/knobs", { closedContact: "reject" });
    const at = sample.contactStartDate;
    const row = (
      await completed({ startDate: at, endDate: new Date(Date.parse(at) + 1).toISOString(), tags: "true" })
    ).body.completedContacts.find((c: { contactId: number }) => c.contactId === sample.contactId);
    expect(row.primaryDispositionId).toBe(code);
    expect(row.dispositionNotes).toBe("fixed");
    // Without tags=true the platform leaves them out (GEN).
    const untagged = (
      await completed({ startDate: at, endDate: new Date(Date.parse(at) + 1).toISOString() })
    ).body.completedContacts.find((c: { contactId: number }) => c.contactId === sample.contactId);
    expect(untagged.tags).toBeUndefined();
    expect(row.tags).toEqual([
      expect.objectContaining({ contactId: sample.contactId, tagId: tag.tagId, tagName: tag.tagName }),
    ]);
    const since = new Date(Date.now() - 60_000).toISOString();
    const changed = await completed({ updatedSince: since });
    expect(changed.body.completedContacts.map((c: { contactId: number }) => c.contactId)).toEqual([
      sample.contactId,
    ]);
  });

  it("is deterministic by seed and generates lazily (a million contacts cost no memory up front)", async () => {
    const before = process.memoryUsage().heapUsed;
    const windowEnd = new Date(Date.now() - 3_600_000).toISOString();
    const options = { platform: "cxone", port: 0, contacts: 1_000_000, days: 10, windowEnd } as const;
    const big = await startEmulator({ ...options, seed: 11 });
    const twin = await startEmulator({ ...options, seed: 11 });
    const other = await startEmulator({ ...options, seed: 12 });
    try {
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(40 * 1024 * 1024);
      const page = async (url: string, fixtures: typeof big.fixtures) => {
        const form = new URLSearchParams({
          grant_type: "password",
          username: fixtures.accessKeys[0]!.accessKeyId,
          password: fixtures.accessKeys[0]!.accessKeySecret,
          client_id: fixtures.client.clientId,
          client_secret: fixtures.client.clientSecret,
        });
        const token = await fetchAnswer(`${url}/auth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: form.toString(),
        });
        const start = new Date(Date.parse(fixtures.completed.windowStart) + 3 * 86_400_000).toISOString();
        const answer = await fetchAnswer(
          `${url}/inContactAPI/services/v33.0/contacts/completed?startDate=${start}&skip=500000&top=5&fields=contactId,contactStartDate,primaryDispositionId,toAddress`,
          { headers: { authorization: `Bearer ${token.body.access_token}`, accept: "application/json" } },
        );
        return answer.body.completedContacts;
      };
      const world = (f: typeof big.fixtures) => ({
        ...f,
        issuer: "",
        accessKeyUrl: "",
        apiEndpoint: "",
        apiBase: "",
        activeContacts: [],
      });
      expect(world(twin.fixtures)).toEqual(world(big.fixtures));
      expect(other.fixtures.tenant.tenantId).not.toBe(big.fixtures.tenant.tenantId);
      expect(other.fixtures.client.clientSecret).not.toBe(big.fixtures.client.clientSecret);
      const a = await page(big.url, big.fixtures);
      expect(a).toHaveLength(5);
      expect(await page(twin.url, twin.fixtures)).toEqual(a);
      expect(await page(other.url, other.fixtures)).not.toEqual(a);
    } finally {
      await Promise.all([big.close(), twin.close(), other.close()]);
    }
  });
});
