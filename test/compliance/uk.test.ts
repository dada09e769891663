import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ruleTableWith } from "../../src/compliance/effective-dates.ts";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { openDncRegistries } from "../../src/compliance/registry/lookup.ts";
import { importUkRegistry, ukNationalNumber } from "../../src/compliance/registry/uk.ts";
import type { ComplianceInput } from "../../src/compliance/verdict.ts";
import { InputError } from "../../src/core/input-error.ts";
import { parseNanp, parseNanpOrUk, parseUk } from "../../src/core/phone-number.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * The United Kingdom: +44 numbers judged by PECR — a live marketing call to a number registered
 * with the TPS or CTPS for at least 28 days, without consent, is refused; an automated (recorded
 * or AI) marketing call needs prior consent; calling hours are a policy (08:00-21:00 by default),
 * not law. Registration dates around 28 days, each row citing its source.
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-uk-"));
const dataDir = path.join(dir, "data");
// Registered 2026-10-01 (TPS) and 2026-10-20 (CTPS); the copy is dated 2026-11-01.
const TPS_OLD = "+447700900101";
const TPS_NEW = "+447700900102";
const CTPS = "+442079460103";
const CLEAN = "+447700900104";
writeFileSync(
  path.join(dir, "tps.csv"),
  `phone,registeredAt\n${TPS_OLD},2026-10-01\n07700 900102,2026-10-20\n`,
);
writeFileSync(path.join(dir, "ctps.csv"), `phone,registeredAt\n0${CTPS.slice(3)},2026-10-01\n`);
importUkRegistry({ dataDir, registry: "tps", file: path.join(dir, "tps.csv"), asOf: "2026-11-01", nowMs: 0 });
importUkRegistry({
  dataDir,
  registry: "ctps",
  file: path.join(dir, "ctps.csv"),
  asOf: "2026-11-01",
  nowMs: 0,
});
const registries = openDncRegistries(dataDir);
const engine = new ComplianceEngine();

const uk = (phone: string) => {
  const number = parseUk(phone);
  if (!number) throw new Error(phone);
  return number;
};
const judge = (phone: string, at: string, more: Partial<ComplianceInput> = {}) =>
  engine.evaluate({
    number: uk(phone),
    atMs: Date.parse(at),
    consent: undefined,
    onDnc: false,
    registries: registries.findings(uk(phone)),
    ...more,
  });

type Row = [string, string, string, Partial<ComplianceInput>, string[]];
const ROWS: Row[] = [
  ["TPS for 40 days, no consent, a live call", TPS_OLD, "2026-11-10T12:00:00Z", {}, ["tps_registered"]],
  ["TPS for 27 days: not yet barred", TPS_OLD, "2026-10-28T12:00:00Z", {}, []],
  ["TPS for 28 days: barred from the 28th day", TPS_OLD, "2026-10-29T12:00:00Z", {}, ["tps_registered"]],
  [
    "the 27th day's last half hour in London (23:30): not yet barred, outside the hours policy",
    TPS_OLD,
    "2026-10-28T23:30:00Z",
    {},
    ["outside_calling_hours"],
  ],
  ["TPS for 28 days, with consent", TPS_OLD, "2026-10-29T12:00:00Z", { consent: true }, []],
  [
    "TPS for 28 days, a debt's collection call (not marketing)",
    TPS_OLD,
    "2026-10-29T12:00:00Z",
    { kind: "collections" },
    [],
  ],
  ["TPS registered 21 days before", TPS_NEW, "2026-11-10T12:00:00Z", {}, []],
  ["TPS registered 28 days before", TPS_NEW, "2026-11-17T12:00:00Z", {}, ["tps_registered"]],
  ["CTPS for 40 days", CTPS, "2026-11-10T12:00:00Z", {}, ["ctps_registered"]],
  ["on neither list, no consent: a live marketing call is lawful", CLEAN, "2026-11-10T12:00:00Z", {}, []],
  [
    "an AI voice without consent (PECR reg 19)",
    CLEAN,
    "2026-11-10T12:00:00Z",
    { voice: { voice: "ai" } },
    ["artificial_voice_no_consent"],
  ],
  [
    "a recorded voice with consent: written consent is not asked",
    CLEAN,
    "2026-11-10T12:00:00Z",
    { consent: true, voice: { voice: "prerecorded" } },
    [],
  ],
  ["21:30 in London: outside the hours policy", CLEAN, "2026-11-10T21:30:00Z", {}, ["outside_calling_hours"]],
  [
    "a copy 35 days old may not be screened against",
    CLEAN,
    "2026-12-06T12:00:00Z",
    {},
    ["dnc_registry_stale", "dnc_registry_stale"],
  ],
];

describe("the United Kingdom's rules", () => {
  it.each(ROWS)("%s", (_name, phone, at, more, codes) => {
    const verdict = judge(phone, at, more);
    expect(verdict.reasons.map((r) => r.code)).toEqual(codes);
    expect(verdict.jurisdictions).toEqual(["GB"]);
    expect(verdict.zones).toEqual(["Europe/London"]);
    for (const r of verdict.reasons) expect(r.citation).toMatch(/PECR|Privacy and Electronic|ICO|policy/);
  });

  it("the hours are a policy the config sets (compliance.ukCallingHours), or turns off", async () => {
    const late = {
      number: uk(CLEAN),
      atMs: Date.parse("2026-11-10T21:30:00Z"),
      consent: undefined,
      onDnc: false,
    };
    const off = new ComplianceEngine({ ruleTable: ruleTableWith(undefined, { ukCallingHours: false }) });
    expect(off.evaluate(late).allowed).toBe(true);
    const office = new ComplianceEngine({
      ruleTable: ruleTableWith(undefined, {
        ukCallingHours: { monFri: "09:00-17:00", sat: null, sun: null },
      }),
    });
    // Saturday 2026-11-14, noon in London.
    const saturday = office.evaluate({ ...late, atMs: Date.parse("2026-11-14T12:00:00Z") });
    expect(saturday.reasons.map((r) => [r.code, r.ruleId])).toEqual([
      ["no_calls_on_this_day", "gb-calling-hours-policy"],
    ]);
    const config = path.join(dir, "hours.yaml");
    writeFileSync(config, 'compliance:\n  ukCallingHours: { monFri: "21:00-08:00", sat: null, sun: null }\n');
    const bad = await runCli(
      ["--config", config, "compliance", "check", "--phone", CLEAN],
      { CXO_DATA_DIR: path.join(dir, "hours-data") },
      { cwd: dir },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("compliance.ukCallingHours.monFri");
  });

  it("numbers: +44 for a check only; other countries refused as before; NANP unchanged", () => {
    expect(parseNanpOrUk("+447700900101")?.country).toBe("GB");
    expect(parseNanpOrUk("+4407700900101")).toBeUndefined();
    expect(parseNanpOrUk("+33612345678")).toBeUndefined();
    expect(parseNanp("+447700900101")).toBeUndefined();
    expect(parseNanpOrUk("+12125551234")?.country).toBeUndefined();
    expect(ukNationalNumber("07700 900101")).toBe(7700900101);
    expect(ukNationalNumber("+44 7700 900101")).toBe(7700900101);
    expect(ukNationalNumber("+1 212 555 1234")).toBeUndefined();
  });

  it("a TPS file row without a registration date: InputError naming the row and column, the copy untouched", () => {
    const bad = path.join(dir, "bad.csv");
    writeFileSync(bad, `phone,registeredAt\n${CLEAN},2026-10-01\n${TPS_OLD}\n+447700900105,01-10\n`);
    const before = readFileSync(path.join(dataDir, "uk-registry", "tps.bin"));
    let error: unknown;
    try {
      importUkRegistry({ dataDir, registry: "tps", file: bad, asOf: "2026-11-01", nowMs: 0 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => [p.row, p.field])).toEqual([
      [3, "registeredAt"],
      [4, "registeredAt"],
    ]);
    expect(readFileSync(path.join(dataDir, "uk-registry", "tps.bin")).equals(before)).toBe(true);
  });

  it("from the command line: import, check, bad input exit 2", async () => {
    const cliData = path.join(dir, "cli");
    const cxo = (args: string[]) => runCli(["--json", ...args], { CXO_DATA_DIR: cliData }, { cwd: dir });
    const imported = await cxo([
      "compliance",
      "dnc",
      "import",
      "--registry",
      "tps",
      "--as-of",
      "2026-11-01",
      path.join(dir, "tps.csv"),
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ registry: "tps", numbers: 2 });
    const check = await cxo(["compliance", "check", "--phone", TPS_OLD, "--at", "2026-11-10T12:00:00Z"]);
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout).reasons.map((r: { code: string }) => r.code)).toEqual(["tps_registered"]);
    const noDate = path.join(dir, "no-date.csv");
    writeFileSync(noDate, `phone,registeredAt\n${CLEAN}\n`);
    const bad = await cxo([
      "compliance",
      "dnc",
      "import",
      "--registry",
      "ctps",
      "--as-of",
      "2026-11-01",
      noDate,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("row 2, registeredAt");
    expect(existsSync(path.join(cliData, "uk-registry", "ctps.json"))).toBe(false);
    const french = await cxo(["compliance", "check", "--phone", "+33612345678"]);
    expect(french.code).toBe(2);
    expect(french.stderr).toContain("--phone");
  });

  it("the internal do-not-call list takes a UK number (PECR reg 21(1)(a)): a check of it is refused, consent or not", async () => {
    const cliData = path.join(dir, "cli-internal");
    const cxo = (args: string[]) => runCli(["--json", ...args], { CXO_DATA_DIR: cliData }, { cwd: dir });
    const added = await cxo(["compliance", "dnc", "add", CLEAN, "--reason", "asked not to be called"]);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ added: [CLEAN] });
    const check = await cxo([
      "compliance",
      "check",
      "--phone",
      CLEAN,
      "--at",
      "2026-11-10T12:00:00Z",
      "--consent",
      "yes",
    ]);
    expect(check.code, check.stderr).toBe(0);
    const verdict = JSON.parse(check.stdout) as {
      allowed: boolean;
      reasons: Array<{ code: string; ruleId: string }>;
    };
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons.map((r) => [r.code, r.ruleId])).toEqual([["internal_dnc", "gb-internal-dnc"]]);
    // The engine alone, as every plan and push asks it.
    expect(
      judge(CLEAN, "2026-11-10T12:00:00Z", { consent: true, onDnc: true }).reasons.map((r) => r.code),
    ).toEqual(["internal_dnc"]);
    const french = await cxo(["compliance", "dnc", "add", "+33612345678"]);
    expect(french.code).toBe(2);
    expect(french.stderr).toContain("phone 1");
  });
});

describe("a UK copy's lookup", () => {
  it("finds every listed number and no other, across its groups' edges and the shortest and longest numbers", async () => {
    const { openUkRegistries } = await import("../../src/compliance/registry/uk.ts");
    const own = mkdtempSync(path.join(tmpdir(), "cxo-uk-lookup-"));
    // Numbers at the edges of a 10,000 group, nine- and ten-digit numbers, the largest possible.
    const listed = [
      1_000_000_00, 1_000_000_01, 7_700_909_999, 7_700_910_000, 7_700_910_001, 2_079_460_103, 9_999_999_999,
    ];
    const lines = listed.map((n, i) => `+44${n},2026-10-${String(i + 1).padStart(2, "0")}`);
    writeFileSync(path.join(own, "tps.csv"), `phone,registeredAt\n${lines.join("\n")}\n`);
    importUkRegistry({
      dataDir: own,
      registry: "tps",
      file: path.join(own, "tps.csv"),
      asOf: "2026-11-01",
      nowMs: 0,
    });
    const [tps] = openUkRegistries(own);
    for (const [i, n] of listed.entries())
      expect(tps?.registeredDay(n), String(n)).toBe(Date.UTC(2026, 9, i + 1) / 86_400_000);
    for (const n of [99_999_999, 1_000_000_02, 7_700_909_998, 7_700_910_002, 9_999_999_998, 0])
      expect(tps?.registeredDay(n), String(n)).toBe(-1);
  });
});
