import { describe, expect, it } from "vitest";
import { tellFinalized } from "../../../src/platform/cxone/doctor/why-probes.ts";

/**
 * Issue 65: what `finalized=true|false` keeps on `GET …/attempts`, told from the three listings
 * (all, true, false) by record id — or not told when the data cannot tell the readings apart.
 */
describe("cxo doctor's attemptsFinalized reading", () => {
  it.each([
    // a dialled twice and finalised, b dialled once and not
    {
      name: "records: every attempt of a finalised record is final",
      all: ["a", "a", "b"],
      yes: ["a", "a"],
      no: ["b"],
      told: "records",
    },
    {
      name: "attempts: only a's last attempt is final",
      all: ["a", "a", "b"],
      yes: ["a"],
      no: ["a", "b"],
      told: "attempts",
    },
    {
      name: "ignored: both answers are the whole listing",
      all: ["a", "a", "b"],
      yes: ["a", "a", "b"],
      no: ["a", "a", "b"],
      told: "ignored",
    },
    { name: "nothing finalised: cannot tell", all: ["a", "b"], yes: [], no: ["a", "b"], told: undefined },
    {
      name: "finalised records dialled once: cannot tell records from attempts",
      all: ["a", "b"],
      yes: ["a"],
      no: ["b"],
      told: undefined,
    },
  ])("$name", ({ all, yes, no, told }) => {
    expect(tellFinalized(all, yes, no)).toBe(told);
  });
});
