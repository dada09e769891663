import { describe, expect, it } from "vitest";
import { campaignIdProblem, ID_RULE, isId, isSkillId } from "../../src/core/ids.ts";

describe("campaignIdProblem: the one check of the id rule", () => {
  it("accepts an id of 1 to 128 letters, digits or _ . : -, starting with a letter or digit, and an absent one", () => {
    for (const id of ["1", "C-100", "skill_7.a:b", "4521987", `a${"b".repeat(127)}`, undefined])
      expect(campaignIdProblem(id, "campaignId")).toBeNull();
  });

  it("refuses anything else, naming the field it was given for", () => {
    for (const id of ["", "-1", ".a", ":a", "a/b", "a b", "a\nb", `a${"b".repeat(128)}`, 42, null, {}])
      expect(campaignIdProblem(id, "--campaign")).toEqual({ field: "--campaign", rule: ID_RULE });
  });
});

describe("isId: the rule every campaign-id test asks", () => {
  it("agrees with campaignIdProblem on every value given", () => {
    for (const id of ["1", "C-100", "skill_7.a:b", "", "-1", "a/b", "a b", `a${"b".repeat(128)}`, 42, null])
      expect(isId(id)).toBe(campaignIdProblem(id, "campaignId") === null);
  });
});

describe("isSkillId: the production platform's campaign (skill) id rule", () => {
  it("is a whole number of 1 to 18 digits without a leading zero", () => {
    for (const id of ["1", "4521987", "123456789012345678"]) expect(isSkillId(id)).toBe(true);
  });

  it("refuses a leading zero, a sign, blanks, letters, more than 18 digits and non-strings", () => {
    for (const id of ["0", "007", "-5", " 12", "12a", "C-100", "1234567890123456789", "", 12, undefined])
      expect(isSkillId(id)).toBe(false);
  });
});
