import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneHarness, cxoneHarness } from "./helpers.ts";

/**
 * Issue 65: the list dialer's pace (knob `listDialPacePerHour`, platform rules): a list whose
 * records are all due is dialled at most `pace` an hour, one record at a time in list order,
 * only inside each record's zone hours (the skill's 09:00–20:00).
 */
let h: CxoneHarness;
beforeAll(async () => {
  h = await cxoneHarness({
    seed: 67,
    contacts: 50,
    days: 1,
    uploadJobPolls: 1,
    knobs: { listDialPacePerHour: 60 },
  });
});
afterAll(() => h.close());

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

describe("the list dialer's pace", () => {
  it("dials one record a minute, in list order, inside the zone's hours only", async () => {
    const skill = h.fixtures.skills.filter((s) => s.outboundStrategy === "Personal Connection")[2]!;
    const query = new URLSearchParams({ listName: "paced", externalIdColumn: "Id", timeZoneColumn: "Zone" });
    const { body } = await h.api("POST", `lists/call-lists?${query}`, {
      body: { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "Phone" }] },
    });
    const csv = [
      "Id,Phone,Zone",
      ...Array.from({ length: 200 }, (_, i) => `r${i},212555${1000 + i},Eastern Standard Time`),
    ];
    const job = await h.api("POST", `lists/call-lists/${body.listId}/upload`, {
      body: {
        listFile: Buffer.from(csv.join("\n")).toString("base64"),
        skillId: skill.skillId,
        expirationDate: iso(Date.now() + 30 * 86_400_000),
      },
    });
    await h.api("GET", `lists/call-lists/jobs/${job.body.jobId}`);
    // Not scheduled: the day below may be a weekend, outside the default weekday schedule.
    await h.api("PUT", `skills/${skill.skillId}/parameters/schedule-settings`, {
      body: { scheduleSettings: { isScheduled: false } },
    });
    // Tomorrow 08:00 New York is before the skill's hours; 10:00 is an hour into them.
    const day = new Date(Date.now() + 2 * 86_400_000);
    const ny = (hour: number) =>
      Date.parse(`${day.toISOString().slice(0, 10)}T${String(hour + 5).padStart(2, "0")}:00:00Z`);
    const before = await h.admin("POST", `/lists/${body.listId}/dial`, {
      until: iso(ny(8)),
      timing: "early",
    });
    expect(before.body.attempts).toBe(0);
    const after = await h.admin("POST", `/lists/${body.listId}/dial`, {
      until: iso(ny(10)),
      timing: "early",
    });
    expect(after.body.attempts).toBe(61);
    const attempts = await h.api("GET", `lists/call-lists/${body.listId}/attempts`);
    const dialled = attempts.body.resultSet.contactAttempts as Array<{
      externalId: string;
      dateOfCall: string;
    }>;
    expect(dialled.map((a) => a.externalId)).toEqual(Array.from({ length: 61 }, (_, i) => `r${i}`));
    expect(dialled[0]?.dateOfCall).toBe(new Date(ny(9)).toISOString());
    expect(Date.parse(dialled[1]!.dateOfCall) - Date.parse(dialled[0]!.dateOfCall)).toBe(60_000);
  });
});
