import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkSchedule } from "../../src/campaigns/scheduled-callbacks.ts";
import { InputError } from "../../src/core/input-error.ts";
import { INVALID_DATE_RULE } from "../../src/core/instant-input.ts";
import * as sdk from "../../src/index.ts";

/**
 * A field that took text only and now takes a Date too (InstantInput) stores or sends a Date as
 * its toISOString(), and an accepted text exactly as before; `new Date(NaN)` is refused in the one
 * wording. (test/core/zoned-instant-table.test.ts asks every entry which values it takes.)
 */
const NOW_MS = Date.parse("2026-03-03T00:00:00Z");
const client = sdk.createClient({
  dataDir: mkdtempSync(path.join(tmpdir(), "cxo-instant-forms-")),
  clock: { now: () => NOW_MS },
});
afterAll(() => client.close());

const PHONE = "+12125550123";
const grant = (at: sdk.InstantInput) =>
  client.consent.grant({ phone: PHONE, purpose: "telemarketing", written: true, at });

describe("a Date where text was taken: stored and sent as its ISO text", () => {
  it("consent.grant records a Date's instant as its ISO text, a text at as before", async () => {
    expect((await grant(new Date("2026-03-01T09:00:00.250Z"))).grantedAt).toBe("2026-03-01T09:00:00.250Z");
    expect((await grant("2026-03-01T09:00-05:00")).grantedAt).toBe("2026-03-01T14:00:00.000Z");
  });

  it("callbacks.schedule's callback: a Date's ISO text, a text at as before (its instant in UTC)", () => {
    const callback = (at: sdk.InstantInput) =>
      checkSchedule({ phone: PHONE, campaign: "123", at }, NOW_MS).at;
    expect(callback(new Date("2026-03-04T15:30:00Z"))).toBe("2026-03-04T15:30:00.000Z");
    expect(callback(" 2026-03-04T10:30:00-05:00 ")).toBe("2026-03-04T15:30:00.000Z");
  });

  it('an invalid Date is refused naming the field (not `at: "" is not …`), nothing recorded', async () => {
    const problemsOf = async (run: () => unknown) => {
      try {
        await run();
      } catch (error) {
        if (error instanceof InputError) return error.problems;
        throw error;
      }
      return [];
    };
    const nan = new Date(Number.NaN);
    expect(await problemsOf(() => checkSchedule({ phone: PHONE, campaign: "123", at: nan }, NOW_MS))).toEqual(
      [{ field: "at", rule: INVALID_DATE_RULE }],
    );
    expect(await problemsOf(() => grant(nan))).toEqual([{ field: "at", rule: INVALID_DATE_RULE }]);
  });
});
