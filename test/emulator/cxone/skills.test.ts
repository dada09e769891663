import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CxoneHarness, cxoneHarness } from "./helpers.ts";

let h: CxoneHarness;
beforeAll(async () => {
  h = await cxoneHarness({ seed: 5, contacts: 1000 });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.admin("POST", "/reset");
});

const skill = (name: string) => h.fixtures.skills.find((s) => s.skillName === name)!;

describe("production-API emulator: skills (PC campaigns)", () => {
  it("creates a batch with per-item results, finds it by search, and reads it flat or wrapped", async () => {
    const campaignId = h.fixtures.campaigns[0]!.id;
    const pc = { mediaTypeId: 4, isOutbound: true, outboundStrategy: "Personal Connection", campaignId };
    // NICE's model has no skillId in the results (the default); this tenant's reading has one.
    await h.admin("POST", "/knobs", { skillCreateReturnsId: true });
    const created = await h.api("POST", "skills", {
      body: {
        skills: [
          { ...pc, skillName: "Spring Leads", notes: "cxo-idem:abc" },
          { ...pc, skillName: "PC Sales" },
          { ...pc, skillName: "No Campaign", campaignId: undefined },
        ],
      },
    });
    expect(created.status).toBe(200);
    expect(created.body.errorCount).toBe(2);
    expect(created.body.skillsResults).toEqual([
      { success: true, error: null, skillId: expect.any(Number) },
      { success: false, error: "Skill name already exists" },
      { success: false, error: "CampaignId is required" },
    ]);
    const id = created.body.skillsResults[0].skillId;
    const found = await h.api("GET", "skills?searchString=spring&mediaTypeId=4");
    expect(found.body.skills).toEqual([
      expect.objectContaining({ skillId: id, notes: "cxo-idem:abc", isRunning: false }),
    ]);
    expect((await h.api("GET", "skills?searchString=nothing-like-this")).status).toBe(204);
    expect((await h.api("GET", `skills/${id}`)).body.skillName).toBe("Spring Leads");
    await h.admin("POST", "/knobs", { skillWrapped: true, skillCreateReturnsId: false, stringly: true });
    expect((await h.api("GET", `skills/${id}`)).body.skills[0]).toMatchObject({
      skillId: id,
      isActive: "True",
    });
    const again = await h.api("POST", "skills", { body: { skills: [{ ...pc, skillName: "Summer" }] } });
    expect(again.body).toEqual({ errorCount: "0", skillsResults: [{ success: "True", error: null }] });
    expect((await h.api("POST", "skills", { body: { skill: [] } })).body.error).toBe("InvalidParameter");
  });

  it("starts and stops: 202, refusals for non-PC and inactive skills, force ends live calls", async () => {
    const renewals = skill("PC Renewals");
    expect((await h.api("POST", `skills/${renewals.skillId}/start`)).status).toBe(202);
    expect((await h.api("GET", `skills/${renewals.skillId}`)).body.isRunning).toBe(true);
    const live = await h.api("GET", `contacts/active?skillId=${renewals.skillId}`);
    expect(live.body.totalRecords).toBe(2);
    expect((await h.api("POST", `skills/${renewals.skillId}/start`)).status).toBe(202); // no-op
    await h.admin("POST", "/knobs", { startWhenRunning: "reject" });
    expect((await h.api("POST", `skills/${renewals.skillId}/start`)).status).toBe(400);
    expect((await h.api("POST", `skills/${renewals.skillId}/stop?force=true`)).status).toBe(202);
    expect((await h.api("GET", `contacts/active?skillId=${renewals.skillId}`)).status).toBe(204);
    expect((await h.api("POST", `skills/${skill("Inbound Support").skillId}/start`)).status).toBe(400);
    expect((await h.api("POST", `skills/${skill("PC Survey").skillId}/start`)).status).toBe(400);
    const sales = skill("PC Sales");
    expect(
      (await h.api("PUT", `skills/${sales.skillId}`, { body: { skill: { isActive: false } } })).status,
    ).toBe(400);
    await h.api("POST", `skills/${sales.skillId}/stop`);
    const put = await h.api("PUT", `skills/${sales.skillId}`, { body: { skill: { isActive: false } } });
    expect(put.body).toEqual({ success: true, skillId: sales.skillId });
    expect((await h.api("GET", "skills/999999")).status).toBe(404);
  });

  it("the combined GET lacks the DNC-holiday flags and types three fields as the GET model; strict PUTs refuse those types", async () => {
    const id = skill("PC Sales").skillId;
    const all = (await h.api("GET", `skills/${id}/parameters`)).body;
    expect(all.generalSettings).not.toHaveProperty("deliverCallbacksOnDNCHolidays");
    expect(all.generalSettings).not.toHaveProperty("deliverPrioritiesOnDNCHolidays");
    expect(all.generalSettings).toMatchObject({ aggressiveness: 5, waitTimeFactor: true });
    expect(all.cpaSettings).toMatchObject({ enableCPALogging: "True" });
    const own = (await h.api("GET", `skills/${id}/parameters/general-settings`)).body;
    expect(own).toMatchObject({
      aggressiveness: "5",
      waitTimeFactor: 2,
      deliverCallbacksOnDNCHolidays: false,
      deliverPrioritiesOnDNCHolidays: true,
    });
    const put = (block: string, body: unknown) => h.api("PUT", `skills/${id}/parameters/${block}`, { body });
    // In the GET's types: refused under the default strict knob, naming the field.
    for (const [block, body, field] of [
      ["general-settings", { generalSettings: { aggressiveness: 5 } }, "generalSettings.aggressiveness"],
      ["general-settings", { generalSettings: { waitTimeFactor: true } }, "generalSettings.waitTimeFactor"],
      ["cpa-management", { cpaSettings: { enableCPALogging: "True" } }, "cpaSettings.enableCPALogging"],
    ] as const) {
      const refused = await put(block, body);
      expect(refused.status, field).toBe(400);
      expect(refused.body.errorDescription).toContain(field);
    }
    expect(
      (await put("general-settings", { generalSettings: { aggressiveness: "7", waitTimeFactor: 3 } })).status,
    ).toBe(200);
    await h.admin("POST", "/knobs", { parameterTypes: "lenient" });
    expect((await put("cpa-management", { cpaSettings: { enableCPALogging: "False" } })).status).toBe(200);
    // A field kept in two blocks: written in one, read in both.
    expect((await put("retry-settings", { retrySettings: { maximumAttempts: 7 } })).status).toBe(200);
    const after = (await h.api("GET", `skills/${id}/parameters`)).body;
    expect(after.generalSettings).toMatchObject({ aggressiveness: 7, maximumAttempts: 7 });
    expect(after.retrySettings).toMatchObject({ maximumAttempts: 7 });
    expect(after.cpaSettings).toMatchObject({ enableCPALogging: "False" });
  });

  it("reads and partially updates parameter blocks, with range checks naming the field", async () => {
    const id = skill("PC Sales").skillId;
    const all = await h.api("GET", `skills/${id}/parameters`);
    expect(all.body).toMatchObject({
      skillNo: id,
      generalSettings: { maximumRatio: 2.5, abandonRateThreshold: 3 },
      callingLists: [{ id: skill("PC Sales").callingListIds[0], name: expect.any(String) }],
    });
    expect(all.body.retrySettings).toBeDefined();
    const put = await h.api("PUT", `skills/${id}/parameters/general-settings`, {
      body: { generalSettings: { maximumRatio: 1.5 } },
    });
    expect(put.status).toBe(200);
    const general = (await h.api("GET", `skills/${id}/parameters/general-settings`)).body;
    // The rest kept; the block's own GET answers in the PUT model's types (aggressiveness text).
    expect(general).toMatchObject({ maximumRatio: 1.5, aggressiveness: "5" });
    const bad = await h.api("PUT", `skills/${id}/parameters/general-settings`, {
      body: { generalSettings: { abandonRateThreshold: 120 } },
    });
    expect(bad.body).toEqual({
      error: "InvalidParameter",
      errorDescription: "generalSettings.abandonRateThreshold is invalid",
    });
    await h.admin("POST", "/knobs", { abandonRateUnit: "fraction" });
    const fraction = await h.api("PUT", `skills/${id}/parameters/general-settings`, {
      body: { generalSettings: { abandonRateThreshold: 3 } },
    });
    expect(fraction.status).toBe(400);
    const flat = await h.api("PUT", `skills/${id}/parameters/general-settings`, {
      body: { maximumRatio: 2 },
    });
    expect(flat.status).toBe(400); // the body must be wrapped
    const schedule = { scheduleSettings: { mondayStartTime: "08:00" } };
    expect((await h.api("PUT", `skills/${id}/parameters/schedule-settings`, { body: schedule })).status).toBe(
      200,
    );
    // A live finding (outboundani/cxone-mcp): a day sent inactive is refused however it is
    // written; knob scheduleInactiveDays takes it, for a tenant shown to.
    const path = `skills/${id}/parameters/schedule-settings`;
    for (const flag of [false, "False", 0])
      expect(
        (await h.api("PUT", path, { body: { scheduleSettings: { saturdayIsActive: flag } } })).body,
      ).toEqual({
        error: "InvalidParameter",
        errorDescription: "scheduleSettings.saturdayIsActive is invalid",
      });
    await h.admin("POST", "/knobs", { scheduleInactiveDays: "accept" });
    expect(
      (await h.api("PUT", path, { body: { scheduleSettings: { saturdayIsActive: false } } })).status,
    ).toBe(200);
    await h.admin("POST", "/knobs", { scheduleRejects: true });
    const rejected = await h.api("PUT", `skills/${id}/parameters/schedule-settings`, { body: schedule });
    expect(rejected.body).toEqual({ error: "InvalidParameter", errorDescription: "InvalidParameter" });
    // calljacob: the PUT names the zone standardName, the GET name (issue 75; knob zoneNameKey).
    const zones = { timeZoneSettings: [{ standardName: "Eastern", startTime: "09:00", endTime: "21:00" }] };
    expect((await h.api("PUT", `skills/${id}/parameters/time-zones`, { body: zones })).status).toBe(200);
    expect((await h.api("GET", `skills/${id}/parameters/time-zones`)).body).toEqual([
      { name: "Eastern", startTime: "09:00", endTime: "21:00" },
    ]);
    expect((await h.api("GET", `skills/${skill("Inbound Support").skillId}/parameters`)).status).toBe(400);
  });

  it("obeys the ratio-range and aggressiveness-type knobs; lists skills updated since a time", async () => {
    const id = skill("PC Sales").skillId;
    const since = new Date().toISOString();
    const put = (generalSettings: Record<string, unknown>) =>
      h.api("PUT", `skills/${id}/parameters/general-settings`, { body: { generalSettings } });
    expect((await put({ maximumRatio: 12 })).status).toBe(400);
    await h.admin("POST", "/knobs", { maximumRatioRange: [1, 100], aggressivenessType: "string" });
    expect((await put({ maximumRatio: 12, aggressiveness: "7" })).status).toBe(200);
    const general = (await h.api("GET", `skills/${id}/parameters`)).body.generalSettings;
    expect(general).toMatchObject({ maximumRatio: 12, aggressiveness: "7" });
    expect((await h.api("GET", `skills?updatedSince=${since}`)).body.skills).toEqual([
      expect.objectContaining({ skillId: id }),
    ]);
  });

  it("simulates a concurrent UI edit after a read (fault) or on demand (touch)", async () => {
    const id = skill("PC Sales").skillId;
    await h.admin("POST", "/faults", {
      concurrentEdit: { skillId: id, generalSettings: { maximumRatio: 3 } },
    });
    const read = await h.api("GET", `skills/${id}/parameters`);
    expect(read.body.generalSettings.maximumRatio).toBe(2.5);
    expect((await h.api("GET", `skills/${id}/parameters/general-settings`)).body.maximumRatio).toBe(3);
    const touched = await h.admin("POST", `/skills/${id}/touch`);
    expect(touched.body.generalSettings.maximumRatio).toBe(2);
  });
});
