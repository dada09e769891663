import { describe, expect, it } from "vitest";
import {
  closedDaysIn,
  closedDaysOf,
  notesWithClosedDays,
  scheduleWithClosedDays,
} from "../../../src/platform/cxone/closed-days.ts";

/** The closed days a tenant refusing inactive schedule days keeps in a skill's notes. */
describe("closed days in a skill's notes", () => {
  it("are the days a spec leaves out, written beside the notes as they were, and read back", () => {
    const closed = closedDaysOf(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]);
    expect(closed).toEqual(["Saturday", "Sunday"]);
    const notes = notesWithClosedDays("cxo-idem:abc Outbound\n  east", closed);
    expect(notes).toBe("cxo-idem:abc Outbound\n  east cxo-closed-days:saturday,sunday");
    expect(closedDaysIn(notes)).toEqual([6, 7]);
    // Written again: the same notes (no second token); with no day closed, the token goes.
    expect(notesWithClosedDays(notes, closed)).toBe(notes);
    expect(notesWithClosedDays(notes, [])).toBe("cxo-idem:abc Outbound\n  east");
    expect(notesWithClosedDays("cxo-idem:abc", [])).toBe("cxo-idem:abc");
    expect(closedDaysIn("cxo-idem:abc")).toEqual([]);
  });

  it("close those days in the schedule as read, and in an unscheduled skill's open week", () => {
    const hours = { startMinute: 540, endMinute: 1200 };
    const read = { zone: "America/New_York", days: Array(7).fill(hours), evidence: "GET …" };
    const closed = scheduleWithClosedDays(read, [6, 7], "America/Chicago");
    expect(closed?.zone).toBe("America/New_York");
    expect(closed?.days).toEqual([hours, hours, hours, hours, hours, null, null]);
    expect(closed?.evidence).toContain("closed by cxo on Saturday, Sunday");
    expect(scheduleWithClosedDays(read, [], "America/Chicago")).toBe(read);
    const open = scheduleWithClosedDays(undefined, [7], "America/Chicago");
    expect(open?.zone).toBe("America/Chicago");
    expect(open?.days.map((d) => d?.endMinute ?? null)).toEqual([1440, 1440, 1440, 1440, 1440, 1440, null]);
  });
});
