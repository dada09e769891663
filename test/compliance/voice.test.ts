import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import type { VoiceFacts } from "../../src/compliance/voice-rules.ts";
import { parseNanp } from "../../src/core/phone-number.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 92 §2: the voice a call uses. A prerecorded or AI voice needs prior express consent —
 * written for telemarketing (an undeclared kind is judged as sales) — and an emergency purpose is
 * exempt (47 U.S.C. 227(b)(1); 47 CFR 64.1200(a)(1)-(3)); an AI voice counts as artificial from
 * 2024-02-08 (FCC 24-17), not before; in California the call is introduced by a live person
 * (Pub. Util. Code 2874) and, from 2025, says the voice is artificial (AB 2905). A live voice
 * asks none of this. The cases are a table: each row's verdict and reason codes.
 */
const NY = "+12125551234";
const LA = "+12135551234";
type Case = [
  string,
  { phone?: string; at?: string; consent?: boolean; kind?: "sales" | "collections"; voice?: VoiceFacts },
  string[],
];
const CASES: Case[] = [
  ["a live voice, consent", { voice: { voice: "live" } }, []],
  ["no voice given (live)", {}, []],
  [
    "AI, consent not written, sales",
    { kind: "sales", voice: { voice: "ai" } },
    ["artificial_voice_no_written_consent"],
  ],
  [
    "AI, kind undeclared: judged as sales",
    { voice: { voice: "ai" } },
    ["artificial_voice_no_written_consent"],
  ],
  ["AI, written consent", { voice: { voice: "ai", writtenConsent: true } }, []],
  ["AI, collections, consent (not written)", { kind: "collections", voice: { voice: "ai" } }, []],
  [
    "prerecorded, no consent",
    { consent: false, voice: { voice: "prerecorded" } },
    ["no_consent", "artificial_voice_no_consent"],
  ],
  [
    "prerecorded, emergency, no consent: only the autodialer row",
    { consent: false, voice: { voice: "prerecorded", emergency: true } },
    ["no_consent"],
  ],
  [
    "AI before 2024-02-08: not yet artificial",
    { at: "2024-01-15T11:00:00-05:00", voice: { voice: "ai" } },
    [],
  ],
  [
    "AI on 2024-02-08: artificial",
    { at: "2024-02-08T11:00:00-05:00", voice: { voice: "ai" } },
    ["artificial_voice_no_written_consent"],
  ],
  [
    "California, prerecorded, written consent, no live introduction",
    { phone: LA, at: "2026-12-02T11:00:00-08:00", voice: { voice: "prerecorded", writtenConsent: true } },
    ["live_introduction_required"],
  ],
  [
    "California, AI, live introduction, AI not said",
    {
      phone: LA,
      at: "2026-12-02T11:00:00-08:00",
      voice: { voice: "ai", writtenConsent: true, liveIntroduction: true },
    },
    ["ai_disclosure_required"],
  ],
  [
    "California, AI in 2024: the disclosure row not yet in force",
    {
      phone: LA,
      at: "2024-06-03T11:00:00-07:00",
      voice: { voice: "ai", writtenConsent: true, liveIntroduction: true },
    },
    [],
  ],
  [
    "California, AI, live introduction saying so",
    {
      phone: LA,
      at: "2026-12-02T11:00:00-08:00",
      voice: { voice: "ai", writtenConsent: true, liveIntroduction: true, disclosesAi: true },
    },
    [],
  ],
];

describe("the voice of a call", () => {
  for (const [name, c, codes] of CASES)
    it(name, () => {
      const verdict = engine.evaluate({
        number: parseNanp(c.phone ?? NY)!,
        atMs: Date.parse(c.at ?? "2026-12-02T11:00:00-05:00"),
        consent: c.consent ?? true,
        onDnc: false,
        ...(c.kind ? { kind: c.kind } : {}),
        ...(c.voice ? { voice: c.voice } : {}),
      });
      expect(verdict.reasons.map((r) => r.code).sort()).toEqual([...codes].sort());
      expect(verdict.allowed).toBe(codes.length === 0);
    });

  it("each refusal names its row and citation", () => {
    const verdict = engine.evaluate({
      number: parseNanp(NY)!,
      atMs: Date.parse("2026-12-02T11:00:00-05:00"),
      consent: true,
      onDnc: false,
      voice: { voice: "ai" },
    });
    expect(verdict.reasons[0]).toMatchObject({
      ruleId: "us-ai-voice-artificial",
      citation: expect.stringMatching(/FCC 24-17/),
    });
  });
});
