import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { reportEntryOf } from "../../src/compliance/revocation-report.ts";
import { RULE_TABLE } from "../../src/compliance/rule-table.ts";
import type { Suppression } from "../../src/compliance/suppression.ts";
import type { Channel } from "../../src/compliance/touches.ts";
import type { AttemptTime } from "../../src/compliance/verdict.ts";
import type { LedgerEntry } from "../../src/consent/ledger.ts";
import { parseNanp } from "../../src/core/phone-number.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 92 §3: after a revocation by text, one text confirming it within 5 minutes is allowed
 * (47 CFR 64.1200(a)(10), (a)(12); row `us-revocation-confirmation-text`, from 2025-04-11); a
 * second confirmation, one after 5 minutes, a call marked as one, and any other text after the
 * revocation are refused. The engine alone (pure): the ledger's revocations come as the
 * `consent_revoked` suppression and the number's revocations by text (`textStopsMs`); and the
 * consent report's judgement of imported touches after a revocation (the same row).
 */
const NUMBER = parseNanp("+12125557900")!;
const REVOKED = Date.parse("2026-12-02T14:00:00Z");
const revoked: Suppression = {
  code: "consent_revoked",
  message: "revoked",
  ruleId: "us-consent-revocation",
  citation: "47 CFR 64.1200(a)(10)",
  confidence: "verified",
};
const ROW = "us-revocation-confirmation-text";

function judge(
  afterMs: number,
  options: {
    channel?: Channel;
    purpose?: "revocation-confirmation";
    attempts?: AttemptTime[];
    revokedMs?: number;
  } = {},
) {
  const revokedMs = options.revokedMs ?? REVOKED;
  return engine.evaluate({
    number: NUMBER,
    atMs: revokedMs + afterMs,
    consent: true,
    onDnc: false,
    suppressions: [revoked],
    textStopsMs: [revokedMs],
    channel: options.channel ?? "sms",
    ...(options.purpose ? { purpose: options.purpose } : {}),
    attempts: options.attempts ?? [],
  });
}
const codes = (verdict: ReturnType<typeof judge>) => verdict.reasons.map((r) => r.code);
const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe("the one confirmation text after a revocation by text", () => {
  it("is a dated, cited row", () => {
    expect(RULE_TABLE.find((r) => r.id === ROW)).toMatchObject({
      kind: "revocation_confirmation",
      withinMinutes: 5,
      effectiveFrom: "2025-04-11",
      citation: expect.stringMatching(/64\.1200\(a\)\(10\)/),
    });
  });

  it("at 4:59 is allowed (the row named); at 5:00 too; at 5:01 refused", () => {
    const inTime = judge(4 * MINUTE + 59 * SECOND, { purpose: "revocation-confirmation" });
    expect(inTime.allowed).toBe(true);
    expect(inTime.rules).toContain(ROW);
    expect(judge(5 * MINUTE, { purpose: "revocation-confirmation" }).allowed).toBe(true);
    const late = judge(5 * MINUTE + SECOND, { purpose: "revocation-confirmation" });
    expect(late.allowed).toBe(false);
    expect(codes(late)).toEqual(["consent_revoked", "revocation_confirmation_refused"]);
    expect(late.reasons[1]?.message).toMatch(/5 min 1 s after the revocation.*within 5 minutes/);
    expect(late.reasons[1]?.ruleId).toBe(ROW);
  });

  it("a second confirmation is refused", () => {
    const first: AttemptTime = {
      atMs: REVOKED + MINUTE,
      channel: "sms",
      purpose: "revocation-confirmation",
    };
    const second = judge(2 * MINUTE, { purpose: "revocation-confirmation", attempts: [first] });
    expect(codes(second)).toEqual(["consent_revoked", "revocation_confirmation_refused"]);
    expect(second.reasons[1]?.message).toMatch(/already sent.*only one/);
    // An ordinary text before the revocation's confirmation is not a confirmation.
    const plain: AttemptTime = { atMs: REVOKED + MINUTE, channel: "sms" };
    expect(judge(2 * MINUTE, { purpose: "revocation-confirmation", attempts: [plain] }).allowed).toBe(true);
  });

  it("a call, even marked as a confirmation, is refused; so is an ordinary text", () => {
    const call = judge(MINUTE, { channel: "call", purpose: "revocation-confirmation" });
    expect(codes(call)).toEqual(["consent_revoked", "revocation_confirmation_refused"]);
    expect(call.reasons[1]?.message).toMatch(/one text message, and this is a call/);
    expect(codes(judge(MINUTE))).toEqual(["consent_revoked"]);
  });

  it("is not a solicitation: allowed at night, without the consent flag", () => {
    // 23:00 in New York.
    const night = Date.parse("2026-12-03T04:00:00Z");
    const verdict = engine.evaluate({
      number: NUMBER,
      atMs: night + 2 * MINUTE,
      consent: undefined,
      onDnc: false,
      suppressions: [revoked],
      textStopsMs: [night],
      channel: "sms",
      purpose: "revocation-confirmation",
    });
    expect(verdict.allowed, JSON.stringify(verdict.reasons)).toBe(true);
  });

  it("before 2025-04-11 the row is not in force: refused like any text after the revocation", () => {
    const before = judge(MINUTE, {
      purpose: "revocation-confirmation",
      revokedMs: Date.parse("2025-04-01T15:00:00Z"),
    });
    expect(codes(before)).toEqual(["consent_revoked"]);
    expect(before.rules).not.toContain(ROW);
  });

  it("with no revocation by text there is nothing to confirm", () => {
    const verdict = engine.evaluate({
      number: NUMBER,
      atMs: REVOKED,
      consent: true,
      onDnc: false,
      channel: "sms",
      purpose: "revocation-confirmation",
    });
    expect(codes(verdict)).toEqual(["revocation_confirmation_refused"]);
  });
});

describe("consent report: a touch after a revocation", () => {
  const entry: LedgerEntry = {
    id: "rev_1",
    phone: "+12125557900",
    receivedAt: "2026-12-02T14:00:00.000Z",
    channel: "sms",
    scope: { kind: "tenant" },
    source: null,
    recordedBy: null,
    recordedAt: "2026-12-02T14:00:01.000Z",
    honouredAt: "2026-12-02T14:00:01.000Z",
    cxone: { status: "none", groupId: null, at: null },
  };
  const touch = (minutes: number, channel: string, purpose?: string) => ({
    callId: `touch ${channel} ${minutes}`,
    campaignId: "",
    at: new Date(REVOKED + minutes * MINUTE).toISOString(),
    channel,
    ...(purpose ? { purpose } : {}),
  });

  it("the first confirmation within 5 minutes is not a breach; a second one, a late one, a call are", () => {
    const report = reportEntryOf(entry, REVOKED + 60 * MINUTE, [
      touch(1, "sms", "revocation-confirmation"),
      touch(2, "sms", "revocation-confirmation"),
      touch(3, "call", "revocation-confirmation"),
      touch(7, "sms"),
    ]);
    expect(report.confirmation?.callId).toBe("touch sms 1");
    expect(report.callsAfter.map((c) => c.callId)).toEqual(["touch sms 2", "touch call 3", "touch sms 7"]);
    const late = reportEntryOf(entry, REVOKED + 60 * MINUTE, [touch(6, "sms", "revocation-confirmation")]);
    expect(late.confirmation).toBeUndefined();
    expect(late.callsAfter).toHaveLength(1);
    // A revocation said to an agent is not confirmed by text: a text after it is a breach.
    const byAgent = reportEntryOf({ ...entry, channel: "agent" }, REVOKED + 60 * MINUTE, [
      touch(1, "sms", "revocation-confirmation"),
    ]);
    expect(byAgent.callsAfter).toHaveLength(1);
  });
});
