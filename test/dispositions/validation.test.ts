import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MatrixCache } from "../../src/dispositions/matrix-cache.ts";
import { MAX_NOTES_LENGTH, MAX_TAGS, type RuleCode } from "../../src/dispositions/rules.ts";
import { validateFile } from "../../src/dispositions/validate-file.ts";
import { validateTagRow } from "../../src/dispositions/validate-row.ts";
import type { DispositionMatrix } from "../../src/platform/types.ts";

const matrix: DispositionMatrix = {
  campaignId: "camp-1",
  codes: [
    { id: "CONVERTED", name: "Converted", reasonCodes: [{ id: "CNV_UPGRADE", name: "Upgrade" }] },
    { id: "NOT_INTERESTED", name: "Not interested", reasonCodes: [{ id: "NIN_PRICE", name: "Price" }] },
    { id: "BUSY", name: "Busy", reasonCodes: [] },
  ],
};

const base = { callId: "call-1", dispositionCodeId: "CONVERTED", reasonCodeId: "CNV_UPGRADE", tags: "a;b" };

describe("validateTagRow: one rule per row", () => {
  const cases: Array<[string, Record<string, unknown>, string, RuleCode]> = [
    ["missing call id", { ...base, callId: "" }, "callId", "required"],
    ["blank call id", { ...base, callId: "   " }, "callId", "required"],
    ["call id with a slash", { ...base, callId: "call/1" }, "callId", "malformed_id"],
    ["call id with a space", { ...base, callId: "call 1" }, "callId", "malformed_id"],
    ["call id too long", { ...base, callId: "c".repeat(129) }, "callId", "malformed_id"],
    ["call id a number", { ...base, callId: 42 }, "callId", "wrong_type"],
    ["missing disposition", { ...base, dispositionCodeId: undefined }, "dispositionCodeId", "required"],
    [
      "unknown disposition",
      { ...base, dispositionCodeId: "SOLD" },
      "dispositionCodeId",
      "unknown_disposition_code",
    ],
    [
      // Not an id's form: read as a disposition name (issue 50 §6), and no code has it.
      "neither a code nor a code's name",
      { ...base, dispositionCodeId: "CON VERTED" },
      "dispositionCodeId",
      "unknown_disposition_code",
    ],
    [
      "reason of ANOTHER code",
      { ...base, reasonCodeId: "NIN_PRICE" },
      "reasonCodeId",
      "reason_not_under_code",
    ],
    ["unknown reason", { ...base, reasonCodeId: "NOPE" }, "reasonCodeId", "reason_not_under_code"],
    [
      "reason on a code without reasons",
      { ...base, dispositionCodeId: "BUSY" },
      "reasonCodeId",
      "reason_not_under_code",
    ],
    ["malformed reason", { ...base, reasonCodeId: "a/b" }, "reasonCodeId", "malformed_id"],
    [
      "eleven tags",
      { ...base, tags: Array.from({ length: 11 }, (_, i) => `t${i}`).join(";") },
      "tags",
      "too_many_tags",
    ],
    ["empty tag", { ...base, tags: "a;;b" }, "tags[1]", "empty_tag"],
    ["trailing separator", { ...base, tags: "a;" }, "tags[1]", "empty_tag"],
    ["blank tag", { ...base, tags: "a; ;b" }, "tags[1]", "empty_tag"],
    ["duplicate tag after trimming", { ...base, tags: "vip; vip" }, "tags[1]", "duplicate_tag"],
    ["tag too long", { ...base, tags: "x".repeat(101) }, "tags[0]", "tag_too_long"],
    ["tag with a control character", { ...base, tags: ["a\u0007"] }, "tags[0]", "control_character"],
    ["tags an object", { ...base, tags: { a: 1 } }, "tags", "wrong_type"],
    ["tag not a string", { ...base, tags: ["a", 3] }, "tags[1]", "wrong_type"],
    ["notes too long", { ...base, notes: "n".repeat(MAX_NOTES_LENGTH + 1) }, "notes", "notes_too_long"],
    ["notes with NUL", { ...base, notes: "a\u0000b" }, "notes", "control_character"],
    ["notes a number", { ...base, notes: 5 }, "notes", "wrong_type"],
    ["unknown field", { ...base, agent: "x" }, "agent", "unknown_field"],
  ];
  it.each(cases)("%s → %s %s", (_name, raw, field, code) => {
    const result = validateTagRow(raw, matrix, 7);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual(expect.objectContaining({ row: 7, field, code }));
    for (const problem of result.problems) expect(problem.rule.length).toBeGreaterThan(3);
  });

  const good: Array<[string, Record<string, unknown>, object]> = [
    ["tags trimmed", { ...base, tags: " a ; b " }, { tags: ["a", "b"] }],
    [
      "no tags, no reason",
      { callId: "c-2", dispositionCodeId: "BUSY" },
      { tags: [], dispositionCodeId: "BUSY" },
    ],
    ["tags as an array", { ...base, tags: ["x", "y"] }, { tags: ["x", "y"] }],
    ["exactly ten tags", { ...base, tags: Array.from({ length: MAX_TAGS }, (_, i) => `t${i}`) }, {}],
    [
      "notes at the bound, with line breaks",
      { ...base, notes: `a\nb\t${"n".repeat(MAX_NOTES_LENGTH - 4)}` },
      {},
    ],
    ["empty reason is no reason", { ...base, reasonCodeId: "" }, { callId: "call-1" }],
  ];
  it.each(good)("accepts %s", (_name, raw, expected) => {
    const result = validateTagRow(raw, matrix);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.request).toMatchObject(expected);
  });

  it("reports every broken field of a row, not just the first", () => {
    const result = validateTagRow(
      { callId: "", dispositionCodeId: "SOLD", tags: "a;a", notes: 1 },
      matrix,
      3,
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.map((p) => p.code).sort()).toEqual(
        ["duplicate_tag", "required", "unknown_disposition_code", "wrong_type"].sort(),
      );
  });
});

describe("validateTagRow: properties", () => {
  const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,19}$/);
  const tag = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
  it("a reason is accepted exactly when it belongs to the chosen code", () => {
    const reasons = matrix.codes.flatMap((c) => c.reasonCodes.map((r) => r.id));
    fc.assert(
      fc.property(
        id,
        fc.constantFrom(...matrix.codes),
        fc.constantFrom(...reasons),
        (callId, code, reason) => {
          const result = validateTagRow({ callId, dispositionCodeId: code.id, reasonCodeId: reason }, matrix);
          expect(result.ok).toBe(code.reasonCodes.some((r) => r.id === reason));
        },
      ),
    );
  });
  it("valid tag lists survive as trimmed, distinct, at most ten", () => {
    fc.assert(
      fc.property(id, fc.uniqueArray(tag, { maxLength: 14 }), (callId, tags) => {
        const result = validateTagRow(
          { callId, dispositionCodeId: "BUSY", tags: tags.map((t) => ` ${t} `).join(";") },
          matrix,
        );
        expect(result.ok).toBe(tags.length <= MAX_TAGS);
        if (result.ok) expect(result.request.tags).toEqual(tags);
      }),
    );
  });
  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.anything()), (raw) => {
        validateTagRow(raw, matrix, 1);
      }),
    );
  });
});

describe("validateFile", () => {
  it("refuses the second row of a call and counts totals", async () => {
    async function* rows() {
      yield { row: 1, line: 2, fields: { callId: "c1", dispositionCodeId: "BUSY" } };
      yield { row: 2, line: 3, fields: { callId: "c1", dispositionCodeId: "BUSY" } };
      yield {
        row: 3,
        line: 4,
        problems: [{ row: 3, field: "(row)", code: "invalid_json" as const, rule: "bad" }],
      };
    }
    const result = await validateFile(rows(), matrix);
    expect(result).toMatchObject({ total: 3, invalid: 2 });
    expect([...result.invalidRows]).toEqual([2, 3]);
    expect(result.problems[0]).toMatchObject({ row: 2, field: "callId", code: "duplicate_call" });
  });
});

describe("MatrixCache", () => {
  it("serves from cache within the TTL, refetches after it, and refreshes once per copy on rejection", async () => {
    let now = 0;
    let calls = 0;
    const port = { getMatrix: async () => ({ ...matrix, version: ++calls }) as DispositionMatrix };
    const cache = new MatrixCache(port, { ttlMs: 1000, now: () => now });
    await Promise.all([cache.get("camp-1"), cache.get("camp-1")]);
    expect(calls).toBe(1);
    await Promise.all([
      cache.refreshOnce("camp-1"),
      cache.refreshOnce("camp-1"),
      cache.refreshOnce("camp-1"),
    ]);
    expect(calls).toBe(2);
    expect(await cache.get("camp-1")).toMatchObject({ version: 2 });
    now = 1500;
    expect(await cache.get("camp-1")).toMatchObject({ version: 3 });
  });
  it("does not keep a failed fetch", async () => {
    let fail = true;
    const cache = new MatrixCache({
      getMatrix: async () => {
        if (fail) throw new Error("down");
        return matrix;
      },
    });
    await expect(cache.get("camp-1")).rejects.toThrow("down");
    fail = false;
    await expect(cache.get("camp-1")).resolves.toBe(matrix);
  });
});
