import { describe, expect, it } from "vitest";
import { expectedLift } from "../../src/strategy/expected-lift.ts";
import { learn } from "../../src/strategy/learn.ts";
import { history } from "./known-lift-history.ts";

/**
 * Issue 64 §2: the lift a plan states is measured on held-out weeks the model did not learn
 * from. On a history with a known lift of 1.6 the held-out figure finds it; on a flat one it
 * says "not proven yet" (where the model's fit to its own data would promise a lift); on a
 * history too short to hold weeks out, it says it cannot be estimated yet.
 */
const modelOf = async (records: ReturnType<typeof history>) =>
  learn(
    (async function* () {
      yield* records;
    })(),
    { campaign: "C1", keys: ["state"] },
  );

describe("expectedLift (held-out weeks)", () => {
  it("finds the known lift of 1.6 with its interval, measured on 14 held-out days", async () => {
    const records = history((hour) => (hour >= 17 ? 0.4 : 0.1), 5);
    const lift = await expectedLift(records, await modelOf(records), { resamples: 200 });
    expect(lift.estimated).toBe(true);
    if (!lift.estimated) return;
    expect(lift.lift).toBeGreaterThan(1.3);
    expect(lift.ci95[0]).toBeGreaterThan(1);
    expect(lift.heldOut.days).toBe(14);
    expect(lift.learnedDays).toBeGreaterThanOrEqual(40);
    expect(lift.headline).toMatch(
      /^expected lift \d\.\d\d× \(95% interval \d\.\d\d–\d\.\d\d\) over calling at any hour, measured on 14 held-out days the model did not learn from: worth switching on$/,
    );
  });

  it("a flat history: not proven yet, whatever the model's own fit says", async () => {
    const records = history(() => 0.25, 11);
    const lift = await expectedLift(records, await modelOf(records), { resamples: 200 });
    expect(lift.estimated && lift.ci95[0] < 1 && lift.ci95[1] > 1).toBe(true);
    expect(lift.headline).toMatch(/: not proven yet$/);
  });

  it("a history too short to hold weeks out: says it cannot be estimated yet, and why", async () => {
    const records = history(() => 0.25, 3).slice(0, 2000);
    const lift = await expectedLift(records, await modelOf(records));
    expect(lift).toMatchObject({ estimated: false });
    expect(lift.headline).toMatch(
      /^expected lift: cannot be estimated yet \(\d+ days of history; it needs 28/,
    );
  });
});
