import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneHarness, cxoneHarness } from "./helpers.ts";

/**
 * Issue 55 §3: the production emulator's dialer over a calling list. A record uploaded with a
 * call-request time is dialled no earlier than that time; one that was already stale when it
 * arrived is never dialled; the attempts read back in FULL's `contactAttempts[]` shape.
 */
let h: CxoneHarness;
beforeAll(async () => {
  // Issue 62's dialer: times and staleness alone (issue 65's platform rules have their own tests).
  h = await cxoneHarness({
    seed: 9,
    contacts: 200,
    days: 1,
    uploadJobPolls: 1,
    knobs: { listDialRules: "timing-only" },
  });
});
afterAll(() => h.close());

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A calling list whose upload columns ExternalId, Phone, CallAt, StaleMins (and `more`) carry its records. */
async function timedList(listName: string, more: Record<string, string> = {}) {
  const query = new URLSearchParams({
    listName,
    externalIdColumn: "ExternalId",
    callRequestTimeColumn: "CallAt",
    callRequestStaleColumn: "StaleMins",
    ...more,
  });
  return h.api("POST", `lists/call-lists?${query}`, {
    body: { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "Phone" }] },
  });
}

describe("the emulator's list dialer", () => {
  it("dials each record no earlier than its callRequestTime, skips a stale one, and reads the attempts back", async () => {
    const created = await timedList("Plan week", { scoreColumn: "Score" });
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

  it("times each dial within its window as asked (early, late, random: uniform over the window) and keeps the zone and ZIP columns", async () => {
    const pc = h.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!;
    const base = Math.ceil(Date.now() / HOUR) * HOUR + 48 * HOUR;
    const lists: Record<string, number> = {};
    for (const timing of ["early", "late", "random", "jitter"]) {
      const created = await timedList(`Timing ${timing}`, { timeZoneColumn: "Zone", zipColumn: "Zip" });
      const listId = created.body.listId as number;
      lists[timing] = listId;
      // 40 records an hour apart, each with a 59-minute window; the last one names an IANA zone
      // (not CXone's naming): an invalid row under the default knob uploadTimeZoneNames: cxone.
      const rows = Array.from({ length: 40 }, (_, i) => [
        `T${i}`,
        `+1312555${String(3000 + i)}`,
        iso(base + i * HOUR),
        "59",
        i % 2 ? "Central Standard Time" : "Eastern Standard Time",
        i % 4 === 0 ? "60601" : "",
      ]);
      rows.push(["T40", "+13125553040", iso(base), "59", "America/Chicago", ""]);
      const csv = `ExternalId,Phone,CallAt,StaleMins,Zone,Zip\n${rows.map((r) => r.join(",")).join("\n")}\n`;
      const upload = await h.api("POST", `lists/call-lists/${listId}/upload`, {
        body: {
          listFile: Buffer.from(csv).toString("base64"),
          skillId: pc.skillId,
          expirationDate: "2099-01-01T00:00:00Z",
        },
      });
      await h.api("GET", `lists/call-lists/jobs/${upload.body.jobId}`);
      const answer = await h.admin("POST", `/lists/${listId}/dial`, {
        until: iso(base + 50 * HOUR),
        ...(timing === "jitter" ? {} : { timing }),
      });
      expect(answer.body).toMatchObject({ timing, attempts: 40, stale: 0 });
    }
    const records = (await h.api("GET", `lists/call-lists/${lists.early}?includeRecords=true`)).body.resultSet
      .contactRecords as Array<Record<string, unknown>>;
    expect(records).toHaveLength(40);
    expect(records[0]).toMatchObject({ timeZone: "Eastern Standard Time", zip: "60601" });
    expect(records[1]).toMatchObject({ timeZone: "Central Standard Time" });
    expect(records[1]?.zip).toBeUndefined();
    const offsets = async (timing: string) =>
      (
        (await h.api("GET", `lists/call-lists/${lists[timing]}/attempts`)).body.resultSet
          .contactAttempts as Array<{
          dateOfCall: string;
          callRequestDate: string;
        }>
      ).map((a) => (Date.parse(a.dateOfCall) - Date.parse(a.callRequestDate)) / 60_000);
    expect(new Set(await offsets("early"))).toEqual(new Set([0]));
    expect(new Set(await offsets("late"))).toEqual(new Set([59]));
    const random = await offsets("random");
    expect(Math.min(...random)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...random)).toBeLessThanOrEqual(59);
    // Uniform over the window, not the old 5-minute jitter: a good share in its second half.
    expect(random.filter((m) => m > 30).length).toBeGreaterThan(8);
    expect(Math.max(...(await offsets("jitter")))).toBeLessThan(5);
    const bad = await h.admin("POST", `/lists/${lists.early}/dial`, { until: iso(base), timing: "soon" });
    expect(bad.status).toBe(400);
  });

  it("answers each number with the chance `answer: {rates}` gives it (issue 91's week bench), others as seeded", async () => {
    const pc = h.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!;
    const base = Math.ceil(Date.now() / HOUR) * HOUR + 96 * HOUR;
    const created = await timedList("Rates");
    const listId = created.body.listId as number;
    const phone = (i: number) => `+1312555${String(4000 + i)}`;
    const rows = Array.from({ length: 60 }, (_, i) => [`A${i}`, phone(i), iso(base + HOUR), "59"]);
    const csv = `ExternalId,Phone,CallAt,StaleMins\n${rows.map((r) => r.join(",")).join("\n")}\n`;
    const upload = await h.api("POST", `lists/call-lists/${listId}/upload`, {
      body: {
        listFile: Buffer.from(csv).toString("base64"),
        skillId: pc.skillId,
        expirationDate: "2099-01-01T00:00:00Z",
      },
    });
    await h.api("GET", `lists/call-lists/jobs/${upload.body.jobId}`);
    // Numbers 0–19 always answer, 20–39 never; 40–59 are not in the map (seeded: 35 % answered).
    const rates = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [phone(i), i < 20 ? 1 : 0]));
    const dialled = await h.admin("POST", `/lists/${listId}/dial`, {
      until: iso(base + 3 * HOUR),
      answer: { rates },
    });
    expect(dialled.body).toMatchObject({ attempts: 60 });
    const dials = (await h.admin("GET", `/lists/${listId}/dials`)).body.dials as Array<{
      externalId: string;
      systemClassName: string;
    }>;
    const answered = (from: number, to: number) =>
      dials.filter((d) => {
        const i = Number(d.externalId.slice(1));
        return i >= from && i < to && d.systemClassName === "Answered";
      }).length;
    expect(answered(0, 20)).toBe(20);
    expect(answered(20, 40)).toBe(0);
    expect(answered(40, 60)).toBeGreaterThan(0);
    expect(answered(40, 60)).toBeLessThan(20);
    const refused = await h.admin("POST", `/lists/${listId}/dial`, {
      until: iso(base + 4 * HOUR),
      answer: { rates: { "312": 2 } },
    });
    expect(refused.status).toBe(400);
  });

  it("answers the dials of an advance that names no answer with the knob `listDialAnswer` (a bench on a running clock)", async () => {
    const pc = h.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!;
    const base = Math.ceil(Date.now() / HOUR) * HOUR + 120 * HOUR;
    const created = await timedList("Knob rates");
    const listId = created.body.listId as number;
    const phone = (i: number) => `+1312555${String(5000 + i)}`;
    const rows = Array.from({ length: 20 }, (_, i) => [`K${i}`, phone(i), iso(base + HOUR), "59"]);
    const csv = `ExternalId,Phone,CallAt,StaleMins\n${rows.map((r) => r.join(",")).join("\n")}\n`;
    const rates = Object.fromEntries(rows.map((_, i) => [phone(i), 1]));
    expect((await h.admin("POST", "/knobs", { listDialAnswer: { rates } })).status).toBe(200);
    try {
      const upload = await h.api("POST", `lists/call-lists/${listId}/upload`, {
        body: {
          listFile: Buffer.from(csv).toString("base64"),
          skillId: pc.skillId,
          expirationDate: "2099-01-01T00:00:00Z",
        },
      });
      await h.api("GET", `lists/call-lists/jobs/${upload.body.jobId}`);
      // No `answer`: what a read's advance does (it names none either).
      expect(
        (await h.admin("POST", `/lists/${listId}/dial`, { until: iso(base + 3 * HOUR) })).body,
      ).toMatchObject({
        attempts: 20,
      });
      const dials = (await h.admin("GET", `/lists/${listId}/dials`)).body.dials as Array<{
        systemClassName: string;
      }>;
      expect(dials.filter((d) => d.systemClassName === "Answered")).toHaveLength(20);
      expect((await h.admin("POST", "/knobs", { listDialAnswer: { rates: { "312": 2 } } })).status).toBe(400);
    } finally {
      await h.admin("POST", "/knobs", { listDialAnswer: "seeded" });
    }
  });
});
