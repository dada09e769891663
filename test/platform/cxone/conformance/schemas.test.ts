import { describe, expect, it } from "vitest";
import { endpointOf } from "./endpoints.ts";
import { requestProblems, responseProblems } from "./schemas.ts";

/** The schemas built from the conformance table can fail: each rule, once. */
describe("conformance schemas", () => {
  const entry = (method: string, path: string) => {
    const found = endpointOf(method, path);
    if (!found) throw new Error(`${method} ${path} is not in the table`);
    return found;
  };

  it("a query name no source lists, or a value of the wrong type, is a problem", () => {
    const completed = entry("GET", "/contacts/completed");
    expect(requestProblems(completed, { query: { skip: "0", top: "10", orderBy: "contactId asc" } })).toEqual(
      [],
    );
    expect(requestProblems(completed, { query: { skip: "ten" } })).toEqual([
      expect.stringMatching(/query\/skip must match/),
    ]);
    expect(requestProblems(entry("GET", "/business-unit"), { query: { fields: "x" } })).toEqual([
      expect.stringContaining("has fields, which no source lists"),
    ]);
  });

  it("a body field no source lists, or one in the GET model's type, is a problem; a body where none is listed too", () => {
    const setDisposition = entry("POST", "/contacts/1/set-disposition");
    const body = { dispositionInfo: { skill: "701", dispositionCode: "3" } };
    expect(requestProblems(setDisposition, { query: { contactId: "1" }, body })).toEqual([]);
    expect(
      requestProblems(setDisposition, {
        query: { contactId: "1" },
        body: { dispositionInfo: { ...body.dispositionInfo, agent: 1 } },
      }),
    ).toEqual([expect.stringContaining("has agent, which no source lists")]);
    const general = entry("PUT", "/skills/1/parameters/general-settings");
    expect(
      requestProblems(general, { body: { generalSettings: { aggressiveness: "5", maximumRatio: 2 } } }),
    ).toEqual([]);
    expect(requestProblems(general, { body: { generalSettings: { aggressiveness: 5 } } })).toEqual([
      expect.stringMatching(/aggressiveness must be string/),
    ]);
    expect(requestProblems(entry("GET", "/tags"), { body: { x: 1 } })).not.toEqual([]);
  });

  it("an answer without a field the adapter relies on, or with it in another type, is a problem", () => {
    const skill = entry("GET", "/skills/1");
    expect(
      responseProblems(skill, { skillId: 1, skillName: "a", isActive: true, isOutbound: true, extra: 1 }),
    ).toEqual([]);
    expect(responseProblems(skill, { skillId: 1, skillName: "a", isActive: true })).toEqual([
      expect.stringContaining("must have required property 'isOutbound'"),
    ]);
    expect(
      responseProblems(skill, { skillId: "1", skillName: "a", isActive: true, isOutbound: true }),
    ).toEqual([expect.stringMatching(/skillId must be integer/)]);
  });
});
