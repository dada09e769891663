import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  campaignSpecSchema,
  resolveContactList,
  specHash,
  toDefinition,
} from "../../../src/campaigns/spec.ts";
import { InputError } from "../../../src/core/input-error.ts";
import { parseInput } from "../../../src/core/input-file.ts";
import { validSpec } from "./harness.ts";

/** The spec rules, one broken field at a time: each problem names the dotted field and the rule. */

type Fields = Record<string, unknown>;
interface SpecDoc extends Fields {
  predictive: Fields;
  compliance: Fields & { window: Fields };
  failover: Fields;
}
type Edit = (spec: SpecDoc) => void;

const problemsOf = (edit: Edit) => {
  const spec = structuredClone(validSpec("list-1")) as SpecDoc;
  edit(spec);
  try {
    parseInput(spec, campaignSpecSchema);
    return [];
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.problems;
  }
};

const table: Array<[string, Edit, string, RegExp]> = [
  ["missing name", (s) => delete s.name, "name", /expected string/i],
  ["blank name", (s) => (s.name = "  "), "name", /must not be empty/],
  ["answerRatio above 1", (s) => (s.predictive.answerRatio = 1.2), "predictive.answerRatio", /at most 1/],
  ["answerRatio 0", (s) => (s.predictive.answerRatio = 0), "predictive.answerRatio", /greater than 0/],
  ["answerRatio as text", (s) => (s.predictive.answerRatio = "0.8"), "predictive.answerRatio", /number/],
  [
    "maxCallsInFlight 0",
    (s) => (s.predictive.maxCallsInFlight = 0),
    "predictive.maxCallsInFlight",
    /greater than 0/,
  ],
  [
    "maxCallsInFlight fractional",
    (s) => (s.predictive.maxCallsInFlight = 2.5),
    "predictive.maxCallsInFlight",
    /whole/,
  ],
  ["callRate 0", (s) => (s.predictive.callRate = 0), "predictive.callRate", /greater than 0/],
  [
    "abandonment 4%",
    (s) => (s.predictive.abandonmentThreshold = 0.04),
    "predictive.abandonmentThreshold",
    /3% rule/,
  ],
  ["unknown zone", (s) => (s.compliance.timeZone = "Eastern"), "compliance.timeZone", /IANA/],
  ["offset instead of zone", (s) => (s.compliance.timeZone = "+05:00"), "compliance.timeZone", /IANA/],
  ["abbreviation instead of zone", (s) => (s.compliance.timeZone = "EST"), "compliance.timeZone", /IANA/],
  [
    "window before 08:00",
    (s) => (s.compliance.window.start = "07:30"),
    "compliance.window.start",
    /08:00–21:00/,
  ],
  ["window after 21:00", (s) => (s.compliance.window.end = "21:30"), "compliance.window.end", /TCPA/],
  ["window 12-hour text", (s) => (s.compliance.window.start = "9am"), "compliance.window.start", /HH:MM/],
  [
    "start after end",
    (s) => (s.compliance.window = { start: "18:00", end: "09:00" }),
    "compliance.window.end",
    /after window.start/,
  ],
  ["no days", (s) => (s.compliance.allowedDays = []), "compliance.allowedDays", /at least one/],
  ["bad day", (s) => (s.compliance.allowedDays = ["Funday"]), "compliance.allowedDays.0", /Monday/],
  [
    "repeated day",
    (s) => (s.compliance.allowedDays = ["Monday", "Monday"]),
    "compliance.allowedDays",
    /repeat/,
  ],
  ["daily cap 0", (s) => (s.compliance.maxCallsPerDay = 0), "compliance.maxCallsPerDay", /at least 1/],
  [
    "day cap above week cap",
    (s) => {
      s.compliance.maxCallsPerContactPerDay = 4;
      s.compliance.maxCallsPerContactPerWeek = 3;
    },
    "compliance.maxCallsPerContactPerWeek",
    /at least maxCallsPerContactPerDay/,
  ],
  ["failover threshold 1.5", (s) => (s.failover.threshold = 1.5), "failover.threshold", /less than 1/],
  ["failover window 0", (s) => (s.failover.windowMinutes = 0), "failover.windowMinutes", /at least 1/],
  ["failover minSample -1", (s) => (s.failover.minSample = -1), "failover.minSample", /0 or more/],
  ["failover breaches 0", (s) => (s.failover.breaches = 0), "failover.breaches", /at least 1/],
  ["failover bad backup id", (s) => (s.failover.backupCampaignId = "a b"), "failover.backupCampaignId", /id/],
  ["typo'd key", (s) => (s.predictive.answerRate = 0.8), "predictive", /answerRate/],
  ["status stopped", (s) => (s.status = "stopped"), "status", /paused or active/],
];

describe("campaign spec validation", () => {
  it.each(table)("%s", (_label, edit, field, rule) => {
    const problems = problemsOf(edit);
    expect(problems.length).toBeGreaterThan(0);
    const problem = problems.find((p) => p.field === field);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem?.rule).toMatch(rule);
  });

  it("accepts the valid spec and both example files", () => {
    expect(problemsOf(() => {})).toEqual([]);
    for (const file of ["examples/campaign.yaml", "examples/campaign-backup.yaml"]) {
      const spec = parseInput(parse(readFileSync(file, "utf8")), campaignSpecSchema, file);
      expect(spec.predictive.abandonmentThreshold).toBeLessThanOrEqual(0.03);
      expect(spec.status).toBe("paused");
    }
  });

  it("requires a contact list from the spec or contactListId (the CLI's --contact-list); the given one wins", () => {
    const spec = campaignSpecSchema.parse(validSpec());
    expect(resolveContactList(spec, undefined)).toEqual({
      problem: { field: "contactListId", rule: expect.stringContaining("`contactListId`") },
    });
    const withList = campaignSpecSchema.parse(validSpec("from-spec"));
    expect(resolveContactList(withList, "from-flag")).toMatchObject({ contactListId: "from-flag" });
    expect(resolveContactList(withList, undefined)).toMatchObject({ contactListId: "from-spec" });
  });

  it("hashes the same campaign the same whatever the key order or implicit defaults, and differently when it changes", () => {
    const a = campaignSpecSchema.parse(validSpec("l1"));
    const reordered = Object.fromEntries(Object.entries(validSpec("l1")).reverse());
    const b = campaignSpecSchema.parse({ ...reordered, status: "paused" });
    const hashOf = (spec: typeof a) => specHash({ ...spec, contactListId: "l1" });
    expect(hashOf(b)).toBe(hashOf(a));
    expect(hashOf({ ...a, name: "Other" })).not.toBe(hashOf(a));
    expect(hashOf(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("allowUploadWhileRunning: a boolean, carried to the definition, and not part of the hash (a refused create re-run with it finds the same campaign)", () => {
    const a = campaignSpecSchema.parse(validSpec("l1"));
    const allowed = campaignSpecSchema.parse({ ...validSpec("l1"), allowUploadWhileRunning: true });
    const hashOf = (spec: typeof a) => specHash({ ...spec, contactListId: "l1" });
    expect(hashOf(allowed)).toBe(hashOf(a));
    expect(hashOf({ ...a, allowUploadWhileRunning: false })).toBe(hashOf(a));
    expect(toDefinition({ ...allowed, contactListId: "l1" }).allowUploadWhileRunning).toBe(true);
    expect(toDefinition({ ...a, contactListId: "l1" })).not.toHaveProperty("allowUploadWhileRunning");
    const bad = campaignSpecSchema.safeParse({ ...validSpec("l1"), allowUploadWhileRunning: "yes" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({
      path: ["allowUploadWhileRunning"],
      message: "must be true or false",
    });
  });

  it("maps the user spec onto the port's campaign definition", () => {
    const spec = campaignSpecSchema.parse(validSpec("l1"));
    const definition = toDefinition({ ...spec, contactListId: "l1" });
    expect(definition).toMatchObject({
      name: "Test predictive",
      status: "paused",
      contactListId: "l1",
      queueId: "default_outbound_queue",
      dialer: { type: "predictive", predictive: { answerRatio: 0.85, abandonmentThreshold: 0.03 } },
      compliance: {
        timeZone: "America/New_York",
        windowStart: "08:00",
        windowEnd: "21:00",
        maxCallsPerDay: 5000,
      },
      failover: { enabled: true, threshold: 0.15, evaluationWindowMinutes: 30 },
    });
  });
});
