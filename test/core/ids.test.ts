import { describe, expect, it } from "vitest";
import { campaignIdProblem, ID_RULE } from "../../src/core/ids.ts";

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
