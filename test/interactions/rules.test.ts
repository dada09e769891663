import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  classMixProblem,
  codeClass,
  entryProblems,
  type IntendedDisposition,
  interactionIdProblem,
  isApplied,
  mergeDisposition,
  timestampProblem,
  unknownCodeProblem,
} from "../../src/interactions/index.ts";
import type { InteractionDispositionEntry } from "../../src/platform/types.ts";

const good: IntendedDisposition = {
  code: "101",
  description: "Issue Resolved",
  agentId: "agent-007",
  timestamp: "2026-01-02T10:00:00Z",
};

const entry = (
  code: string,
  extra: Partial<InteractionDispositionEntry> = {},
): InteractionDispositionEntry => ({
  code,
  description: `d${code}`,
  agentId: "agent-1",
  timestamp: "2026-01-01T09:00:00Z",
  source: "agent",
  ...extra,
});

describe("timestamps: ISO 8601 with a zone", () => {
  it.each([
    ["2026-01-02T10:00:00Z", null],
    ["2026-01-02T10:00:00.123Z", null],
    ["2026-01-02T10:00:00.123456Z", null],
    ["2026-01-02T10:00:00+05:30", null],
    ["2026-01-02T10:00:00-08:00", null],
    ["2026-01-02T10:00Z", null],
    ["2026-01-02t10:00:00z", null],
    // The one rule of an instant (core/instant-input.ts): ±HHMM too.
    ["2026-01-02T10:00:00+0530", null],
    ["2026-01-02T10:00:00", "has no time zone"],
    ["2026-01-02T10:00:00.5", "has no time zone"],
    ["2026-01-02", "is not an ISO 8601 date-time with a zone"],
    ["2026-01-02 10:00:00Z", "is not an ISO 8601 date-time with a zone"],
    ["2026-01-02T10:00:00 UTC", "is not an ISO 8601 date-time with a zone"],
    ["yesterday", "is not an ISO 8601 date-time with a zone"],
    ["", "is required"],
    ["2026-02-30T10:00:00Z", "not a real date"],
    ["2026-01-02T25:00:00Z", "not a real date"],
    ["2026-01-02T10:00:00+15:00", "at most ±14:00"],
  ])("%j → %s", (value, expected) => {
    const problem = timestampProblem(value);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });
});

describe("entry fields (domain field paths, never CLI flags)", () => {
  it.each<[string, Partial<IntendedDisposition>, string[]]>([
    ["a good entry", good, []],
    ["no code", { ...good, code: "" }, ["code"]],
    ["a code with spaces", { ...good, code: "1 01" }, ["code"]],
    ["no description", { ...good, description: "  " }, ["description"]],
    ["a description too long", { ...good, description: "x".repeat(501) }, ["description"]],
    ["a control character in the description", { ...good, description: "a\u0007b" }, ["description"]],
    ["no agent", { ...good, agentId: "" }, ["agentId"]],
    ["an agent with surrounding spaces", { ...good, agentId: " a1 " }, ["agentId"]],
    ["no zone", { ...good, timestamp: "2026-01-02T10:00:00" }, ["timestamp"]],
    ["everything missing", {}, ["code", "description", "agentId", "timestamp"]],
  ])("%s", (_name, input, fields) => {
    expect(entryProblems(input).map((p) => p.field)).toEqual(fields);
  });

  it.each([
    ["ac5fceed-603d-487a-8eeb-b060359868a3", true],
    ["int:1.2_3", true],
    ["", false],
    ["a/b", false],
    ["x".repeat(129), false],
  ])("interaction id %j valid=%s", (id, valid) => {
    expect(interactionIdProblem(id) === null).toBe(valid);
  });
});

describe("code rules", () => {
  it.each([
    ["101", "primary"],
    ["112", "primary"],
    ["205", "secondary"],
    ["301", "other"],
    ["1010", "other"],
    ["AB", "other"],
  ])("class of %s is %s", (code, cls) => expect(codeClass(code)).toBe(cls));

  it.each<[string[], boolean]>([
    [[], true],
    [["101"], true],
    [["101", "102", "112"], true],
    [["201", "205"], true],
    [["101", "201"], false],
    [["205", "106", "107"], false],
    [["101", "X1"], true],
  ])("codes %j comply=%s", (codes, ok) => {
    expect(classMixProblem(codes) === null).toBe(ok);
  });

  it("rejects an unknown code and names the known ones", () => {
    const known = new Set(["101", "201"]);
    expect(unknownCodeProblem("101", known)).toBeNull();
    expect(unknownCodeProblem("999", known)?.rule).toMatch(
      /unknown disposition code 999 \(known: 101, 201\)/,
    );
  });

  it("applies the mix rule to the MERGED result, not the request alone", () => {
    const merged = mergeDisposition([entry("201")], { ...good, code: "101" });
    expect(classMixProblem(["101"])).toBeNull(); // the request alone looks fine
    expect(classMixProblem(merged.map((e) => e.code))).not.toBeNull();
  });
});

describe("merge: the intended change applied to the current state", () => {
  it.each<[string, InteractionDispositionEntry[], string, string[]]>([
    ["adds to an empty interaction", [], "101", ["101"]],
    [
      "appends a new code, keeping the others in order",
      [entry("102"), entry("103")],
      "101",
      ["102", "103", "101"],
    ],
    [
      "replaces its own code in place",
      [entry("102"), entry("101"), entry("103")],
      "101",
      ["102", "101", "103"],
    ],
    ["collapses duplicates of its code", [entry("101"), entry("102"), entry("101")], "101", ["101", "102"]],
  ])("%s", (_name, current, code, codes) => {
    const merged = mergeDisposition(current, { ...good, code });
    expect(merged.map((e) => e.code)).toEqual(codes);
    expect(merged.find((e) => e.code === code)).toMatchObject({
      description: good.description,
      source: "api",
    });
  });

  it("does not modify its input", () => {
    const current = [entry("102")];
    const copy = structuredClone(current);
    mergeDisposition(current, good);
    expect(current).toEqual(copy);
  });

  const arbEntry = fc.record({
    code: fc.constantFrom("101", "102", "103", "104", "105", "201", "202"),
    description: fc.string({ minLength: 1, maxLength: 5 }),
    agentId: fc.constantFrom("a1", "a2"),
    timestamp: fc.constant("2026-01-01T00:00:00Z"),
  });
  const arbCurrent = fc.uniqueArray(arbEntry, { selector: (e) => e.code, maxLength: 6 });

  it("property: every other code is kept untouched, ours appears exactly once, and is applied", () => {
    fc.assert(
      fc.property(arbCurrent, arbEntry, (current, intended) => {
        const merged = mergeDisposition(current, intended);
        const others = current.filter((e) => e.code !== intended.code);
        expect(merged.filter((e) => e.code !== intended.code)).toEqual(others);
        expect(merged.filter((e) => e.code === intended.code)).toHaveLength(1);
        expect(isApplied(merged, intended)).toBe(true);
      }),
    );
  });

  it("property: merging is idempotent (re-applying after our PATCH landed changes nothing)", () => {
    fc.assert(
      fc.property(arbCurrent, arbEntry, (current, intended) => {
        const once = mergeDisposition(current, intended);
        expect(mergeDisposition(once, intended)).toEqual(once);
      }),
    );
  });

  it("property: concurrent changes of different codes commute (no edit is lost in any order)", () => {
    fc.assert(
      fc.property(arbCurrent, arbEntry, arbEntry, (current, a, b) => {
        fc.pre(a.code !== b.code);
        const ab = mergeDisposition(mergeDisposition(current, a), b);
        const ba = mergeDisposition(mergeDisposition(current, b), a);
        expect(new Set(ab.map((e) => JSON.stringify(e)))).toEqual(new Set(ba.map((e) => JSON.stringify(e))));
        expect(isApplied(ab, a) && isApplied(ab, b)).toBe(true);
      }),
    );
  });

  it.each<[string, Partial<InteractionDispositionEntry>, boolean]>([
    ["the same entry", {}, true],
    ["the same instant in another rendering", { timestamp: "2026-01-02T10:00:00.000Z" }, true],
    ["another description", { description: "other" }, false],
    ["another agent", { agentId: "agent-8" }, false],
    ["another time", { timestamp: "2026-01-02T10:00:01Z" }, false],
  ])("isApplied with %s → %s", (_name, change, applied) => {
    const current = [entry("102"), { ...entry("101"), ...good, ...change }];
    expect(isApplied(current, good)).toBe(applied);
  });
});
