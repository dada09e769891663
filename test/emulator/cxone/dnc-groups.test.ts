import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneHarness, cxoneHarness } from "./helpers.ts";

/**
 * Issue 62 §2: the production emulator's DNC groups (reference §4.4): the seeded groups in the
 * fixtures, CRUD of groups, records and skill links, the search, 400s for malformed requests
 * (nothing changed), and the list dialer skipping a number an active group scrubs at dial time.
 */
let h: CxoneHarness;
beforeAll(async () => {
  // Issue 62's dialer: times, staleness and DNC groups alone (issue 65 tests the other rules).
  h = await cxoneHarness({
    seed: 13,
    contacts: 100,
    days: 1,
    uploadJobPolls: 1,
    knobs: { listDialRules: "timing-only" },
  });
});
afterAll(() => h.close());

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

describe("the production emulator's DNC groups", () => {
  it("seeds groups in the fixtures and lists them as resultSet {totalGroups, dncGroups}", async () => {
    const groups = h.fixtures.dncGroups;
    const pc = h.fixtures.skills
      .filter((s) => s.outboundStrategy === "Personal Connection")
      .map((s) => s.skillId);
    expect(groups.map((g) => [g.dncGroupName, g.isActive])).toEqual([
      ["Internal", true],
      ["Collections Cease", true],
      ["Retired Campaign", false],
    ]);
    expect(groups[0]!.phones).toEqual(h.fixtures.dncPhones);
    expect(groups[0]!.scrubbedSkillIds).toEqual(pc.slice(0, 2));
    expect(groups[1]!.scrubbedSkillIds).toEqual([pc[2]]);
    expect(groups[2]!.scrubbedSkillIds).toEqual(pc);

    const listed = await h.api("GET", "dnc-groups");
    expect(listed.status).toBe(200);
    expect(listed.body.resultSet.totalGroups).toBe(3);
    expect(listed.body.resultSet.dncGroups[0]).toMatchObject({
      dncGroupId: groups[0]!.dncGroupId,
      dncGroupName: "Internal",
      validRecords: h.fixtures.dncPhones.length,
      isActive: true,
      isRemoved: false,
    });
    // skip/top page it; past the end is a bare 204.
    const second = await h.api("GET", "dnc-groups?skip=1&top=1");
    expect(second.body.resultSet.dncGroups.map((g: { dncGroupName: string }) => g.dncGroupName)).toEqual([
      "Collections Cease",
    ]);
    expect((await h.api("GET", "dnc-groups?skip=3")).status).toBe(204);
    const scrubbed = await h.api("GET", `dnc-groups/${groups[0]!.dncGroupId}/scrubbed-skills`);
    expect(scrubbed.body.scrubbedSkills.map((s: { skillId: number }) => s.skillId)).toEqual(pc.slice(0, 2));
  });

  it("creates, renames, deactivates; adds records (a re-added number stays once), pages and deletes them", async () => {
    const created = await h.api("POST", "dnc-groups", {
      body: { dncGroupName: "Revocations", dncGroupDescription: "cxo consent" },
    });
    expect(created.status).toBe(200);
    const group = created.body.dncGroups[0];
    expect(group).toMatchObject({ dncGroupName: "Revocations", isActive: true, validRecords: 0 });
    const id = group.dncGroupId as number;

    const add = await h.api("POST", `dnc-groups/${id}/records`, {
      body: {
        dncGroupRecords: [
          { phoneNumber: "2125552637" },
          { phoneNumber: "3125550111", expiredDate: "2099-01-01T00:00:00Z" },
          { phoneNumber: "12125552637" },
        ],
      },
    });
    expect(add.status).toBe(200);
    expect(add.body.errorCount).toBe(0);
    await h.api("POST", `dnc-groups/${id}/records`, {
      body: { dncGroupRecords: [{ phoneNumber: "2125552637" }] },
    });
    // calljacob's and DZ's shape by default (issue 75): resultSet{totalRecords, dncRecords[]}.
    const records = await h.api("GET", `dnc-groups/${id}/records`);
    expect(records.body.resultSet.totalRecords).toBe(2);
    expect(records.body.resultSet.dncRecords).toEqual([
      expect.objectContaining({ phoneNumber: "2125552637", expiredDate: null }),
      expect.objectContaining({ phoneNumber: "3125550111", expiredDate: "2099-01-01T00:00:00Z" }),
    ]);
    const page2 = await h.api("GET", `dnc-groups/${id}/records?skip=1&top=1`);
    expect(page2.body.resultSet.dncRecords.map((r: { phoneNumber: string }) => r.phoneNumber)).toEqual([
      "3125550111",
    ]);

    const renamed = await h.api("PUT", `dnc-groups/${id}?dncGroupName=Revoked&isActive=false`);
    expect(renamed.body.dncGroups[0]).toMatchObject({ dncGroupName: "Revoked", isActive: false });
    expect((await h.api("GET", `dnc-groups/${id}`)).body.resultSet.dncGroups[0].isActive).toBe(false);

    const removed = await h.api("DELETE", `dnc-groups/${id}/records`, {
      body: { dncGroupRecords: [{ phoneNumber: "3125550111" }, { phoneNumber: "4155550199" }] },
    });
    expect(removed.body).toEqual({
      errorCount: 1,
      recordResults: [
        { success: true, error: null, formattedPhone: "(312) 555-0111" },
        { success: false, error: "Record not found", formattedPhone: "(415) 555-0199" },
      ],
    });
    expect((await h.api("GET", `dnc-groups/${id}/records`)).body.resultSet.totalRecords).toBe(1);
  });

  it("links and unlinks scrubbed and contributing skills", async () => {
    const group = h.fixtures.dncGroups[1]!;
    const skill = h.fixtures.skills[0]!.skillId;
    expect((await h.api("POST", `dnc-groups/${group.dncGroupId}/scrubbed-skills/${skill}`)).status).toBe(200);
    const after = await h.api("GET", `dnc-groups/${group.dncGroupId}/scrubbed-skills`);
    expect(after.body.scrubbedSkills.map((s: { skillId: number }) => s.skillId)).toContain(skill);
    expect((await h.api("DELETE", `dnc-groups/${group.dncGroupId}/scrubbed-skills/${skill}`)).status).toBe(
      200,
    );
    expect((await h.api("GET", `dnc-groups/${group.dncGroupId}/contributing-skills`)).status).toBe(204);
    expect((await h.api("POST", `dnc-groups/${group.dncGroupId}/contributing-skills/${skill}`)).status).toBe(
      200,
    );
    expect(
      (await h.api("GET", `dnc-groups/${group.dncGroupId}/contributing-skills`)).body.contributingSkills,
    ).toEqual([{ skillId: skill, skillName: h.fixtures.skills[0]!.skillName }]);
    expect((await h.api("POST", `dnc-groups/${group.dncGroupId}/scrubbed-skills/999999`)).status).toBe(404);
  });

  it("searches every group holding a number (204 when none)", async () => {
    const phone = h.fixtures.dncPhones[0]!;
    const hit = await h.api("POST", `dnc-groups/search?phoneNumber=${phone}`);
    expect(hit.status).toBe(200);
    expect(hit.body.searchResults).toEqual([
      expect.objectContaining({
        dncGroupId: h.fixtures.dncGroups[0]!.dncGroupId,
        dncGroupName: "Internal",
        formattedPhone: `(${phone.slice(0, 3)}) ${phone.slice(3, 6)}-${phone.slice(6)}`,
        expiredDate: null,
      }),
    ]);
    expect((await h.api("POST", "dnc-groups/search?phoneNumber=6125550000")).status).toBe(204);
  });

  it("answers malformed requests with 400 naming the field, and changes nothing", async () => {
    const id = h.fixtures.dncGroups[0]!.dncGroupId;
    const before = (await h.api("GET", `dnc-groups/${id}/records?top=100`)).body.totalRecords;
    const cases: Array<[string, string, unknown, string]> = [
      [
        "POST",
        `dnc-groups/${id}/records`,
        { dncGroupRecords: [{ phoneNumber: "555-CALL-NOW" }] },
        "phoneNumber",
      ],
      ["POST", `dnc-groups/${id}/records`, { dncGroupRecords: [] }, "dncGroupRecords"],
      ["POST", `dnc-groups/${id}/records`, { records: [{ phoneNumber: "2125550000" }] }, "dncGroupRecords"],
      [
        "POST",
        `dnc-groups/${id}/records`,
        { dncGroupRecords: [{ phoneNumber: "2125550000", expiredDate: "tomorrow" }] },
        "expiredDate",
      ],
      ["DELETE", `dnc-groups/${id}/records`, {}, "dncGroupRecords"],
      ["POST", "dnc-groups", { dncGroupName: "" }, "dncGroupName"],
      ["POST", "dnc-groups", { dncGroupName: "Internal" }, "dncGroupName"],
      ["PUT", `dnc-groups/${id}?isActive=maybe`, undefined, "isActive"],
      ["POST", "dnc-groups/search?phoneNumber=12", undefined, "phoneNumber"],
      ["GET", "dnc-groups/abc", undefined, "groupId"],
    ];
    for (const [method, path, body, field] of cases) {
      const answer = await h.api(method, path, body === undefined ? {} : { body });
      expect(answer.status, `${method} ${path}`).toBe(400);
      expect(answer.body.error).toBe("InvalidParameter");
      expect(answer.body.errorDescription).toContain(field);
    }
    expect((await h.api("GET", "dnc-groups/424242")).status).toBe(404);
    expect((await h.api("GET", `dnc-groups/${id}/records?top=100`)).body.totalRecords).toBe(before);
    expect((await h.api("GET", "dnc-groups")).body.resultSet.totalGroups).toBe(4);
  });

  it("the list dialer skips a number an active group scrubs on the list's skill, and dials the rest", async () => {
    const [sales] = h.fixtures.skills.filter((s) => s.outboundStrategy === "Personal Connection");
    const [internal, cease, retired] = h.fixtures.dncGroups;
    const query = new URLSearchParams({
      listName: "Scrub check",
      externalIdColumn: "ExternalId",
      callRequestTimeColumn: "CallAt",
      callRequestStaleColumn: "StaleMins",
    });
    const created = await h.api("POST", `lists/call-lists?${query}`, {
      body: { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "Phone" }] },
    });
    const listId = created.body.listId as number;
    const at = iso(Math.ceil(Date.now() / HOUR) * HOUR + 24 * HOUR);
    const rows = [
      ["IN", `+1${internal!.phones[0]}`], // Internal scrubs PC Sales: skipped
      ["CEASE", `+1${cease!.phones[0]}`], // Collections Cease scrubs another skill: dialled
      ["RETIRED", `+1${retired!.phones[0]}`], // inactive group: dialled
      ["CLEAN", "+13125550142"],
    ];
    const csv = `ExternalId,Phone,CallAt,StaleMins\n${rows.map(([id, p]) => `${id},${p},${at},59`).join("\n")}\n`;
    const upload = await h.api("POST", `lists/call-lists/${listId}/upload`, {
      body: {
        listFile: Buffer.from(csv).toString("base64"),
        skillId: sales!.skillId,
        expirationDate: "2099-01-01T00:00:00Z",
      },
    });
    await h.api("GET", `lists/call-lists/jobs/${upload.body.jobId}`);
    const dialed = await h.admin("POST", `/lists/${listId}/dial`, { until: iso(Date.parse(at) + 2 * HOUR) });
    expect(dialed.body).toMatchObject({ attempts: 3, waiting: 0 });
    const attempts = (await h.api("GET", `lists/call-lists/${listId}/attempts`)).body.resultSet
      .contactAttempts;
    expect(attempts.map((a: { externalId: string }) => a.externalId).sort()).toEqual([
      "CEASE",
      "CLEAN",
      "RETIRED",
    ]);
  });
});
