import { describe, expect, it } from "vitest";
import { factsOfCall } from "../../src/compliance/evidence/call-facts.ts";
import { callDetailsOf, sentCallerIdOf } from "../../src/platform/call-details.ts";
import { completedCallOf } from "../../src/platform/cxone/contact-record.ts";

/**
 * How a call went, modelled once in the platform (OutboundCall's optional fields): the evidence
 * reads those, never CXone's names off `raw` (layer-boundaries' wire-name scan).
 */
const contact = {
  contactId: "1620000002",
  skillId: "503",
  contactStartDate: "2026-03-02T15:00:00Z",
  totalDurationSeconds: 29,
  isOutbound: true,
  fromAddress: "8005575033",
  toAddress: "2125550123",
  agentId: 0,
  endReason: " Contact Hung Up ",
  abandoned: "true",
  attestation: "a",
  safeHarborMessage: true,
  callerName: "ACME",
  recordingId: 42,
};

describe("a call's details", () => {
  it("the production adapter models endReason, abandoned, attestation and the rest; raw keeps them as sent", () => {
    const call = completedCallOf(contact);
    expect(call).toMatchObject({
      outcome: "Contact Hung Up",
      abandoned: true,
      attestation: "a",
      safeHarborMessage: true,
      callerName: "ACME",
      recording: "42",
    });
    expect(call).not.toHaveProperty("aiAgent");
    expect(call.raw).toMatchObject({ endReason: " Contact Hung Up ", abandoned: "true", attestation: "a" });
    expect(factsOfCall(call)).toEqual({
      abandoned: true,
      attestation: "A",
      callerId: "+18005575033",
      callerName: "ACME",
      durationSeconds: 29,
      outcome: "Contact Hung Up",
      recording: "42",
      safeHarborMessage: true,
    });
  });

  it("the evidence reads the modelled fields, not raw", () => {
    const call = {
      ...completedCallOf({ contactId: "1", skillId: "5", contactStartDate: "2026-03-02T15:00:00Z" }),
    };
    call.raw = { ...call.raw, endReason: "Hung Up", abandoned: true, attestation: "A" };
    expect(factsOfCall(call)).toBeUndefined();
    expect(factsOfCall({ ...call, outcome: "Hung Up", abandoned: true, attestation: "b" })).toEqual({
      abandoned: true,
      attestation: "B",
      outcome: "Hung Up",
    });
  });

  it("an outcomes file's record: its fields first, then extra; the caller id as sent only as text", () => {
    expect(
      callDetailsOf({
        outcome: "",
        extra: { endReason: "Busy", aiAgentId: "va-1", safeHarborMessage: "false" },
      }),
    ).toEqual({
      outcome: "Busy",
      aiAgent: "va-1",
      safeHarborMessage: false,
    });
    expect(sentCallerIdOf({ extra: { fromAddr: "8005575033" } })).toBe("8005575033");
    expect(sentCallerIdOf({ fromAddress: 8005575033 })).toBeUndefined();
  });
});
