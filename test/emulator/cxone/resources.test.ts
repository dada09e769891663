import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CxoneHarness, cxoneHarness } from "./helpers.ts";

let h: CxoneHarness;
beforeAll(async () => {
  h = await cxoneHarness({ seed: 9, contacts: 5000, days: 5, uploadJobPolls: 2 });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.admin("POST", "/reset");
});

describe("production-API emulator: contacts, sessions, lists, WFM, campaigns", () => {
  it("serves one contact (wrapped by default), its V27 disposition, and the active ones", async () => {
    const sample = h.fixtures.completed.sample.find((s) => s.primaryDispositionId !== null)!;
    const one = await h.api("GET", `contacts/${sample.contactId}`);
    expect(one.body).toMatchObject({
      businessUnitId: h.fixtures.tenant.businessUnitId,
      contactId: { contactId: sample.contactId, skillId: sample.skillId },
    });
    await h.admin("POST", "/knobs", {
      contactEnvelope: "flat",
      dispositionAgentField: "dispositionedByAgendId",
    });
    expect((await h.api("GET", `contacts/${sample.contactId}`)).body.contactId).toBe(sample.contactId);
    const disposition = await h.api("GET", `contacts/${sample.contactId}/disposition`, { version: "V27.0" });
    expect(disposition.body).toMatchObject({ dispositionId: sample.primaryDispositionId });
    expect(Object.keys(disposition.body)).toContain("dispositionedByAgendId");
    expect((await h.api("GET", "contacts/123")).status).toBe(404);
    const active = h.fixtures.activeContacts[0]!;
    const live = await h.api("GET", `contacts/active?contactId=${active.contactId}`);
    expect(live.body.activeContacts).toEqual([
      expect.objectContaining({ contactId: active.contactId, isOutbound: true }),
    ]);
    expect(
      (await h.api("GET", `contacts/${active.contactId}/disposition`, { version: "V27.0" })).status,
    ).toBe(204);
  });

  it("dispositions a live call by set-disposition and by agent session; the ended call carries it", async () => {
    const [a, b] = h.fixtures.activeContacts as [
      (typeof h.fixtures.activeContacts)[0],
      (typeof h.fixtures.activeContacts)[0],
    ];
    const codes = h.fixtures.skills.find((s) => s.skillId === a.skillId)!.dispositionIds;
    const set = await h.api("POST", `contacts/${a.contactId}/set-disposition`, {
      body: { dispositionInfo: { skill: String(a.skillId), dispositionCode: String(codes[0]), notes: "n" } },
    });
    expect(set.status).toBe(200);
    const wrongSkill = await h.api("POST", `contacts/${a.contactId}/set-disposition`, {
      body: { dispositionInfo: { skill: "1", dispositionCode: String(codes[0]) } },
    });
    expect(wrongSkill.body.errorDescription).toBe("dispositionInfo.skill is not the contact's skill");
    const byName = { dispositionInfo: { skill: String(a.skillId), dispositionCode: "Sale" } };
    expect((await h.api("POST", `contacts/${a.contactId}/set-disposition`, { body: byName })).status).toBe(
      400,
    );
    await h.admin("POST", "/knobs", { dispositionCode: "name" });
    expect((await h.api("POST", `contacts/${a.contactId}/set-disposition`, { body: byName })).status).toBe(
      200,
    );

    const join = await h.api("POST", `agent-sessions/join?asAgentId=${b.agentId}`, { version: "v27.0" });
    const path = `agent-sessions/${join.body.sessionId}/interactions/${b.contactId}/disposition`;
    const ok = await h.api("POST", path, {
      version: "v27.0",
      body: { primaryDispositionId: codes[1], primaryDispositionNotes: "x" },
    });
    expect(ok.status).toBe(202);
    const other = `agent-sessions/${join.body.sessionId}/interactions/${a.contactId}/disposition`;
    expect((await h.api("POST", other, { body: { primaryDispositionId: codes[1] } })).status).toBe(400);
    expect(
      (
        await h.api("POST", `agent-sessions/nope/interactions/${b.contactId}/disposition`, {
          body: { primaryDispositionId: 1 },
        })
      ).status,
    ).toBe(404);

    expect((await h.admin("POST", `/contacts/${b.contactId}/end`)).status).toBe(200);
    await h.admin("POST", "/knobs", { warehouseLagS: 0 });
    const row = await h.api("GET", `contacts/${b.contactId}`);
    expect(row.body.contactId).toMatchObject({
      primaryDispositionId: codes[1],
      dispositionNotes: "x",
      isWarehoused: true,
    });
  });

  it("creates a list, uploads a CSV as a job that completes on the second poll, and downloads it", async () => {
    const created = await h.api("POST", "lists/call-lists?listName=April&externalIdColumn=Id", {
      body: {
        destinationMappings: [
          { fieldName: "PhoneNumber", fieldValue: "Phone" },
          { fieldName: "FirstName", fieldValue: "First" },
        ],
      },
    });
    const listId = created.body.listId;
    expect(listId).toEqual(expect.any(Number));
    const csv = "Id,Phone,First,consent_call\nA1,(612) 555-0123,Ann,Y\nA2,bad,Ben,N\n";
    const pc = h.fixtures.skills.find((s) => s.skillName === "PC Collections")!;
    const upload = await h.api("POST", `lists/call-lists/${listId}/upload`, {
      body: {
        listFile: Buffer.from(csv).toString("base64"),
        fileName: "april.csv",
        skillId: pc.skillId,
        expirationDate: "2099-01-01T00:00:00Z",
        forceOverwrite: false,
        startSkill: false,
      },
    });
    const jobId = upload.body.jobId;
    const before = await h.api("GET", `lists/call-lists/${listId}?includeRecords=true`);
    expect(before.body.resultSet.totalRecords).toBe(0);
    expect((await h.api("GET", `lists/call-lists/jobs/${jobId}`)).body.uploadJobs[0].isComplete).toBe(false);
    expect((await h.api("GET", `lists/call-lists/jobs/${jobId}`)).body.uploadJobs[0].isComplete).toBe(true);
    const after = await h.api("GET", `lists/call-lists/${listId}?includeRecords=true`);
    expect(after.body.resultSet.contactRecords).toEqual([
      {
        externalId: "A1",
        phoneNumber: "6125550123",
        firstName: "Ann",
        lastName: "",
        timeZone: "",
        state: "",
        customFields: { consent_call: "Y" },
        // The upload's expiry, which the list dialer honours (issue 65: records_expired).
        expirationDate: "2099-01-01T00:00:00Z",
      },
    ]);
    expect((await h.api("GET", `skills/${pc.skillId}/parameters`)).body.callingLists).toEqual([
      { id: listId, name: "April" },
    ]);
    expect(
      (await h.api("POST", `lists/call-lists/${listId}/upload`, { body: { listFile: "%%%" } })).status,
    ).toBe(400);
    await h.admin("POST", "/knobs", { listRecordKeys: "pascal" });
    const seeded = h.fixtures.callingLists[0]!;
    const download = await h.api("GET", `lists/call-lists/${seeded.listId}?includeRecords=true`);
    expect(download.body.resultSet.contactRecords).toHaveLength(seeded.size);
    expect(Object.keys(download.body.resultSet.contactRecords[0])).toContain("PhoneNumber");
    expect((await h.api("GET", "lists/call-lists")).body.callingLists.length).toBe(4);
  });

  it("derives WFM dialer rows from the warehouse, under either array key", async () => {
    const start = h.fixtures.completed.windowStart;
    const end = new Date(Date.parse(start) + 86_400_000).toISOString();
    const wfm = await h.api(
      "GET",
      `wfm-data/skills/dialer-contacts?startDate=${start}&endDate=${end}&mediaTypeId=4`,
    );
    const rows = wfm.body.outboundStats as {
      dials: number;
      connects: number;
      skillId: number;
      connectsAHT: string;
    }[];
    const dials = rows.reduce((sum, r) => sum + r.dials, 0);
    const outbound = await h.api("GET", `contacts/completed?startDate=${start}&endDate=${end}&top=1`);
    expect(dials).toBeGreaterThan(0);
    expect(dials).toBeLessThanOrEqual(outbound.body.totalRecords); // inbound contacts are not dials
    expect(rows.every((r) => r.connects <= r.dials && typeof r.connectsAHT === "string")).toBe(true);
    await h.admin("POST", "/knobs", { wfmArrayKey: "wfM_OB_StatsV9" });
    const v9 = await h.api("GET", `wfm-data/skills/dialer-contacts?startDate=${start}&endDate=${end}`);
    expect(v9.body.wfM_OB_StatsV9).toEqual(rows);
    expect(
      (
        await h.api(
          "GET",
          "wfm-data/skills/dialer-contacts?startDate=2020-01-01T00:00:00Z&endDate=2020-01-02T00:00:00Z",
        )
      ).status,
    ).toBe(204);
    expect((await h.api("GET", "wfm-data/skills/dialer-contacts")).status).toBe(400);
  });

  it("names campaigns by version; serves audit history, the BU, DNC search and server time", async () => {
    const [first] = h.fixtures.campaigns;
    expect((await h.api("GET", "campaigns")).body.campaigns[0]).toMatchObject({
      id: first!.id,
      name: first!.name,
    });
    expect((await h.api("GET", "campaigns", { version: "v30.0" })).body.campaigns[0]).toEqual({
      campaignId: first!.id,
      campaignName: first!.name,
      isActive: true,
    });
    expect((await h.api("GET", "campaigns", { version: "v20.0" })).body.resultSet.campaigns).toHaveLength(3);
    const audit = await h.api("GET", `campaigns/${first!.id}/audit-history`);
    expect(audit.body.auditHistoryEntries[0]).toMatchObject({ columnName: "Name", modifiedByName: "Admin" });
    expect((await h.api("GET", `campaigns/${h.fixtures.campaigns[2]!.id}/audit-history`)).status).toBe(204);
    expect((await h.api("GET", "business-unit")).body.businessUnits[0].defaultTimeZone).toBe(
      "Eastern Standard Time",
    );
    const hit = await h.api("POST", `dnc-groups/search?phoneNumber=${h.fixtures.dncPhones[0]}`);
    expect(hit.body.searchResults[0].dncGroupName).toBe("Internal");
    expect((await h.api("POST", "dnc-groups/search?phoneNumber=6125550000")).status).toBe(204);
    expect((await h.api("GET", "tags")).body.tags).toHaveLength(h.fixtures.tags.length);
    expect((await h.api("POST", "tags?tagName=newtag")).body.tagId).toEqual(expect.any(Number));
    await h.admin("POST", "/knobs", { numbersAsStrings: true, stringly: true });
    const loose = (await h.api("GET", "business-unit")).body.businessUnits[0];
    expect(loose).toMatchObject({
      businessUnitId: String(h.fixtures.tenant.businessUnitId),
      isActive: "True",
    });
  });
});
