import type { ArtificialVoiceRow, CallVoice, VoiceAnnouncementRow } from "./rule-table.ts";
import type { CampaignKind } from "./touches.ts";

/**
 * Issue 92 §2: what a call's voice asks of its consent and its announcement. A call made with an
 * artificial or prerecorded voice — an AI-generated one counts as artificial from 2024-02-08
 * (FCC 24-17) — needs the called party's prior express consent, written for telemarketing, unless
 * its purpose is an emergency (47 U.S.C. 227(b)(1)(A), (B); 47 CFR 64.1200(a)(1)-(3)). cxo does
 * not know whether a number is wireless or residential, so it asks what the wireless rule asks of
 * every call (the stricter). California asks for a live introduction, and from 2025 for the AI
 * voice to be said (Cal. Pub. Util. Code 2874; AB 2905). Pure: rows in, problem out.
 */
export interface VoiceFacts {
  voice: CallVoice;
  /** The consent on record is written (`consent grant --written yes`, `--written-consent yes`). */
  writtenConsent?: boolean | undefined;
  /** The consent was given with the AI voice disclosed (recorded for the evidence). */
  aiDisclosed?: boolean | undefined;
  /** The call is introduced by a live person (a campaign spec's `announcement: live`). */
  liveIntroduction?: boolean | undefined;
  /** The introduction says the voice is artificial (a campaign spec's `discloses: ai`). */
  disclosesAi?: boolean | undefined;
  /** An emergency purpose (exempt from the consent rows). */
  emergency?: boolean | undefined;
}

export type VoiceProblemCode =
  | "artificial_voice_no_consent"
  | "artificial_voice_no_written_consent"
  | "live_introduction_required"
  | "ai_disclosure_required";

export interface VoiceProblem {
  code: VoiceProblemCode;
  message: string;
}

const said = (voice: CallVoice) => (voice === "ai" ? "an artificial (AI) voice" : "a prerecorded voice");

export function artificialVoiceProblem(
  row: ArtificialVoiceRow,
  facts: VoiceFacts | undefined,
  consent: boolean | undefined,
  kind: CampaignKind | undefined,
): VoiceProblem | undefined {
  if (!facts || !row.voices.includes(facts.voice) || facts.emergency === true) return undefined;
  if (consent !== true)
    return {
      code: "artificial_voice_no_consent",
      message: `a call with ${said(facts.voice)} needs the called party's prior express consent, and none is recorded`,
    };
  // An undeclared kind is judged as telemarketing: the stricter reading.
  if ((kind === undefined || row.writtenFor.includes(kind)) && facts.writtenConsent !== true)
    return {
      code: "artificial_voice_no_written_consent",
      message: `a telemarketing call with ${said(facts.voice)} needs prior express WRITTEN consent (${kind === undefined ? "kind not declared: judged as sales" : `kind ${kind}`})`,
    };
  return undefined;
}

export function announcementProblem(
  row: VoiceAnnouncementRow,
  facts: VoiceFacts | undefined,
): VoiceProblem | undefined {
  if (!facts || !row.voices.includes(facts.voice) || facts.emergency === true) return undefined;
  if (row.requires === "live_introduction" && facts.liveIntroduction !== true)
    return {
      code: "live_introduction_required",
      message: `in California a call with ${said(facts.voice)} is introduced by a live person (a campaign spec's announcement: live)`,
    };
  if (row.requires === "ai_disclosure" && facts.disclosesAi !== true)
    return {
      code: "ai_disclosure_required",
      message:
        "in California the live introduction says the message uses an artificial voice (a campaign spec's discloses: ai)",
    };
  return undefined;
}
