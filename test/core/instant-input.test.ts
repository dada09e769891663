import { describe, expect, it } from "vitest";
import { validateCheckInput } from "../../src/compliance/check-input.ts";
import { checkEvidenceParams } from "../../src/compliance/evidence/request.ts";
import { InputError } from "../../src/core/input-error.ts";
import {
  INVALID_DATE_RULE,
  instantInputMs,
  instantInputProblem,
  instantInputText,
  ZONED_INSTANT_RULE,
  zonedInstantProblem,
} from "../../src/core/instant-input.ts";

/** The problems of the InputError `run` throws (none: it threw none). */
function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  return [];
}

const NAN_MS = "NaN is not a valid date-time (not a finite number of epoch milliseconds)";

describe("an instant a caller gives: text by the one rule, a valid Date, epoch ms where the field says so", () => {
  it("takes text, a valid Date and (with epochMs) a finite number, as the same instant", () => {
    const ms = Date.parse("2026-03-01T09:00:00Z");
    expect(instantInputMs("2026-03-01T10:00:00+01:00", "at")).toBe(ms);
    expect(instantInputMs(new Date(ms), "at")).toBe(ms);
    expect(instantInputMs(ms, "at", { epochMs: true })).toBe(ms);
    expect(instantInputMs(undefined, "at")).toBeUndefined();
    expect(instantInputText(new Date(ms), "from")).toBe("2026-03-01T09:00:00.000Z");
    expect(instantInputText("2026-03-01T09:00:00", "from")).toBe("2026-03-01T09:00:00");
  });

  it("refuses the rest naming the field, with one wording for an invalid Date and one for a number that is no instant", () => {
    expect(instantInputProblem(new Date(Number.NaN))).toBe(INVALID_DATE_RULE);
    expect(instantInputProblem(Number.NaN, { epochMs: true })).toBe(NAN_MS);
    expect(instantInputProblem(Number.POSITIVE_INFINITY, { epochMs: true })).toBe(
      "Infinity is not a valid date-time (not a finite number of epoch milliseconds)",
    );
    // A number where the field takes none, or another type: the rule for text.
    expect(instantInputProblem(1_772_355_600_000)).toBe(ZONED_INSTANT_RULE);
    expect(instantInputProblem({})).toBe(ZONED_INSTANT_RULE);
    expect(instantInputProblem("2026-03-01T09:00:00")).toBe(zonedInstantProblem("2026-03-01T09:00:00"));
    expect(problemsOf(() => instantInputMs(new Date(Number.NaN), "from"))).toEqual([
      { field: "from", rule: INVALID_DATE_RULE },
    ]);
    expect(problemsOf(() => instantInputText(new Date(Number.NaN), "to"))).toEqual([
      { field: "to", rule: INVALID_DATE_RULE },
    ]);
  });

  it("compliance.check's at and lastTransactionAt and evidence's from say the same (were 'must be a valid instant' and the text rule)", () => {
    const phone = "+12125550100";
    expect(problemsOf(() => validateCheckInput({ phone, at: Number.NaN }))).toEqual([
      { field: "at", rule: NAN_MS },
    ]);
    expect(problemsOf(() => validateCheckInput({ phone, at: new Date(Number.NaN) }))).toEqual([
      { field: "at", rule: INVALID_DATE_RULE },
    ]);
    expect(
      problemsOf(() => validateCheckInput({ phone, at: 0, lastTransactionAt: new Date(Number.NaN) })),
    ).toEqual([{ field: "lastTransactionAt", rule: INVALID_DATE_RULE }]);
    expect(
      problemsOf(() =>
        checkEvidenceParams({
          campaignId: "123",
          from: Number.NaN,
          to: new Date(Number.NaN),
          out: "e.ndjson",
        }),
      ),
    ).toEqual([
      { field: "from", rule: NAN_MS },
      { field: "to", rule: INVALID_DATE_RULE },
    ]);
  });
});
