import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CxoneHarness, cxoneHarness } from "./helpers.ts";

/**
 * Round 7's list-dialer model for ordinary (predictive) records (docs/emulator-cxone.md; issue 76
 * §3): a record's own expiration (`expirationDateColumn`) wins over the upload's; a record's
 * allowable time range (custom fields, knob `recordTimeRangeColumns`) holds it to that part of the
 * skill's hours; at a pace, records are taken by priority, then score, then list order.
 */
let h: CxoneHarness;
let skillId = 0;
beforeAll(async () => {
  h = await cxoneHarness({ seed: 71, contacts: 50, days: 1, uploadJobPolls: 1 });
  skillId = h.fixtures.skills.filter((s) => s.outboundStrategy === "Personal Connection")[2]!.skillId;
  // Not scheduled: the day below may be a weekend, outside the default weekday schedule.
  await h.api("PUT", `skills/${skillId}/parameters/schedule-settings`, {
    body: { scheduleSettings: { isScheduled: false } },
  });
});
afterAll(() => h.close());

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
/** `hour`:00 New York standard time, two days from now (the dialer's clock only goes forward). */
const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const ny = (hour: number, minute = 0) =>
  Date.parse(`${day}T00:00:00Z`) + (hour + 5) * 3_600_000 + minute * 60_000;

async function upload(listName: string, columns: Record<string, string>, header: string, rows: string[]) {
  const query = new URLSearchParams({ listName, externalIdColumn: "Id", timeZoneColumn: "Zone", ...columns });
  const { body } = await h.api("POST", `lists/call-lists?${query}`, {
    body: { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "Phone" }] },
  });
  const job = await h.api("POST", `lists/call-lists/${body.listId}/upload`, {
    body: {
      listFile: Buffer.from([header, ...rows].join("\n")).toString("base64"),
      skillId,
      expirationDate: iso(Date.now() + 30 * 86_400_000),
    },
  });
  const done = await h.api("GET", `lists/call-lists/jobs/${job.body.jobId}`);
  expect(done.body.uploadJobs[0]).toMatchObject({ isComplete: true, isCancelled: false });
  return body.listId as number;
}

const dials = async (listId: number) =>
  (await h.admin("GET", `/lists/${listId}/dials`)).body.dials as Array<{
    externalId: string;
    at: string;
    kind: string;
  }>;

describe("ordinary records (predictive work)", () => {
  it("a record's own expiration wins over the upload's; an allowable time range holds a record inside it", async () => {
    const listId = await upload(
      "ranges",
      { expirationDateColumn: "Expires" },
      "Id,Phone,Zone,Expires,AllowedStart,AllowedEnd",
      [
        `gone,2125551001,Eastern Standard Time,${iso(Date.now() - 60_000)},,`,
        "lunch,2125551002,Eastern Standard Time,,13:00,14:00",
        "evening,2125551003,Eastern Standard Time,,19:30,23:00",
        "any,2125551004,Eastern Standard Time,,,",
      ],
    );
    await h.admin("POST", `/lists/${listId}/dial`, { until: iso(Date.now()) });
    await h.admin("POST", `/lists/${listId}/dial`, { until: iso(ny(22)), timing: "early" });
    const made = await dials(listId);
    const at = new Map(made.map((d) => [d.externalId, Date.parse(d.at)]));
    expect(at.has("gone")).toBe(false);
    // Each dialled inside its range and the skill's 09:00–20:00 (New York), on some day up to then.
    const local = (ms: number) => {
      const parts = new Intl.DateTimeFormat("en-US", {
        timeZone: "America/New_York",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).formatToParts(ms);
      const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
      return n("hour") * 60 + n("minute");
    };
    expect(local(at.get("lunch")!)).toBeGreaterThanOrEqual(13 * 60);
    expect(local(at.get("lunch")!)).toBeLessThan(14 * 60);
    expect(local(at.get("evening")!)).toBeGreaterThanOrEqual(19 * 60 + 30);
    expect(local(at.get("evening")!)).toBeLessThan(20 * 60);
    expect(at.has("any")).toBe(true);
    expect(new Set(made.map((d) => d.kind))).toEqual(new Set(["ordinary"]));
    // A record's own expiration that is not a time makes the row invalid (nothing loaded for it).
    const bad = await upload("bad expiry", { expirationDateColumn: "Expires" }, "Id,Phone,Zone,Expires", [
      "x,2125551005,Eastern Standard Time,next week",
      "y,2125551006,Eastern Standard Time,",
    ]);
    const records = (await h.api("GET", `lists/call-lists/${bad}?includeRecords=true`)).body.resultSet
      .contactRecords as Array<{ externalId: string }>;
    expect(records.map((r) => r.externalId)).toEqual(["y"]);
  });

  it("at a pace, the dialer takes records by priority, then score, then list order", async () => {
    await h.admin("POST", "/knobs", { listDialPacePerHour: 60 });
    try {
      const listId = await upload(
        "ranked",
        { priorityColumn: "Priority", scoreColumn: "Score" },
        "Id,Phone,Zone,Priority,Score",
        [
          "c,2125552001,Eastern Standard Time,1,10",
          "d,2125552002,Eastern Standard Time,5,1",
          "e,2125552003,Eastern Standard Time,5,9",
          "f,2125552004,Eastern Standard Time,1,10",
        ],
      );
      // The dialer's clock starts where its first advance puts it: now, then on to 09:30 two days on
      // (whether today's hours are still open or not, the four are dialled by then).
      await h.admin("POST", `/lists/${listId}/dial`, { until: iso(Date.now()) });
      await h.admin("POST", `/lists/${listId}/dial`, { until: iso(ny(9, 30)), timing: "early" });
      expect((await dials(listId)).map((d) => d.externalId)).toEqual(["e", "d", "c", "f"]);
    } finally {
      await h.admin("POST", "/knobs", { listDialPacePerHour: 0 });
    }
  });
});
