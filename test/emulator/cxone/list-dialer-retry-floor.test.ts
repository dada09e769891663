import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneHarness, cxoneHarness } from "./helpers.ts";

/**
 * The list dialer never places a dial at an instant its own clock has already passed: after the
 * skill's retry settings change, the retries they allow start where the dialer stood at the
 * change, not at the last attempt plus the retry minutes (which may lie before it).
 */
let h: CxoneHarness;
let skillId = 0;
beforeAll(async () => {
  h = await cxoneHarness({ seed: 73, contacts: 50, days: 1, uploadJobPolls: 1 });
  skillId = h.fixtures.skills.filter((s) => s.outboundStrategy === "Personal Connection")[2]!.skillId;
  await h.api("PUT", `skills/${skillId}/parameters/schedule-settings`, {
    body: { scheduleSettings: { isScheduled: false } },
  });
  await h.api("PUT", `skills/${skillId}/parameters/retry-settings`, {
    body: { retrySettings: { maximumAttempts: 3, minimumRetryMinutes: 60, loadNonFresh: false } },
  });
});
afterAll(() => h.close());

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
/** `hour`:00 New York standard time, two days from now. */
const ny = (hour: number) => Date.parse(`${day}T00:00:00Z`) + (hour + 5) * 3_600_000;

describe("the list dialer's clock only goes forward", () => {
  it("retries allowed by a settings change are dialled at or after the instant of the change", async () => {
    const query = new URLSearchParams({ listName: "floor", externalIdColumn: "Id", timeZoneColumn: "Zone" });
    const { body } = await h.api("POST", `lists/call-lists?${query}`, {
      body: { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "Phone" }] },
    });
    const rows = Array.from(
      { length: 20 },
      (_, i) => `r${i},21255520${String(i).padStart(2, "0")},Eastern Standard Time`,
    );
    const job = await h.api("POST", `lists/call-lists/${body.listId}/upload`, {
      body: {
        listFile: Buffer.from(["Id,Phone,Zone", ...rows].join("\n")).toString("base64"),
        skillId,
        expirationDate: iso(Date.now() + 30 * 86_400_000),
      },
    });
    await h.api("GET", `lists/call-lists/jobs/${job.body.jobId}`);
    await h.admin("POST", `/lists/${body.listId}/dial`, { until: iso(ny(9) + 15 * 60_000), timing: "early" });
    const first = (await h.admin("GET", `/lists/${body.listId}/dials`)).body.dials as Array<{ at: string }>;
    expect(first.length).toBeGreaterThan(0);
    // The supervisor's edit at 10:00: 5 attempts, 10 minutes apart, non-fresh records loaded.
    await h.admin("POST", `/lists/${body.listId}/dial`, { until: iso(ny(10)), timing: "early" });
    await h.api("PUT", `skills/${skillId}/parameters/retry-settings`, {
      body: { retrySettings: { maximumAttempts: 5, minimumRetryMinutes: 10, loadNonFresh: true } },
    });
    await h.admin("POST", `/lists/${body.listId}/dial`, { until: iso(ny(12)), timing: "early" });
    const all = (await h.admin("GET", `/lists/${body.listId}/dials`)).body.dials as Array<{ at: string }>;
    const retries = all.slice(first.length);
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries) expect(Date.parse(retry.at)).toBeGreaterThanOrEqual(ny(10));
  });
});
