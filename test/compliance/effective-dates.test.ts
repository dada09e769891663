import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  effectiveDatesProblems,
  listRules,
  ruleTableWith,
  unconfirmedDates,
} from "../../src/compliance/effective-dates.ts";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { ruleBookVersion } from "../../src/compliance/evidence/rule-book.ts";
import { RULE_TABLE } from "../../src/compliance/rule-table.ts";
import { InputError } from "../../src/core/input-error.ts";
import { parseNanp } from "../../src/core/phone-number.ts";
import { openStore } from "../../src/core/store/index.ts";
import { ruleDatesFact } from "../../src/doctor/rule-dates-fact.ts";
import { createClient } from "../../src/index.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Dates counsel moves (`rules.effectiveDates`): a rule's built-in date replaced by the config's,
 * judged by every check; listed with the date's source; audited when changed; doctor warns 30 days
 * before a date the config has not confirmed. Bad input (an unknown rule id, a date without a
 * year) is exit 2 naming the field, nothing recorded.
 */
const OREGON = parseNanp("+15035551234");
if (!OREGON) throw new Error("test number");
/** 20:30 in Portland on a Sunday in March 2026: Oregon's 2026 sales window (8 a.m.-8 p.m.) is closed, the TCPA's open. */
const EVENING = Date.parse("2026-03-01T20:30:00-08:00");
const salesCall = { number: OREGON, atMs: EVENING, consent: true, onDnc: false, kind: "sales" as const };

describe("rules.effectiveDates: the rule book with the dates moved", () => {
  it("a moved date is what the engine judges by (and a new rule book version)", () => {
    const builtIn = new ComplianceEngine().evaluate(salesCall);
    expect(builtIn.reasons.map((r) => r.ruleId)).toContain("or-hours-2026");
    const moved = ruleTableWith({ "or-hours-2026": "2026-06-01" });
    expect(moved.find((r) => r.id === "or-hours-2026")?.effectiveFrom).toBe("2026-06-01");
    expect(ruleBookVersion(moved)).not.toBe(ruleBookVersion(RULE_TABLE));
    // One array per set of dates (the engine's caches and the rule book's version see one book).
    expect(ruleTableWith({ "or-hours-2026": "2026-06-01" })).toBe(moved);
    expect(ruleTableWith({})).toBe(RULE_TABLE);
    const judged = new ComplianceEngine({ ruleTable: moved }).evaluate(salesCall);
    expect(judged.allowed).toBe(true);
    expect(judged.rules).not.toContain("or-hours-2026");
    // After the moved date, the row governs again.
    const june = new ComplianceEngine({ ruleTable: moved }).evaluate({
      ...salesCall,
      atMs: Date.parse("2026-06-07T20:30:00-07:00"),
    });
    expect(june.reasons.map((r) => r.ruleId)).toContain("or-hours-2026");
  });

  it("lists every rule with its date's source; revoke-all among them", () => {
    const rules = listRules({ "us-revoke-all-purposes": "2027-04-30" });
    const revokeAll = rules.find((r) => r.id === "us-revoke-all-purposes");
    expect(revokeAll).toMatchObject({
      book: "revocation",
      effectiveFrom: "2027-04-30",
      builtInFrom: "2027-01-31",
      dateSource: "config",
    });
    expect(rules.find((r) => r.id === "us-tcpa-hours")).toMatchObject({
      dateSource: "built-in",
      effectiveFrom: "1992-12-20",
    });
    expect(rules.length).toBe(RULE_TABLE.length + 4);
    for (const rule of rules) expect(rule.citation.length).toBeGreaterThan(10);
  });

  it("bad dates and unknown ids name their field", () => {
    const problems = effectiveDatesProblems({
      "us-revoke-everything": "2027-01-31",
      "us-revoke-all-purposes": "01-31",
      "or-hours-2026": "2026-02-30",
      "us-internal-dnc-30-days": "2025-05-01",
    });
    expect(problems.map((p) => p.field)).toEqual([
      "rules.effectiveDates.us-revoke-everything",
      "rules.effectiveDates.us-revoke-all-purposes",
      "rules.effectiveDates.or-hours-2026",
      "rules.effectiveDates.us-internal-dnc-30-days",
    ]);
    // The calendar-day rule's words (src/core/calendar-day.ts): a day without its year is no calendar date.
    expect(problems[1]?.rule).toBe('"01-31" is not a calendar date, YYYY-MM-DD (e.g. 2026-03-01)');
    expect(problems[2]?.rule).toMatch(/is not a real date/);
    expect(problems[3]?.rule).toMatch(/before the rule's end \(2025-04-10\)/);
    expect(effectiveDatesProblems({ "us-revoke-all-purposes": "2027-01-31" })).toEqual([]);
    expect(effectiveDatesProblems("2027-01-31")[0]?.field).toBe("rules.effectiveDates");
  });

  it("doctor's warning: 30 days before a date the config has not confirmed", () => {
    const jan1 = Date.parse("2027-01-01T12:00:00Z");
    expect(unconfirmedDates({}, "2027-01-01").map((d) => [d.ruleId, d.daysLeft])).toEqual([
      ["us-revoke-all-purposes", 30],
    ]);
    expect(unconfirmedDates({}, "2026-12-31")).toEqual([]);
    expect(unconfirmedDates({}, "2027-02-01")).toEqual([]);
    // Confirmed: the same date, or another, named in the config.
    expect(unconfirmedDates({ "us-revoke-all-purposes": "2027-01-31" }, "2027-01-01")).toEqual([]);
    const fact = ruleDatesFact({}, jan1);
    expect(fact.matches).toBe(true);
    expect(fact.warning).toMatch(/us-revoke-all-purposes takes effect 2027-01-31 \(in 30 days\)/);
    expect(ruleDatesFact({ "us-revoke-all-purposes": "2027-04-30" }, jan1).warning).toBeUndefined();
  });
});

describe("rules.effectiveDates from the command line and the SDK", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-rule-dates-"));
  const dataDir = path.join(dir, "data");
  const config = path.join(dir, "cxo.config.yaml");
  const cxo = (args: string[]) =>
    runCli(["--json", "--config", config, ...args], { CXO_DATA_DIR: dataDir }, { cwd: dir });
  const auditOperations = async () => {
    if (!existsSync(dataDir)) return [];
    const store = await openStore(dataDir);
    try {
      return (await store.audit.tail(100)).map((r) => ({ operation: r.operation, after: r.after }));
    } finally {
      await store.close();
    }
  };

  it("an unknown rule id, a date without a year: exit 2 naming the field, nothing recorded", async () => {
    for (const [text, field] of [
      ["us-revoke-everything: 2027-01-31", "rules.effectiveDates.us-revoke-everything"],
      ['us-revoke-all-purposes: "01-31"', "rules.effectiveDates.us-revoke-all-purposes"],
    ] as const) {
      writeFileSync(config, `rules:\n  effectiveDates:\n    ${text}\n`);
      for (const args of [
        ["compliance", "rules"],
        ["compliance", "check", "--phone", "+15035551234", "--at", "2026-03-01T20:30:00-08:00"],
      ]) {
        const bad = await cxo(args);
        expect(bad.code, bad.stderr).toBe(2);
        expect(bad.stderr).toContain(field);
      }
    }
    expect(await auditOperations()).toEqual([]);
  });

  it("compliance rules lists the config's date; the change is audited once; a check judges by it", async () => {
    writeFileSync(config, "rules:\n  effectiveDates:\n    or-hours-2026: 2026-06-01\n");
    const listed = await cxo(["compliance", "rules"]);
    expect(listed.code, listed.stderr).toBe(0);
    const rules = JSON.parse(listed.stdout).rules as Array<Record<string, unknown>>;
    expect(rules.find((r) => r.id === "or-hours-2026")).toMatchObject({
      effectiveFrom: "2026-06-01",
      dateSource: "config",
      builtInFrom: "2026-01-01",
    });
    const check = await cxo([
      "compliance",
      "check",
      "--phone",
      "+15035551234",
      "--consent",
      "yes",
      "--kind",
      "sales",
      "--at",
      "2026-03-01T20:30:00-08:00",
    ]);
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout).allowed).toBe(true);
    // Back to the built-in date: a second audited change; the check refuses again.
    writeFileSync(config, "log:\n  level: warn\n");
    const again = await cxo([
      "compliance",
      "check",
      "--phone",
      "+15035551234",
      "--consent",
      "yes",
      "--kind",
      "sales",
      "--at",
      "2026-03-01T20:30:00-08:00",
    ]);
    expect(JSON.parse(again.stdout).reasons.map((r: { ruleId: string }) => r.ruleId)).toContain(
      "or-hours-2026",
    );
    expect(await auditOperations()).toEqual([
      { operation: "compliance.rules.effective-dates", after: { "or-hours-2026": "2026-06-01" } },
      { operation: "compliance.rules.effective-dates", after: {} },
    ]);
  });

  it("createClient refuses a bad date by its field; compliance.rules() lists the client's dates", async () => {
    const connection = { baseUrl: "http://127.0.0.1:9", clientId: "x", clientSecret: "y" };
    expect(() =>
      createClient({
        connection,
        dataDir: path.join(dir, "sdk"),
        rules: { effectiveDates: { "us-revoke-all-purposes": "2027" } },
      }),
    ).toThrow(InputError);
    await using client = createClient({
      connection,
      dataDir: path.join(dir, "sdk"),
      rules: { effectiveDates: { "us-revoke-all-purposes": "2027-04-30" } },
    });
    const { rules } = await client.compliance.rules();
    expect(rules.find((r) => r.id === "us-revoke-all-purposes")?.dateSource).toBe("config");
  });
});
