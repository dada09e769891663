import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { governs } from "../../src/compliance/row-scope.ts";
import { type CallingHoursRow, RULE_TABLE, type RuleRow } from "../../src/compliance/rule-table.ts";
import { capRowsOf, capsFreeAt, touchReachOf } from "../../src/compliance/rules/caps.ts";
import { consentMessage, textStopReason } from "../../src/compliance/rules/consent.ts";
import { destinationReasons } from "../../src/compliance/rules/destination.ts";
import { callingMargin, parseWindow, zoneReasonsAt } from "../../src/compliance/rules/hours.ts";
import { confirmationVerdict, registrationReason } from "../../src/compliance/rules/kinds.ts";
import { candidatesOf, type Prepared } from "../../src/compliance/rules/prepared.ts";
import {
  internalDncReason,
  REGISTRY_MAX_AGE_DAYS,
  registryReasons,
} from "../../src/compliance/rules/registries.ts";
import type { ComplianceInput, Reason } from "../../src/compliance/verdict.ts";
import { type NanpNumber, parseNanp } from "../../src/core/phone-number.ts";

/**
 * Each rule family (src/compliance/rules/) alone, on a call prepared as the engine
 * prepares one: the case tables judge them together, through the engine.
 */
const engine = new ComplianceEngine();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const number = (phone: string): NanpNumber => {
  const parsed = parseNanp(phone);
  if (!parsed) throw new Error(phone);
  return parsed;
};

function prepared(input: Partial<ComplianceInput> & { phone: string; at: string }): Prepared {
  const { phone, at, ...rest } = input;
  const call: ComplianceInput = {
    number: number(phone),
    atMs: Date.parse(at),
    consent: true,
    onDnc: false,
    ...rest,
  };
  const candidates = candidatesOf(call);
  const rows = RULE_TABLE.filter(
    (row) => candidates.jurisdictions.includes(row.jurisdiction) && governs(row, call),
  );
  return {
    input: call,
    candidates,
    zones: candidates.zones.map((z) => z.zone),
    rows,
    capRows: capRowsOf(call, rows),
    spanMs: call.untilMs === undefined ? undefined : call.untilMs - call.atMs,
    calendar: engine,
  };
}

const row = <K extends RuleRow["kind"]>(id: string) =>
  RULE_TABLE.find((r) => r.id === id) as Extract<RuleRow, { kind: K }>;
const codes = (reasons: readonly Reason[]) => reasons.map((r) => r.code);

describe("hours", () => {
  it("reads a window's text, end exclusive, and refuses a bad one", () => {
    expect(parseWindow("08:00-21:30")).toEqual({ startS: 8 * 3600, endS: 21.5 * 3600, text: "08:00–21:30" });
    expect(() => parseWindow("8-21")).toThrow(/bad window/);
  });

  it("is outside the hours a minute before 08:00 in New York, inside at 08:00, and in Utah never on a Sunday", () => {
    const at = (t: string) => {
      const found: Reason[] = [];
      zoneReasonsAt(prepared({ phone: "+12127360123", at: t }), "America/New_York", Date.parse(t), found);
      return codes(found);
    };
    expect(at("2026-03-10T11:59:00Z")).toEqual(["outside_calling_hours"]);
    expect(at("2026-03-10T12:00:00Z")).toEqual([]);
    const sunday = "2026-03-08T18:00:00Z";
    const utah: Reason[] = [];
    zoneReasonsAt(
      prepared({ phone: "+18017360123", at: sunday }),
      "America/Denver",
      Date.parse(sunday),
      utah,
    );
    expect(codes(utah)).toEqual(["no_calls_on_this_day"]);
  });

  it("measures how far inside the strictest window an interval lies, and not in a zone not the number's", () => {
    // Florida 08:00-20:00: 19:00-19:30 local is 30 minutes from the close.
    const p = prepared({ phone: "+13057360123", at: "2026-03-10T23:00:00Z" });
    const start = Date.parse("2026-03-10T23:00:00Z");
    expect(callingMargin(p, "America/New_York", start, start + 30 * 60_000)).toBe(30 * 60);
    expect(callingMargin(p, "America/Los_Angeles", start, start + 30 * 60_000)).toBeNull();
  });
});

describe("caps", () => {
  const at = "2026-03-10T18:00:00Z";
  const atMs = Date.parse(at);
  const calls = [3, 2, 1].map((h) => ({ atMs: atMs - h * HOUR }));

  it("counts a Florida number's 3 calls in 24 hours and frees it 24 hours after the oldest", () => {
    const p = prepared({ phone: "+13057360123", at, attempts: calls });
    expect(p.capRows.map((c) => [c.row.id, c.attempts.length])).toEqual([["fl-cap", 3]]);
    expect(capsFreeAt(p, atMs)).toBe(atMs - 3 * HOUR + DAY);
  });

  it("adds the campaign's own caps over its calls only, and reads back as far as the longest cap", () => {
    const input = {
      number: number("+12127360123"),
      atMs,
      consent: true,
      onDnc: false,
      campaignId: "c1",
      campaignCaps: { perDay: 1, perWeek: 5 },
      attempts: [...calls, { atMs: atMs - HOUR, campaignId: "c2" }].map((a, i) => ({
        campaignId: "c1",
        ...a,
        id: `${i}`,
      })),
    };
    const caps = capRowsOf(input, []);
    expect(caps.map((c) => [c.row.id, c.touches.length])).toEqual([
      ["campaign-per-day", 3],
      ["campaign-per-week", 3],
    ]);
    expect(touchReachOf(input, [])).toEqual({ lookbackMs: 7 * DAY, byAccount: false });
  });
});

describe("registries and DNC", () => {
  const input = (consent: boolean | undefined): ComplianceInput => ({
    number: number("+12127360123"),
    atMs: Date.parse("2026-03-10T18:00:00Z"),
    consent,
    onDnc: true,
    registries: [
      { registry: "national", asOf: "2026-03-01", listed: true },
      { registry: "NY", asOf: "2026-01-15", listed: false },
    ],
  });

  it("refuses a listed number without consent, and a copy older than 31 days whatever the consent", () => {
    expect(codes(registryReasons(input(undefined), input(undefined).atMs))).toEqual([
      "national_dnc",
      "dnc_registry_stale",
    ]);
    expect(codes(registryReasons(input(true), input(true).atMs))).toEqual(["dnc_registry_stale"]);
    expect(REGISTRY_MAX_AGE_DAYS).toBe(31);
  });

  it("refuses a number on the internal list, consent or not", () => {
    expect(internalDncReason(row<"internal_dnc">("us-internal-dnc"), input(true))?.code).toBe("internal_dnc");
    expect(
      internalDncReason(row<"internal_dnc">("us-internal-dnc"), { ...input(true), onDnc: false }),
    ).toBeUndefined();
  });
});

describe("consent", () => {
  it("names the channel whose consent is missing", () => {
    const base = { number: number("+12127360123"), atMs: 0, onDnc: false };
    expect(consentMessage({ ...base, consent: false })).toMatch(/not consented to calls/);
    expect(consentMessage({ ...base, consent: undefined, channel: "sms" })).toBe(
      "no recorded (written) consent to texts",
    );
  });

  it("bars texts for 10 years after a STOP to a text in Virginia", () => {
    const stop = Date.parse("2026-02-01T12:00:00Z");
    const call = {
      number: number("+18047360123"),
      atMs: stop + 400 * DAY,
      consent: true,
      onDnc: false,
      textStopsMs: [stop],
    };
    expect(textStopReason(row<"text_stop">("va-text-stop-2026"), call, call.atMs)?.message).toMatch(
      /until 2036-02-01/,
    );
    expect(textStopReason(row<"text_stop">("va-text-stop-2026"), call, stop - DAY)).toBeUndefined();
  });
});

describe("kinds and exemptions", () => {
  it("asks a sales call to Texas for the seller's registration, in force on the local date", () => {
    const tx = row<"registration">("tx-registration-2025");
    const call = { number: number("+15127360123"), atMs: 0, consent: true, onDnc: false };
    expect(registrationReason(tx, call, "2026-03-10")?.code).toBe("registration_required");
    const registrations = { TX: { number: "R-1", until: "2026-03-09" } };
    expect(registrationReason(tx, { ...call, registrations }, "2026-03-10")?.message).toMatch(
      /ran until 2026-03-09/,
    );
    expect(registrationReason(tx, { ...call, registrations }, "2026-03-09")).toBeUndefined();
  });

  it("leaves a confirmation's verdict as an ordinary touch's where no confirmation row is in force", () => {
    const p = prepared({
      phone: "+14167360123",
      at: "2026-03-10T18:00:00Z",
      purpose: "revocation-confirmation",
    });
    const ordinary = engine.evaluateUncached({ ...p.input, purpose: undefined });
    expect(confirmationVerdict(p, ordinary)).toBe(ordinary);
  });
});

describe("destination", () => {
  it("refuses a number that cannot exist, a destination with no rules, and a zone it cannot place", () => {
    const at = "2026-03-10T18:00:00Z";
    expect(codes(destinationReasons(prepared({ phone: "+12129110123", at })))).toEqual(["not_dialable"]);
    expect(codes(destinationReasons(prepared({ phone: "+18767360123", at })))).toEqual([
      "no_rules_for_destination",
    ]);
    expect(codes(destinationReasons(prepared({ phone: "+12127360123", at })))).toEqual([]);
  });
});

it("the rule table's calling windows all read", () => {
  const windows = RULE_TABLE.filter((r): r is CallingHoursRow => r.kind === "calling_hours").flatMap((r) =>
    Object.values(r.window),
  );
  for (const text of windows) if (text !== null) expect(parseWindow(text).endS).toBeGreaterThan(0);
});
