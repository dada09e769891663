import type { RuleRow } from "../rule-table.ts";
import { VOICE_AND_TEXT } from "../touches.ts";
import { EVERY_DAY } from "./every-day.ts";

/** The United States, federal: hours, consent, the internal list, voices, revocations. */
export const FEDERAL_ROWS: readonly RuleRow[] = [
  {
    id: "us-tcpa-hours",
    jurisdiction: "US",
    kind: "calling_hours",
    window: EVERY_DAY("08:00-21:00"),
    effectiveFrom: "1992-12-20",
    citation: "47 CFR 64.1200(c)(1); 16 CFR 310.4(c)",
    confidence: "verified",
    note: "the called party's local time; a text is a call under the TCPA (quiet hours for texts too)",
    channels: VOICE_AND_TEXT,
  },
  {
    id: "us-consent",
    jurisdiction: "US",
    kind: "consent",
    effectiveFrom: "1992-12-20",
    citation:
      "47 CFR 64.1200(a)(1)-(2): prior express (written, for telemarketing) consent for autodialed calls",
    confidence: "verified",
    channels: VOICE_AND_TEXT,
  },
  {
    id: "us-prerecorded-voice",
    jurisdiction: "US",
    kind: "artificial_voice",
    voices: ["prerecorded"],
    writtenFor: ["sales"],
    effectiveFrom: "1992-12-20",
    citation:
      "47 U.S.C. 227(b)(1)(A)(iii), (B); 47 CFR 64.1200(a)(1)(iii), (a)(2)-(3): a call using an artificial or prerecorded voice needs the called party's prior express consent (written, for telemarketing; since 2013-10-16); emergency purposes exempt",
    confidence: "verified",
  },
  {
    id: "us-ai-voice-artificial",
    jurisdiction: "US",
    kind: "artificial_voice",
    voices: ["ai"],
    writtenFor: ["sales"],
    effectiveFrom: "2024-02-08",
    citation:
      'FCC 24-17 (Declaratory Ruling, released 2024-02-08): AI-generated voices are "artificial" under 47 U.S.C. 227(b)(1); the same consent as a prerecorded voice',
    confidence: "verified",
  },
  {
    id: "ca-adad-live-introduction",
    jurisdiction: "US-CA",
    kind: "voice_announcement",
    requires: "live_introduction",
    voices: ["prerecorded", "ai"],
    effectiveFrom: "1991-01-01",
    citation:
      "Cal. Pub. Util. Code 2874(a)(1): an automatic dialing-announcing device's call is introduced by a live person, who states the caller and asks whether the called party consents to hear the message",
    confidence: "statute-seen",
    note: "the effective date is the statute's long-standing form (secondary); cxo takes a spec's `announcement: live`",
  },
  {
    id: "ca-ai-disclosure-2025",
    jurisdiction: "US-CA",
    kind: "voice_announcement",
    requires: "ai_disclosure",
    voices: ["ai"],
    effectiveFrom: "2025-01-01",
    citation:
      "Cal. Pub. Util. Code 2874, as amended by AB 2905 (Stats. 2024): the live introduction also says when the prerecorded message uses an artificial voice",
    confidence: "secondary",
  },
  {
    id: "us-revocation-confirmation-text",
    jurisdiction: "US",
    kind: "revocation_confirmation",
    withinMinutes: 5,
    effectiveFrom: "2025-04-11",
    citation:
      "47 CFR 64.1200(a)(10), (a)(12) (FCC 24-24): consent revoked by any reasonable means; a one-time text confirming a revocation request, with no marketing, sent within five minutes of its receipt, does not violate the rule",
    confidence: "secondary",
    note: "secondary sources date the confirmation paragraph, (a)(12), from April 2024 (and the FCC's 2012 SoundBite ruling allowed such a text before); cxo applies it from 2025-04-11, when the revocation rules took effect: the stricter reading, a text before then is refused like any text after a revocation",
    channels: ["sms"],
  },
  {
    id: "us-internal-dnc",
    jurisdiction: "US",
    kind: "internal_dnc",
    effectiveFrom: "1992-12-20",
    citation: "47 CFR 64.1200(d): company-specific do-not-call list",
    confidence: "verified",
    channels: VOICE_AND_TEXT,
  },
];
