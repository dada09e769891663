import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneHarness, cxoneHarness } from "./helpers.ts";

/**
 * Issue 55 §3: the production emulator's dialer over a calling list. A record uploaded with a
 * call-request time is dialled no earlier than that time; one that was already stale when it
 * arrived is never dialled; the attempts read back in FULL's `contactAttempts[]` shape.
 */
let h: CxoneHarness;
beforeAll(async () => {
  h = await cxoneHarness({ seed: 9, contacts: 200, days: 1, uploadJobPolls: 1 });
});
afterAll(() => h.close());

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

describe("the emulator's list dialer", () => {
  it("dials each record no earlier than its callRequestTime, skips a stale one, and reads the attempts back", async () => {
    const query = new URLSearchParams({
      listName: "Plan week",
      externalIdColumn: "ExternalId",
      callRequestTimeColumn: "CallAt",
      callRequestStaleColumn: "StaleMins",
      scoreColumn: "Score",
    });
    const created = await h.api("POST", `lists/call-lists?${query}`, {
      body: { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "Phone" }] },
    });
    expect(created.status).toBe(200);
    const listId = created.body.listId as number;
    const base = Math.ceil(Date.now() / HOUR) * HOUR + 24 * HOUR;
    const rows = [
      ["R1", "+13125550101", iso(base + HOUR), "59", "120"],
      ["R2", "+13125550102", iso(base + 3 * HOUR), "59", "80"],
      ["R3", "+13125550103", iso(Date.now() - 5 * HOUR), "59", "10"], // stale on arrival
      ["R4", "+13125550104", "next tuesday", "59", "10"], // not a time: an invalid row
    ];
    const csv = `ExternalId,Phone,CallAt,StaleMins,Score\n${rows.map((r) => r.join(",")).join("\n")}\n`;
    const pc = h.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!;
    const upload = await h.api("POST", `lists/call-lists/${listId}/upload`, {
      body: {
        listFile: Buffer.from(csv).toString("base64"),
        skillId: pc.skillId,
        expirationDate: "2099-01-01T00:00:00Z",
        forceOverwrite: false,
        startSkill: false,
        sendEmail: false,
      },
    });
    const jobs = await h.api("GET", "lists/call-lists/jobs");
    expect(jobs.body.uploadJobs).toContainEqual(
      expect.objectContaining({ jobId: upload.body.jobId, listId, isComplete: false }),
    );
    expect(
      (await h.api("GET", `lists/call-lists/jobs/${upload.body.jobId}`)).body.uploadJobs[0].isComplete,
    ).toBe(true);
    const records = (await h.api("GET", `lists/call-lists/${listId}?includeRecords=true`)).body.resultSet
      .contactRecords;
    expect(records.map((r: { externalId: string }) => r.externalId)).toEqual(["R1", "R2", "R3"]);
    expect(records[0]).toMatchObject({
      callRequestTime: iso(base + HOUR),
      callRequestStaleMins: 59,
      score: "120",
    });

    // Now: nothing is due yet (R3 went stale before it arrived).
    expect(
      (await h.api("GET", `lists/call-lists/${listId}/attempts`)).body.resultSet.contactAttempts,
    ).toEqual([]);
    const mid = await h.admin("POST", `/lists/${listId}/dial`, { until: iso(base + 2 * HOUR) });
    expect(mid.body).toMatchObject({ attempts: 1, stale: 1, waiting: 1, bound: true });
    await h.admin("POST", `/lists/${listId}/dial`, { until: iso(base + 5 * HOUR) });
    const read = await h.api("GET", `lists/call-lists/${listId}/attempts`);
    const attempts = read.body.resultSet.contactAttempts as Array<Record<string, unknown>>;
    expect(attempts.map((a) => a.externalId)).toEqual(["R1", "R2"]);
    for (const [i, a] of attempts.entries()) {
      const requested = base + (i === 0 ? 1 : 3) * HOUR;
      const at = Date.parse(a.dateOfCall as string);
      expect(at).toBeGreaterThanOrEqual(requested);
      expect(at).toBeLessThanOrEqual(requested + 59 * 60_000);
      expect(a).toMatchObject({
        contactId: expect.any(Number),
        formattedPhone: expect.stringMatching(/^\d{11}$/),
        systemClassName: expect.any(String),
        callRequestDate: iso(requested),
      });
    }
    // The clock never goes back; a bad body is refused with the field.
    expect((await h.admin("POST", `/lists/${listId}/dial`, { until: iso(base) })).body).toMatchObject({
      attempts: 2,
    });
    const since = await h.api(
      "GET",
      `lists/call-lists/${listId}/attempts?updatedSince=${iso(base + 2 * HOUR)}`,
    );
    expect(since.body.resultSet.contactAttempts.map((a: { externalId: string }) => a.externalId)).toEqual([
      "R2",
    ]);
    expect((await h.api("GET", `lists/call-lists/${listId}/attempts?top=0`)).status).toBe(400);
  });
});
