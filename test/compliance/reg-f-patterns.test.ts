import { describe, expect, it } from "vitest";
import { judgeCounted } from "../../src/compliance/check-call.ts";
import type { CountedCall } from "../../src/compliance/debt-calls.ts";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import type { AccountAttempt } from "../../src/compliance/reg-f.ts";
import { regFPatterns } from "../../src/compliance/reg-f-patterns.ts";
import { NO_REGISTRIES } from "../../src/compliance/registry/lookup.ts";
import { parseNanp } from "../../src/core/phone-number.ts";
import { dialRefusals } from "../../src/strategy/may-dial.ts";

/**
 * Regulation F's presumption of compliance rebutted by patterns (12 CFR 1006.14(b)(3), comment
 * 14(b)(3)-2; the CFPB's call-frequency FAQs): two unanswered calls to one number within 5
 * minutes, a 7th call to one number in a day, a debt's week concentrated on a Sunday or holiday,
 * a second voicemail in a day. A check and the evidence say them as warnings (the call stays
 * allowed); a plan never places one. Each row: the debt's other calls, the call, the codes.
 */
const PHONE = "+12125551234";
const OTHER = "+12125559876";
const ZONE = "America/New_York";
const at = (iso: string) => Date.parse(iso);
const call = (iso: string, more: Partial<AccountAttempt> = {}): AccountAttempt => ({
  atMs: at(iso),
  conversation: false,
  phone: PHONE,
  ...more,
});

type Row = [
  string,
  AccountAttempt[],
  { at: string; channel?: "call" | "voicemail"; zone?: string },
  string[],
];
const ROWS: Row[] = [
  ["no other call", [], { at: "2026-12-02T10:00:00-05:00" }, []],
  [
    "two calls to one number 4 minutes apart",
    [call("2026-12-02T10:00:00-05:00")],
    { at: "2026-12-02T10:04:00-05:00" },
    ["regf_pattern_two_within_5_min"],
  ],
  ["two calls 6 minutes apart", [call("2026-12-02T10:00:00-05:00")], { at: "2026-12-02T10:06:00-05:00" }, []],
  [
    "a call after this one, 3 minutes later (a plan is not made in time order)",
    [call("2026-12-02T10:03:00-05:00")],
    { at: "2026-12-02T10:00:00-05:00" },
    ["regf_pattern_two_within_5_min"],
  ],
  [
    "4 minutes after a conversation is not two unanswered calls",
    [call("2026-12-02T10:00:00-05:00", { conversation: true })],
    { at: "2026-12-02T10:04:00-05:00" },
    [],
  ],
  [
    "4 minutes after a call to the debt's other number",
    [call("2026-12-02T10:00:00-05:00", { phone: OTHER })],
    { at: "2026-12-02T10:04:00-05:00" },
    [],
  ],
  [
    "the 7th call to one number in a day",
    [9, 10, 11, 12, 13, 14].map((h) => call(`2026-12-02T${String(h).padStart(2, "0")}:00:00-05:00`)),
    { at: "2026-12-02T17:00:00-05:00" },
    ["regf_pattern_7_in_a_day"],
  ],
  [
    "the 6th call to one number in a day",
    [9, 10, 11, 12, 13].map((h) => call(`2026-12-02T${String(h).padStart(2, "0")}:00:00-05:00`)),
    { at: "2026-12-02T17:00:00-05:00" },
    [],
  ],
  [
    "6 calls the day before, in the called party's zone (late evening UTC is the next day)",
    [15, 16, 17, 18, 19, 20].map((h) => call(`2026-12-01T${h}:00:00-05:00`)),
    { at: "2026-12-02T09:00:00-05:00" },
    [],
  ],
  [
    "a Sunday with 2 of the week's 3 calls",
    [call("2026-11-30T10:00:00-05:00"), call("2026-12-06T10:00:00-05:00")],
    { at: "2026-12-06T14:00:00-05:00" },
    ["regf_pattern_sunday_concentration"],
  ],
  [
    "a Sunday with 2 of the week's 5 calls",
    [
      call("2026-11-30T10:00:00-05:00"),
      call("2026-12-01T10:00:00-05:00"),
      call("2026-12-02T10:00:00-05:00"),
      call("2026-12-06T10:00:00-05:00"),
    ],
    { at: "2026-12-06T14:00:00-05:00" },
    [],
  ],
  ["one call on a Sunday alone", [], { at: "2026-12-06T14:00:00-05:00" }, []],
  [
    "Christmas Day with 2 of the week's 2 calls",
    [call("2026-12-25T10:00:00-05:00")],
    { at: "2026-12-25T14:00:00-05:00" },
    ["regf_pattern_sunday_concentration"],
  ],
  [
    "a second voicemail the same day",
    [call("2026-12-02T10:00:00-05:00", { channel: "voicemail" })],
    { at: "2026-12-02T16:00:00-05:00", channel: "voicemail" },
    ["regf_pattern_voicemails"],
  ],
  [
    "a voicemail the day after one",
    [call("2026-12-01T10:00:00-05:00", { channel: "voicemail" })],
    { at: "2026-12-02T16:00:00-05:00", channel: "voicemail" },
    [],
  ],
];

describe("Regulation F's patterns (regf_pattern_*)", () => {
  it.each(ROWS)("%s", (_name, attempts, c, codes) => {
    const found = regFPatterns(attempts, {
      atMs: at(c.at),
      phone: PHONE,
      channel: c.channel,
      zone: c.zone ?? ZONE,
    });
    expect(found.map((r) => r.code)).toEqual(codes);
    for (const r of found) expect(r.citation).toMatch(/1006\.14\(b\)\(3\).*FAQs/);
  });

  it("a planned call's window: flagged when any dial time in it makes the pattern", () => {
    const found = regFPatterns([call("2026-12-02T10:40:00-05:00")], {
      atMs: at("2026-12-02T10:00:00-05:00"),
      untilMs: at("2026-12-02T10:36:00-05:00"),
      phone: PHONE,
      zone: ZONE,
    });
    expect(found.map((r) => r.code)).toEqual(["regf_pattern_two_within_5_min"]);
  });

  const engine = new ComplianceEngine();
  const number = parseNanp(PHONE);
  if (!number) throw new Error("test number");
  const counted = (iso: string): CountedCall => ({
    phone: PHONE,
    atMs: at(iso),
    conversation: false,
    channel: "call",
    accountId: "A1",
    source: "touch",
  });
  const noDnc = { has: () => false, size: 0 };

  it("compliance check: a warning, the call still allowed", () => {
    const verdict = judgeCounted(
      engine,
      noDnc,
      { number, atMs: at("2026-12-02T10:04:00-05:00"), consent: true, kind: "collections", accountId: "A1" },
      [counted("2026-12-02T10:00:00-05:00")],
      NO_REGISTRIES,
    );
    expect(verdict.allowed).toBe(true);
    expect(verdict.warnings?.map((w) => w.code)).toEqual(["regf_pattern_two_within_5_min"]);
    const sales = judgeCounted(
      engine,
      noDnc,
      { number, atMs: at("2026-12-02T10:04:00-05:00"), consent: true, kind: "sales" },
      [counted("2026-12-02T10:00:00-05:00")],
      NO_REGISTRIES,
    );
    expect(sales.warnings).toBeUndefined();
  });

  it("a plan (and a push) never places one: the one judging function refuses it", () => {
    const scope = { engine, campaignId: "C1", kind: "collections" as const };
    const record = { number, zones: [ZONE], consent: true, onDnc: false, accountId: "A1" };
    const t = at("2026-12-02T10:04:00-05:00");
    const refused = dialRefusals(scope, record, t, t, { account: [call("2026-12-02T10:00:00-05:00")] });
    expect(refused.map((r) => r.code)).toEqual(["regf_pattern_two_within_5_min"]);
    const later = at("2026-12-02T12:00:00-05:00");
    expect(
      dialRefusals(scope, record, later, later, { account: [call("2026-12-02T10:00:00-05:00")] }),
    ).toEqual([]);
  });
});
