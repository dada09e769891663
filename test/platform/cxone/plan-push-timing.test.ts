import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/input-error.ts";
import { zonedInstantProblem } from "../../../src/core/instant-input.ts";
import { ordinaryTiming } from "../../../src/platform/cxone/plan-push.ts";
import type { TimedListRecord } from "../../../src/platform/ports/lists.ts";

/**
 * The production adapter's window of an ordinary record reads its `callAt` by the one rule for a
 * date-time with a zone, as the SDK's push does first: a raw-port caller (`portOf`) handing it
 * text luxon alone would take (a week or ordinal date) is refused in the rule's words.
 */
const record = (callAt: string): TimedListRecord => ({
  externalId: "r1",
  phone: "+13125550101",
  callAt,
  staleMinutes: 60,
  score: 1,
  timeZone: "America/Chicago",
});

describe("ordinaryTiming's callAt", () => {
  it("takes the rule's forms: the local range and the expiry in the row's offset", () => {
    expect(ordinaryTiming(record("2026-03-02T09:00:00-06:00"))).toEqual({
      start: "09:00",
      end: "10:00",
      expires: "2026-03-02T10:00:00-06:00",
    });
    expect(ordinaryTiming(record("2026-03-02T15:00Z")).start).toBe("09:00");
  });

  it.each(["2026-W10-1T09:00Z", "2026-061T09:00Z", "2026-02-30T09:00Z", "2026-03-02T09:00"])(
    "refuses %s with an InputError in the rule's words, naming the record",
    (callAt) => {
      let error: unknown;
      try {
        ordinaryTiming(record(callAt));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems).toEqual([
        { field: "record r1: callAt", rule: zonedInstantProblem(callAt) },
      ]);
    },
  );
});
